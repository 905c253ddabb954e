"""Sign-in through an OpenID Connect provider (authorization code flow with PKCE).

Authlib speaks OAuth 2 to the provider; joserfc checks the ID token's signature
against the provider's published keys and its issuer, audience, expiry and nonce. Both are
imported by the methods that use them: a server without a provider (and every worker,
which builds the same services) would import them for nothing, a few tenths of a second.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import requests

from archive import ArchiveError

if TYPE_CHECKING:
    from authlib.integrations.requests_client import OAuth2Session

_METADATA_TTL_S = 300.0


class OidcError(ArchiveError):
    """The provider could not be reached, or its answer did not prove who signed in."""


@dataclass(frozen=True)
class Challenge:
    """What the browser must bring back to the callback (kept in a signed, short-lived cookie)."""

    url: str
    state: str
    nonce: str
    verifier: str


class OidcClient:
    def __init__(
        self, issuer: str, client_id: str, client_secret: str, *, timeout_s: float = 10.0
    ) -> None:
        self.issuer = issuer.rstrip("/")
        self._client_id = client_id
        self._client_secret = client_secret
        self._timeout = timeout_s
        self._metadata: dict[str, Any] | None = None
        self._fetched_at = 0.0

    def _get_json(self, url: str) -> dict[str, Any]:
        try:
            response = requests.get(url, timeout=self._timeout)
            response.raise_for_status()
            body: dict[str, Any] = response.json()
        except (requests.RequestException, ValueError) as exc:
            raise OidcError(f"OpenID provider unreachable: {exc}") from None
        return body

    def metadata(self) -> dict[str, Any]:
        if self._metadata is None or time.monotonic() - self._fetched_at > _METADATA_TTL_S:
            self._metadata = self._get_json(f"{self.issuer}/.well-known/openid-configuration")
            self._fetched_at = time.monotonic()
            if self._metadata.get("issuer", "").rstrip("/") != self.issuer:
                raise OidcError("the provider's metadata names another issuer")
        return self._metadata

    def _session(self, redirect_uri: str) -> OAuth2Session:
        from authlib.integrations.requests_client import OAuth2Session

        return OAuth2Session(
            self._client_id,
            self._client_secret,
            scope="openid profile email",
            redirect_uri=redirect_uri,
            code_challenge_method="S256",
        )

    def challenge(self, redirect_uri: str) -> Challenge:
        from authlib.common.security import generate_token

        state, nonce, verifier = generate_token(32), generate_token(32), generate_token(48)
        url, _ = self._session(redirect_uri).create_authorization_url(
            self.metadata()["authorization_endpoint"],
            state=state,
            nonce=nonce,
            code_verifier=verifier,
        )
        return Challenge(url, state, nonce, verifier)

    def claims(self, redirect_uri: str, *, code: str, verifier: str, nonce: str) -> dict[str, Any]:
        """Exchange the code for tokens and return the verified ID token's claims."""
        from authlib.integrations.base_client.errors import OAuthError
        from joserfc import jwt
        from joserfc.errors import JoseError
        from joserfc.jwk import KeySet

        meta = self.metadata()
        try:
            token = self._session(redirect_uri).fetch_token(
                meta["token_endpoint"], code=code, code_verifier=verifier, timeout=self._timeout
            )
        except (OAuthError, requests.RequestException) as exc:
            raise OidcError(f"the provider refused the code: {exc}") from None
        keys = KeySet.import_key_set(self._get_json(meta["jwks_uri"]))  # type: ignore[arg-type]
        try:
            decoded = jwt.decode(token.get("id_token", ""), keys)
            jwt.JWTClaimsRegistry(
                iss={"essential": True, "value": meta["issuer"]},
                aud={"essential": True, "value": self._client_id},
                nonce={"essential": True, "value": nonce},
                sub={"essential": True},
                exp={"essential": True},
            ).validate(decoded.claims)
        except (JoseError, ValueError) as exc:
            raise OidcError(f"the ID token is not valid: {exc}") from None
        claims = dict(decoded.claims)
        return {**self._userinfo(meta, token.get("access_token", ""), claims["sub"]), **claims}

    def _userinfo(self, meta: dict[str, Any], access_token: str, subject: str) -> dict[str, Any]:
        """Profile claims (name, preferred_username) that providers keep out of the ID token."""
        if "userinfo_endpoint" not in meta:
            return {}
        try:
            response = requests.get(
                meta["userinfo_endpoint"],
                headers={"Authorization": f"Bearer {access_token}"},
                timeout=self._timeout,
            )
            response.raise_for_status()
            info: dict[str, Any] = response.json()
        except (requests.RequestException, ValueError) as exc:
            raise OidcError(f"the provider's userinfo failed: {exc}") from None
        # Claims about another subject are ignored (OpenID Connect Core 5.3.2).
        return info if info.get("sub") == subject else {}
