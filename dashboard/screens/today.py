"""Today: the trainer's sessions for today and tomorrow, in time order, with each client's state."""

import datetime as dt

import streamlit as st

from dashboard import layout, nav, session
from dashboard.formatting import STATUS_BADGE_COLOURS, as_list, clock, number, plain
from pipelines import access, db, sessions

viewer = session.viewer()
with session.database() as con:
    today = db.as_of(con)
    schedule = sessions.sessions_between(con, today, today + dt.timedelta(days=1), viewer.scope)

st.title("Today's sessions")
layout.docs("docs/sessions.md", "planned sessions and their projected load")
st.caption(f"{today:%A %d %B %Y} and tomorrow")
st.page_link(nav.brief.target, label="Today's briefs, to read or print", icon=":material/print:",
             query_params={"day": "today"})

if schedule.empty:
    st.info("No sessions planned for today or tomorrow. Plan one from a client's page.")
    st.page_link(nav.client.target, label="Open a client", icon=":material/person:")
    st.stop()

for day, sessions_of_day in schedule.groupby("session_date", sort=True):
    day = day.date() if hasattr(day, "date") else day
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
            if day == today and not row.done:
                with st.popover("Mark done"), st.form(f"done_{row.session_id}"):
                    minutes = st.number_input("Minutes done", 0, 600, int(row.planned_minutes), step=5)
                    rpe = st.slider("RPE (CR-10)", 0, 10, int(row.planned_rpe))
                    if st.form_submit_button("Save"):
                        with session.database() as con:
                            access.require_session(con, viewer, row.session_id)
                            sessions.mark_done(con, row.session_id, actual_minutes=minutes, actual_rpe=rpe,
                                               by=viewer.trainer_id)
                        st.rerun()
            elif row.done:
                st.caption(f"Done: {row.actual_minutes} min at RPE {row.actual_rpe}")
            reasons = as_list(row.reasons)
            st.caption(
                f"Days since leg day: {number(row.days_since_legs, 0)} · next session per plan: "
                f"{row.next_intensity if isinstance(row.next_intensity, str) else 'no plan yet'}"
                + (f" · {plain(reasons[0])}" if reasons else "")
            )
