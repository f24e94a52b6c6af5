"""Client: status and reasons, charts, check-ins, training sessions and the recovery plan."""

import datetime as dt

import streamlit as st

from dashboard import (
    charts,
    done_sessions_section,
    layout,
    nav,
    plan_section,
    planner_section,
    session,
)
from dashboard.formatting import (
    STATUS_BADGE_COLOURS,
    as_list,
    checkins_table,
    dataframe,
    days_ago,
    number,
    plain,
    rule_name,
    saved_day,
)
from pipelines import db, done_sessions, metrics
from pipelines.ingest import list_answer_notes, list_quarantine

viewer = session.viewer()
with session.database() as con:
    today = db.as_of(con)
    roster = metrics.roster(con, viewer)

if roster.empty:
    st.title("Client")
    st.info("No clients yet.")
    st.page_link(nav.clients_admin.target, label="Add a client", icon="➕")
    st.stop()

client_id = nav.pick_client(roster)

start, end = today - dt.timedelta(days=41), today
picked = st.date_input("Dates", (start, end), max_value=today, format="YYYY-MM-DD")
if isinstance(picked, tuple) and len(picked) == 2:
    start, end = picked

with session.database() as con:
    status = metrics.client_status(con, viewer, client_id)
    days = metrics.client_days(con, viewer, client_id, start, end)
    trained = done_sessions.sessions_of_days(con, viewer, [client_id], start, end)
    checkins = metrics.checkins(con, viewer, [client_id], start, end)
    limits = metrics.threshold_values(con)
    notes = [note for note in list_answer_notes(con, viewer, client_ids={client_id})
             if start <= note["checkin_date"] <= end]
    held = list_quarantine(con, viewer, client_ids={client_id})

st.title(plain(status["name"]))
layout.docs("docs/metrics.md", "every chart's measure and the flags")
st.badge(status["status"], color=STATUS_BADGE_COLOURS[status["status"]], icon=":material/monitor_heart:")
last = status.get("last_checkin")
readiness = status.get("readiness")
st.caption(
    f"Last check-in {days_ago(last, today)} · readiness {number(readiness, 0)}{'' if readiness is None else ' of 100'} · "
    f"days since leg day {number(status.get('days_since_legs'), 0)} · ACWR {number(status.get('acwr_ewma'))}"
)
if rule_name(status.get("rule")):
    st.caption(f"Decided by: {rule_name(status.get('rule'))} (docs/glossary.md)"
               + (f" · {status['status_note']}" if isinstance(status.get("status_note"), str) else ""))
for reason in as_list(status.get("reasons")):
    st.markdown(f"- {plain(reason)}")
if held:
    with st.expander(f"Check-ins held back ({len(held)})", expanded=any(row["pain"] for row in held)):
        for row in held:
            day = row["checkin_date"] or saved_day(row["created_at"])
            pain = "**Pain reported.** " if row["pain"] else ""
            st.markdown(f"- {day:%Y-%m-%d}: {pain}{plain(row['reason'])}")
if notes:
    with st.expander(f"Answers left empty ({len(notes)})"):
        for note in notes:
            st.markdown(f"- {note['checkin_date']:%Y-%m-%d}: {plain(note['reason'])}")
if status.get("override_reason"):
    st.info(f"Status set by the trainer: {plain(status['override_reason'])}")

if days.empty:
    st.info("No check-ins in this period yet. Send the client their check-in link from the Clients page.")
else:
    left, right = st.columns(2)
    left.altair_chart(charts.soreness(days), width="stretch")
    right.altair_chart(charts.wellness(days), width="stretch")
    with left:
        st.altair_chart(charts.load(days, trained), width="stretch")
        if (trained["counted"] & trained["rpe_estimated"]).any():
            st.caption(charts.ESTIMATED_NOTE)
    right.altair_chart(charts.acwr(days, limits), width="stretch")
    left.altair_chart(charts.sleep_and_water(days), width="stretch")
    st.subheader("Check-ins")
    dataframe(checkins_table(checkins, notes), hide_index=True, height=300)

done_sessions_section.render(viewer, client_id, start, end, today)
planner_section.render(viewer, client_id, today)
plan_section.render(viewer, client_id, status["status"])
