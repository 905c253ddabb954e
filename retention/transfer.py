"""Transfer packages (移管): a BagIt bag (RFC 8493) of originals and their metadata as JSON.

The bag is written and validated with the ``bagit`` library (sha256 and sha512
manifests, tag manifests, ``bag-info.txt``) before anything is removed from Bunko.
"""

from __future__ import annotations

import json
import shutil
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import bagit

from archive.blobs.base import BlobStore
from archive.errors import BlobIntegrityError
from archive.hashing import copy_hashing

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
