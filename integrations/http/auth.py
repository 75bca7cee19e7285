"""Bearer tokens to credentials: an API key, a widget token, or the vendor web app's JWT.

Credentials decide the principal, nothing else: no header, query or body field can widen it.
Failures are one 401 with a `WWW-Authenticate` header and never say which check failed.
"""

from __future__ import annotations

from integrations.http.credentials import Credential
from integrations.http.errors import ApiError
from integrations.http.keystore import KEY_PREFIX, KeyStore
from integrations.http.tokens import verify_vendor_jwt, verify_widget_token
from integrations.settings import Settings

CHALLENGE = {"WWW-Authenticate": 'Bearer realm="advocate"'}
MAX_TOKEN_CHARS = 4096


def bearer_token(header: str | None) -> str:
    if not header:
        raise ApiError(401, "unauthorized", "missing Authorization: Bearer <token>", CHALLENGE)
    scheme, _, token = header.partition(" ")
    token = token.strip()
    if scheme.lower() != "bearer" or not token or len(token) > MAX_TOKEN_CHARS:
        raise ApiError(401, "unauthorized", "Authorization must be 'Bearer <token>'", CHALLENGE)
    return token


def authenticate(header: str | None, settings: Settings, keys: KeyStore) -> Credential:
    """The credential a request's Authorization header proves, or 401."""
    token = bearer_token(header)
    if token.startswith(KEY_PREFIX):
        found = keys.lookup(token)
    else:
        found = verify_widget_token(settings, token) or verify_vendor_jwt(settings, token)
    if found is None:
        raise ApiError(401, "unauthorized", "invalid, expired or revoked token", CHALLENGE)
    return found
