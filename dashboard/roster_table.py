"""Roster filtering and the table a trainer reads; pandas in, pandas out."""

from __future__ import annotations

import datetime as dt
import unicodedata

import pandas as pd

from dashboard.formatting import (
    STATUS_BADGE_COLOURS,
    clock,
    days_ago,
    plain,
    rule_name,
    status_badge,
)
from pipelines import metrics
from pipelines.vocabulary import ROSTER_ORDER

# Cards drawn per page on a phone; "Show more" adds as many again.
CARDS_PER_PAGE = 25
# Table rows sent to a wider screen at first; "Show more" adds as many again. Every row is
# decoded by the browser even though the grid draws only the visible ones: 10,000 rows are
# 1.5 MB (docs/benchmarks.md, "The roster at 10,000 clients").
TABLE_ROWS = 1000


def _folded(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text or "")
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch)).casefold()


def filter_roster(
    roster: pd.DataFrame,
    statuses: list[str] | None = None,
    trainer_id: str | None = None,
    search: str = "",
) -> pd.DataFrame:
    """Rows matching every given filter; search ignores case and accents ("alvarez" finds Álvarez)."""
    keep = pd.Series(True, index=roster.index)
    if statuses:
        keep &= roster["status"].isin(statuses)
    if trainer_id:
        keep &= roster["trainer_id"] == trainer_id
    if search.strip():
        needle = _folded(search.strip())
        keep &= roster["name"].map(lambda name: needle in _folded(name))
    return roster[keep]


def _why(roster: pd.DataFrame) -> list[str]:
    """Every reason, the deciding one first, then where an older status comes from
    (metrics.all_reasons, without a row-wise apply)."""
    notes = roster["status_note"].where(roster["status_note"].notna(), None)
    return [metrics.all_reasons({"reasons": reasons, "status_note": note})
            for reasons, note in zip(roster["reasons"], notes, strict=True)]


def display_table(roster: pd.DataFrame, today: dt.date) -> pd.DataFrame:
    """The columns shown on the roster page, in reading order."""

    seen = roster["last_checkin"].map(lambda day: days_ago(day, today)) if len(roster) else pd.Series(dtype=str)
    seen = seen.where(~roster["missed_checkins"].fillna(False).astype(bool), "⚠️ " + seen)

    return pd.DataFrame(
        {
            "Status": roster["status"].map(status_badge),
            "Client": roster["name"],
            "Readiness": roster["readiness"],
            "Decided by": roster["rule"].map(rule_name),
            "Last check-in": seen,
            "Why": _why(roster),
            "Days since legs": roster["days_since_legs"],
            "Trainer": roster["trainer_name"],
        },
        index=roster.index,
    )


def status_counts(roster: pd.DataFrame) -> dict[str, int]:
    counts = roster["status"].value_counts()
    return {status: int(counts.get(status, 0)) for status in ROSTER_ORDER}


def counts_line(counts: dict[str, int]) -> str:
    """The counters as one line of markdown badges (the phone's form)."""
    return " ".join(
        f":{STATUS_BADGE_COLOURS[status]}-badge[{counts[status]} {status}]" for status in counts
    )


def cards(roster: pd.DataFrame, today: dt.date, todays: pd.DataFrame) -> list[dict]:
    """What each phone card says: name, status, the reason that matters most, the last
    check-in's age and today's session. Markdown-safe; reasons come in the roster's order."""
    sessions = {
        row.client_id: f"{clock(row.start_time)} {row.session_type.replace('_', ' ')}"
        for row in todays.itertuples()
    } if len(todays) else {}
    return [
        {
            "client_id": row.client_id,
            "name": plain(row.name),
            "badge": f":{STATUS_BADGE_COLOURS.get(row.status, 'gray')}-badge[{row.status}]",
            "reason": plain(metrics.verdict(row._asdict())),
            "footnote": " · ".join(part for part in (
                f"checked in {days_ago(row.last_checkin, today)}" if pd.notna(row.last_checkin) else "never checked in",
                f"session today {sessions[row.client_id]}" if row.client_id in sessions else "",
            ) if part),
        }
        for row in roster.itertuples()
    ]
