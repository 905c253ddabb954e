#!/usr/bin/env python3
"""Self-check of the test S3 server: versioning, object lock, legal hold.

Usage: python3 scripts/services/s3_selfcheck.py   (needs the `minio` package,
e.g. from the project venv; `scripts/services/s3.sh selfcheck` runs it in a
throwaway venv under the cache dir). Reads BUNKO_TEST_S3_ENDPOINT,
BUNKO_TEST_S3_ACCESS_KEY and BUNKO_TEST_S3_SECRET_KEY (defaults match up.sh).

Prints one line per check and exits 1 if a REQUIRED check fails; "info"
checks only report. Works in uniquely named buckets and removes them at the
end (it waits out its own short COMPLIANCE retention to do so).
"""

import datetime as dt
import io
import os
import sys
import time
import uuid

try:
    from minio import Minio
    from minio.commonconfig import COMPLIANCE, ENABLED, GOVERNANCE
    from minio.deleteobjects import DeleteObject
    from minio.error import S3Error
    from minio.objectlockconfig import DAYS, ObjectLockConfig
    from minio.retention import Retention
    from minio.versioningconfig import VersioningConfig
except ImportError:
    sys.exit("s3_selfcheck: the `minio` package is missing (try: scripts/services/s3.sh selfcheck)")

COMPLIANCE_SECONDS = 8  # short, so the check can clean up after itself
results = []  # (required, ok, name, detail)


def check(name, required=True):
    def run(fn):
        try:
            detail = fn()
            ok = True
        except Exception as e:
            ok, detail = False, f"{type(e).__name__}: {e}"
        results.append((required, ok, name, detail or ""))
        tag = "ok  " if ok else ("FAIL" if required else "no  ")
        print(
            f"[{tag}] {'' if required else '(info) '}{name}" + (f" -- {detail}" if detail else "")
        )
        return fn

    return run


def denied(call):
    """Assert that call() fails with an S3 error; return its code."""
    try:
        call()
    except S3Error as e:
        return f"refused: {e.code}"
    raise AssertionError("request succeeded but should have been refused")


def body(data=b"bunko"):
    return io.BytesIO(data), len(data)


def future(seconds):
    return (dt.datetime.now(dt.UTC) + dt.timedelta(seconds=seconds)).replace(microsecond=0)


def tolerate_nanosecond_timestamps():
    """Let minio-py parse versitygw's 9-digit fractional seconds."""
    import re

    import minio.datatypes
    import minio.time

    def parse(value):
        if value is not None:
            value = re.sub(r"(\.\d{6})\d+Z$", r"\1Z", value)
        return minio.time.from_iso8601utc(value)

    minio.datatypes.from_iso8601utc = parse


def main():
    c = Minio(
        os.environ.get("BUNKO_TEST_S3_ENDPOINT", "127.0.0.1:57070"),
        access_key=os.environ.get("BUNKO_TEST_S3_ACCESS_KEY", "bunkoadmin"),
        secret_key=os.environ.get("BUNKO_TEST_S3_SECRET_KEY", "bunkosecret123"),
        secure=False,
    )
    suffix = uuid.uuid4().hex[:8]
    locked, plain = f"selfcheck-lock-{suffix}", f"selfcheck-ver-{suffix}"
    v = {}

    @check("create bucket with object lock enabled")
    def _():
        c.make_bucket(locked, object_lock=True)

    @check("object-lock bucket has versioning Enabled")
    def _():
        status = c.get_bucket_versioning(locked).status
        assert status == ENABLED, status

    @check(f"put object with COMPLIANCE retention (+{COMPLIANCE_SECONDS}s)")
    def _():
        r = c.put_object(
            locked,
            "compliance.txt",
            *body(),
            retention=Retention(COMPLIANCE, future(COMPLIANCE_SECONDS)),
        )
        v["compliance"] = r.version_id
        assert r.version_id, "no version id returned"
        return f"version {r.version_id}"

    @check("get retention reports COMPLIANCE")
    def _():
        r = c.get_object_retention(locked, "compliance.txt", version_id=v["compliance"])
        assert r.mode == COMPLIANCE, r.mode
        return f"until {r.retain_until_date}"

    @check("DeleteObject of a COMPLIANCE-retained version is refused")
    def _():
        return denied(lambda: c.remove_object(locked, "compliance.txt", version_id=v["compliance"]))

    @check("shortening COMPLIANCE retention is refused", required=False)
    def _():
        return denied(
            lambda: c.set_object_retention(
                locked,
                "compliance.txt",
                Retention(COMPLIANCE, future(1)),
                version_id=v["compliance"],
            )
        )

    @check("DeleteObject without version id adds a delete marker; version survives")
    def _():
        c.remove_object(locked, "compliance.txt")
        latest = denied(lambda: c.stat_object(locked, "compliance.txt"))
        c.stat_object(locked, "compliance.txt", version_id=v["compliance"])
        return f"HEAD latest {latest}; HEAD old version ok"

    # versitygw v1.8.0 writes a delete marker's LastModified with nanoseconds,
    # which minio-py's parser (at most 6 fractional digits) rejects.
    @check("minio-py can list versions of a key with a delete marker", required=False)
    def _():
        versions = list(c.list_objects(locked, "compliance.txt", include_version=True))
        return f"{len(versions)} entries"

    @check("GOVERNANCE retention: delete refused, allowed with bypass header")
    def _():
        r = c.put_object(
            locked, "governance.txt", *body(), retention=Retention(GOVERNANCE, future(86400))
        )
        refused = denied(lambda: c.remove_object(locked, "governance.txt", version_id=r.version_id))
        errors = list(
            c.remove_objects(
                locked, [DeleteObject("governance.txt", r.version_id)], bypass_governance_mode=True
            )
        )
        assert not errors, errors
        return f"{refused}; bypass delete ok"

    @check("legal hold: set, read, delete refused, release, delete ok")
    def _():
        r = c.put_object(locked, "hold.txt", *body(), legal_hold=True)
        assert c.is_object_legal_hold_enabled(locked, "hold.txt", version_id=r.version_id)
        refused = denied(lambda: c.remove_object(locked, "hold.txt", version_id=r.version_id))
        c.disable_object_legal_hold(locked, "hold.txt", version_id=r.version_id)
        assert not c.is_object_legal_hold_enabled(locked, "hold.txt", version_id=r.version_id)
        c.remove_object(locked, "hold.txt", version_id=r.version_id)
        r = c.put_object(locked, "hold2.txt", *body())
        c.enable_object_legal_hold(locked, "hold2.txt", version_id=r.version_id)
        denied(lambda: c.remove_object(locked, "hold2.txt", version_id=r.version_id))
        c.disable_object_legal_hold(locked, "hold2.txt", version_id=r.version_id)
        c.remove_object(locked, "hold2.txt", version_id=r.version_id)
        return f"{refused}; also via PutObjectLegalHold on an existing object"

    @check("bucket default retention (GOVERNANCE 1 day) protects new objects", required=False)
    def _():
        c.set_object_lock_config(locked, ObjectLockConfig(GOVERNANCE, 1, DAYS))
        cfg = c.get_object_lock_config(locked)
        r = c.put_object(locked, "default.txt", *body())
        refused = denied(lambda: c.remove_object(locked, "default.txt", version_id=r.version_id))
        ret = c.get_object_retention(locked, "default.txt", version_id=r.version_id)
        list(
            c.remove_objects(
                locked, [DeleteObject("default.txt", r.version_id)], bypass_governance_mode=True
            )
        )
        c.set_object_lock_config(locked, ObjectLockConfig(None, None, None))
        shown = (
            f"{ret.mode} until {ret.retain_until_date}"
            if ret
            else "none (not stamped on the object)"
        )
        return f"config {cfg.mode}/{cfg.duration}; delete {refused}; GetObjectRetention: {shown}"

    @check("plain bucket: enable versioning, two versions readable")
    def _():
        c.make_bucket(plain)
        c.set_bucket_versioning(plain, VersioningConfig(ENABLED))
        a = c.put_object(plain, "k", *body(b"one")).version_id
        b = c.put_object(plain, "k", *body(b"two")).version_id
        assert a and b and a != b, (a, b)
        got = [c.get_object(plain, "k", version_id=x).read() for x in (a, b)]
        assert got == [b"one", b"two"], got
        assert len(list(c.list_objects(plain, "k", include_version=True))) == 2

    @check("enable object lock on an existing versioned bucket", required=False)
    def _():
        c.set_object_lock_config(plain, ObjectLockConfig(GOVERNANCE, 1, DAYS))
        return f"mode {c.get_object_lock_config(plain).mode}"

    @check("COMPLIANCE version deletable once retention expired; cleanup", required=False)
    def _():
        tolerate_nanosecond_timestamps()
        time.sleep(COMPLIANCE_SECONDS + 1)
        for bucket in (locked, plain):
            for o in c.list_objects(bucket, recursive=True, include_version=True):
                errors = list(
                    c.remove_objects(
                        bucket,
                        [DeleteObject(o.object_name, o.version_id)],
                        bypass_governance_mode=True,
                    )
                )
                assert not errors, errors
            c.remove_bucket(bucket)

    failed = [name for required, ok, name, _ in results if required and not ok]
    # (Deliberately not "N passed, N failed": CI reads that as a test summary.)
    print(f"s3 selfcheck: {'FAILED: ' + ', '.join(failed) if failed else 'all required checks ok'}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
