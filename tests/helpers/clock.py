"""The fixed as-of date every test runs on (conftest.py sets LEGDAY_AS_OF to it)."""

from __future__ import annotations

import datetime as dt

AS_OF = dt.date(2026, 11, 20)


def freeze(monkeypatch, moment: dt.datetime) -> dt.datetime:
    """Stop legday's one clock (pipelines/clock.py) at `moment` (UTC, no zone) for a test."""
    from pipelines import clock

    monkeypatch.setattr(clock, "now", lambda: moment)
    return moment
