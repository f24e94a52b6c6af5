"""Application settings, read from LEGDAY_* environment variables and `.env`.

Keyword arguments win over the environment, the environment over `.env`, and `.env`
over the defaults below; an empty variable counts as unset. A bad value stops with
one line naming the variable (pydantic's own report is several lines of jargon).
"""

from __future__ import annotations

import datetime as dt
from functools import lru_cache
from pathlib import Path
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import ValidationError, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from pipelines import clock
from pipelines.vocabulary import DEFAULT_RPE

ENV_PREFIX = "LEGDAY_"


class Settings(BaseSettings):
    model_config = SettingsConfigDict(
        env_prefix=ENV_PREFIX, env_file=".env", extra="ignore", env_ignore_empty=True
    )

    db_path: Path = Path("data/legday.duckdb")
    timezone: str | None = None
    # A form submission sent before this time of day counts for the day before.
    day_boundary: dt.time = dt.time(4, 0)
    as_of: dt.date | None = None
    base_url: str | None = None
    link_days: int = 30
    max_file_mb: int = 50
    lock_timeout_seconds: float = 30.0
    session_timeout_minutes: int = 60
    backup_dir: Path = Path("data/backups")
    smtp_host: str | None = None
    smtp_port: int = 587
    smtp_user: str | None = None
    smtp_password: str | None = None
    smtp_from: str | None = None
    smtp_starttls: bool = True
    trust_proxy: bool = False
    default_rpe: dict[str, int] = {}

    def __init__(self, **values: object) -> None:
        try:
            super().__init__(**values)
        except ValidationError as error:
            raise ValueError(_one_line(error)) from None

    @field_validator("timezone")
    @classmethod
    def _known_timezone(cls, value: str | None) -> str | None:
        if value:
            try:
                ZoneInfo(value)
            except (ZoneInfoNotFoundError, ValueError):
                raise ValueError("not an IANA time zone") from None
        return value or None

    @field_validator("default_rpe")
    @classmethod
    def _rpe_per_type(cls, value: dict[str, int]) -> dict[str, int]:
        unknown = [kind for kind in value if kind not in DEFAULT_RPE]
        if unknown:
            raise ValueError(f"{', '.join(unknown)} is not a session type ({', '.join(DEFAULT_RPE)})")
        if any(not 0 <= rpe <= 10 for rpe in value.values()):
            raise ValueError("an RPE is between 0 and 10")
        return value

    def session_rpe_defaults(self) -> dict[str, int]:
        """The default RPE of each done-session type, LEGDAY_DEFAULT_RPE over DEFAULT_RPE."""
        return DEFAULT_RPE | self.default_rpe

    def today(self) -> dt.date:
        """The as-of date: LEGDAY_AS_OF when set, else today in LEGDAY_TIMEZONE."""
        return self.as_of if self.as_of is not None else clock.today(self.timezone)


def _one_line(error: ValidationError) -> str:
    first = error.errors()[0]
    name = ENV_PREFIX + str(first["loc"][0]).upper()
    reason = first["msg"].removeprefix("Value error, ")
    return f"{name} {first['input']!r} is not valid: {reason}"


@lru_cache
def get_settings() -> Settings:
    return Settings()
