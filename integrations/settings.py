"""The one settings object: environment variables prefixed ADVOCATE_ (or a .env file), secrets as SecretStr.

Nothing else in the project reads the environment; the composition root passes these values down.
"""

from __future__ import annotations

from pathlib import Path

from pydantic import AliasChoices, Field, SecretStr
from pydantic_settings import BaseSettings, SettingsConfigDict


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

    search_k: int = Field(default=10, ge=1, le=100)
    candidates: int = Field(default=50, ge=5, le=1000, description="per retriever, before fusion")
    rrf_k: int = Field(default=60, ge=1)
    recency_half_life_days: float = Field(default=180.0, gt=0)
    recency_weight: float = Field(default=0.0, ge=0.0, le=1.0, description="0 = off, for account history only")
    chunks_per_record: int = Field(default=4, ge=1, le=10, description="chunks of one record kept in its passage")
    rerank_candidates: int = Field(default=6, ge=0, le=50, description="passages reranked by meaning; 0 = off")

    judgement_config: Path | None = Field(default=None, description="YAML overriding tools/judgement_config.yaml")

    openai_api_key: SecretStr | None = Field(
        default=None, validation_alias=AliasChoices("ADVOCATE_OPENAI_API_KEY", "OPENAI_API_KEY")
    )
    llm_base_url: str | None = None
    llm_model: str = "gpt-4o-mini"
    llm_timeout_s: float = Field(default=30.0, gt=0)
    llm_max_retries: int = Field(default=2, ge=0, le=2)
    llm_max_steps: int = Field(default=6, ge=1, le=20)
    llm_prompt_token_budget: int = Field(default=3000, ge=500)

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
    def llm_configured(self) -> bool:
        return self.openai_api_key is not None or self.llm_base_url is not None
