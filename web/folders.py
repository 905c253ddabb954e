"""Bulk import and watched folders: files taken in only once safely stored, then moved aside."""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from archive import (
    AccessScope,
    ArchiveError,
    BackendUnavailable,
    DocumentMetadata,
    Permission,
    Principal,
    PrincipalKind,
    SecurityLevel,
    UploadResult,
    find_department,
)
from web.intake import store_file
from web.services import Services

DONE_DIR = ".bunko-done"
FAILED_DIR = ".bunko-failed"


def folder_principal(
    services: Services, *, name: str, department_code: str, clearance: SecurityLevel
) -> Principal:
    """Who files from a folder: a system identity belonging to one department."""
    with services.sessions() as session:
        department = find_department(session, department_code)
        return Principal(
            kind=PrincipalKind.FOLDER,
            id=0,
            name=name,
            permissions=frozenset({Permission.UPLOAD, Permission.READ}),
            scope=AccessScope(
                department_id=department.id,
                department_lineage=department.lineage,
                clearance=clearance,
            ),
            department_id=department.id,
        )


def files_in(root: Path) -> Iterator[Path]:
    """Regular files below ``root``, skipping hidden ones and Bunko's own folders, in name order."""
    for dirpath, dirnames, filenames in os.walk(root):
        dirnames[:] = sorted(d for d in dirnames if not d.startswith("."))
        for name in sorted(filenames):
            path = Path(dirpath) / name
            if not name.startswith(".") and path.is_file() and not path.is_symlink():
                yield path


@dataclass(frozen=True)
class Taken:
    path: Path
    result: UploadResult | None
    error: str | None
    retry: bool = False
    """True when a backend was down: the file stays where it is for another try."""


def take_file(
    services: Services, path: Path, meta: DocumentMetadata, principal: Principal
) -> Taken:
    try:
        return Taken(path, store_file(services, path, meta, principal), None)
    except BackendUnavailable as exc:
        return Taken(path, None, str(exc), retry=True)
    except (ArchiveError, OSError) as exc:
        return Taken(path, None, str(exc) or type(exc).__name__)


def move_aside(root: Path, taken: Taken) -> Path:
    """Move a handled file to ``.bunko-done/DATE/`` or ``.bunko-failed/DATE/`` (with a reason file)."""
    folder = root / (DONE_DIR if taken.error is None else FAILED_DIR) / date.today().isoformat()
    folder.mkdir(parents=True, exist_ok=True)
    target = folder / taken.path.name
    counter = 1
    while target.exists():
        target = folder / f"{taken.path.stem}.{counter}{taken.path.suffix}"
        counter += 1
    shutil.move(taken.path, target)
    if taken.error is not None:
        target.with_name(target.name + ".reason.txt").write_text(
            taken.error + "\n", encoding="utf-8"
        )
    return target


class StableFiles:
    """Files whose size and modification time did not change between two looks (done being written)."""

    def __init__(self) -> None:
        self._seen: dict[Path, tuple[int, float]] = {}

    def ready(self, root: Path) -> list[Path]:
        current: dict[Path, tuple[int, float]] = {}
        for path in files_in(root):
            try:
                stat = path.stat()
            except FileNotFoundError:
                continue
            current[path] = (stat.st_size, stat.st_mtime)
        stable = [p for p, sig in current.items() if self._seen.get(p) == sig]
        self._seen = current
        return stable
