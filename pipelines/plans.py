"""Recovery plans: a catalog of actions, and per-client plans kept as revisions.

A plan starts from the catalog by status (`default_plan`) and the trainer edits it.
Every save is a new revision of the client's plan; nothing is overwritten, and
restoring an old revision saves a copy of it as the newest one.
"""

from __future__ import annotations

import datetime as dt
import unicodedata
from dataclasses import dataclass, field

import duckdb
import pandas as pd

from pipelines import access, audit
from pipelines.access import Viewer
from pipelines.db import transaction
from pipelines.errors import LegdayError
from pipelines.vocabulary import INTENSITIES, NO_DATA, STATUSES

# What a plan can be saved for: a status, or NO_DATA for a client without check-ins.
PLAN_STATUSES = (*STATUSES, NO_DATA)
MAX_ITEMS = 30
MAX_TITLE = 300
MAX_TIMING = 100
MAX_FOCUS = 300
MAX_NOTES = 4000

DEFAULT_INTENSITY = {"rest": "rest", "caution": "active recovery", "ready": "normal", "no data": "light"}
DEFAULT_FOCUS = {
    "rest": "No training today: recovery work only until pain and soreness settle",
    "caution": "Upper body only until leg soreness < 4",
    "ready": "Normal session; legs are fine to train",
    "no data": "Light session; ask how they feel before any leg work",
}


class PlanError(LegdayError, ValueError):
    """A plan that cannot be saved or found, with a message naming the problem."""


@dataclass(frozen=True)
class PlanItem:
    title: str
    timing: str | None = None
    done: bool = False
    action_id: str | None = None


@dataclass(frozen=True)
class PlanDraft:
    """An unsaved plan, e.g. the catalog's suggestion for a status."""

    status: str
    next_intensity: str
    next_focus: str
    notes: str
    items: list[PlanItem] = field(default_factory=list)


@dataclass(frozen=True)
class Plan:
    client_id: str
    revision: int
    next_intensity: str
    next_focus: str | None
    notes: str | None
    items: list[PlanItem]
    created_by: str
    created_at: dt.datetime
    status_at_save: str | None = None
    restored_from: int | None = None


def catalog(con: duckdb.DuckDBPyConnection) -> list[dict]:
    rows = con.execute(
        "select action_id, title, detail, timing, statuses from plan_actions order by sort_order"
    ).fetchall()
    return [dict(zip(("action_id", "title", "detail", "timing", "statuses"), row, strict=True)) for row in rows]


def default_plan(con: duckdb.DuckDBPyConnection, status: str) -> PlanDraft:
    """The catalog's actions for a status, in catalog order.

    Without data ('no data') the plan holds the actions that suit every status.
    """
    if status not in PLAN_STATUSES:
        raise PlanError(f"unknown status {status!r}; expected one of {', '.join(PLAN_STATUSES)}")
    wanted = set(STATUSES) if status == NO_DATA else {status}
    items = [
        PlanItem(action["title"], action["timing"], False, action["action_id"])
        for action in catalog(con)
        if wanted <= set(action["statuses"])
    ]
    return PlanDraft(status, DEFAULT_INTENSITY[status], DEFAULT_FOCUS[status], "", items)


def _is_blank(value) -> bool:
    if value is None:
        return True
    if isinstance(value, str):
        return not value.strip()
    return bool(pd.isna(value))


def _line(value, what: str, max_length: int) -> str | None:
    """NFC, whitespace runs collapsed to one space; None when blank."""
    if _is_blank(value):
        return None
    text = " ".join(unicodedata.normalize("NFC", str(value)).split())
    if len(text) > max_length:
        raise PlanError(f"{what} is longer than {max_length} characters")
    if any(unicodedata.category(ch) == "Cc" for ch in text):
        raise PlanError(f"{what} contains control characters")
    return text


def _items(rows: list[dict], known_actions: set[str]) -> list[PlanItem]:
    items = []
    for number, row in enumerate(rows, start=1):
        title = _line(row.get("title"), f"item {number}'s title", MAX_TITLE)
        timing = _line(row.get("timing"), f"item {number}'s timing", MAX_TIMING)
        if title is None and timing is None:
            continue
        if title is None:
            raise PlanError(f"item {number} has a timing but no title")
        action_id = None if _is_blank(row.get("action_id")) else str(row["action_id"])
        if action_id is not None and action_id not in known_actions:
            raise PlanError(f"item {number} refers to unknown action {action_id!r}")
        done = row.get("done")
        items.append(PlanItem(title, timing, False if _is_blank(done) else bool(done), action_id))
    if len(items) > MAX_ITEMS:
        raise PlanError(f"a plan holds at most {MAX_ITEMS} items (got {len(items)})")
    return items


def save_plan(
    con: duckdb.DuckDBPyConnection,
    viewer: Viewer,
    client_id: str,
    *,
    items: list[dict],
    next_intensity: str,
    next_focus: str | None,
    notes: str | None,
    status_at_save: str | None = None,
    restored_from: int | None = None,
) -> int:
    """Save a new revision of the client's plan; returns its revision number. One
    transaction, or part of the caller's (the demo's build, restore_revision).

    items: dicts with title, timing, done and optional action_id; list order is the
    plan's order; rows with neither title nor timing are dropped.
    """
    access.require_client(con, viewer, client_id, PlanError)
    access.require_trainer(viewer)
    if _is_blank(viewer.trainer_id):
        raise PlanError("a plan needs the trainer who saves it")
    if next_intensity not in INTENSITIES:
        raise PlanError(f"next intensity must be one of {', '.join(INTENSITIES)}")
    if status_at_save is not None and status_at_save not in PLAN_STATUSES:
        raise PlanError(f"unknown status {status_at_save!r}")
    focus = _line(next_focus, "next focus", MAX_FOCUS)
    notes_text = None if _is_blank(notes) else unicodedata.normalize("NFC", str(notes)).strip()
    if notes_text is not None and len(notes_text) > MAX_NOTES:
        raise PlanError(f"notes are longer than {MAX_NOTES} characters")
    known_actions = {row[0] for row in con.execute("select action_id from plan_actions").fetchall()}
    clean_items = _items(items, known_actions)
    with transaction(con):
        plan_id, revision = con.execute(
            "insert into plans (client_id, revision, status_at_save, next_intensity, next_focus, notes, "
            "created_by, restored_from) "
            "select ?, coalesce(max(revision), 0) + 1, ?, ?, ?, ?, ?, ? from plans where client_id = ? "
            "returning plan_id, revision",
            [client_id, status_at_save, next_intensity, focus, notes_text, viewer.trainer_id, restored_from, client_id],
        ).fetchone()
        if clean_items:
            con.executemany(
                "insert into plan_items (plan_id, position, action_id, title, timing, done) "
                "values (?, ?, ?, ?, ?, ?)",
                [
                    [plan_id, position, item.action_id, item.title, item.timing, item.done]
                    for position, item in enumerate(clean_items, start=1)
                ],
            )
        audit.record(con, viewer.trainer_id, "plan.save", f"plan revision {revision} of {client_id}")
    return revision


_PLAN_COLUMNS = (
    "plan_id, client_id, revision, next_intensity, next_focus, notes, created_by, created_at, status_at_save, "
    "restored_from"
)


def _plan(con: duckdb.DuckDBPyConnection, row: tuple) -> Plan:
    plan_id, *fields = row
    items = [
        PlanItem(title, timing, done, action_id)
        for title, timing, done, action_id in con.execute(
            "select title, timing, done, action_id from plan_items where plan_id = ? order by position",
            [plan_id],
        ).fetchall()
    ]
    client_id, revision, intensity, focus, notes, created_by, created_at, status, restored = fields
    return Plan(client_id, revision, intensity, focus, notes, items, created_by, created_at, status, restored)


def current_plan(con: duckdb.DuckDBPyConnection, viewer: Viewer, client_id: str) -> Plan | None:
    """The client's row of the current_plans view (the newest revision), with its items."""
    access.require_client(con, viewer, client_id, PlanError)
    row = con.execute(f"select {_PLAN_COLUMNS} from current_plans where client_id = ?", [client_id]).fetchone()  # noqa: S608 - constant columns
    return None if row is None else _plan(con, row)


def get_revision(con: duckdb.DuckDBPyConnection, viewer: Viewer, client_id: str, revision: int) -> Plan:
    access.require_client(con, viewer, client_id, PlanError)
    row = con.execute(
        f"select {_PLAN_COLUMNS} from plans where client_id = ? and revision = ?", [client_id, revision]  # noqa: S608
    ).fetchone()
    if row is None:
        raise PlanError(f"client {client_id!r} has no plan revision {revision}")
    return _plan(con, row)


def list_revisions(con: duckdb.DuckDBPyConnection, viewer: Viewer, client_id: str) -> list[dict]:
    """Newest first: revision, created_by, created_at, next_intensity, items (a count), restored_from, status_at_save."""
    access.require_client(con, viewer, client_id, PlanError)
    columns = ("revision", "created_by", "created_at", "next_intensity", "items", "restored_from", "status_at_save")
    rows = con.execute(
        "select plans.revision, plans.created_by, plans.created_at, plans.next_intensity, "
        "count(plan_items.position), plans.restored_from, plans.status_at_save "
        "from plans left join plan_items using (plan_id) "
        "where plans.client_id = ? "
        "group by all order by plans.revision desc",
        [client_id],
    ).fetchall()
    return [dict(zip(columns, row, strict=True)) for row in rows]


def restore_revision(con: duckdb.DuckDBPyConnection, viewer: Viewer, client_id: str, revision: int) -> int:
    """Save a copy of an earlier revision as the newest one; returns the new revision."""
    with transaction(con):
        old = get_revision(con, viewer, client_id, revision)
        return save_plan(
            con,
            viewer,
            client_id,
            items=[vars(item) for item in old.items],
            next_intensity=old.next_intensity,
            next_focus=old.next_focus,
            notes=old.notes,
            status_at_save=old.status_at_save,
            restored_from=revision,
        )
