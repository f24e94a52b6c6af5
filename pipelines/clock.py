"""The one clock of legday: every "now" and every "today" is read here, so a test
freezes time in one place (tests/helpers/clock.py `freeze`).

The as-of date (LEGDAY_AS_OF, else today in LEGDAY_TIMEZONE) is `Settings.today()`,
which reads `today` here; times stored or compared by Python (login sessions and the
dashboard's inactivity timeout, link expiry and tries, login tries, the client list's
live links) are `now()`, in UTC without a zone. Waits and timeouts inside one process
(the dashboard's database turns) read `monotonic()`, which a wall-clock change cannot
move and tests do not freeze. tests/test_clock.py fails on a module of pipelines/ or
dashboard/ that reads the time any other way.
"""

from __future__ import annotations

import datetime as dt
import time
from zoneinfo import ZoneInfo


def now() -> dt.datetime:
    """This moment in UTC, without a zone (as the database stores times)."""
    return dt.datetime.now(dt.UTC).replace(tzinfo=None)


def local_now(timezone: str | None = None) -> dt.datetime:
    """This moment in the IANA zone (None: the machine's zone)."""
    return in_zone(now(), timezone)


def in_zone(moment: dt.datetime, timezone: str | None = None) -> dt.datetime:
    """A stored time (UTC without a zone) in the IANA zone (None: the machine's zone)."""
    return moment.replace(tzinfo=dt.UTC).astimezone(ZoneInfo(timezone) if timezone else None)


def today(timezone: str | None = None) -> dt.date:
    """Today's date in the IANA zone (None: the machine's zone)."""
    return local_now(timezone).date()


def monotonic() -> float:
    """Seconds on a clock that only goes forward, for measuring waits (not a time of day)."""
    return time.monotonic()
