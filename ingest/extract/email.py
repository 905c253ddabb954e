"""Saved e-mails (RFC 5322 / MIME) with the standard library's parser.

Page 1 is the message: its Subject, From, To, Cc and Date, then the body (the plain-text
part, else the HTML part's visible text), decoded from its transfer encoding and charset
(ISO-2022-JP, Shift_JIS, UTF-8 …). Each attachment whose kind Bunko reads follows as a page
of its own, introduced by its file name; a forwarded message is read like the message.
Attachments inside attachments are named, not opened.
"""

from __future__ import annotations

import tempfile
from collections.abc import Callable, Iterator
from email import policy
from email.message import EmailMessage, Message
from email.parser import BytesParser
from pathlib import Path

from ingest.errors import ContentTooLarge, IngestError
from ingest.extract.base import Budget, Extraction, Limits, PageText
from ingest.extract.html import html_text
from ingest.extract.text import decode
from ingest.sniff import Kind

AttachmentReader = Callable[[Path, Limits], Extraction | None]
"""Reads an attachment saved to a file; None for a kind it does not read."""

_HEADERS = ("Subject", "From", "To", "Cc", "Date")


def extract_email(path: Path, limits: Limits, read: AttachmentReader) -> Extraction:
    if path.stat().st_size > 4 * limits.max_chars:
        raise ContentTooLarge(f"e-mail exceeds {limits.max_chars:,} characters")
    with path.open("rb") as stream:
        message = BytesParser(policy=policy.default).parse(stream)
    budget = Budget(limits)
    notes: list[str] = []
    texts = [message_text(message)]
    for name, part in _attachments(message):
        texts.append(f"Attachment: {name}\n{_attachment_text(name, part, limits, read, notes)}")
    pages = []
    for number, text in enumerate(texts, start=1):
        budget.spend(text, f"part {number} of the e-mail")
        pages.append(PageText(number=number, text=text.strip()))
    return Extraction(kind=Kind.EMAIL, pages=tuple(pages), warnings=tuple(notes))


def message_text(message: Message) -> str:
    """The headers a reader looks at, then the body."""
    lines = [f"{name}: {_header(message, name)}" for name in _HEADERS if message.get(name)]
    return "\n".join([*lines, "", _body(message)])


def _header(message: Message, name: str) -> str:
    try:
        return " ".join(str(message[name]).split())
    except (ValueError, TypeError, LookupError, UnicodeError):
        return " ".join(str(message.get(name, "")).split())


def _body(message: Message) -> str:
    if not isinstance(message, EmailMessage):
        return ""
    part = message.get_body(preferencelist=("plain", "html"))
    if part is None:
        return ""
    text = _decoded(part)
    return html_text(text) if part.get_content_subtype() == "html" else text


def _decoded(part: Message) -> str:
    """A text part's content: by its declared charset, else by guessing as for text files."""
    try:
        content = part.get_content()  # type: ignore[attr-defined]
        if isinstance(content, str):
            return content
    except (LookupError, UnicodeError, ValueError, KeyError):
        pass
    payload = part.get_payload(decode=True)
    if not isinstance(payload, bytes) or not payload:
        return ""
    try:
        return decode(payload)
    except IngestError:
        return ""


def _attachments(message: Message) -> Iterator[tuple[str, Message]]:
    if not isinstance(message, EmailMessage):
        return
    for number, part in enumerate(message.iter_attachments(), start=1):
        yield part.get_filename() or f"attachment {number} ({part.get_content_type()})", part


def _attachment_text(
    name: str, part: Message, limits: Limits, read: AttachmentReader, notes: list[str]
) -> str:
    if part.get_content_type() == "message/rfc822":
        forwarded = part.get_payload()
        inner = forwarded[0] if isinstance(forwarded, list) and forwarded else None
        return message_text(inner) if isinstance(inner, Message) else ""
    payload = part.get_payload(decode=True)
    if not isinstance(payload, bytes) or not payload:
        return ""
    with tempfile.TemporaryDirectory() as scratch:
        saved = Path(scratch) / "attachment"
        saved.write_bytes(payload)
        try:
            extraction = read(saved, limits)
        except IngestError as exc:
            notes.append(f"attachment {name!r} not read: {exc.reason}")
            return ""
    if extraction is None:
        notes.append(f"attachment {name!r} not read: not a kind Bunko reads inside an e-mail")
        return ""
    if extraction.pages_needing_ocr:
        notes.append(
            f"attachment {name!r}: {len(extraction.pages_needing_ocr)} page(s) without a text "
            "layer not read (OCR reads documents uploaded on their own)"
        )
    return "\n".join(page.text for page in extraction.pages if page.text)
