"""The account book's record types: one pydantic model per kind of workspace record.

These are the shapes every other layer agrees on (reader, SQL store, judgements, retrieval).
Closed vocabularies are StrEnums so a typo in data is caught at ingest, not at judgement time.
"""

from __future__ import annotations

import datetime as dt
from enum import StrEnum
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, field_validator

from accounts.validators import account_id_check, record_visibility


class Visibility(StrEnum):
    """Who may read a record or a chunk."""

    PUBLIC = "public"  # every customer (docs)
    CUSTOMER = "customer"  # the owning customer and the vendor
    INTERNAL = "internal"  # the vendor only


class Segment(StrEnum):
    ENTERPRISE = "enterprise"
    MID_MARKET = "mid_market"
    SMB = "smb"


class LifecycleStage(StrEnum):
    ONBOARDING = "onboarding"
    ADOPTION = "adoption"
    VALUE = "value"
    EXPANSION = "expansion"
    RENEWAL = "renewal"


class ContactRole(StrEnum):
    CHAMPION = "champion"
    SPONSOR = "sponsor"
    ADMIN = "admin"
    USER = "user"
    BILLING = "billing"


class ActivityType(StrEnum):
    MEETING = "meeting"
    EMAIL = "email"
    CALL = "call"
    NOTE = "note"
    HANDOFF = "handoff"
    COMMUNITY_POST = "community_post"
    NEWS = "news"
    REQUEST = "request"
    COMMITMENT = "commitment"


class ItemStatus(StrEnum):
    """Status of a customer request or a vendor commitment."""

    OPEN = "open"
    DONE = "done"


class TicketStatus(StrEnum):
    OPEN = "open"
    PENDING = "pending"
    SOLVED = "solved"
    CLOSED = "closed"


class SurveyKind(StrEnum):
    NPS = "nps"
    CSAT = "csat"


class AdvocacyDirection(StrEnum):
    GIVE = "give"
    ASK = "ask"


class GiveKind(StrEnum):
    FREE_SERVICE = "free_service"
    TRAINING = "training"
    EXEC_ACCESS = "exec_access"
    FEATURE_DELIVERED = "feature_delivered"
    INTRO = "intro"
    PROMOTION = "promotion"
    OTHER = "other"


class AskKind(StrEnum):
    SOCIAL_SHARE = "social_share"
    REVIEW = "review"
    QUOTE = "quote"
    REFERENCE_CALL = "reference_call"
    CASE_STUDY = "case_study"
    WEBINAR = "webinar"
    SPEAKING = "speaking"
    OTHER = "other"


class AskOutcome(StrEnum):
    PENDING = "pending"
    ACCEPTED = "accepted"
    COMPLETED = "completed"
    DECLINED = "declined"


class ObjectiveStatus(StrEnum):
    ON_TRACK = "on_track"
    AT_RISK = "at_risk"
    ACHIEVED = "achieved"
    MISSED = "missed"


class SourceKind(StrEnum):
    """Where a record or a passage came from; used in evidence and citations."""

    ACCOUNTS = "accounts"
    CONTACTS = "contacts"
    ACTIVITIES = "activities"
    TICKETS = "tickets"
    USAGE = "usage"
    SURVEYS = "surveys"
    ADVOCACY = "advocacy"
    SUCCESS_PLANS = "success_plans"
    DOCS = "docs"


class Record(BaseModel):
    """Base of every workspace record: immutable, with unknown columns kept as `extra`."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    extra: dict[str, Any] = Field(default_factory=dict)


class Account(Record):
    account_id: str
    name: str
    segment: Segment | None = None
    industry: str = ""
    arr: float | None = None
    plan: str = ""
    licensed_seats: int | None = None
    contract_start: dt.date | None = None
    renewal_date: dt.date | None = None
    csm: str = ""
    lifecycle_stage: LifecycleStage | None = None
    first_value_date: dt.date | None = None

    _account_id = field_validator("account_id", mode="before")(account_id_check)

    @property
    def record_id(self) -> str:
        return self.account_id


class Contact(Record):
    contact_id: str
    account_id: str
    name: str = ""
    title: str = ""
    email: str = ""
    role: ContactRole | None = None
    active: bool = True
    left_at: dt.date | None = None

    @property
    def record_id(self) -> str:
        return self.contact_id

    @property
    def title_initials(self) -> str:
        """How people shorten the title: "Chief Operating Officer" → "COO", "Vice President, Sales" → "VP"."""
        words = self.title.replace("-", " ").replace(",", " ").split()
        if len(words) >= 2 and words[0].lower() == "vice" and words[1].lower().startswith("president"):
            return "VP"
        if len(words) >= 3 and words[0].lower() == "chief" and words[-1].lower() == "officer":
            return "".join(w[0].upper() for w in words if w.lower() not in ("of", "and"))
        return ""

    def in_words(self) -> str:
        """Name, title and its initials, as people refer to them ("Richard Hale, Chief Operating Officer, COO")."""
        return ", ".join(part for part in (self.name, self.title, self.title_initials) if part)


class Activity(Record):
    id: str
    account_id: str
    date: dt.date
    type: ActivityType
    author: str = ""
    title: str = ""
    body: str = ""
    visibility: Visibility = Visibility.INTERNAL
    status: ItemStatus | None = None
    due: dt.date | None = None

    _visibility = field_validator("visibility", mode="before")(record_visibility)

    @property
    def record_id(self) -> str:
        return self.id


class Ticket(Record):
    ticket_id: str
    account_id: str
    opened_at: dt.datetime
    closed_at: dt.datetime | None = None
    severity: int = Field(ge=1, le=4)
    status: TicketStatus
    subject: str = ""
    description: str = ""
    escalated: bool = False
    csat: int | None = Field(default=None, ge=1, le=5)

    @property
    def record_id(self) -> str:
        return self.ticket_id

    @property
    def is_open(self) -> bool:
        return self.status in (TicketStatus.OPEN, TicketStatus.PENDING)


class UsageRecord(Record):
    account_id: str
    date: dt.date
    active_users: int = Field(ge=0)
    sessions: int = Field(default=0, ge=0)
    features: tuple[str, ...] = ()

    @property
    def record_id(self) -> str:
        """Usage rows have no id of their own: the account and period identify one."""
        return f"{self.account_id}:{self.date.isoformat()}"


class SurveyResponse(Record):
    response_id: str
    account_id: str
    contact_id: str = ""
    date: dt.date
    kind: SurveyKind
    score: int
    comment: str = ""

    @property
    def record_id(self) -> str:
        return self.response_id


class AdvocacyEvent(Record):
    """A loyalty-bank entry: a give (deposit) or an ask (withdrawal)."""

    id: str
    account_id: str
    date: dt.date
    direction: AdvocacyDirection
    kind: str  # a GiveKind for gives, an AskKind for asks (checked by the reader)
    contact_id: str = ""
    outcome: AskOutcome | None = None
    note: str = ""

    @property
    def record_id(self) -> str:
        return self.id


class Milestone(BaseModel):
    model_config = ConfigDict(frozen=True)

    title: str
    due: dt.date | None = None
    done: dt.date | None = None


class Objective(BaseModel):
    model_config = ConfigDict(frozen=True)

    id: str
    title: str
    kpi: str = ""
    baseline: float | None = None
    target: float | None = None
    current: float | None = None
    due: dt.date | None = None
    status: ObjectiveStatus = ObjectiveStatus.ON_TRACK
    milestones: tuple[Milestone, ...] = ()


class SuccessPlan(Record):
    account_id: str
    updated: dt.date | None = None
    objectives: tuple[Objective, ...] = ()
    path: str = ""  # relative to the workspace root

    @property
    def record_id(self) -> str:
        return f"plan:{self.account_id}"


class Doc(Record):
    """A product documentation page: public to every customer."""

    path: str  # relative to the workspace root, e.g. docs/sso-setup.md
    title: str
    url: str = ""
    product_area: str = ""
    body: str = ""

    @property
    def record_id(self) -> str:
        return self.path
