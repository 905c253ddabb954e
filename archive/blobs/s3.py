"""BlobStore on any S3 service with object lock, through the ``minio`` client."""

from __future__ import annotations

import io
from collections.abc import Iterator
from typing import Any, BinaryIO
from urllib.parse import parse_qs, unquote, urlsplit

import urllib3
from minio import Minio
from minio.error import MinioException, S3Error

from archive.blobs.base import KEY_PATTERN, BlobInfo, check_key
from archive.errors import BlobIntegrityError, BlobNotFound, StorageUnavailable
from archive.hashing import HashingReader
from archive.types import BlobKey

PART_SIZE = 8 * 1024 * 1024  # per concurrent upload, the memory a part takes
_MISSING = {"NoSuchKey", "NoSuchVersion", "NotFound"}


def s3_client_args(url: str) -> dict[str, Any]:
    """The ``Minio(...)`` arguments an ``s3://KEY:SECRET@HOST:PORT/...?secure=&region=`` URL gives."""
    parts = urlsplit(url)
    if not parts.hostname:
        raise ValueError("S3 storage URL needs a host: s3://KEY:SECRET@HOST:PORT/BUCKET")
    query = parse_qs(parts.query)
    return {
        "endpoint": f"{parts.hostname}:{parts.port}" if parts.port else parts.hostname,
        "access_key": unquote(parts.username or ""),
        "secret_key": unquote(parts.password or ""),
        "secure": query.get("secure", ["true"])[0].lower() != "false",
        "region": query.get("region", ["us-east-1"])[0],
    }


class _ObjectReader(io.RawIOBase):
    """A readable stream over a GET response that gives the connection back on close."""

    def __init__(self, response: Any) -> None:
        self._response = response

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int:
        try:
            return int(self._response.readinto(buffer))
        except (urllib3.exceptions.HTTPError, OSError) as exc:
            raise StorageUnavailable(f"read failed: {exc}") from None

    def close(self) -> None:
        if not self.closed:
            self._response.close()
            self._response.release_conn()
        super().close()


class S3BlobStore:
    """Blobs as objects ``sha256/<key>`` in one bucket created with object lock enabled.

    S3 makes an object visible only once its upload completed, which gives atomic writes;
    the hash of the streamed bytes is checked after the upload and a mismatching object
    version is removed again before ``BlobIntegrityError`` is raised.
    """

    def __init__(self, client: Minio, bucket: str, *, url: str) -> None:
        self._client = client
        self.bucket = bucket
        self.url = url

    @classmethod
    def from_url(cls, url: str) -> S3BlobStore:
        """``s3://ACCESS:SECRET@host:port/bucket?secure=false&region=...``"""
        bucket = urlsplit(url).path.strip("/")
        if not bucket:
            raise ValueError("S3 storage URL needs a bucket: s3://KEY:SECRET@HOST:PORT/BUCKET")
        args = s3_client_args(url)
        http = urllib3.PoolManager(
            timeout=urllib3.Timeout(connect=5, read=120),
            retries=urllib3.Retry(total=2, backoff_factor=0.2, status_forcelist=(500, 502, 503, 504)),
            maxsize=16,
        )
        client = Minio(**args, http_client=http)
        scheme = "https" if args["secure"] else "http"
        return cls(client, bucket, url=f"s3+{scheme}://{args['endpoint']}/{bucket}")

    def ensure_bucket(self) -> None:
        """Create the bucket, with object lock (and so versioning) enabled, if it is missing."""
        try:
            if not self._client.bucket_exists(self.bucket):
                self._client.make_bucket(self.bucket, object_lock=True)
        except (MinioException, urllib3.exceptions.HTTPError, OSError) as exc:
            raise StorageUnavailable(f"{self.url}: {exc}") from None

    @staticmethod
    def _name(key: BlobKey) -> str:
        return f"sha256/{check_key(key)}"

    def put(self, key: BlobKey, data: BinaryIO, size: int) -> BlobInfo:
        existing = self.stat(key)
        if existing is not None:
            return existing
        name = self._name(key)
        reader = HashingReader(data)
        try:
            result = self._client.put_object(
                self.bucket, name, reader, size, part_size=PART_SIZE, num_parallel_uploads=1
            )
            if reader.hexdigest() != key or reader.size != size:
                self._client.remove_object(self.bucket, name, version_id=result.version_id)
                raise BlobIntegrityError(key, reader.hexdigest())
        except (MinioException, urllib3.exceptions.HTTPError, OSError) as exc:
            raise StorageUnavailable(f"{self.url}: {exc}") from None
        return BlobInfo(key, size)

    def open(self, key: BlobKey) -> BinaryIO:
        try:
            response = self._client.get_object(self.bucket, self._name(key))
        except S3Error as exc:
            if exc.code in _MISSING:
                raise BlobNotFound(key) from None
            raise StorageUnavailable(f"{self.url}: {exc.code}") from None
        except (MinioException, urllib3.exceptions.HTTPError, OSError) as exc:
            raise StorageUnavailable(f"{self.url}: {exc}") from None
        return io.BufferedReader(_ObjectReader(response), buffer_size=256 * 1024)  # type: ignore[return-value]

    def stat(self, key: BlobKey) -> BlobInfo | None:
        try:
            obj = self._client.stat_object(self.bucket, self._name(key))
        except S3Error as exc:
            if exc.code in _MISSING:
                return None
            raise StorageUnavailable(f"{self.url}: {exc.code}") from None
        except (MinioException, urllib3.exceptions.HTTPError, OSError) as exc:
            raise StorageUnavailable(f"{self.url}: {exc}") from None
        return BlobInfo(key, int(obj.size or 0))

    def keys(self) -> Iterator[BlobKey]:
        try:
            for obj in self._client.list_objects(self.bucket, prefix="sha256/", recursive=True):
                name = (obj.object_name or "").rsplit("/", 1)[-1]
                if KEY_PATTERN.fullmatch(name):
                    yield BlobKey(name)
        except (MinioException, urllib3.exceptions.HTTPError, OSError) as exc:
            raise StorageUnavailable(f"{self.url}: {exc}") from None

    def check(self) -> None:
        try:
            if not self._client.bucket_exists(self.bucket):
                raise StorageUnavailable(f"{self.url}: bucket {self.bucket} does not exist")
        except (MinioException, urllib3.exceptions.HTTPError, OSError) as exc:
            raise StorageUnavailable(f"{self.url}: {exc}") from None
