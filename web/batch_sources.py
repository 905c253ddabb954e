"""Where a batch's files come from: an uploaded ZIP, or a directory on the server.

Both only hand out files named by a manifest row's (already checked) relative path, and
never anything outside: ZIP entries are looked up by name, never extracted by it, and
directory paths must resolve under the directory (symbolic links out are refused).
A ZIP is refused whole when an entry is encrypted, or when its entries would unpack to more
than ``max_bytes`` or compress better than ``max_ratio`` (a zip bomb).
"""

from __future__ import annotations

import itertools
import os
import shutil
import zipfile
from pathlib import Path
from typing import IO, Protocol

from archive import InvalidInput, UploadTooLarge

MANIFEST_NAMES = ("manifest.csv", "manifest.json")
MAX_MANIFEST_BYTES = 32 * 1024**2
MAX_RATIO = 200
"""Uncompressed size over compressed size above which an entry counts as a bomb."""
RATIO_FLOOR = 1024**2
"""Entries smaller than this unpacked are never bombs, however well they compress."""


class BatchSource(Protocol):
    def has(self, name: str) -> bool:
        """Whether the source holds a regular file under this relative path."""

    def stage(self, name: str, workdir: Path) -> Path:
        """A local path to the file's bytes (copied under ``workdir`` if need be)."""


class ZipSource:
    """An uploaded ZIP archive, checked whole on opening."""

    def __init__(self, file: IO[bytes], *, max_bytes: int, max_entries: int) -> None:
        try:
            self._zip = zipfile.ZipFile(file)
            infos = self._zip.infolist()
        except (zipfile.BadZipFile, OSError, ValueError) as exc:
            raise InvalidInput(
                f"the file is not a readable ZIP archive: {exc}", field="file"
            ) from None
        if len(infos) > max_entries:
            raise InvalidInput(f"the ZIP has more than {max_entries} entries", field="file")
        total = 0
        for info in infos:
            if info.flag_bits & 0x1:
                raise InvalidInput(
                    f"the ZIP entry {info.filename!r} is encrypted: send it unencrypted",
                    field="file",
                )
            total += info.file_size
            if info.file_size > RATIO_FLOOR and info.file_size > MAX_RATIO * max(
                info.compress_size, 1
            ):
                raise InvalidInput(
                    f"the ZIP entry {info.filename!r} unpacks over {MAX_RATIO} times its "
                    "compressed size (a zip bomb?)",
                    field="file",
                )
        if total > max_bytes:
            raise UploadTooLarge(max_bytes)
        self._entries = {i.filename: i for i in infos if not i.is_dir()}
        self._staged = itertools.count()

    def has(self, name: str) -> bool:
        return name in self._entries

    def manifest(self) -> str | None:
        """The text of ``manifest.csv`` or ``manifest.json`` at the archive's root, if any."""
        for name in MANIFEST_NAMES:
            if name in self._entries:
                if self._entries[name].file_size > MAX_MANIFEST_BYTES:
                    raise UploadTooLarge(MAX_MANIFEST_BYTES)
                return _text(self._zip.read(name))
        return None

    def stage(self, name: str, workdir: Path) -> Path:
        # The entry's bytes go to a folder of our own naming; only the last part of its
        # name is kept (cleaned again on storing), so no name can reach outside workdir.
        folder = workdir / str(next(self._staged))
        folder.mkdir()
        target = folder / (Path(name).name or "file")
        # zipfile stops at the declared size and checks the CRC: a lying header fails here.
        with self._zip.open(self._entries[name]) as source, target.open("wb") as out:
            shutil.copyfileobj(source, out, 1024**2)
        return target

    def close(self) -> None:
        self._zip.close()


class DirectorySource:
    """Files below a directory on the server (``bunko import``)."""

    def __init__(self, root: Path) -> None:
        self._root = root.resolve()

    def _path(self, name: str) -> Path | None:
        path = (self._root / name).resolve()
        inside = os.path.commonpath([self._root, path]) == str(self._root)
        return path if inside and path.is_file() else None

    def has(self, name: str) -> bool:
        return self._path(name) is not None

    def stage(self, name: str, workdir: Path) -> Path:
        path = self._path(name)
        if path is None:
            raise FileNotFoundError(name)
        return path


def _text(data: bytes) -> str:
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise InvalidInput("the manifest is not UTF-8 text", field="manifest") from None
