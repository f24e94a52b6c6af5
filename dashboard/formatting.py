"""Words and badges the pages show; plain functions so tests can call them."""

from __future__ import annotations

import datetime as dt
import math

import pandas as pd

STATUS_BADGES = {
    "rest": "🔴 rest",
    "caution": "🟠 caution",
    "ready": "🟢 ready",
    "no data": "⚪ no data",
}

STATUS_ORDER = ["rest", "caution", "ready", "no data"]


def status_badge(status: str) -> str:
    return STATUS_BADGES.get(status, status)


def days_ago(day, today: dt.date) -> str:
    """'today', 'yesterday', 'N days ago' or 'never' for a date, Timestamp or missing value."""
    if day is None or pd.isna(day):
        return "never"
    delta = (today - pd.Timestamp(day).date()).days
    if delta <= 0:
        return "today"
    if delta == 1:
        return "yesterday"
    return f"{delta} days ago"


def number(value, digits: int = 2, empty: str = "–") -> str:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return empty
    return f"{value:.{digits}f}"


def as_list(value) -> list:
    """A list from a DuckDB list cell (numpy array, list, or missing)."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return []
    return list(value)
