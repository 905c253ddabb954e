"""Without a browser: every visible string has a Japanese translation; snippets are only text and marks."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from web.i18n import translations
from web.pages.snippets import safe_snippet

ROOT = Path(__file__).resolve().parents[2]
WEB = ROOT / "web"
_STRING = r"""\(\s*(?:"((?:[^"\\]|\\.)*)"|'((?:[^'\\]|\\.)*)')\s*[,)]"""
_MSGID = re.compile(r"(?:\bt|gettext|\bN_)" + _STRING)
_MESSAGE = re.compile(r"InvalidInput" + _STRING)
SHOWN_MESSAGES = [
    WEB / "administration.py",
    *(ROOT / "archive" / name for name in ("users.py", "departments.py", "apikeys.py")),
]
"""Modules whose messages (``InvalidInput("…")``) the administration pages show translated."""


def _msgids() -> set[str]:
    sources = [*WEB.joinpath("templates").glob("*.html"), *WEB.joinpath("pages").glob("*.py")]
    found = [m for p in sources for m in _MSGID.finditer(p.read_text())]
    found += [m for p in SHOWN_MESSAGES for m in _MESSAGE.finditer(p.read_text())]
    return {m.group(1) if m.group(1) is not None else m.group(2) for m in found}


def test_every_page_string_has_a_japanese_translation() -> None:
    ja = translations("ja")
    ids = _msgids()
    assert len(ids) > 150
    untranslated = sorted(i for i in ids if ja.gettext(i) == i and i not in ("OCR",))
    assert untranslated == []


@pytest.mark.parametrize(
    ("snippet", "html"),
    [
        ("a <mark>契約</mark> b", "a <mark>契約</mark> b"),
        (
            "&lt;script&gt;alert(1)&lt;/script&gt; <mark>x</mark>",
            "&lt;script&gt;alert(1)&lt;/script&gt; <mark>x</mark>",
        ),
        (
            "<script>alert(1)</script>",
            "&lt;script&gt;alert(1)&lt;/script&gt;",
        ),  # a backend that forgot to escape
        (
            '<mark onclick="x">a</mark>',
            "&lt;mark onclick=&quot;x&quot;&gt;a",
        ),  # an unopened close is dropped
        ("<mark>open", "<mark>open</mark>"),
        ("</mark>x<mark><mark>y</mark></mark>", "x<mark>y</mark>"),
        ("AT&amp;T &amp; R&D", "AT&amp;T &amp; R&amp;D"),
    ],
)
def test_snippets_keep_only_mark_tags(snippet: str, html: str) -> None:
    assert str(safe_snippet(snippet)) == html
