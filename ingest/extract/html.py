"""HTML text with lxml: what a browser shows, without scripts, styles or markup."""

from __future__ import annotations

from pathlib import Path

import lxml.html
from lxml.etree import LxmlError, ParserError

from ingest.errors import ContentTooLarge, CorruptContent
from ingest.extract.base import Budget, Extraction, Limits, PageText
from ingest.extract.text import decode
from ingest.sniff import Kind

_HIDDEN = ("script", "style", "noscript", "template", "head")
# Elements after which a browser starts a new line; a cell ends with a tab.
_BLOCKS = frozenset(
    [
        "p",
        "div",
        "br",
        "li",
        "tr",
        "h1",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "table",
        "section",
        "article",
        "header",
        "footer",
        "nav",
        "aside",
        "ul",
        "ol",
        "dl",
        "dt",
        "dd",
        "blockquote",
        "pre",
        "address",
        "figure",
        "figcaption",
        "hr",
        "form",
        "fieldset",
        "caption",
        "title",
    ]
)
_CELLS = frozenset({"td", "th"})


def extract_html(path: Path, limits: Limits) -> Extraction:
    if path.stat().st_size > 4 * limits.max_chars:
        raise ContentTooLarge(f"HTML file exceeds {limits.max_chars:,} characters")
    text = html_text(decode(path.read_bytes()))
    Budget(limits).spend(text, "the HTML page")
    return Extraction(kind=Kind.HTML, pages=(PageText(number=1, text=text),))


def html_text(markup: str) -> str:
    """The visible text of ``markup``: the title, then the body, one line per block."""
    if not markup.strip():
        return ""
    try:
        root = lxml.html.document_fromstring(markup)
    except (LxmlError, ParserError, ValueError) as exc:
        raise CorruptContent(f"unreadable HTML ({exc})") from None
    title = root.findtext(".//title") or ""
    for element in list(root.iter(*_HIDDEN)):
        if element.getparent() is not None:
            element.drop_tree()
    for element in root.iter():
        tag = element.tag if isinstance(element.tag, str) else ""
        if tag in _BLOCKS:
            element.tail = "\n" + (element.tail or "")
        elif tag in _CELLS:
            element.tail = "\t" + (element.tail or "")
    body = root.text_content()
    lines = (_tidy(line) for line in f"{title}\n{body}".splitlines())
    return "\n".join(line for line in lines if line)


def _tidy(line: str) -> str:
    """Runs of blanks as one space; cells kept apart by one tab, as the other extractors do."""
    cells = (" ".join(cell.split()) for cell in line.split("\t"))
    return "\t".join(cell for cell in cells if cell)
