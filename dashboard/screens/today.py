"""Today: yesterday's open sessions ("done?"), then today's and tomorrow's sessions in time
order, each with the client's state, the training of their last days (the sessions their
load counts), the risk the planner projects and its safer change."""

import datetime as dt

import streamlit as st

from dashboard import layout, nav, session
from dashboard.formatting import STATUS_BADGE_COLOURS, clock, number, plain
from dashboard.planner_section import offer_safer, projection
from dashboard.projection_table import session_label
from pipelines import db, done_sessions, metrics, sessions

viewer = session.viewer()
with session.database() as con:
    today = db.as_of(con)
    yesterday = today - dt.timedelta(days=1)
    schedule = sessions.sessions_between(con, viewer, yesterday, today + dt.timedelta(days=1))
    trained = done_sessions.sessions_of_days(
        con, viewer, sorted(set(schedule["client_id"])), today - dt.timedelta(days=2), today)


def _training(client_id: str, days: set[dt.date], shown_done: set[int] = frozenset()) -> None:
    """The client's counted sessions of those days, a line a day; sessions of the plans whose
    card says "Done" already are left out."""
    theirs = trained[(trained["client_id"] == client_id) & trained["session_date"].dt.date.isin(days)]
    shown = theirs["planned_session_id"].isin(shown_done)
    lines = [f"Trained {day['when']}: {plain(day['line'])}" for day in done_sessions.training_days(theirs[~shown])]
    none = "No other training logged" if shown.any() else "No training logged"
    st.caption("  \n".join(lines) if lines else none + (" yesterday." if days == {yesterday} else " in the last 3 days."))


def _done_line(session_id: int) -> str:
    """What the done row of a planned session says now (a trainer may have corrected it)."""
    rows = trained[trained["planned_session_id"] == session_id]
    if rows.empty:
        return "Done; changed or removed on the client page (see its training sessions)."
    row = rows.iloc[0]
    line = f"Done: {plain(done_sessions.session_words(row))}"
    if not row["counted"]:
        line += f"; the {row['matched_by']} session counts instead"
    return line + (" (corrected on the client page)" if row["corrected"] else "")


def _done_form(row, label: str) -> None:
    with st.popover(label), st.form(f"done_{row.session_id}"):
        minutes = st.number_input("Minutes done", 0, 600, int(row.planned_minutes), step=5)
        rpe = st.slider("RPE (CR-10)", 0, 10, int(row.planned_rpe))
        if st.form_submit_button("Save"):
            _mark_done(row.session_id, minutes, rpe)


def _mark_done(session_id: int, minutes: int, rpe: int) -> None:
    with session.database() as con:
        sessions.mark_done(con, viewer, session_id, actual_minutes=minutes, actual_rpe=rpe)
    st.rerun()


st.title("Today's sessions")
layout.docs("docs/sessions.md", "planned sessions and their projected load")
st.caption(f"{today:%A %d %B %Y} and tomorrow")
st.page_link(nav.brief.target, label="Today's briefs, to read or print", icon=":material/print:",
             query_params={"day": "today"})

days = schedule["session_date"].dt.date if not schedule.empty else schedule["session_date"]
unanswered = schedule[(days == yesterday) & ~schedule["done"]]
if not unanswered.empty:
    st.subheader("Yesterday: done?")
    for row in unanswered.itertuples():
        with st.container(border=True):
            st.markdown(f"**{plain(row.name)}** · {clock(row.start_time)} · "
                        f"{session_label(row.session_type, row.planned_minutes, row.planned_rpe)}")
            _training(row.client_id, {yesterday})
            answers = st.columns(3)
            if answers[0].button("Done as planned", key=f"yes_{row.session_id}", type="primary"):
                _mark_done(row.session_id, int(row.planned_minutes), int(row.planned_rpe))
            with answers[1]:
                _done_form(row, "Done, differently")
            if answers[2].button("Not done", key=f"no_{row.session_id}"):
                with session.database() as con:
                    sessions.delete_session(con, viewer, row.session_id)
                st.rerun()

coming = schedule[days >= today]
if coming.empty:
    st.info("No sessions planned for today or tomorrow. Plan one from a client's page.")
    st.page_link(nav.client.target, label="Open a client", icon=":material/person:")
    st.stop()

for day, sessions_of_day in coming.groupby(coming["session_date"].dt.date, sort=True):
    st.subheader("Today" if day == today else "Tomorrow")
    for row in sessions_of_day.itertuples():
        with st.container(border=True):
            top = st.columns([1, 3, 2, 1])
            top[0].markdown(f"**{clock(row.start_time)}**")
            top[1].markdown(f"**{plain(row.name)}** · {row.session_type.replace('_', ' ')} · "
                            f"{row.planned_minutes} min at RPE {row.planned_rpe}")
            status = row.status if isinstance(row.status, str) else "no data"
            top[2].badge(status, color=STATUS_BADGE_COLOURS.get(status, "gray"))
            if top[3].button("Open", key=f"open_{row.session_id}"):
                nav.open_client(row.client_id)
            why = metrics.verdict(row._asdict())
            st.caption(
                (f"{plain(why)} · " if why else "")
                + f"Days since leg day: {number(row.days_since_legs, 0)} · next session per plan: "
                + (row.next_intensity if isinstance(row.next_intensity, str) else "no plan yet")
            )
            done_here = set(sessions_of_day.loc[sessions_of_day["done"], "session_id"]) if day == today else set()
            _training(row.client_id, {today - dt.timedelta(days=back) for back in range(3)}, done_here)
            if row.done:
                st.caption(_done_line(row.session_id))
                continue
            result = projection(viewer, row.client_id, day, row.session_type, row.planned_minutes, row.planned_rpe)
            if result is not None:
                if result["warnings"]:
                    st.error("**If done as planned:** " + plain(" · ".join(flag["reason"] for flag in result["warnings"])),
                             icon=":material/warning:")
                else:
                    st.caption(":material/check_circle: No new load flags if done as planned.")
                offer_safer(viewer, row.session_id, result)
            if day == today:
                _done_form(row, "Mark done")
