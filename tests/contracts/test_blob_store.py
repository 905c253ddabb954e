"""The BlobStore contract, run against every backend."""

from __future__ import annotations

import hashlib
import io
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

from archive import BlobIntegrityError, BlobNotFound, StorageUnavailable
from archive.blobs import BlobStore, LocalBlobStore, S3BlobStore, open_blob_store
from archive.types import BlobKey
from tests.conftest import live_url, with_bucket


@pytest.fixture(params=["local", pytest.param("s3", marks=pytest.mark.live)])
def blob_store(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[BlobStore]:
    if request.param == "local":
        yield LocalBlobStore(tmp_path / "blobs")
        return
    store = S3BlobStore.from_url(with_bucket(live_url("S3"), f"bunko-c-{uuid.uuid4().hex[:12]}"))
    store.ensure_bucket()
    yield store


def key_of(data: bytes) -> BlobKey:
    return BlobKey(hashlib.sha256(data).hexdigest())


def test_put_then_open_returns_the_same_bytes(blob_store: BlobStore) -> None:
    data = "請求書 invoice ¥1,234,567".encode() * 1000
    info = blob_store.put(key_of(data), io.BytesIO(data), len(data))
    assert info.size == len(data)
    with blob_store.open(key_of(data)) as stream:
        assert stream.read() == data
    assert blob_store.stat(key_of(data)) == info


def test_put_is_idempotent(blob_store: BlobStore) -> None:
    data = b"same content twice"
    blob_store.put(key_of(data), io.BytesIO(data), len(data))
    blob_store.put(key_of(data), io.BytesIO(data), len(data))
    assert list(blob_store.keys()) == [key_of(data)]


def test_wrong_hash_leaves_nothing_under_the_key(blob_store: BlobStore) -> None:
    claimed = key_of(b"what the client said")
    with pytest.raises(BlobIntegrityError):
        blob_store.put(claimed, io.BytesIO(b"what actually arrived"), len(b"what actually arrived"))
    assert blob_store.stat(claimed) is None
    with pytest.raises(BlobNotFound):
        blob_store.open(claimed)


def test_missing_blob_raises_blob_not_found(blob_store: BlobStore) -> None:
    assert blob_store.stat(key_of(b"never stored")) is None
    with pytest.raises(BlobNotFound):
        blob_store.open(key_of(b"never stored"))


@pytest.mark.parametrize(
    "key", ["../../etc/passwd", "a" * 63, "A" * 64, "", "x" * 64, "/" + "a" * 63]
)
def test_keys_that_are_not_sha256_are_refused(blob_store: BlobStore, key: str) -> None:
    with pytest.raises(ValueError):
        blob_store.put(BlobKey(key), io.BytesIO(b"x"), 1)
    with pytest.raises(ValueError):
        blob_store.open(BlobKey(key))


def test_large_blob_streams_in_chunks(blob_store: BlobStore) -> None:
    """40 MB through a reader that refuses reads over 16 MiB: nothing reads the whole stream at once."""
    chunk = bytes(range(256)) * 4096  # 1 MiB

    class Limited(io.RawIOBase):
        def __init__(self, total: int) -> None:
            self.left = total

        def readable(self) -> bool:
            return True

        def read(self, n: int = -1) -> bytes:
            assert 0 < n <= 16 * 1024 * 1024, f"read({n}) would hold too much in memory"
            take = min(n, self.left, len(chunk))
            self.left -= take
            return chunk[:take]

    total = 40 * len(chunk)
    sha = hashlib.sha256()
    for _ in range(40):
        sha.update(chunk)
    key = BlobKey(sha.hexdigest())
    blob_store.put(key, Limited(total), total)  # type: ignore[arg-type]
    with blob_store.open(key) as stream:
        check = hashlib.sha256()
        while part := stream.read(1024 * 1024):
            check.update(part)
    assert check.hexdigest() == key


def test_check_passes_when_the_store_answers(blob_store: BlobStore) -> None:
    blob_store.check()


def test_unreachable_store_raises_storage_unavailable(tmp_path: Path) -> None:
    blocked = tmp_path / "not-a-directory"
    blocked.write_text("a file where the store's directory should be")
    for store in (
        LocalBlobStore(blocked),
        S3BlobStore.from_url("s3://k:s@127.0.0.1:9/bucket?secure=false"),
    ):
        with pytest.raises(StorageUnavailable):
            store.check()
        with pytest.raises(StorageUnavailable):
            store.put(key_of(b"x"), io.BytesIO(b"x"), 1)


@pytest.mark.parametrize("url", ["ftp://host/x", "s3://host-without-bucket", "nonsense"])
def test_bad_storage_urls_are_refused(url: str) -> None:
    with pytest.raises(ValueError):
        open_blob_store(url)
