"""Every process sees every column that names a blob, though the tables live in three packages."""

from __future__ import annotations

import json
import subprocess
import sys

_PROBE = """
import json
import web.services
from archive.blob_refs import blob_columns, counted_tables
print(json.dumps([sorted(str(c) for c in blob_columns()), sorted(counted_tables())]))
"""


def test_the_composition_root_registers_every_blob_column() -> None:
    """GIVEN a fresh process that imports only ``web.services`` (as API, worker and CLI do)
    WHEN the archive lists the columns naming a blob and the tables a backup counts
    THEN the retention and disclosure ones are there: an orphan check or a failed upload's
    cleanup never deletes a released package, and a backup counts the holds.
    """
    out = subprocess.run(
        [sys.executable, "-c", _PROBE], capture_output=True, text=True, check=True
    ).stdout
    columns, counted = json.loads(out)
    assert columns == [
        "derivatives.blob_key",
        "disclosure_records.blob_key",
        "disclosure_records.released_key",
        "disclosure_requests.package_key",
        "document_versions.blob_key",
    ]
    assert counted == [
        "audit_events",
        "derivatives",
        "documents",
        "hold_items",
        "holds",
        "retention_dates",
        "versions",
    ]
