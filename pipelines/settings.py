"""Application settings, read from LEGDAY_* environment variables and `.env`."""

from __future__ import annotations

import datetime as dt
from functools import lru_cache
from pathlib import Path
from zoneinfo import ZoneInfo

from pydantic import field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="LEGDAY_", env_file=".env", extra="ignore")

    db_path: Path = Path("data/legday.duckdb")
    timezone: str | None = None
    as_of: dt.date | None = None
    base_url: str = "http://localhost:8501"
    link_days: int = 30
    max_file_mb: int = 50
    lock_timeout_seconds: float = 10.0
    session_timeout_minutes: int = 60
    backup_dir: Path = Path("data/backups")

    @field_validator("timezone")
    @classmethod
    def _known_timezone(cls, value: str | None) -> str | None:
        if value:
            ZoneInfo(value)
        return value or None

    def today(self) -> dt.date:
        """The as-of date: LEGDAY_AS_OF when set, else today in LEGDAY_TIMEZONE."""
        if self.as_of is not None:
            return self.as_of
        zone = ZoneInfo(self.timezone) if self.timezone else None
        return dt.datetime.now(zone).date()


@lru_cache
def get_settings() -> Settings:
    return Settings()
