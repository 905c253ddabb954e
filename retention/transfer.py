"""Transfer packages (移管): a BagIt bag (RFC 8493) of originals and their metadata as JSON.

The bag is written and validated with the ``bagit`` library (sha256 and sha512
manifests, tag manifests, ``bag-info.txt``) before anything is removed from Bunko.
"""

from __future__ import annotations

import json
import shutil
import zipfile
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import bagit

from archive import BlobIntegrityError, BlobStore, copy_hashing

CHECKSUMS = ("sha256", "sha512")


@dataclass(frozen=True)
class TransferEntry:
    document_id: str
    metadata: dict[str, Any]
    originals: Sequence[tuple[str, str]]
    """(blob key, file name in the package) of every version."""


def write_bag(
    store: BlobStore,
    entries: Sequence[TransferEntry],
    target: Path,
    *,
    batch_id: str,
    organisation: str,
) -> Path:
    """Write and validate the bag at ``target``; an existing valid bag there is kept as it is."""
    if (target / "bagit.txt").exists():
        bag = bagit.Bag(str(target))
        if bag.is_valid():
            return target
        shutil.rmtree(target)
    staging = target.with_name(target.name + ".part")
    if staging.exists():
        shutil.rmtree(staging)
    for entry in entries:
        folder = staging / entry.document_id
        folder.mkdir(parents=True)
        for key, name in entry.originals:
            with store.open(key) as source, (folder / name).open("wb") as out:  # type: ignore[arg-type]
                digest, _size = copy_hashing(source, out)
            if digest != key:
                raise BlobIntegrityError(key, digest)
        (folder / "metadata.json").write_text(
            json.dumps(entry.metadata, ensure_ascii=False, indent=2, default=str)
        )
    staging.mkdir(parents=True, exist_ok=True)
    bag = bagit.make_bag(
        str(staging),
        {
            "Source-Organization": organisation,
            "External-Identifier": batch_id,
            "External-Description": f"Bunko transfer (移管) of disposition batch {batch_id}: {len(entries)} records",
            "Bag-Group-Identifier": batch_id,
        },
        checksums=list(CHECKSUMS),
    )
    bag.validate()
    staging.rename(target)
    return target


def validate_bag(path: Path) -> bool:
    try:
        bagit.Bag(str(path)).validate()
    except (bagit.BagError, bagit.BagValidationError):
        return False
    return True


class _Spout:
    """A write-only, unseekable file that hands what was written to the next reader."""

    def __init__(self) -> None:
        self._pending = bytearray()

    def write(self, data: bytes) -> int:
        self._pending += data
        return len(data)

    def flush(self) -> None:
        pass

    def close(self) -> None:
        pass

    def take(self) -> bytes:
        data, self._pending = bytes(self._pending), bytearray()
        return data


def zip_stream(root: Path, *, chunk: int = 1 << 20) -> Iterator[bytes]:
    """``root`` as a ZIP (its files under ``root.name/``), produced piece by piece.

    About ``chunk`` bytes are held at a time, however large the package is: the archive is
    written to an unseekable sink, so sizes and CRCs go into data descriptors.
    """
    spout = _Spout()
    with zipfile.ZipFile(spout, "w", zipfile.ZIP_DEFLATED) as archive:
        for path in sorted(root.rglob("*")):
            if not path.is_file():
                continue
            info = zipfile.ZipInfo.from_file(path, Path(root.name) / path.relative_to(root))
            info.compress_type = zipfile.ZIP_DEFLATED
            big = info.file_size >= zipfile.ZIP64_LIMIT
            with path.open("rb") as source, archive.open(info, "w", force_zip64=big) as sink:
                while block := source.read(chunk):
                    sink.write(block)
                    if pending := spout.take():
                        yield pending
    if pending := spout.take():
        yield pending
