"""Streaming multipart/form-data reader for uploads.

The file part is hashed and spooled to a temporary file as it arrives, with its size
checked against the limit on every chunk, so no upload is ever held whole in memory.
"""

from __future__ import annotations

import hashlib
import re
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO
from urllib.parse import unquote

from python_multipart.exceptions import MultipartParseError
from python_multipart.multipart import MultipartParser, parse_options_header
from starlette.requests import Request

from archive import SNIFF_BYTES, InvalidInput, UploadTooLarge

MAX_FIELDS = 10
MAX_FIELD_BYTES = 64 * 1024
FILE_FIELD = "file"


@dataclass
class ReceivedFile:
    """The file part: spooled to ``file``, hashed, sized, with its first bytes kept for sniffing."""

    file: IO[bytes]
    filename: str | None = None
    content_type: str | None = None
    size: int = 0
    head: bytes = b""
    _hash: hashlib._Hash = field(default_factory=hashlib.sha256)

    @property
    def sha256(self) -> str:
        return self._hash.hexdigest()


@dataclass
class ReceivedForm:
    fields: dict[str, str]
    file: ReceivedFile | None

    def close(self) -> None:
        if self.file is not None:
            self.file.file.close()


class _Collector:
    """Callbacks for ``MultipartParser``: routes each part to a field buffer or the spool file."""

    def __init__(self, max_bytes: int, tmp_dir: Path | None) -> None:
        self.max_bytes = max_bytes
        self.tmp_dir = tmp_dir
        self.fields: dict[str, str] = {}
        self.file: ReceivedFile | None = None
        self._headers: dict[bytes, bytes] = {}
        self._name = b""
        self._value = b""
        self._part_name = ""
        self._buffer = bytearray()
        self._target: ReceivedFile | None = None
        self.complete = False

    def on_header_field(self, data: bytes, start: int, end: int) -> None:
        self._name += data[start:end]

    def on_header_value(self, data: bytes, start: int, end: int) -> None:
        self._value += data[start:end]

    def on_header_end(self) -> None:
        self._headers[self._name.lower()] = self._value
        self._name, self._value = b"", b""

    def on_headers_finished(self) -> None:
        disposition = self._headers.get(b"content-disposition", b"")
        _, options = parse_options_header(disposition)
        self._part_name = options.get(b"name", b"").decode("utf-8", "replace")
        extended = _extended_filename(disposition)
        if b"filename" not in options and extended is None:
            self._target = None
            if len(self.fields) >= MAX_FIELDS:
                raise InvalidInput("too many form fields")
            return
        if self._part_name != FILE_FIELD or self.file is not None:
            raise InvalidInput(
                f"exactly one file part named {FILE_FIELD!r} is expected", field=self._part_name
            )
        self.file = self._target = ReceivedFile(
            file=tempfile.TemporaryFile(dir=self.tmp_dir),  # noqa: SIM115 - the caller closes it
            filename=extended or options.get(b"filename", b"").decode("utf-8", "replace"),
            content_type=self._headers.get(b"content-type", b"").decode("latin-1") or None,
        )

    def on_part_data(self, data: bytes, start: int, end: int) -> None:
        chunk = data[start:end]
        target = self._target
        if target is None:
            self._buffer += chunk
            if len(self._buffer) > MAX_FIELD_BYTES:
                raise InvalidInput(
                    f"form field {self._part_name!r} is too long", field=self._part_name
                )
            return
        target.size += len(chunk)
        if target.size > self.max_bytes:
            raise UploadTooLarge(self.max_bytes)
        if len(target.head) < SNIFF_BYTES:
            target.head += chunk[: SNIFF_BYTES - len(target.head)]
        target._hash.update(chunk)
        target.file.write(chunk)

    def on_part_end(self) -> None:
        if self._target is None:
            self.fields[self._part_name] = _text(self._buffer, self._part_name)
        self._buffer = bytearray()
        self._headers = {}
        self._target = None

    def on_end(self) -> None:
        self.complete = True


_EXTENDED = re.compile(rb"""(?:^|;)\s*filename\*\s*=\s*"?([^";]*)"?""", re.IGNORECASE)


def _extended_filename(disposition: bytes) -> str | None:
    """The RFC 5987 ``filename*=charset'lang'percent-encoded`` value, decoded; None if absent."""
    match = _EXTENDED.search(disposition)
    if match is None:
        return None
    charset, _, rest = match.group(1).decode("latin-1").partition("'")
    _lang, _, encoded = rest.partition("'")
    try:
        return unquote(encoded, encoding=charset or "utf-8", errors="replace")
    except LookupError:
        return unquote(encoded, encoding="utf-8", errors="replace")


def _text(raw: bytes | bytearray, name: str) -> str:
    """A form field's text: strict UTF-8 without NUL characters, else ``InvalidInput`` naming it."""
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        raise InvalidInput(f"form field {name!r} is not valid UTF-8", field=name) from None
    if "\x00" in text:
        raise InvalidInput(f"form field {name!r} contains a NUL character", field=name)
    return text


async def receive_form(
    request: Request, *, max_bytes: int, tmp_dir: Path | None = None
) -> ReceivedForm:
    """Read a multipart/form-data body; raise ``InvalidInput`` or ``UploadTooLarge`` on bad input."""
    content_type, params = parse_options_header(request.headers.get("content-type", ""))
    if content_type != b"multipart/form-data" or b"boundary" not in params:
        raise InvalidInput(
            "the body must be multipart/form-data with a file part named 'file'", field=FILE_FIELD
        )
    declared = request.headers.get("content-length")
    if (
        declared
        and declared.isdigit()
        and int(declared) > max_bytes + MAX_FIELDS * MAX_FIELD_BYTES + 65536
    ):
        raise UploadTooLarge(max_bytes)
    collector = _Collector(max_bytes, tmp_dir)
    callbacks = {
        name: getattr(collector, name)
        for name in (
            "on_header_field",
            "on_header_value",
            "on_header_end",
            "on_headers_finished",
            "on_part_data",
            "on_part_end",
            "on_end",
        )
    }
    parser = MultipartParser(params[b"boundary"], callbacks)  # type: ignore[arg-type]
    try:
        try:
            async for chunk in request.stream():
                parser.write(chunk)
            parser.finalize()
            if not collector.complete:
                raise InvalidInput("the multipart body ends before its closing boundary")
        except MultipartParseError as exc:
            raise InvalidInput(f"malformed multipart body: {exc}") from None
    except BaseException:
        if collector.file is not None:
            collector.file.file.close()
        raise
    form = ReceivedForm(collector.fields, collector.file)
    if form.file is not None:
        form.file.file.seek(0)
    return form
