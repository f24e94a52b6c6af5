"""User text is text everywhere: every user-text field, on every page that shows it, with a
markdown link, an image link and HTML in it, draws no link, image or HTML.

Each field gets its own hostile value (tagged with the field's name, no spaces so a first
name keeps all of it). A page passes when the value is shown (as text, once its escapes are
read) and no string the page hands Streamlit's markdown renderer parses to a link, an image,
raw HTML or a bare URL.
"""

from __future__ import annotations

import re
from urllib.parse import urlsplit

import pytest
from markdown_it import MarkdownIt
from markdown_it.common.utils import escapeHtml
from streamlit.testing.v1 import AppTest

from dashboard import checkin_form
from dashboard.formatting import WORD_JOINER, plain
from pipelines import db, overrides, plans, sessions, tokens
from pipelines.access import Viewer
from pipelines.ingest import ingest_file
from tests.helpers.clock import AS_OF
from tests.helpers.dashboard_fixtures import app_as, shown, unescaped
from tests.helpers.viewers import OWNER, acting


def hostile(tag: str) -> str:
    return f"![{tag}](http://127.0.0.1:9/{tag}.png)[{tag}](http://127.0.0.1:9/{tag})<b>{tag}</b>"


FIELDS = ["client", "trainer", "reason", "item", "timing", "focus", "notes", "note", "header", "file"]
VALUE = {field: hostile(field) for field in FIELDS}
CHECKIN_HEADER = "client_id,checkin_date,soreness_quads,soreness_hamstrings,soreness_glutes,soreness_calves," \
                 "sleep_hours,sleep_quality,energy,stress,mood,notes"

# (field, page): every place a user-text field reaches a page.
CASES = [
    ("client", "roster"), ("client", "today"), ("client", "client"), ("client", "brief"),
    ("client", "checkin"), ("client", "checkin-done"),
    ("trainer", "roster"), ("trainer", "client"),
    ("reason", "client"), ("reason", "brief"), ("reason", "today"),
    ("item", "brief"), ("item", "checkin-done"), ("timing", "brief"), ("timing", "checkin-done"),
    ("focus", "brief"), ("focus", "checkin-done"), ("notes", "brief"), ("notes", "checkin-done"),
    ("note", "client"), ("note", "brief"),
    ("header", "import"), ("file", "import-again"),
]

MARKDOWN = MarkdownIt("commonmark").enable(["table", "strikethrough"])
DRAWN = {"link_open", "image", "html_inline", "html_block", "autolink"}
# What GitHub-flavoured markdown links without brackets (Streamlit's renderer does), read
# after escapes: an address with a scheme, a www. host, an e-mail address.
BARE_LINK = re.compile(r"(?i)https?://|www\.|[\w.+-]@[\w-]")


@pytest.fixture
def hostile_db(demo_db):
    con = db.connect()
    client_id = con.execute("select min(client_id) from clients where trainer_id = 'sam' and active").fetchone()[0]
    today = db.as_of(con)
    row = f"{client_id},{today},1,1,1,1,7,3,3,3,3,{VALUE['note']}\n"
    ingest_file(con, OWNER, (CHECKIN_HEADER + "\n" + row).encode(), file_name="x.csv")
    con.execute("update clients set name = ? where client_id = ?", [VALUE["client"], client_id])
    plans.save_plan(con, acting("sam"), client_id, items=[{"title": VALUE["item"], "timing": VALUE["timing"]}],
                    next_intensity="light", next_focus=VALUE["focus"], notes=VALUE["notes"])
    overrides.set_override(con, acting("sam"), client_id, "caution", VALUE["reason"])
    sessions.add_session(con, acting("sam"), client_id, day=today, session_type="legs", minutes=45, rpe=6)
    link = tokens.create_link(con, acting("sam"), client_id, days=1, base_url="http://x")
    con.close()
    return client_id, urlsplit(link).query.removeprefix("t=")


def markdown_strings(node) -> list[str]:
    """Every string of the page that Streamlit draws as markdown: bodies of markdown,
    headings, captions and alerts; labels and help of widgets."""
    found = []
    proto = getattr(node, "proto", None)
    # Constant HTML (the page's own CSS and scripts) is left out: test_no_user_text_can_reach_html
    # proves only constant strings reach it.
    constant_html = proto is not None and (getattr(proto, "allow_html", False) or type(proto).__name__ == "Html")
    if proto is not None and hasattr(proto, "ListFields") and not constant_html:
        for field, value in proto.ListFields():
            if field.name in ("body", "label", "help") and isinstance(value, str):
                found.append(value)
    for child in getattr(node, "children", {}).values() if isinstance(getattr(node, "children", None), dict) else []:
        found += markdown_strings(child)
    return found


def cells(at: AppTest) -> set[str]:
    """Cells of st.dataframe (drawn as text) and of st.table (drawn as markdown; read back)."""
    drawn_as_text = {str(cell) for frame in at.dataframe for cell in frame.value.to_numpy().ravel()}
    return drawn_as_text | {shown(str(cell)) for table in at.table for cell in table.value.to_numpy().ravel()}


def table_cells(at: AppTest) -> list[str]:
    return [str(cell) for table in at.table for cell in table.value.to_numpy().ravel()]


def run_page(page: str, client_id: str, token: str) -> AppTest:
    trainer = Viewer("sam", VALUE["trainer"], False)
    if page in ("checkin", "checkin-done"):
        at = app_as(None, t=token)
        if page == "checkin-done":
            at.session_state[checkin_form.DONE_KEY] = AS_OF  # the day just sent
        return at.run()
    at = app_as(trainer, client=client_id).run()
    if page.startswith("import"):
        at.switch_page("screens/import_data.py").run()
        upload = (CHECKIN_HEADER + f",{VALUE['header']}\n{client_id},2026-11-18,1,1,1,1,7,3,3,3,3,,x\n").encode()
        at.file_uploader[0].set_value((f"{VALUE['file']}.csv", upload, "text/csv")).run()
        at.button[0].click().run()
        if page == "import-again":
            at.button[0].click().run()
        return at
    return at.switch_page(f"screens/{page}.py").run()


@pytest.mark.parametrize(("field", "page"), CASES, ids=[f"{field}-on-{page}" for field, page in CASES])
def test_user_text_is_shown_as_text_and_draws_nothing(hostile_db, field, page):
    client_id, token = hostile_db
    at = run_page(page, client_id, token)
    assert not at.exception
    strings = markdown_strings(at._tree)
    texts = [shown(text) for text in strings] + sorted(cells(at))
    assert any(VALUE[field] in text for text in texts), f"{field} is not on the {page} page"
    for text in strings + table_cells(at):
        tokens_ = MARKDOWN.parse(text)
        drawn = {token.type for block in tokens_ for token in [block, *(block.children or [])]} & DRAWN
        assert not drawn, f"{text!r} draws {drawn}"
        assert not BARE_LINK.search(unescaped(text)), f"{text!r} has a bare address GFM turns into a link"


def test_plain_shows_every_character_as_typed():
    """The escape is exact: a markdown renderer reads each escaped mark back as itself."""
    typed = "Ana *O'Brien* [x](y) ![i](j) `z` <b> $1$ :red[r] #1 a_b \\ ~s~ | 100% http://h/p www.w.org a@b.co"
    assert MARKDOWN.renderInline(plain(typed)).replace(WORD_JOINER, "") == escapeHtml(typed)
