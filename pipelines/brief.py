"""The pre-session brief: one client's state before a session, for a screen, paper or CSV."""

from __future__ import annotations

import datetime as dt

import duckdb
import pandas as pd

from pipelines import access, db, done_sessions, metrics, plans, sessions
from pipelines.access import Viewer
from pipelines.vocabulary import MUSCLES, NO_DATA

NO_TRAINING = "no training logged"


def _as_list(value) -> list:
    return [] if value is None or (isinstance(value, float) and pd.isna(value)) else list(value)


def _next_session(con: duckdb.DuckDBPyConnection, viewer: Viewer, client_id: str, today: dt.date) -> dict | None:
    upcoming = sessions.sessions_planned(con, viewer, today, today + dt.timedelta(days=14))
    upcoming = upcoming[(upcoming["client_id"] == client_id) & ~upcoming["done"]]
    if upcoming.empty:
        return None
    row = upcoming.iloc[0]
    day = pd.Timestamp(row["session_date"]).date()
    planned = {"session_id": int(row["session_id"]), "day": day, "session_type": row["session_type"],
               "minutes": int(row["planned_minutes"]), "rpe": int(row["planned_rpe"])}
    try:
        projection = sessions.project_session(con, viewer, client_id, day=day, session_type=planned["session_type"],
                                              minutes=planned["minutes"], rpe=planned["rpe"])
    except sessions.SessionError:
        projection = None
    return {**planned, "projection": projection}


def brief(con: duckdb.DuckDBPyConnection, viewer: Viewer, client_id: str) -> dict:
    """Status, where an older status comes from, and reasons (worded relative to the
    as-of date), the last 3 days' soreness and sleep and the sessions that made their
    load (done_sessions.training_days), recent pain and notes, the current plan, and the
    next planned session with its projected effect."""
    access.require_client(con, viewer, client_id)
    today = db.as_of(con)
    status = metrics.client_status(con, viewer, client_id) or {}
    days = metrics.client_days(con, viewer, client_id, today - dt.timedelta(days=2), today)
    recent = metrics.checkins(con, viewer, [client_id], today - dt.timedelta(days=6), today)
    notes = recent[recent["pain"] | recent["notes"].notna()]
    return {
        "client_id": client_id,
        "name": status.get("name", client_id),
        "as_of": today,
        "status": status.get("status", NO_DATA),
        "status_note": status.get("status_note") if isinstance(status.get("status_note"), str) else None,
        "reasons": _as_list(status.get("reasons")),
        "last_days": days[["day", *(f"soreness_{m}" for m in MUSCLES), "sleep_hours", "has_checkin"]],
        "training": done_sessions.training_days(
            done_sessions.sessions_of_days(con, viewer, [client_id], today - dt.timedelta(days=2), today)),
        "pain_and_notes": notes[["checkin_date", "pain", "notes"]],
        "plan": plans.current_plan(con, viewer, client_id),
        "next_session": _next_session(con, viewer, client_id, today),
    }


def brief_rows(summary: dict) -> pd.DataFrame:
    """The brief flattened to section, item, value rows for a CSV file."""
    rows = [("client", "name", summary["name"]), ("client", "as of", summary["as_of"].isoformat()),
            ("status", "status", summary["status"])]
    if summary["status_note"]:
        rows.append(("status", "from", summary["status_note"]))
    rows += [("status", "reason", reason) for reason in summary["reasons"]]
    for day in summary["last_days"].itertuples():
        label = pd.Timestamp(day.day).date().isoformat()
        if not day.has_checkin:
            rows.append(("last 3 days", label, "no check-in"))
            continue
        sore = ", ".join(f"{m} {int(getattr(day, f'soreness_{m}'))}" for m in MUSCLES)
        rows.append(("last 3 days", label, f"soreness {sore}; slept {day.sleep_hours:g} h"))
    rows += [("training", day["day"].isoformat(), day["line"]) for day in summary["training"]]
    if not summary["training"]:
        rows.append(("training", "last 3 days", NO_TRAINING))
    for note in summary["pain_and_notes"].itertuples():
        text = ("PAIN. " if note.pain else "") + (note.notes or "")
        rows.append(("pain and notes", pd.Timestamp(note.checkin_date).date().isoformat(), text.strip()))
    plan = summary["plan"]
    if plan is not None:
        rows.append(("plan", "next session", f"{plan.next_intensity}" + (f": {plan.next_focus}" if plan.next_focus else "")))
        rows += [("plan", item.timing or "", item.title) for item in plan.items]
    upcoming = summary["next_session"]
    if upcoming is not None:
        rows.append(("planned session", upcoming["day"].isoformat(),
                     f"{upcoming['session_type']} {upcoming['minutes']} min at RPE {upcoming['rpe']}"))
        projection = upcoming["projection"]
        if projection is not None:
            before, after = projection["without"]["acwr_ewma"], projection["with"]["acwr_ewma"]
            rows.append(("planned session", "ACWR (EWMA) without / with",
                         f"{_ratio(before)} / {_ratio(after)}"))
            rows += [("planned session", "warning", flag["reason"]) for flag in projection["warnings"]]
            if projection["suggestion"]:
                rows.append(("planned session", "suggestion", projection["suggestion"]["text"]))
    return pd.DataFrame(rows, columns=["section", "item", "value"])


def day_briefs(con: duckdb.DuckDBPyConnection, viewer: Viewer) -> list[dict]:
    """A brief for every client of the viewer with a session on the as-of day, in the order
    of their first session, each with that day's sessions under "sessions"."""
    today = db.as_of(con)
    todays = sessions.sessions_between(con, viewer, today, today)
    by_client: dict[str, list[dict]] = {}
    for row in todays.itertuples():
        by_client.setdefault(row.client_id, []).append(
            {"start_time": row.start_time, "session_type": row.session_type, "minutes": int(row.planned_minutes),
             "rpe": int(row.planned_rpe), "done": bool(row.done)})
    return [{**brief(con, viewer, client_id), "sessions": day} for client_id, day in by_client.items()]


def day_brief_rows(briefs: list[dict]) -> pd.DataFrame:
    """Every brief of the day in one CSV frame: client_id and name, then section, item, value."""
    frames = [brief_rows(summary).assign(client_id=summary["client_id"], name=summary["name"]) for summary in briefs]
    columns = ["client_id", "name", "section", "item", "value"]
    return pd.concat(frames, ignore_index=True)[columns] if frames else pd.DataFrame(columns=columns)


def _ratio(value) -> str:
    return "–" if value is None or pd.isna(value) else f"{value:.2f}"
