"""The recovery plan editor's data: plan <-> editor rows, kept out of the page module.

The editor's input frame is built once per (client, revision) and never replaced by
the editor's return value, which is the known way Streamlit loses edits.
"""

from __future__ import annotations

import pandas as pd

EDITOR_COLUMNS = ["order", "done", "title", "timing"]

# "ignore" makes the browser hand a committed cell to the form at once. With the default
# ("rerun") Streamlit's frontend holds a cell committed with Enter or Tab for 150 ms
# before the form sees it, and a "Save plan" in that window saved the plan without the
# edit (the grid still showed it). Inside a form nothing reruns on an edit either way.
EDITOR_ON_CHANGE = "ignore"


def editor_rows(plan) -> pd.DataFrame:
    """Editor input from a Plan or PlanDraft: one row per item, numbered 1, 2, 3 ..."""
    return pd.DataFrame(
        {
            "order": list(range(1, len(plan.items) + 1)),
            "done": [item.done for item in plan.items],
            "title": [item.title for item in plan.items],
            "timing": [item.timing or "" for item in plan.items],
        },
        columns=EDITOR_COLUMNS,
    ).astype({"order": "Int64", "done": "boolean", "title": "string", "timing": "string"})


def items_from_editor(edited: pd.DataFrame, original) -> list[dict]:
    """Items to save, in the trainer's order; catalog ids kept for unchanged titles."""
    catalog_ids = {item.title: item.action_id for item in original.items}
    rows = edited.copy()
    rows["title"] = rows["title"].fillna("").astype(str).str.strip()
    rows = rows[rows["title"] != ""]
    fallback = pd.Series(range(1, len(rows) + 1), index=rows.index, dtype="Float64") + 1000
    rows["sort_key"] = rows["order"].astype("Float64").fillna(fallback)
    rows = rows.sort_values("sort_key", kind="stable")
    return [
        {
            "title": row.title,
            "timing": (row.timing if isinstance(row.timing, str) else "") or None,
            "done": bool(row.done) if pd.notna(row.done) else False,
            "action_id": catalog_ids.get(row.title),
        }
        for row in rows.itertuples()
    ]
