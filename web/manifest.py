"""Bulk-intake manifests (CSV or JSON): parsed and checked row by row, every fault reported.

Columns (CSV header / JSON keys): ``file`` (a relative path in the ZIP or directory),
``title``, ``department``, ``document_date``, ``external_id``, ``level``, ``series``,
``source_system``; any other column is kept as the row's ``metadata``. Rows are numbered
from 1 (the CSV header is not a row).
"""

from __future__ import annotations

import csv
import io
import json
import posixpath
import re
from dataclasses import dataclass
from datetime import date
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from archive import InvalidInput

MAX_ROWS = 100_000
MAX_CELL = 2000
MAX_EXTRA = 50
KNOWN = frozenset(
    {
        "file",
        "title",
        "department",
        "document_date",
        "external_id",
        "level",
        "series",
        "source_system",
    }
)
_UNSAFE_PATH = re.compile(r"[\x00-\x1f\\]|^[A-Za-z]:")


class ManifestRow(BaseModel):
    """One manifest line."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True, strict=True)

    file: str = Field(min_length=1, max_length=1000)
    title: str | None = Field(None, min_length=1, max_length=500)
    department: str | None = Field(None, min_length=1, max_length=64)
    document_date: date | None = Field(None, strict=False)
    external_id: str | None = Field(None, min_length=1, max_length=200)
    level: Literal["public", "internal", "confidential", "secret"] = "internal"
    series: str | None = Field(None, min_length=1, max_length=64)
    source_system: str | None = Field(None, min_length=1, max_length=100)
    metadata: dict[str, str | int | float | bool | None] = Field(default_factory=dict)

    @field_validator("file")
    @classmethod
    def _inside(cls, value: str) -> str:
        """A plain relative path: no ``..``, no absolute path, no backslash or control character."""
        normal = posixpath.normpath(value)
        if (
            _UNSAFE_PATH.search(value)
            or value.startswith("/")
            or normal.startswith("..")
            or normal in (".", "")
        ):
            raise ValueError("must be a relative path inside the archive or directory")
        return normal

    @field_validator("metadata")
    @classmethod
    def _small(cls, value: dict[str, Any]) -> dict[str, Any]:
        if len(value) > MAX_EXTRA:
            raise ValueError(f"at most {MAX_EXTRA} metadata fields")
        for key, item in value.items():
            if len(key) > 100 or len(str(item)) > MAX_CELL:
                raise ValueError(f"field {key[:100]!r} is longer than {MAX_CELL} characters")
        return value


@dataclass(frozen=True)
class RowError:
    row: int
    field: str | None
    reason: str


@dataclass(frozen=True)
class Manifest:
    rows: dict[int, ManifestRow]
    errors: list[RowError]


def parse_manifest(text: str) -> Manifest:
    """Rows of a CSV or JSON manifest (JSON when it starts with ``[`` or ``{``); each bad row reported."""
    raw = _json_rows(text) if text.lstrip().startswith(("[", "{")) else _csv_rows(text)
    if not raw:
        raise InvalidInput("the manifest has no rows", field="manifest")
    if len(raw) > MAX_ROWS:
        raise InvalidInput(f"the manifest has more than {MAX_ROWS} rows", field="manifest")
    rows: dict[int, ManifestRow] = {}
    errors: list[RowError] = []
    for number, fields in enumerate(raw, start=1):
        if isinstance(fields, RowError):
            errors.append(fields)
            continue
        try:
            rows[number] = ManifestRow.model_validate(fields)
        except ValidationError as exc:
            for problem in exc.errors():
                where = ".".join(str(p) for p in problem["loc"]) or None
                errors.append(RowError(number, where, problem["msg"]))
    errors += _repeats(rows)
    return Manifest(rows, errors)


def _grouped(fields: dict[str, Any]) -> dict[str, Any]:
    """Known columns as they are; every other one under ``metadata``."""
    extra = {k: v for k, v in fields.items() if k not in KNOWN and k != "metadata"}
    known = {k: v for k, v in fields.items() if k in KNOWN or k == "metadata"}
    if extra:
        nested = known.get("metadata")
        known["metadata"] = {**(nested if isinstance(nested, dict) else {}), **extra}
    return known


def _json_rows(text: str) -> list[dict[str, Any] | RowError]:
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise InvalidInput(f"the manifest is not valid JSON: {exc}", field="manifest") from None
    if not isinstance(data, list):
        raise InvalidInput("a JSON manifest is a list of objects", field="manifest")
    return [
        _grouped(item) if isinstance(item, dict) else RowError(n, None, "must be an object")
        for n, item in enumerate(data, start=1)
    ]


def _csv_rows(text: str) -> list[dict[str, Any] | RowError]:
    reader = csv.reader(io.StringIO(text))
    try:
        header = next(reader, None)
        if header is None or "file" not in (name.strip() for name in header):
            raise InvalidInput(
                "a CSV manifest needs a header with a 'file' column", field="manifest"
            )
        names = [name.strip() for name in header]
        if len(set(names)) != len(names) or len(names) > len(KNOWN) + MAX_EXTRA:
            raise InvalidInput(
                "the manifest's header repeats a column or has too many", field="manifest"
            )
        rows: list[dict[str, Any] | RowError] = []
        for number, cells in enumerate(_lines(reader), start=1):
            if isinstance(cells, RowError):
                rows.append(RowError(number, None, cells.reason))
            elif len(cells) != len(names):
                rows.append(
                    RowError(number, None, f"has {len(cells)} cells, the header {len(names)}")
                )
            else:
                rows.append(_grouped({k: v for k, v in zip(names, cells, strict=True) if v != ""}))
            if len(rows) > MAX_ROWS:
                break
        return rows
    except csv.Error as exc:
        raise InvalidInput(f"the manifest is not valid CSV: {exc}", field="manifest") from None


def _lines(reader: Any) -> Any:
    """The data lines, blank ones skipped; an over-long cell becomes that row's error."""
    while True:
        try:
            cells = next(reader)
        except StopIteration:
            return
        except csv.Error as exc:
            yield RowError(0, None, f"unreadable: {exc}")
            continue
        if any(cell.strip() for cell in cells):
            yield cells


def _repeats(rows: dict[int, ManifestRow]) -> list[RowError]:
    """A file or an external id named by two rows is an error in the later row."""
    errors: list[RowError] = []
    seen_files: dict[str, int] = {}
    seen_ids: dict[tuple[str | None, str], int] = {}
    for number, row in rows.items():
        first = seen_files.setdefault(row.file, number)
        if first != number:
            errors.append(RowError(number, "file", f"the same file as row {first}"))
        if row.external_id is not None:
            key = (row.source_system, row.external_id)
            first = seen_ids.setdefault(key, number)
            if first != number:
                errors.append(
                    RowError(number, "external_id", f"the same external id as row {first}")
                )
    return errors
