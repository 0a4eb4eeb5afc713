"""Settings from ATIENDE_* environment variables, with defaults that run embedded."""

from functools import lru_cache
from pathlib import Path
from typing import Literal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import Field, SecretStr, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

DATA_DIR = Path("data")


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="ATIENDE_", extra="ignore")

    database_url: str = Field(default=f"sqlite+aiosqlite:///{DATA_DIR / 'atiende.db'}")
    redis_url: str | None = None
    # Sessions older than this are refused; agents work shifts, not weeks.
    session_hours: int = 12
    # An agent whose socket has not been seen for this long is not routed to.
    presence_grace_seconds: int = 60
    # How often each process polls for due work that another process may have queued.
    worker_poll_seconds: float = 1.0
    # Who applies the webhook inbox. `inline`: every `atiende serve` does, on the event loop
    # that answers the requests (one process is the whole app). `off`: `atiende serve` only
    # answers, and `atiende worker` processes apply it (their CPU then delays no answer;
    # the events they publish reach the agents' sockets through Redis).
    inbox_processor: Literal["inline", "off"] = "inline"
    # Outbound throughput per WhatsApp number (Meta's default is 80 messages/s).
    outbound_rate_per_second: float = 80.0
    outbox_max_attempts: int = 8
    # A send that takes longer is abandoned and retried later (it may have reached Meta:
    # the Cloud API has no idempotency key, so a rare duplicate beats a lost reply).
    graph_timeout_seconds: float = 15.0
    # Unset: `Secure` everywhere but on localhost (where the demo runs over plain http).
    secure_cookies: bool | None = None
    # Other origins whose pages may open the agents' WebSocket (the app's own always may),
    # e.g. `["https://panel.example.com"]` behind a proxy that rewrites the host.
    allowed_origins: list[str] = Field(default_factory=list)
    # Bodies past this are refused before they are read (uploads have their own limit).
    max_body_bytes: int = 1024 * 1024
    media_dir: Path = DATA_DIR / "media"
    # Customer-base files wait here between their upload and the end of their import
    # (unset: an `imports` folder beside the media folder).
    imports_dir: Path | None = None
    # Finished report exports wait here to be downloaded (unset: an `exports` folder beside
    # the media folder); every app process must see the same folder, as with media.
    exports_dir: Path | None = None
    # Reports count days in the supervisor's zone, which the browser sends; this one serves
    # a client that sends none (an IANA name, e.g. America/Lima).
    time_zone: str = "UTC"
    # Fernet keys for channel secrets at rest, comma-separated; the first encrypts, all
    # decrypt. Without it the key file's keys are used (`atiende demo` writes one).
    secret_key: SecretStr | None = None
    # Prometheus reads /metrics with `Authorization: Bearer <this>`; unset, only an
    # administrator's session can.
    metrics_token: SecretStr | None = None
    secret_key_file: Path = DATA_DIR / "secret.key"

    @field_validator("time_zone")
    @classmethod
    def _known_zone(cls, value: str) -> str:
        try:
            ZoneInfo(value)
        except (ZoneInfoNotFoundError, ValueError) as e:
            raise ValueError(f"unknown time zone {value!r}") from e
        return value

    @property
    def base_files_dir(self) -> Path:
        return self.imports_dir or self.media_dir.parent / "imports"

    @property
    def export_files_dir(self) -> Path:
        return self.exports_dir or self.media_dir.parent / "exports"


@lru_cache
def get_settings() -> Settings:
    return Settings()
