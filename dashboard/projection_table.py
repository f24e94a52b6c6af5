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


# The day's load marked when a session without the client's RPE went into it, as the
# client page's sessions table marks such an RPE; pages put ESTIMATED_NOTE under the table.
ESTIMATED_MARK = " (est.)"
ESTIMATED_NOTE = ("(est.): the day's load includes a session without the client's RPE, counted at the usual RPE "
                  "of its type (docs/done-sessions.md).")


def _cell(values: dict, key: str) -> str:
    shown = _shown(values[key], decimals(key))
    return shown + ESTIMATED_MARK if key == "load" and values.get("load_estimated") else shown


def has_estimate(projection: dict) -> bool:
    """Whether comparison_table marks a load (est.)."""
    return any(projection[side].get("load_estimated") for side in ("without", "with"))


def comparison_table(projection: dict) -> pd.DataFrame:
    """One row per metric: the value without the session and with it; the day's load is
    marked (est.) when a session without the client's RPE went into it (docs/done-sessions.md)."""
    return pd.DataFrame(
        {
            "Metric": list(ROWS.values()),
            "Without the session": [_cell(projection["without"], key) for key in ROWS],
            "With the session": [_cell(projection["with"], key) for key in ROWS],
        }
    )


def session_label(session_type: str, minutes: int, rpe: int) -> str:
    return f"{session_type.replace('_', ' ')} · {minutes} min at RPE {rpe}"
