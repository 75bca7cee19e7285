"""Signed, expiring widget tokens (one account each), and the vendor web app's JWTs.

Both are JWTs (HS256, PyJWT) but with different secrets and audiences, so one can never pass as
the other. The widget secret comes from settings, else it is made once and kept in the data dir
(mode 0600), so tokens outlive a restart without any setup.
"""

from __future__ import annotations

import datetime as dt
import os
import re
import secrets
from pathlib import Path

import jwt

from accounts.access import Audience
from accounts.errors import BadRequest
from integrations.http.credentials import Credential, Role
from integrations.settings import Settings

WIDGET_AUDIENCE = "advocate-widget"
SECRET_FILE = "widget_secret"
TTL = re.compile(r"^(\d+)\s*([smhd])$")
UNITS = {"s": 1, "m": 60, "h": 3600, "d": 86400}
MAX_TTL_S = 30 * 86400


def widget_secret(settings: Settings) -> str:
    """The configured secret, or the one persisted in the data dir (made on first use)."""
    if settings.widget_secret is not None:
        return settings.widget_secret.get_secret_value()
    path = Path(settings.data_dir) / SECRET_FILE
    if path.is_file():
        return path.read_text().strip()
    path.parent.mkdir(parents=True, exist_ok=True)
    value = secrets.token_urlsafe(48)
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:  # another process made it first: use theirs
        return path.read_text().strip()
    with os.fdopen(fd, "w") as out:
        out.write(value)
    return value


def parse_ttl(text: str) -> int:
    """'90s', '30m', '1h', '7d' → seconds (at most 30 days)."""
    match = TTL.match(text.strip())
    if not match:
        raise BadRequest(f"--ttl: {text!r} is not a duration like 30m, 1h or 7d")
    seconds = int(match.group(1)) * UNITS[match.group(2)]
    if not 60 <= seconds <= MAX_TTL_S:
        raise BadRequest(f"--ttl: {text!r} must be between 1m and 30d")
    return seconds


def issue_widget_token(settings: Settings, account_id: str, ttl_s: int) -> str:
    now = dt.datetime.now(dt.UTC)
    claims = {"aud": WIDGET_AUDIENCE, "sub": account_id, "iat": now, "exp": now + dt.timedelta(seconds=ttl_s),
              "jti": secrets.token_hex(8)}
    return jwt.encode(claims, widget_secret(settings), algorithm="HS256")


def verify_widget_token(settings: Settings, token: str) -> Credential | None:
    """The customer a valid widget token stands for, or None (bad signature, expired, wrong audience)."""
    try:
        claims = jwt.decode(token, widget_secret(settings), algorithms=["HS256"], audience=WIDGET_AUDIENCE,
                            options={"require": ["exp", "sub", "jti"]})
    except jwt.PyJWTError:
        return None
    account = claims.get("sub")
    if not isinstance(account, str) or not account:
        return None
    return Credential(f"widget:{claims['jti']}", Role.CUSTOMER, account_id=account)


def verify_vendor_jwt(settings: Settings, token: str) -> Credential | None:
    """A JWT from the vendor's web app: `role` (csm, manager, admin, customer), `sub` (user), `account_id`.

    A customer JWT must name its account; the conversation key is the subject, so the same signed-in
    user keeps their conversations across page loads.
    """
    if settings.jwt_secret is None:
        return None
    options = {"require": ["exp", "sub"], "verify_aud": settings.jwt_audience is not None}
    try:
        claims = jwt.decode(token, settings.jwt_secret.get_secret_value(), algorithms=["HS256"],
                            audience=settings.jwt_audience, options=options)  # type: ignore[arg-type]
    except jwt.PyJWTError:
        return None
    try:
        role = Role(claims.get("role", Audience.CUSTOMER.value))
    except ValueError:
        return None
    sub, account = claims.get("sub"), claims.get("account_id")
    if not isinstance(sub, str) or (role is Role.CUSTOMER and not (isinstance(account, str) and account)):
        return None
    if role is Role.CUSTOMER:
        return Credential(f"jwt:{account}:{sub}", role, user=sub, account_id=account)
    return Credential(f"jwt:{sub}", role, user=sub)
