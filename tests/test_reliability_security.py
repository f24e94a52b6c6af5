"""Check-in links, sessions, the app's config and HTML: each security statement of issue 5
has a test here (or in the file named in docs/reliability.md) that fails if it breaks."""

from __future__ import annotations

import ast
import base64
import datetime as dt
import tomllib
from pathlib import Path

import pytest

from dashboard import layout
from pipelines import clock, db, load_state, people, plans, tokens
from pipelines.checkin_form import CheckInForm, submit_checkin
from pipelines.ingest import ingest_file
from pipelines.tokens import InvalidToken, TooManyAttempts
from tests.helpers.clock import freeze
from tests.helpers.dashboard_fixtures import LEG_DAY_ANSWERS, answer_checkin, app_as, send
from tests.helpers.viewers import OWNER, acting
from tests.test_reliability_access import SAM, page_text

ROOT = Path(__file__).resolve().parent.parent
SCRIPT = "<script>alert('x')</script><img src=x onerror=alert(1)>"


def _token(con, client_id: str, days: int = 30) -> str:
    url = tokens.create_link(con, acting("olga"), client_id, days=days, base_url="http://x")
    return url.split("?t=", 1)[1]


def _age_attempts(con, seconds: float) -> None:
    con.execute("update token_attempts set attempted_at = attempted_at - to_microseconds(?::bigint)",
                [int(seconds * 1_000_000)])


# Tokens -------------------------------------------------------------------------------------------


def test_tokens_are_256_bit_random_and_never_repeat(two_trainers):
    seen = set()
    for _ in range(200):
        token = _token(two_trainers, "c1")
        raw = base64.urlsafe_b64decode(token + "=")
        assert len(raw) == 32
        seen.add(token)
    assert len(seen) == 200
    # hash-only storage, expiry and revocation: tests/test_tokens.py


def test_a_token_submits_only_for_its_own_client(two_trainers):
    form = CheckInForm.model_validate(
        {"client_id": "c1", "checkin_date": dt.date(2026, 11, 20), "soreness_quads": 1, "soreness_hamstrings": 1,
         "soreness_glutes": 1, "soreness_calves": 1, "sleep_hours": 7, "sleep_quality": 3, "energy": 3,
         "stress": 3, "mood": 3},
        context={"today": dt.date(2026, 11, 20)},
    )
    client_id = tokens.resolve_token(two_trainers, _token(two_trainers, "c2"))
    submit_checkin(two_trainers, OWNER, client_id, form)
    assert two_trainers.execute("select client_id from check_ins").fetchall() == [("c2",)]


def test_the_checkin_page_ignores_everything_but_the_token(demo_db):
    con = db.connect()
    mine, other = [r[0] for r in con.execute("select client_id from clients where active order by 1 limit 2").fetchall()]
    today = db.as_of(con)
    con.execute("delete from check_ins where checkin_date = ?", [today])
    load_state.refresh(con, None)
    before_other = con.execute("select * from check_ins where client_id = ? order by all", [other]).fetchall()
    token = _token(con, mine)
    con.close()
    at = app_as(None, t=token, client=other, client_id=other, checkin_client=other)
    at.session_state["client_id"] = other
    at.run()
    assert not at.exception
    assert at.query_params["t"] == token  # kept in the URL so the page can be bookmarked
    send(answer_checkin(at, LEG_DAY_ANSWERS))
    assert not at.exception and "Thank you" in [t.value.split(",")[0] for t in at.title]
    con = db.connect()
    stored = con.execute("select client_id from check_ins where checkin_date = ?", [today]).fetchall()
    assert stored == [(mine,)]
    assert con.execute("select * from check_ins where client_id = ? order by all", [other]).fetchall() == before_other
    con.close()


def test_guessing_is_held_back_per_source_with_growing_waits(two_trainers):
    good = _token(two_trainers, "c1")
    for attempt in range(tokens.FREE_FAILURES_PER_SOURCE):
        with pytest.raises(InvalidToken) as failed:
            tokens.resolve_token(two_trainers, f"guess-{attempt:02d}-" + "x" * 30, source="10.0.0.9")
        assert not isinstance(failed.value, TooManyAttempts)
    waits = []
    for _ in range(3):
        with pytest.raises(TooManyAttempts) as held:
            tokens.resolve_token(two_trainers, good, source="10.0.0.9")  # even the right token is not checked
        waits.append(held.value.wait_seconds)
        _age_attempts(two_trainers, held.value.wait_seconds)
        with pytest.raises(InvalidToken):
            tokens.resolve_token(two_trainers, "another-wrong-guess-" + "y" * 30, source="10.0.0.9")
    assert waits == [2, 4, 8]
    assert tokens.resolve_token(two_trainers, good, source="10.0.0.7") == "c1"  # other sources are not held
    recorded = two_trainers.execute("select source, count(*) from token_attempts group by 1").fetchall()
    assert recorded == [("10.0.0.9", tokens.FREE_FAILURES_PER_SOURCE + 3)]  # held look-ups are not recorded


def test_backoff_is_capped_and_the_window_forgets(two_trainers):
    now = clock.now()
    two_trainers.executemany(
        "insert into token_attempts values ('1.2.3.4', ?)", [[now - dt.timedelta(seconds=1)]] * 40
    )
    assert tokens.attempt_wait_seconds(two_trainers, "1.2.3.4") == tokens.MAX_BACKOFF_SECONDS - 1
    _age_attempts(two_trainers, tokens.ATTEMPT_WINDOW.total_seconds())
    assert tokens.attempt_wait_seconds(two_trainers, "1.2.3.4") == 0
    with pytest.raises(InvalidToken):
        tokens.resolve_token(two_trainers, "z" * 43, source="1.2.3.4")
    assert two_trainers.execute("select count(*) from token_attempts").fetchone()[0] == 1  # old rows pruned


def test_guessing_spread_over_many_sources_is_held_back_overall(two_trainers, monkeypatch):
    now = freeze(monkeypatch, clock.now())  # a slow insert must not outlast the 2 s backoff
    two_trainers.executemany(
        "insert into token_attempts values (?, ?)",
        [[f"10.1.{i // 250}.{i % 250}", now] for i in range(tokens.FREE_FAILURES_OVERALL)],
    )
    with pytest.raises(TooManyAttempts):
        tokens.resolve_token(two_trainers, _token(two_trainers, "c1"), source="192.168.5.5")


def test_a_right_token_does_not_reset_the_count(two_trainers):
    good = _token(two_trainers, "c1")
    for attempt in range(tokens.FREE_FAILURES_PER_SOURCE - 1):
        with pytest.raises(InvalidToken):
            tokens.resolve_token(two_trainers, "w" * 40 + str(attempt), source="s")
    assert tokens.resolve_token(two_trainers, good, source="s") == "c1"
    with pytest.raises(InvalidToken):
        tokens.resolve_token(two_trainers, "w" * 43, source="s")
    with pytest.raises(TooManyAttempts):
        tokens.resolve_token(two_trainers, good, source="s")


def test_malformed_tokens_count_as_guesses(two_trainers):
    for token in ["", "short", "x" * 500, "'; drop table client_tokens; --"]:
        with pytest.raises(InvalidToken):
            tokens.resolve_token(two_trainers, token, source="m")
    assert two_trainers.execute("select count(*) from token_attempts where source = 'm'").fetchone()[0] == 4
    assert two_trainers.execute("select count(*) from client_tokens").fetchone()[0] == 0


def test_the_checkin_page_holds_back_a_browser_that_guesses(demo_db, monkeypatch):
    freeze(monkeypatch, clock.now())  # slow page runs must not outlast the backoff
    con = db.connect()
    client_id = con.execute("select min(client_id) from clients where active").fetchone()[0]
    token = _token(con, client_id)
    con.close()
    for attempt in range(tokens.FREE_FAILURES_PER_SOURCE):
        at = app_as(None, t=f"guess-{attempt}-" + "q" * 30).run()
        assert [e.value for e in at.error] == ["This link is no longer valid — ask your trainer for a new one."]
    at = app_as(None, t=token).run()
    assert not at.slider and at.error  # the real link waits too: guesses from here are not checked
    con = db.connect()
    assert con.execute("select count(*) from token_attempts where source = 'unknown'").fetchone()[0] == 5
    con.close()


# Sessions and logins ------------------------------------------------------------------------------


def test_a_session_times_out_after_inactivity(demo_db, monkeypatch):
    at = app_as(SAM)
    at.session_state["last_active"] = clock.now() - dt.timedelta(minutes=61)
    at.run()
    assert not at.exception
    assert "viewer" not in at.session_state
    assert "You were logged out after a period of inactivity." in [i.value for i in at.info]
    assert "Password" in [field.label for field in at.text_input]  # the login page


def test_an_active_session_stays_and_is_refreshed(demo_db):
    at = app_as(SAM)
    at.session_state["last_active"] = clock.now() - dt.timedelta(minutes=59)
    at.run()
    assert at.session_state["viewer"] == SAM
    assert clock.now() - at.session_state["last_active"] < dt.timedelta(seconds=60)
    # login backoff per user and argon2id rehash on login: tests/test_access.py


def test_ids_with_invisible_characters_are_refused(two_trainers):
    for lookalike in ["c\u200b2", "\u202e2c", "c2\u2060", "c\ufeff2"]:
        with pytest.raises(people.PeopleError, match="invisible characters"):
            people.add_client(two_trainers, OWNER, lookalike, "Look Alike", "sam")
        with pytest.raises(people.PeopleError, match="invisible characters"):
            people.add_trainer(two_trainers, OWNER, lookalike, "Look Alike", "trainer-pass-1")
    people.add_client(two_trainers, OWNER, "zoë", "Zoë 👩\u200d👩\u200d👧", "sam")  # names may hold a ZWJ emoji


# Config and HTML ----------------------------------------------------------------------------------


def test_streamlit_config_keeps_xsrf_on_and_tracebacks_hidden():
    config = tomllib.loads((ROOT / ".streamlit" / "config.toml").read_text())
    assert config["server"]["enableXsrfProtection"] is True
    assert config["client"]["showErrorDetails"] == "none"


def _html_calls(tree: ast.AST):
    """Calls that can put HTML on the page: unsafe_allow_html=<not False>, st.html, components."""
    for node in ast.walk(tree):
        if not isinstance(node, ast.Call):
            continue
        name = node.func.attr if isinstance(node.func, ast.Attribute) else getattr(node.func, "id", "")
        unsafe = [k for k in node.keywords if k.arg == "unsafe_allow_html"]
        if unsafe and not (isinstance(unsafe[0].value, ast.Constant) and unsafe[0].value.value is False):
            yield node
        elif name in ("html", "iframe", "declare_component"):
            yield node


def _html_offenders(tree: ast.Module) -> list[int]:
    """Lines whose HTML is not a string literal or a module-level name bound once to one."""
    assigned = [target.id for node in ast.walk(tree) if isinstance(node, ast.Assign)
                for target in node.targets if isinstance(target, ast.Name)]
    constants = {
        node.targets[0].id for node in tree.body
        if isinstance(node, ast.Assign) and len(node.targets) == 1 and isinstance(node.targets[0], ast.Name)
        and isinstance(node.value, ast.Constant) and isinstance(node.value.value, str)
        and assigned.count(node.targets[0].id) == 1
    }
    offenders = []
    for call in _html_calls(tree):
        first = call.args[0] if call.args else None
        literal = isinstance(first, ast.Constant) and isinstance(first.value, str)
        if not (literal or (isinstance(first, ast.Name) and first.id in constants)):
            offenders.append(call.lineno)
    return offenders


def test_no_user_text_can_reach_html():
    offenders = []
    for path in sorted((ROOT / "dashboard").rglob("*.py")):
        offenders += [f"{path.relative_to(ROOT)}:{line}" for line in _html_offenders(ast.parse(path.read_text()))]
    assert offenders == []


def test_the_html_scan_catches_what_it_should():
    bad = ast.parse("st.markdown(name, unsafe_allow_html=True)\nst.html(f'<b>{x}</b>')\nst.markdown(y, unsafe_allow_html=flag)")
    assert len(list(_html_calls(bad))) == 3
    fine = ast.parse("st.markdown(name)\nst.markdown(name, unsafe_allow_html=False)")
    assert list(_html_calls(fine)) == []
    assert _html_offenders(ast.parse("CSS = '<style></style>'\nst.html(CSS)")) == []
    assert _html_offenders(ast.parse("CSS = '<style>'\nCSS = name\nst.html(CSS)")) == [3]
    assert _html_offenders(ast.parse("def f(CSS='x'):\n    st.html(CSS)")) == [2]


def test_script_in_user_text_reaches_the_page_only_as_text(demo_db):
    con = db.connect()
    client_id = con.execute("select min(client_id) from clients where trainer_id = 'sam' and active").fetchone()[0]
    today = db.as_of(con)
    row = (
        "client_id,checkin_date,soreness_quads,soreness_hamstrings,soreness_glutes,soreness_calves,sleep_hours,"
        f"sleep_quality,energy,stress,mood,notes\n{client_id},{today},1,1,1,1,7,3,3,3,3,\"{SCRIPT}\"\n"
    )
    assert ingest_file(con, OWNER, row.encode(), file_name="x.csv").updated == 1
    plans.save_plan(con, acting("sam"), client_id, items=[{"title": SCRIPT}], next_intensity="light", next_focus=SCRIPT,
                    notes=SCRIPT)
    con.execute("update clients set name = ? where client_id = ?", ["Bo " + SCRIPT, client_id])
    con.close()
    at = app_as(SAM, client=client_id).run()
    at.switch_page("screens/client.py").run()
    assert not at.exception
    cells = {str(cell) for frame in at.dataframe for cell in frame.value.to_numpy().ravel()}
    assert SCRIPT in cells  # the note is shown verbatim, as a table cell
    # the only HTML on the page is the fixed style sheet; no markdown allows HTML
    assert [element.proto.body for element in at.get("html")] == [layout.STYLE_SHEET.strip()]
    assert all(not m.allow_html for m in at.markdown)
    assert SCRIPT in page_text(at)
