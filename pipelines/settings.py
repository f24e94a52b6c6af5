"""Application settings, read from LEGDAY_* environment variables and `.env`.

Keyword arguments win over the environment, the environment over `.env`, and `.env`
over the defaults below; names are case-insensitive and other LEGDAY_* names are
ignored. A plain dataclass, not pydantic: every command reads the settings, and
importing pydantic-settings took as long as importing DuckDB (docs/benchmarks.md).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import os
from functools import lru_cache
from pathlib import Path
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

ENV_PREFIX = "LEGDAY_"
ENV_FILE = Path(".env")


@dataclasses.dataclass(init=False)
class Settings:
    db_path: Path = Path("data/legday.duckdb")
    timezone: str | None = None
    as_of: dt.date | None = None
    base_url: str = "http://localhost:8501"
    link_days: int = 30
    max_file_mb: int = 50
    lock_timeout_seconds: float = 10.0
    session_timeout_minutes: int = 60
    backup_dir: Path = Path("data/backups")

    def __init__(self, **values: object) -> None:
        names = {field.name for field in dataclasses.fields(self)}
        if unknown := set(values) - names:
            raise TypeError(f"unknown settings: {', '.join(sorted(unknown))}")
        environment = _env_file(ENV_FILE) | {
            key.upper(): value for key, value in os.environ.items() if key.upper().startswith(ENV_PREFIX)
        }
        for field in dataclasses.fields(self):
            env_name = ENV_PREFIX + field.name.upper()
            if field.name in values:
                value = _parsed(field, values[field.name], env_name)
            elif env_name in environment:
                value = _parsed(field, environment[env_name], env_name)
            else:
                value = field.default
            setattr(self, field.name, value)
        if self.timezone:
            try:
                ZoneInfo(self.timezone)
            except (ZoneInfoNotFoundError, ValueError):
                raise ValueError(f"LEGDAY_TIMEZONE {self.timezone!r} is not an IANA time zone") from None
        self.timezone = self.timezone or None

    def today(self) -> dt.date:
        """The as-of date: LEGDAY_AS_OF when set, else today in LEGDAY_TIMEZONE."""
        if self.as_of is not None:
            return self.as_of
        zone = ZoneInfo(self.timezone) if self.timezone else None
        return dt.datetime.now(zone).date()


def _date(value: object) -> dt.date:
    if isinstance(value, dt.datetime):
        return value.date()
    return value if isinstance(value, dt.date) else dt.date.fromisoformat(str(value).strip())


def _boolean(value: object) -> bool:
    text = str(value).strip().lower()
    if text not in ("true", "false", "1", "0", "yes", "no", "on", "off"):
        raise ValueError(text)
    return text in ("true", "1", "yes", "on")


# The field types (annotations are text here) and how a value becomes one.
_PARSERS = {"Path": Path, "str": str, "int": int, "float": float, "bool": _boolean, "dt.date": _date}


def _parsed(field: dataclasses.Field, value: object, env_name: str) -> object:
    kind, optional = str(field.type).removesuffix(" | None"), str(field.type).endswith(" | None")
    if value is None or (isinstance(value, str) and not value.strip()):
        if optional:
            return None
        raise ValueError(f"{env_name} needs a value")
    try:
        return _PARSERS[kind](value.strip() if isinstance(value, str) and kind != "str" else value)
    except ValueError:
        raise ValueError(f"{env_name} {value!r} is not a valid {kind.removeprefix('dt.')}") from None


def _env_file(path: Path) -> dict[str, str]:
    """KEY=value lines of a .env file (quotes, `export` and # comments allowed)."""
    try:
        text = path.read_text(encoding="utf-8")
    except (FileNotFoundError, IsADirectoryError):
        return {}
    found = {}
    for line in text.splitlines():
        line = line.strip()
        if not line or line.startswith("#") or "=" not in line:
            continue
        key, _, value = line.removeprefix("export ").partition("=")
        value = value.strip()
        if len(value) >= 2 and value[0] == value[-1] and value[0] in "'\"":
            value = value[1:-1]
        else:
            value = value.split(" #", 1)[0].rstrip()
        found[key.strip().upper()] = value
    return found


@lru_cache
def get_settings() -> Settings:
    return Settings()
