"""Talking to a running ``bunko serve``: upload a file, wait until a document is indexed."""

from __future__ import annotations

import os
import sys
import time
from pathlib import Path
from typing import Any

import httpx2 as httpx

from bench._servers import Server

ROOT = Path(__file__).resolve().parents[1]


def upload(server: Server, name: str, content: bytes, http: Any = httpx) -> str:
    """Upload a file; ``http`` is the ``httpx`` module (a connection per request) or a client."""
    response = http.post(
        f"{server.base}/api/v1/documents",
        files={"file": (name, content)},
        headers={"X-API-Key": server.key},
        timeout=60,
    )
    response.raise_for_status()
    return str(response.json()["id"])


def wait_indexed(
    server: Server, document_id: str, every_s: float = 0.005, http: Any = httpx
) -> None:
    while True:
        status = http.get(
            f"{server.base}/api/v1/documents/{document_id}",
            headers={"X-API-Key": server.key},
            timeout=60,
        ).json()["status"]
        if status in ("indexed", "failed"):
            if status == "failed":
                print(f"  {document_id} failed", file=sys.stderr)
            return
        time.sleep(every_s)


def load() -> str:
    """The load average now (the machine is shared: figures mean little without it)."""
    return "load " + " ".join(f"{n:.1f}" for n in os.getloadavg())
