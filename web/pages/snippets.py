"""Search snippets into HTML: the index's ``<mark>`` tags kept, everything else text.

The search layer promises HTML-escaped text with matches in ``<mark>…</mark>``. A page
does not take that on trust: it splits on exactly those two tags, unescapes and
re-escapes every text piece, and balances the marks, so whatever a backend returns can
only ever produce text and ``<mark>`` elements.
"""

from __future__ import annotations

import html
import re

from markupsafe import Markup

_MARK = re.compile(r"(<mark>|</mark>)")


def safe_snippet(snippet: str) -> Markup:
    out: list[str] = []
    open_mark = False
    for piece in _MARK.split(snippet):
        if piece == "<mark>":
            if not open_mark:
                out.append(piece)
                open_mark = True
        elif piece == "</mark>":
            if open_mark:
                out.append(piece)
                open_mark = False
        else:
            out.append(html.escape(html.unescape(piece), quote=True))
    if open_mark:
        out.append("</mark>")
    return Markup("".join(out))
