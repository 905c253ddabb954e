"""The upload page on a slow connection: files chosen before its script has loaded are
still uploaded, and the button cannot submit the bare form meanwhile."""

from __future__ import annotations

from pathlib import Path

from playwright.sync_api import Route, expect

from tests.ui.conftest import Site


def test_files_chosen_before_the_script_loads_are_uploaded(site: Site, tmp_path: Path) -> None:
    page = site.signed_in("sato")
    held: list[Route] = []
    page.route("**/static/upload.js", lambda route: held.append(route))
    page.goto("/upload", wait_until="commit")
    page.wait_for_selector("#files", state="attached")
    files = []
    for name in ("first.txt", "second.txt"):
        path = tmp_path / name
        path.write_text(f"{name} 業務報告 slow connection", "utf-8")
        files.append(str(path))
    page.set_input_files("#files", files)
    expect(page.locator("#upload-button")).to_be_disabled()
    assert len(held) == 1, "the page's script was not requested"

    held[0].continue_()
    expect(page.locator("#upload-button")).to_be_enabled()
    page.click("#upload-button")
    expect(page.locator("#files-error")).to_be_hidden()
    expect(page.locator("#queue tr")).to_have_count(2)
    expect(page.locator("#queue tr[data-status=indexed]")).to_have_count(2, timeout=60_000)
    assert page.url.endswith("/upload")
