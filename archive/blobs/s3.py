"""BlobStore on any S3 service with object lock, through the ``minio`` client."""

from __future__ import annotations

import io
from collections.abc import Iterator
from datetime import UTC, datetime
from typing import IO, Any, BinaryIO, cast
from urllib.parse import parse_qs, unquote, urlsplit
from xml.etree import ElementTree

import urllib3
from minio import Minio
from minio.deleteobjects import DeleteObject
from minio.error import MinioException, S3Error
from minio.helpers import md5sum_hash
from minio.retention import Retention
from minio.xml import marshal

from archive.blobs.base import KEY_PATTERN, BlobInfo, BlobLock, BlobRetained, LockMode, check_key
from archive.errors import ArchiveError, BlobIntegrityError, BlobNotFound, StorageUnavailable
from archive.hashing import HashingReader
from archive.types import BlobKey

PART_SIZE = 8 * 1024 * 1024  # per concurrent upload, the memory a part takes
_MISSING = {"NoSuchKey", "NoSuchVersion", "NotFound"}
_NO_LOCK = {
    "NoSuchObjectLockConfiguration",
    "ObjectLockConfigurationNotFoundError",
    "NoSuchObjectLegalHold",
}
_S3_NS = "{http://s3.amazonaws.com/doc/2006-03-01/}"
_ERRORS = (MinioException, urllib3.exceptions.HTTPError, OSError)


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
            retries=urllib3.Retry(
                total=2, backoff_factor=0.2, status_forcelist=(500, 502, 503, 504)
            ),
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

    def put(self, key: BlobKey, data: IO[bytes], size: int) -> BlobInfo:
        existing = self.stat(key)
        if existing is not None:
            return existing
        name = self._name(key)
        reader = HashingReader(data)
        try:
            result = self._client.put_object(
                self.bucket,
                name,
                cast(BinaryIO, reader),
                size,
                part_size=PART_SIZE,
                num_parallel_uploads=1,
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
        return io.BufferedReader(_ObjectReader(response), buffer_size=256 * 1024)

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

    # --- WORM: object lock per version, legal hold, deletion of every version ---------------

    def _fail(self, key: BlobKey, exc: Exception) -> ArchiveError:
        """The archive error for a vendor error about ``key``."""
        if isinstance(exc, S3Error):
            return (
                BlobNotFound(key)
                if exc.code in _MISSING
                else StorageUnavailable(f"{self.url}: {exc.code}")
            )
        return StorageUnavailable(f"{self.url}: {exc}")

    def _current_version(self, key: BlobKey) -> str | None:
        try:
            return self._client.stat_object(self.bucket, self._name(key)).version_id
        except _ERRORS as exc:
            raise self._fail(key, exc) from None

    def _versions(self, key: BlobKey) -> list[tuple[str, bool]]:
        """Every (version id, is delete marker) stored under the key.

        Listed by hand: minio-py cannot parse the nanosecond timestamps some servers
        (versitygw) give delete markers, and only ids are needed here.
        """
        name = self._name(key)
        try:
            response = self._client._execute(
                "GET", self.bucket, query_params={"versions": "", "prefix": name}
            )
            root = ElementTree.fromstring(response.data)
        except S3Error as exc:
            raise StorageUnavailable(f"{self.url}: {exc.code}") from None
        except (*_ERRORS, ElementTree.ParseError) as exc:
            raise StorageUnavailable(f"{self.url}: {exc}") from None
        found: list[tuple[str, bool]] = []
        for element in root:
            tag = element.tag.removeprefix(_S3_NS)
            if tag in ("Version", "DeleteMarker") and element.findtext(f"{_S3_NS}Key") == name:
                found.append(
                    (element.findtext(f"{_S3_NS}VersionId") or "null", tag == "DeleteMarker")
                )
        return found

    def _version_lock(self, name: str, version_id: str | None) -> BlobLock:
        try:
            retention = self._client.get_object_retention(self.bucket, name, version_id=version_id)
        except S3Error as exc:
            if exc.code not in _NO_LOCK:
                raise StorageUnavailable(f"{self.url}: {exc.code}") from None
            retention = None
        try:
            held = self._client.is_object_legal_hold_enabled(
                self.bucket, name, version_id=version_id
            )
        except S3Error as exc:
            if exc.code not in _NO_LOCK:
                raise StorageUnavailable(f"{self.url}: {exc.code}") from None
            held = False
        until = retention.retain_until_date if retention is not None else None
        mode = LockMode(retention.mode) if retention is not None and retention.mode else None
        return BlobLock(until.astimezone(UTC) if until else None, mode, bool(held))

    def lock(self, key: BlobKey) -> BlobLock:
        version = self._current_version(key)
        try:
            return self._version_lock(self._name(key), version)
        except _ERRORS as exc:
            raise StorageUnavailable(f"{self.url}: {exc}") from None

    def protect(self, key: BlobKey, retain_until: datetime, mode: LockMode) -> BlobLock:
        version = self._current_version(key)
        name = self._name(key)
        current = self._version_lock(name, version)
        now = datetime.now(UTC)
        if retain_until <= now:
            return current
        replaces_governance = current.retained(now) and current.mode is LockMode.GOVERNANCE
        if current.retained(now) and current.retain_until is not None:
            if current.mode is LockMode.COMPLIANCE and (
                mode is LockMode.GOVERNANCE or retain_until <= current.retain_until
            ):
                return current
            if mode is LockMode.GOVERNANCE and retain_until <= current.retain_until:
                return current
        body = marshal(Retention(mode.value, retain_until))
        headers: dict[str, str | list[str] | tuple[str]] = {"Content-MD5": str(md5sum_hash(body))}
        if replaces_governance:
            # Declaring a record replaces its provisional GOVERNANCE lock: S3 asks for the bypass.
            headers["x-amz-bypass-governance-retention"] = "true"
        query: dict[str, str | list[str] | tuple[str]] = {"retention": ""}
        if version:
            query["versionId"] = version
        try:
            self._client._execute(
                "PUT", self.bucket, name, body=body, headers=headers, query_params=query
            )
        except S3Error as exc:
            if exc.code == "AccessDenied":
                return self._version_lock(name, version)
            raise StorageUnavailable(f"{self.url}: {exc.code}") from None
        except _ERRORS as exc:
            raise StorageUnavailable(f"{self.url}: {exc}") from None
        return BlobLock(retain_until, mode, current.legal_hold)

    def set_legal_hold(self, key: BlobKey, on: bool) -> None:
        name = self._name(key)
        try:
            for version, marker in self._versions(key) or [
                (self._current_version(key) or "null", False)
            ]:
                if marker:
                    continue
                if on:
                    self._client.enable_object_legal_hold(self.bucket, name, version_id=version)
                else:
                    self._client.disable_object_legal_hold(self.bucket, name, version_id=version)
        except _ERRORS as exc:
            raise self._fail(key, exc) from None

    def delete(self, key: BlobKey, *, bypass_governance: bool = False) -> None:
        name = self._name(key)
        versions = self._versions(key)
        if not versions:
            return
        now = datetime.now(UTC)
        try:
            for version, marker in versions:
                if not marker:
                    why = self._version_lock(name, version).blocks_delete(
                        now, bypass_governance=bypass_governance
                    )
                    if why is not None:
                        raise BlobRetained(key, why)
            errors = list(
                self._client.remove_objects(
                    self.bucket,
                    [DeleteObject(name, version) for version, _marker in versions],
                    bypass_governance_mode=bypass_governance,
                )
            )
        except _ERRORS as exc:
            raise StorageUnavailable(f"{self.url}: {exc}") from None
        for error in errors:
            if error.code == "AccessDenied":
                raise BlobRetained(key, error.message or "the storage refused (object lock)")
            if error.code not in _MISSING:
                raise StorageUnavailable(f"{self.url}: {error.code} {error.message}")
