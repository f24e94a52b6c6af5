"""Trainer overrides of a client's recovery status.

An override applies while it is not cleared and it is newer than the client's
latest check-in (`created_at > max(check_ins.recorded_at)`): the next check-in ends
it. The rule is said once, in the live_overrides view (sql/staging/live_overrides.sql),
which the roster and `active_override` read. Setting a new override clears the
client's earlier ones, so at most one is ever open.
"""

from __future__ import annotations

import unicodedata

import duckdb

from pipelines import access, audit
from pipelines.access import Viewer
from pipelines.db import transaction
from pipelines.errors import LegdayError
from pipelines.vocabulary import STATUSES

MAX_REASON = 500


class OverrideError(LegdayError, ValueError):
    """An override that cannot be set, with a message naming the problem."""


def set_override(con: duckdb.DuckDBPyConnection, viewer: Viewer, client_id: str, status: str, reason: str) -> int:
    """Override the client's status until their next check-in; returns the override id.
    One transaction, or part of the caller's (the demo's build)."""
    access.require_client(con, viewer, client_id, OverrideError)
    access.require_trainer(viewer)
    if not viewer.trainer_id.strip():
        raise OverrideError("an override needs the trainer who sets it")
    if status not in STATUSES:
        raise OverrideError(f"status must be one of {', '.join(STATUSES)}")
    reason = unicodedata.normalize("NFC", reason or "").strip()
    if not reason:
        raise OverrideError("an override needs a reason")
    if len(reason) > MAX_REASON:
        raise OverrideError(f"the reason is longer than {MAX_REASON} characters")
    with transaction(con):
        con.execute(
            "update status_overrides set cleared_at = current_timestamp "
            "where client_id = ? and cleared_at is null",
            [client_id],
        )
        override_id = con.execute(
            "insert into status_overrides (client_id, status, reason, created_by) values (?, ?, ?, ?) "
            "returning override_id",
            [client_id, status, reason, viewer.trainer_id],
        ).fetchone()[0]
        audit.record(con, viewer.trainer_id, "override.set", f"override {override_id} of {client_id}")
    return override_id


def clear_override(con: duckdb.DuckDBPyConnection, viewer: Viewer, client_id: str) -> bool:
    """End the client's open override; True when there was one."""
    access.require_client(con, viewer, client_id, OverrideError)
    access.require_trainer(viewer)
    with transaction(con):
        cleared = con.execute(
            "update status_overrides set cleared_at = current_timestamp "
            "where client_id = ? and cleared_at is null returning override_id",
            [client_id],
        ).fetchall()
        if cleared:
            audit.record(con, viewer.trainer_id, "override.clear", client_id)
    return bool(cleared)


def active_override(con: duckdb.DuckDBPyConnection, viewer: Viewer, client_id: str) -> dict | None:
    """The override that currently wins on the roster (status, reason, created_by, created_at):
    the client's row of the live_overrides view."""
    access.require_client(con, viewer, client_id, OverrideError)
    row = con.execute(
        "select override_id, status, reason, created_by, created_at from live_overrides where client_id = ?",
        [client_id],
    ).fetchone()
    if row is None:
        return None
    return dict(zip(("override_id", "status", "reason", "created_by", "created_at"), row, strict=True))
