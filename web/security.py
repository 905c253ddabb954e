"""Signed session cookies and CSRF tokens."""

from __future__ import annotations

import hashlib
import hmac
import os
import secrets
from pathlib import Path

from itsdangerous import BadSignature, SignatureExpired, URLSafeTimedSerializer

SESSION_COOKIE = "bunko_session"
CSRF_COOKIE = "bunko_csrf"
CSRF_FIELD = "csrf_token"
CSRF_HEADER = "x-csrf-token"


def load_or_create_secret(data_dir: Path) -> str:
    """The embedded stack's signing key, made once and kept (mode 0600) in the data directory."""
    path = data_dir / "secret_key"
    if not path.exists():
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w") as out:
            out.write(secrets.token_urlsafe(48))
    return path.read_text().strip()


class CookieSigner:
    """Signs what goes into cookies, so a forged or altered cookie is simply not recognised."""

    def __init__(self, secret: str, *, max_age_s: int) -> None:
        self._secret = secret
        self.max_age_s = max_age_s

    def derive_key(self, purpose: str) -> bytes:
        """A key for ``purpose`` derived from the secret (one secret to keep, many uses)."""
        return hmac.new(self._secret.encode(), f"bunko-{purpose}".encode(), "sha256").digest()

    def _serializer(self, purpose: str) -> URLSafeTimedSerializer:
        # A value signed for one purpose (say the OIDC state) is never valid for another.
        return URLSafeTimedSerializer(self._secret, salt=f"bunko-{purpose}")

    def sign(self, value: str, *, purpose: str = "session") -> str:
        return self._serializer(purpose).dumps(value)

    def unsign(
        self, signed: str, *, purpose: str = "session", max_age_s: int | None = None
    ) -> str | None:
        try:
            value = self._serializer(purpose).loads(signed, max_age=max_age_s or self.max_age_s)
        except (BadSignature, SignatureExpired):
            return None
        return value if isinstance(value, str) else None

    def csrf_token(self, bound_to: str) -> str:
        """The CSRF token for a session (or, before login, for the browser's CSRF cookie)."""
        return hmac.new(
            self._secret.encode(), b"csrf:" + bound_to.encode(), hashlib.sha256
        ).hexdigest()

    def csrf_valid(self, bound_to: str, presented: str | None) -> bool:
        return bool(presented) and hmac.compare_digest(self.csrf_token(bound_to), presented or "")
