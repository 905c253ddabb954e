"""Numbered search pages over keyset cursors: each page's URL carries the cursors before it."""

from __future__ import annotations

from urllib.parse import urlsplit

from starlette.requests import Request

from web.pages.search import SearchForm


def _open(url: str) -> SearchForm:
    request = Request({"type": "http", "query_string": urlsplit(url).query.encode(), "headers": []})
    p = request.query_params
    return SearchForm.from_request(
        request, p.get("q", ""), p.get("sort"), p.get("cursor"), p.get("trail", "")
    )


def test_next_previous_and_numbered_pages_lead_where_they_say() -> None:
    first = _open(SearchForm(q="契約", filters={"type": "contract"}).url())
    assert first.page_number == 1
    second = _open(first.next_url("CUR2"))
    third = _open(second.next_url("CUR3"))
    fourth = _open(third.next_url("CUR-4_x"))
    assert (second.page_number, third.page_number, fourth.page_number) == (2, 3, 4)
    assert fourth.q == "契約" and fourth.filters == {"type": "contract"}
    back = _open(fourth.page_url(3))
    assert (back.cursor, back.page_number) == ("CUR3", 3)
    assert _open(fourth.page_url(2)).cursor == "CUR2"
    assert _open(fourth.page_url(1)) == first
    assert _open(fourth.url(sort="oldest")).page_number == 1  # a changed search starts again


def test_a_forged_trail_keeps_only_cursor_shaped_parts() -> None:
    form = _open("/search?q=x&cursor=ABC&trail=..<script>.ok_1.")
    assert form.trail == ("ok_1",) and form.page_number == 3
    assert _open("/search?q=x&trail=A.B").trail == ()  # no cursor: the first page
