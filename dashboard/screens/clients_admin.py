"""Clients: add, deactivate, assign a trainer, create or revoke check-in links."""

import functools

import streamlit as st

from dashboard import downloads, layout, links, session
from dashboard.formatting import dataframe, plain
from pipelines import people, privacy, tokens
from pipelines.settings import get_settings

viewer = session.viewer()
settings = get_settings()
with session.database() as con:
    clients = people.client_list(con, viewer)
    trainer_names = dict(people.trainers(con, viewer))

st.title("Clients")
layout.docs("docs/plans-and-links.md", "check-in links and their threat model")

with st.expander("Add a client", expanded=clients.empty):
    with st.form("add_client", clear_on_submit=True):
        cols = st.columns(2)
        client_id = cols[0].text_input("Client code", max_chars=64, help="Short, no spaces, e.g. ana-a")
        name = cols[1].text_input("Name", max_chars=200)
        trainer_id = cols[0].selectbox("Trainer", list(trainer_names), format_func=trainer_names.get)
        since = cols[1].date_input("Check-ins count from (optional)", value=None)
        if st.form_submit_button("Add client", type="primary"):
            try:
                with session.database() as con:
                    people.add_client(con, viewer, client_id, name, trainer_id, since)
            except ValueError as error:
                st.error(plain(error))
            else:
                st.success(f"Added {plain(name)}. Create their check-in link below.")
                st.rerun()

if clients.empty:
    st.info("No clients yet: add your first one above.")
    st.stop()

dataframe(
    clients.drop(columns=["trainer_id"]),
    hide_index=True,
    column_config={
        "client_id": "Code", "name": "Name", "trainer": "Trainer", "active": "Active",
        "since": st.column_config.DateColumn("Since", format="YYYY-MM-DD"),
        "link_expires": st.column_config.DatetimeColumn("Link valid until", format="YYYY-MM-DD"),
        "last_checkin": st.column_config.DateColumn("Last check-in", format="YYYY-MM-DD"),
    },
)

st.subheader("Manage one client")
names = dict(zip(clients["client_id"], clients["name"], strict=True))
selected = st.selectbox("Client", list(names), format_func=names.get, key="admin_client")
row = clients.set_index("client_id").loc[selected]

link_cols = st.columns(3)
days = link_cols[0].number_input("Link valid for (days)", 1, 365, settings.link_days)
if link_cols[1].button("Create check-in link", type="primary"):
    with session.database() as con:
        url = tokens.create_link(con, viewer, selected, days=int(days), base_url=links.base_url())
    st.success("New link (shown only once; any older link stops working). Send it to the client:")
    st.code(url, language=None)
    links.warn_if_local(links.base_url())
if link_cols[2].button("Revoke link"):
    with session.database() as con:
        tokens.revoke_links(con, viewer, selected)
    st.info("The client's link no longer works.")

action_cols = st.columns(2)
if row["active"]:
    if action_cols[0].button("Deactivate client"):
        with session.database() as con:
            people.set_client_active(con, viewer, selected, False)
        st.rerun()
elif action_cols[0].button("Reactivate client"):
    with session.database() as con:
        people.set_client_active(con, viewer, selected, True)
    st.rerun()

if viewer.is_owner:
    new_trainer = action_cols[1].selectbox(
        "Assign trainer", list(trainer_names), index=list(trainer_names).index(row["trainer_id"]),
        format_func=trainer_names.get,
    )
    if new_trainer != row["trainer_id"] and action_cols[1].button("Assign"):
        with session.database() as con:
            people.assign_trainer(con, viewer, selected, new_trainer)
        st.rerun()

st.subheader("Privacy")
privacy_cols = st.columns(2)
privacy_cols[0].download_button(
    "Download everything stored about this client (zip)",
    data=functools.partial(downloads.client_zip, viewer, selected),
    file_name=f"legday-client-{selected}.zip",
    mime="application/zip",
    icon=":material/folder_zip:",
)
with privacy_cols[1].popover("Delete this client for good"):
    st.warning("This removes every check-in, plan and note of this client. It cannot be undone; "
               "older backups still hold copies until you delete them.")
    confirm = st.text_input("Type the client code to confirm", key=f"delete_confirm_{selected}")
    if st.button("Delete client", type="primary", disabled=confirm != selected, key=f"delete_{selected}"):
        try:
            with st.spinner("Deleting, then overwriting the client's data in the file…"), session.database() as con:
                privacy.delete_client(con, viewer, selected)
        except privacy.ErasureUnfinished as error:
            st.warning(f"Deleted. {error}")
            st.stop()
        st.session_state.pop("admin_client", None)
        st.rerun()
