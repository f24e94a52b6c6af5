"""A planned session's projection as a small with/without table (pure pandas)."""

from __future__ import annotations

import pandas as pd

from pipelines.export import decimals

# Each metric shown with the decimals it means (pipelines.export.decimals).
ROWS = {
    "load": "Load that day (RPE × min)",
    "acute_load": "7-day mean load",
    "chronic_load": "28-day mean load",
    "acwr": "ACWR (rolling)",
    "acwr_ewma": "ACWR (EWMA)",
    "monotony": "Monotony (7 days)",
}


def _shown(value, digits: int) -> str:
    if value is None or pd.isna(value):
        return "–"
    return f"{value:,.{digits}f}"


def comparison_table(projection: dict) -> pd.DataFrame:
    """One row per metric: the value without the session and with it."""
    return pd.DataFrame(
        {
            "Metric": list(ROWS.values()),
            "Without the session": [_shown(projection["without"][key], decimals(key)) for key in ROWS],
            "With the session": [_shown(projection["with"][key], decimals(key)) for key in ROWS],
        }
    )


def session_label(session_type: str, minutes: int, rpe: int) -> str:
    return f"{session_type.replace('_', ' ')} · {minutes} min at RPE {rpe}"
