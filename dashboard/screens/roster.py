"""Roster: who is ready, who needs caution, who needs rest — and why."""

import datetime as dt

import streamlit as st

from dashboard import charts, layout, nav, session
from dashboard.formatting import (
    READINESS_HELP,
    RULE_HELP,
    STATUS_CELL_COLOURS,
    WHY_HELP,
    clock,
    dataframe,
    plain,
    status_badge,
)
from dashboard.roster_table import (
    CARDS_PER_PAGE,
    TABLE_ROWS,
    cards,
    counts_line,
    display_table,
    filter_roster,
    status_counts,
)
from pipelines import db, metrics, people, sessions
from pipelines.vocabulary import ROSTER_ORDER

# Heatmap rows drawn at most (a chart with thousands of rows does not draw in a browser).
HEATMAP_ROWS = 40

viewer = session.viewer()
with session.database() as con:
    today = db.as_of(con)
    roster = metrics.roster(con, viewer)
    trainer_names = dict(people.trainers(con, viewer))
    todays = sessions.sessions_planned(con, viewer, today, today)
todays = todays.merge(roster[["client_id", "status"]], on="client_id", how="left")

st.title("Roster")
layout.docs("docs/metrics.md", "statuses, reasons and readiness")
st.caption(f"Recovery status on {today:%A %d %B %Y}")

if not todays.empty:
    with st.container(border=True, key="desktop-sessions"):
        st.markdown(f"**{len(todays)} session{'s' if len(todays) != 1 else ''} today:** " + " · ".join(
            f"{clock(row.start_time)} {plain(row.name)} ({row.session_type.replace('_', ' ')}, {row.status})"
            for row in todays.itertuples()
        ))
        st.page_link(nav.today.target, label="Today's sessions", icon=":material/event:")

if roster.empty:
    st.info("No clients yet. Add your first client, then send them their check-in link.")
    st.page_link(nav.clients_admin.target, label="Add a client", icon="➕")
    st.stop()

counts = status_counts(roster)
with st.container(key="desktop-counters"):
    for column, status in zip(st.columns(len(ROSTER_ORDER)), ROSTER_ORDER, strict=True):
        column.metric(status_badge(status), counts[status])
with st.container(key="phone-counters"):
    st.markdown(counts_line(counts))

with st.container(key="roster-filters"):
    filters = st.columns([2, 2, 3] if viewer.is_owner else [2, 3])
    statuses = filters[0].multiselect("Status", ROSTER_ORDER, placeholder="All statuses")
    trainer_id = None
    if viewer.is_owner:
        trainer_id = filters[1].selectbox(
            "Trainer", [None, *trainer_names], format_func=lambda t: "All trainers" if t is None else trainer_names[t]
        )
    search = filters[-1].text_input("Search by name", placeholder="e.g. Ana")

shown = filter_roster(roster, statuses, trainer_id, search)
if shown.empty:
    st.info("No client matches these filters.")
    st.stop()

with st.container(key="phone-cards"):
    limit = st.session_state.get("roster_cards", CARDS_PER_PAGE)
    for number, card in enumerate(cards(shown.head(limit), today, todays)):
        with st.container(border=True, key=f"card-{number}"):
            st.page_link(nav.client.target, label=f"**{card['name']}** {card['badge']}",
                         query_params={"client": card["client_id"]})
            st.markdown(f"{card['reason']}  \n:small[:gray[{card['footnote']}]]")
    if len(shown) > limit:
        if st.button(f"Show more ({len(shown) - limit} not shown)", width="stretch"):
            st.session_state["roster_cards"] = limit + CARDS_PER_PAGE
            st.rerun()

with st.container(key="desktop-grid"):
    table = shown.head(st.session_state.get("roster_rows", TABLE_ROWS))
    selection = dataframe(
        display_table(table, today),
        hide_index=True,
        height=min(36 * (len(table) + 1) + 2, 720),
        on_select="rerun",
        selection_mode="single-row",
        key="roster_table",
        column_config={
            # a coloured pill per status, drawn by the browser (a pandas Styler took seconds at 10,000 rows)
            "Status": st.column_config.MultiselectColumn(
                "Status", options=[status_badge(status) for status in ROSTER_ORDER],
                color=[STATUS_CELL_COLOURS[status] for status in ROSTER_ORDER]),
            "Readiness": st.column_config.ProgressColumn(
                "Readiness", min_value=0, max_value=100, format="%d", help=READINESS_HELP),
            "Decided by": st.column_config.TextColumn("Decided by", help=RULE_HELP),
            "Why": st.column_config.TextColumn("Why", width="large", help=WHY_HELP),
            "Days since legs": st.column_config.NumberColumn("Days since legs", format="%d"),
        },
    )
    st.caption("Select a row to open the client. ⚠️ marks clients without a check-in for 3 days or more.")
    if len(shown) > len(table):
        st.caption(f"The first {len(table):,} of {len(shown):,} clients; filter or search to find the others.")
        if st.button(f"Show more ({len(shown) - len(table):,} not shown)", key="roster-more-rows"):
            st.session_state["roster_rows"] = len(table) + TABLE_ROWS
            st.rerun()
if selection.selection.rows:
    nav.open_client(table.iloc[selection.selection.rows[0]]["client_id"])

heatmap_rows = shown.head(HEATMAP_ROWS)
with session.database() as con:
    recent = metrics.clients_days(con, viewer, list(heatmap_rows["client_id"]), today - dt.timedelta(days=13), today)
if not recent.empty:
    st.subheader("Last 14 days")
    measure = st.radio("Show", ["readiness", "max_soreness"], horizontal=True,
                       format_func=lambda m: "Readiness" if m == "readiness" else "Max soreness")
    if len(shown) > HEATMAP_ROWS:
        st.caption(f"The first {HEATMAP_ROWS} of {len(shown)} clients in the list above; filter to see others.")
    st.altair_chart(charts.roster_heatmap(recent, heatmap_rows, measure), width="stretch")
