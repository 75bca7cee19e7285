"""Who is asking in Slack: a Slack user becomes a principal (CSM or manager, with their e-mail) or nobody.

The rule fails closed. Vendor staff are recognised by a mapping file, or by the e-mail Slack gives
(`users.info`, scope `users:read.email`) on a vendor domain. Anyone else — a guest, a member of
another workspace, a user whose e-mail cannot be read — and anyone asking in a channel shared with
people outside the vendor (Slack Connect) gets answers from the public docs only.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from accounts.access import Audience
from accounts.errors import BadRequest
from assistant.principal import Principal

log = logging.getLogger(__name__)
VENDOR_ROLES = frozenset({Audience.CSM.value, Audience.MANAGER.value})


@dataclass(frozen=True)
class SlackCaller:
    """The principal to answer as, or None: public docs only (and why, for the reply)."""

    principal: Principal | None
    email: str | None = None
    why_public: str = ""

    @property
    def public_only(self) -> bool:
        return self.principal is None


@dataclass(frozen=True)
class MappedUser:
    email: str
    role: str


def load_user_map(path: Path | None) -> dict[str, MappedUser]:
    """The optional mapping file: `U0123: {email: dana@vendor.example, role: csm}` per line."""
    if path is None:
        return {}
    try:
        raw = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    except (OSError, yaml.YAMLError) as err:
        raise BadRequest(f"{path}: cannot read the Slack user map: {err}") from None
    if not isinstance(raw, dict):
        raise BadRequest(f"{path}: the Slack user map must map user ids to {{email, role}}")
    users: dict[str, MappedUser] = {}
    for user_id, entry in raw.items():
        if not isinstance(entry, dict) or not entry.get("email"):
            raise BadRequest(f"{path}: {user_id}: needs an email")
        role = str(entry.get("role", "csm"))
        if role not in VENDOR_ROLES:
            raise BadRequest(f"{path}: {user_id}: role {role!r} is not csm or manager")
        users[str(user_id)] = MappedUser(str(entry["email"]).lower(), role)
    return users


def _split(csv: str) -> frozenset[str]:
    return frozenset(part.strip().lower() for part in csv.split(",") if part.strip())


class SlackDirectory:
    """Maps Slack users to principals; `users.info` answers are cached for the life of the process."""

    def __init__(self, users: dict[str, MappedUser], *, managers: Iterable[str] = (),
                 vendor_domains: Iterable[str] = ()) -> None:
        self.users = users
        self.managers = frozenset(m.lower() for m in managers)
        self.vendor_domains = frozenset(d.lower().lstrip("@") for d in vendor_domains)
        self._profiles: dict[str, dict[str, Any] | None] = {}

    @classmethod
    def from_settings(cls, settings: Any, csm_emails: Iterable[str]) -> SlackDirectory:
        """Vendor domains: the setting, else the domains of the CSMs that own accounts in the book."""
        domains = _split(settings.slack_vendor_domains) or frozenset(
            e.rsplit("@", 1)[1].lower() for e in csm_emails if "@" in e)
        return cls(load_user_map(settings.slack_users_file), managers=_split(settings.slack_managers),
                   vendor_domains=domains)

    def _profile(self, user_id: str, client: Any) -> dict[str, Any] | None:
        if user_id not in self._profiles:
            try:
                self._profiles[user_id] = client.users_info(user=user_id)["user"]
            except Exception as err:  # no scope, deleted user, network: treat as outside the vendor
                log.warning("users.info failed for %s: %s", user_id, err)
                self._profiles[user_id] = None
        return self._profiles[user_id]

    def email_of(self, user_id: str, client: Any) -> str | None:
        """A Slack user's e-mail (mapping file first, then `users.info`), for `/advocate portfolio @csm`."""
        if user_id in self.users:
            return self.users[user_id].email
        profile = self._profile(user_id, client) or {}
        return str((profile.get("profile") or {}).get("email") or "").lower() or None

    def caller(self, user_id: str, *, client: Any, team_id: str | None, shared_channel: bool) -> SlackCaller:
        """The principal for one request; `shared_channel` is True in a Slack Connect channel."""
        if shared_channel:
            return SlackCaller(None, why_public="this channel is shared with people outside the company")
        mapped = self.users.get(user_id)
        if mapped is not None:
            return SlackCaller(Principal(Audience(mapped.role), user=mapped.email), mapped.email)
        profile = self._profile(user_id, client)
        if profile is None:
            return SlackCaller(None, why_public="I could not look up who you are")
        if profile.get("is_restricted") or profile.get("is_ultra_restricted") or profile.get("is_stranger") or (
                team_id and profile.get("team_id") and profile["team_id"] != team_id):
            return SlackCaller(None, why_public="you are a guest or from another workspace")
        email = str((profile.get("profile") or {}).get("email") or "").lower()
        if not email or email.rsplit("@", 1)[-1] not in self.vendor_domains:
            return SlackCaller(None, email or None, why_public="your e-mail is not on a vendor domain")
        role = Audience.MANAGER if email in self.managers else Audience.CSM
        return SlackCaller(Principal(role, user=email), email)


def is_shared_channel(channel_id: str, client: Any, *, hint: bool | None = None) -> bool:
    """Whether a channel is shared outside the workspace; unknown counts as shared (fail closed).

    Events carry `is_ext_shared_channel`; commands and actions do not, so ask `conversations.info`.
    """
    if hint is not None:
        return bool(hint)
    try:
        channel = client.conversations_info(channel=channel_id)["channel"]
    except Exception as err:
        log.warning("conversations.info failed for %s: %s", channel_id, err)
        return True
    return bool(channel.get("is_ext_shared") or channel.get("is_shared") or channel.get("is_pending_ext_shared"))
