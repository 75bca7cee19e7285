"""The one settings object: environment variables prefixed ADVOCATE_ (or a .env file), secrets as SecretStr.

Nothing else in the project reads the environment; the composition root passes these values down.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Annotated, Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import AliasChoices, Field, SecretStr, field_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict

HostList = Annotated[list[str], NoDecode]  # from the environment as "a.example,b.example"


class Settings(BaseSettings):
    """Where data lives, how retrieval is sized, and which model (if any) phrases answers."""

    model_config = SettingsConfigDict(env_prefix="ADVOCATE_", env_file=".env", extra="ignore")

    data_dir: Path = Path(".advocate")
    database_url: str | None = Field(default=None, description="SQLAlchemy URL; default: SQLite in data_dir")
    chroma_url: str | None = Field(default=None, description="http://host:port of a Chroma server; default: embedded")
    chroma_collection: str = "advocate"

    chunk_tokens: int = Field(default=180, ge=32, le=512, description="chunk size in tiktoken tokens")
    chunk_overlap: int = Field(default=30, ge=0, le=256)
    max_doc_bytes: int = Field(default=5 * 1024 * 1024, ge=1024)
    embed_batch_size: int = Field(default=32, ge=1, le=512)
    embed_threads: int | None = None
    ingest_lock_wait_s: float = Field(default=10.0, ge=0, description="how long an ingest waits for a running one")

    search_k: int = Field(default=10, ge=1, le=100)
    candidates: int = Field(default=50, ge=5, le=1000, description="per retriever, before fusion")
    rrf_k: int = Field(default=60, ge=1)
    recency_half_life_days: float = Field(default=180.0, gt=0)
    recency_weight: float = Field(default=0.0, ge=0.0, le=1.0, description="0 = off, for account history only")
    chunks_per_record: int = Field(default=4, ge=1, le=10, description="chunks of one record kept in its passage")
    rerank_candidates: int = Field(default=6, ge=0, le=50, description="passages reranked by meaning; 0 = off")

    judgement_config: Path | None = Field(default=None, description="YAML overriding tools/judgement_config.yaml")
    timezone: str = Field(default="UTC", description="IANA zone of the workspace: the default as-of is today there")

    openai_api_key: SecretStr | None = Field(
        default=None, validation_alias=AliasChoices("ADVOCATE_OPENAI_API_KEY", "OPENAI_API_KEY")
    )
    llm_base_url: str | None = None
    llm_model: str = "gpt-4o-mini"
    llm_timeout_s: float = Field(default=30.0, gt=0)
    llm_max_retries: int = Field(default=2, ge=0, le=2)
    llm_max_steps: int = Field(default=6, ge=1, le=20)
    llm_prompt_token_budget: int = Field(default=3000, ge=500)

    slack_bot_token: SecretStr | None = Field(default=None, description="xoxb-…: the bot's token")
    slack_signing_secret: SecretStr | None = Field(default=None, description="verifies requests to /slack/events")
    slack_app_token: SecretStr | None = Field(default=None, description="xapp-…: Socket Mode only")
    slack_api_url: str | None = Field(default=None, description="Slack Web API base URL (default Slack's own)")
    slack_users_file: Path | None = Field(default=None, description="YAML: Slack user id -> e-mail and role")
    slack_managers: str = Field(default="", description="comma-separated e-mails answered as managers")
    slack_vendor_domains: str = Field(default="", description="comma-separated e-mail domains of vendor staff")

    @field_validator("timezone")
    @classmethod
    def _known_zone(cls, value: str) -> str:
        try:
            ZoneInfo(value)
        except (ZoneInfoNotFoundError, ValueError):
            raise ValueError(f"{value!r} is not an IANA time zone (e.g. UTC, Europe/Berlin)") from None
        return value

    def today(self) -> dt.date:
        """Today in the workspace's time zone: the default as-of date, the same on every machine."""
        return dt.datetime.now(ZoneInfo(self.timezone)).date()

    # HTTP API and widget (`advocate serve`, docs/http.md)
    workspace: Path | None = Field(default=None, description="what POST /v1/ingest reads; default: the last ingested")
    widget_secret: SecretStr | None = Field(default=None, description="signs widget tokens; default: kept in data_dir")
    widget_token_ttl_s: int = Field(default=3600, ge=60, le=30 * 86400)
    jwt_secret: SecretStr | None = Field(default=None, description="verifies the vendor web app's JWTs (HS256)")
    jwt_audience: str | None = None
    http_link_hosts: HostList = Field(default_factory=list, description="hosts the widget may link to")
    http_frame_ancestors: HostList = Field(default_factory=list, description="sites that may embed the widget")
    http_rate_per_minute: int = Field(default=60, ge=1, description="requests per credential per minute")
    http_rate_burst: int = Field(default=20, ge=1)
    http_max_body_bytes: int = Field(default=64 * 1024, ge=1024)
    http_max_concurrent_answers: int = Field(default=4, ge=1, le=256)
    http_time_budget_s: float = Field(default=20.0, gt=0)

    @field_validator("http_link_hosts", "http_frame_ancestors", mode="before")
    @classmethod
    def _split_hosts(cls, value: Any) -> Any:
        return [h.strip() for h in value.split(",") if h.strip()] if isinstance(value, str) else value

    @property
    def sqlalchemy_url(self) -> str:
        return self.database_url or f"sqlite:///{(self.data_dir / 'advocate.sqlite3').resolve()}"

    @property
    def chroma_path(self) -> Path:
        return self.data_dir / "chroma"

    @property
    def keyword_index_path(self) -> Path:
        return self.data_dir / "keyword_index"

    @property
    def slack_configured(self) -> bool:
        return self.slack_bot_token is not None and (self.slack_signing_secret is not None
                                                     or self.slack_app_token is not None)

    @property
    def llm_configured(self) -> bool:
        return self.openai_api_key is not None or self.llm_base_url is not None
