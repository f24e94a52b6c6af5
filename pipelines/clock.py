"""The one clock of legday: every "now" and every "today" is read here, so a test
freezes time in one place (tests/helpers/clock.py `freeze`).

The as-of date (LEGDAY_AS_OF, else today in LEGDAY_TIMEZONE) is `Settings.today()`,
which reads `today` here; times stored by Python (sessions, tokens, login attempts)
are `now()`, in UTC without a zone.
"""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo


def now() -> dt.datetime:
    """This moment in UTC, without a zone (as the database stores times)."""
    return dt.datetime.now(dt.UTC).replace(tzinfo=None)


def local_now(timezone: str | None = None) -> dt.datetime:
    """This moment in the IANA zone (None: the machine's zone)."""
    return now().replace(tzinfo=dt.UTC).astimezone(ZoneInfo(timezone) if timezone else None)


def today(timezone: str | None = None) -> dt.date:
    """Today's date in the IANA zone (None: the machine's zone)."""
    return local_now(timezone).date()
