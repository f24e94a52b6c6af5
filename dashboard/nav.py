"""The pages, built afresh for every run of every session, and their link targets.

Streamlit marks the page object st.navigation returns as runnable for one call; page objects
shared between sessions (module-level st.Page) let one session's run use up another's and show
"This page cannot be called directly" when people arrive together. So every run builds its own
st.Page objects, and links (st.switch_page / st.page_link) name pages by their script path,
which Streamlit looks up in the session's own page registry.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import streamlit as st

SCREENS = Path(__file__).parent / "screens"


@dataclass(frozen=True)
class Screen:
    file: str
    title: str
    url_path: str
    icon: str | None = None
    default: bool = False

    @property
    def target(self) -> str:
        """The link target for st.switch_page / st.page_link (a path relative to app.py)."""
        return f"screens/{self.file}"

    def page(self) -> st.Page:
        """A fresh page object for this run only."""
        return st.Page(SCREENS / self.file, title=self.title, icon=self.icon, url_path=self.url_path,
                       default=self.default)


checkin = Screen("checkin.py", "Check in", "checkin")
roster = Screen("roster.py", "Roster", "roster", ":material/groups:", default=True)
today = Screen("today.py", "Today", "today", ":material/event:")
brief = Screen("brief.py", "Brief", "brief", ":material/print:")
client = Screen("client.py", "Client", "client", ":material/person:")
import_data = Screen("import_data.py", "Import", "import", ":material/upload_file:")
export = Screen("export.py", "Export", "export", ":material/download:")
clients_admin = Screen("clients_admin.py", "Clients", "clients", ":material/manage_accounts:")
thresholds = Screen("thresholds.py", "Thresholds", "thresholds", ":material/tune:")
reminders = Screen("reminders.py", "Reminders", "reminders", ":material/notifications:")

TRAINER_SCREENS = [roster, today, client, brief, reminders, import_data, export, clients_admin, thresholds]


def trainer_pages() -> list[st.Page]:
    return [screen.page() for screen in TRAINER_SCREENS]


def login_pages() -> list[st.Page]:
    """While logged out, every trainer page's address runs the login: a deep link or a
    bookmark asks to log in (instead of Streamlit's "Page not found"), keeps its address,
    and after the login the same address runs the page asked for (a page's identity in
    Streamlit is its url_path)."""
    return [st.Page(SCREENS / "login.py", title="Log in", icon=":material/login:", url_path=screen.url_path,
                    default=screen.default) for screen in TRAINER_SCREENS]


def open_client(client_id: str) -> None:
    st.session_state["client_id"] = client_id
    st.switch_page(client.target)


def pick_client(roster) -> str:
    """A client selector over the roster, starting on the client last opened (or named by
    ?client=, when it is in this roster); the choice carries over to the other pages."""
    names = dict(zip(roster["client_id"], roster["name"], strict=True))
    ids = list(names)
    wanted = st.query_params.get("client") or st.session_state.get("client_id")
    client_id = st.selectbox("Client", ids, index=ids.index(wanted) if wanted in names else 0, format_func=names.get)
    st.session_state["client_id"] = client_id
    return client_id
