"""Words and badges the pages show; plain functions so tests can call them."""

from __future__ import annotations

import datetime as dt
import math

STATUS_BADGES = {
    "rest": "🔴 rest",
    "caution": "🟠 caution",
    "ready": "🟢 ready",
    "no data": "⚪ no data",
}

STATUS_ORDER = ["rest", "caution", "ready", "no data"]


def status_badge(status: str) -> str:
    return STATUS_BADGES.get(status, status)


def days_ago(day: dt.date | None, today: dt.date) -> str:
    if day is None or (isinstance(day, float) and math.isnan(day)):
        return "never"
    delta = (today - day).days
    if delta <= 0:
        return "today"
    if delta == 1:
        return "yesterday"
    return f"{delta} days ago"


def number(value, digits: int = 2, empty: str = "–") -> str:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return empty
    return f"{value:.{digits}f}"
