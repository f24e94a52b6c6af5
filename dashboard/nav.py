"""The page objects, so pages can link to each other (st.switch_page / st.page_link)."""

from pathlib import Path

import streamlit as st

PAGES = Path(__file__).parent / "screens"

login = st.Page(PAGES / "login.py", title="Log in", icon=":material/login:", url_path="login")
checkin = st.Page(PAGES / "checkin.py", title="Check in", url_path="checkin")
roster = st.Page(PAGES / "roster.py", title="Roster", icon=":material/groups:", url_path="roster", default=True)
today = st.Page(PAGES / "today.py", title="Today", icon=":material/event:", url_path="today")
brief = st.Page(PAGES / "brief.py", title="Brief", icon=":material/print:", url_path="brief")
client = st.Page(PAGES / "client.py", title="Client", icon=":material/person:", url_path="client")
import_data = st.Page(PAGES / "import_data.py", title="Import", icon=":material/upload_file:", url_path="import")
export = st.Page(PAGES / "export.py", title="Export", icon=":material/download:", url_path="export")
clients_admin = st.Page(PAGES / "clients_admin.py", title="Clients", icon=":material/manage_accounts:", url_path="clients")
thresholds = st.Page(PAGES / "thresholds.py", title="Thresholds", icon=":material/tune:", url_path="thresholds")

TRAINER_PAGES = [roster, today, client, brief, import_data, export, clients_admin, thresholds]


def open_client(client_id: str) -> None:
    st.session_state["client_id"] = client_id
    st.switch_page(client)


def pick_client(roster) -> str:
    """A client selector over the roster, starting on the client last opened (or named by
    ?client=, when it is in this roster); the choice carries over to the other pages."""
    names = dict(zip(roster["client_id"], roster["name"], strict=True))
    ids = list(names)
    wanted = st.query_params.get("client") or st.session_state.get("client_id")
    client_id = st.selectbox("Client", ids, index=ids.index(wanted) if wanted in names else 0, format_func=names.get)
    st.session_state["client_id"] = client_id
    return client_id
