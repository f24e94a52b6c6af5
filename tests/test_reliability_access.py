"""A trainer cannot read or change another trainer's clients: data functions, pages,
query parameters, exports, imports and plan writes, by id guessing too.

The pages run on the demo database with every client of another trainer renamed
`FOREIGN-<id>`, so a leak anywhere in a page's elements is a plain substring.
"""

from __future__ import annotations

import pytest
from google.protobuf import text_format
from streamlit.testing.v1 import AppTest
from typer.testing import CliRunner

from dashboard import import_flow
from dashboard.downloads import csv_for
from pipelines import access, db, export, metrics, people
from pipelines.access import AccessDenied, Viewer
from pipelines.cli import app
from pipelines.ingest import ingest_file
from tests.helpers.dashboard_fixtures import app_as
from tests.helpers.viewers import OWNER, acting

SAM = Viewer("sam", "Sam Rivera", False)
MARK = "FOREIGN-"
GUESSES = ["c1", "C01", "c01 ", "'; drop table clients; --", "../c01", "c01' or '1'='1", "", "%", "*"]
PAGES = ["screens/roster.py", "screens/client.py", "screens/import_data.py", "screens/export.py",
         "screens/clients_admin.py", "screens/thresholds.py"]


@pytest.fixture
def marked_demo(demo_db):
    """The demo database with other trainers' clients renamed; returns (own ids, foreign ids)."""
    con = db.connect()
    con.execute("update clients set name = ? || client_id where trainer_id <> 'sam'", [MARK])
    own = [r[0] for r in con.execute("select client_id from clients where trainer_id = 'sam' order by 1").fetchall()]
    foreign = [r[0] for r in con.execute("select client_id from clients where trainer_id <> 'sam' order by 1").fetchall()]
    con.close()
    assert own and foreign
    return own, foreign


def page_text(at: AppTest) -> str:
    """Everything a page sent to the browser: element protos as text, tables as CSV."""
    parts = []
    for node in at._tree:
        value = getattr(node, "value", None) if node.type in ("arrow_data_frame", "dataframe", "table") else None
        if value is not None and hasattr(value, "to_csv"):
            parts.append(value.to_csv())
        elif getattr(node, "proto", None) is not None:
            parts.append(text_format.MessageToString(node.proto, as_utf8=True))
    return "\n".join(parts)


# Data functions -----------------------------------------------------------------------------------


def test_data_functions_scope_to_the_trainer(marked_demo):
    own, foreign = marked_demo
    con = db.connect()
    assert access.visible_client_ids(con, SAM) == set(own)
    assert set(people.client_list(con, SAM)["client_id"]) == set(own)
    assert [trainer_id for trainer_id, _ in people.trainers(con, SAM)] == ["sam"]
    assert set(metrics.roster(con, SAM)["client_id"]) <= set(own)
    for what in export.EXPORTS:
        frame = export.export_frame(con, SAM, what)
        assert set(frame["client_id"]) <= set(own), what
        for client_id in foreign[:3]:
            assert export.export_frame(con, OWNER, what, trainer_id=SAM.scope, client_id=client_id).empty, (what, client_id)
    con.close()


def test_require_client_refuses_every_foreign_or_guessed_id_with_one_message(marked_demo):
    own, foreign = marked_demo
    con = db.connect()
    for client_id in own:
        assert access.require_client(con, SAM, client_id) == client_id
    messages = set()
    for client_id in [*foreign, *GUESSES, None]:
        with pytest.raises(AccessDenied) as denied:
            access.require_client(con, SAM, client_id)
        messages.add(str(denied.value))
    assert messages == {"No such client in your list."}
    con.close()


# Exports ------------------------------------------------------------------------------------------


def test_dashboard_downloads_refuse_foreign_clients_and_scope_the_rest(marked_demo):
    own, foreign = marked_demo
    for what in export.EXPORTS:
        for client_id in [*foreign, *GUESSES]:
            with pytest.raises(AccessDenied):
                csv_for(what, SAM, client_id)
        assert MARK not in csv_for(what, SAM).decode()
        scoped = csv_for(what, SAM).decode()
        assert not any(f"\r\n{client_id}," in scoped for client_id in foreign), what
    assert MARK in csv_for("roster", OWNER).decode()  # the owner's export does show them: the scan sees names


def test_cli_export_with_trainer_holds_only_their_clients(marked_demo, tmp_path):
    own, foreign = marked_demo
    runner = CliRunner()
    for what in export.EXPORTS:
        out = tmp_path / f"{what}.csv"
        result = runner.invoke(app, ["export", what, "--out", str(out), "--trainer", "sam"])
        assert result.exit_code == 0, result.output
        text = out.read_text()
        assert MARK not in text and not any(f"\r\n{client_id}," in text for client_id in foreign), what
        guessed = tmp_path / f"{what}-guess.csv"
        result = runner.invoke(app, ["export", what, "--out", str(guessed), "--trainer", "sam", "--client", foreign[0]])
        assert result.exit_code == 0 and result.output.startswith(f"{guessed}: 0 rows"), result.output


# Imports ------------------------------------------------------------------------------------------


def test_import_as_a_trainer_stores_nothing_for_foreign_clients(marked_demo):
    own, foreign = marked_demo
    con = db.connect()
    rows = "\n".join(f"{client_id},2026-11-20,9,9,9,9,3,1,1,1,1" for client_id in [*foreign, "zzz"])
    data = f"client_id,checkin_date,soreness_quads,soreness_hamstrings,soreness_glutes,soreness_calves,sleep_hours,sleep_quality,energy,stress,mood\n{rows}\n"
    before = con.execute("select * from check_ins order by all").fetchall()
    result = ingest_file(con, SAM, data.encode(), file_name="x.csv")
    assert (result.accepted, result.updated, result.quarantined) == (0, 0, len(foreign) + 1)
    assert con.execute("select * from check_ins order by all").fetchall() == before
    rules = {r[0] for r in con.execute("select distinct rule from quarantine where run_id = ?", [result.run_id]).fetchall()}
    assert rules == {"not_your_client"}
    con.close()


def test_a_trainer_cannot_read_the_held_back_rows_of_someone_elses_import(marked_demo):
    own, foreign = marked_demo
    con = db.connect()
    row = f"client_id,checkin_date,soreness_quads,soreness_hamstrings,soreness_glutes,soreness_calves,sleep_hours,sleep_quality,energy,stress,mood\n{foreign[0]},2026-02-30,1,1,1,1,7,3,3,3,3\n"
    theirs = ingest_file(con, acting("demo"), row.encode(), file_name="theirs.csv")
    assert theirs.quarantined == 1
    for run_id in (theirs.run_id, theirs.run_id + 1000, 0, -1):
        with pytest.raises(AccessDenied, match="No such import in your list."):
            import_flow.quarantined_rows(con, SAM, run_id)
    con.close()


# Pages --------------------------------------------------------------------------------------------


@pytest.mark.parametrize("page", PAGES)
def test_no_page_shows_a_foreign_client(marked_demo, page):
    at = app_as(SAM).run()
    at.switch_page(page).run()
    assert not at.exception, at.exception
    assert MARK not in page_text(at)


def test_client_page_query_parameter_and_session_guessing_never_opens_a_foreign_client(marked_demo):
    own, foreign = marked_demo
    for guess in [*foreign, *GUESSES]:
        for via in ("query", "session"):
            at = app_as(SAM, client=guess) if via == "query" else app_as(SAM)
            if via == "session":
                at.session_state["client_id"] = guess
            at.switch_page("screens/client.py").run()
            assert not at.exception, (guess, via, at.exception)
            assert at.selectbox[0].value in own, (guess, via)
            assert set(at.selectbox[0].options) <= {name for name in _own_names(own)}
            assert MARK not in page_text(at), (guess, via)


def _own_names(own: list[str]) -> set[str]:
    con = db.connect()
    names = {r[0] for r in con.execute("select name from clients where list_contains(?, client_id)", [own]).fetchall()}
    con.close()
    return names


def test_owner_only_controls_are_absent_for_a_trainer(marked_demo):
    at = app_as(SAM).run()
    at.switch_page("screens/clients_admin.py").run()
    assert "Assign trainer" not in [box.label for box in at.selectbox]
    trainer_box = next(box for box in at.selectbox if box.label == "Trainer")
    assert trainer_box.options == ["Sam Rivera"]
    at.switch_page("screens/thresholds.py").run()
    assert not at.number_input and "Only an owner can change thresholds." in [i.value for i in at.info]


# Plan writes --------------------------------------------------------------------------------------


def _plan_block(client_id: str) -> None:
    from dashboard import plan_section
    from pipelines.access import Viewer

    plan_section.render(Viewer("sam", "Sam Rivera", False), client_id, "rest")


@pytest.mark.parametrize("guess", ["foreign", "unknown"])
def test_the_plan_block_refuses_a_foreign_client_before_reading_or_writing(marked_demo, guess):
    own, foreign = marked_demo
    client_id = foreign[0] if guess == "foreign" else "c999"
    con = db.connect()
    before = [con.execute(f"select count(*) from {t}").fetchone()[0] for t in ("plans", "plan_items", "status_overrides")]  # noqa: S608
    con.close()
    at = AppTest.from_function(_plan_block, args=(client_id,), default_timeout=60).run()
    assert at.exception and "No such client in your list." in at.exception[0].message
    assert not at.button and not at.get("arrow_data_frame") and MARK not in page_text(at)
    con = db.connect()
    after = [con.execute(f"select count(*) from {t}").fetchone()[0] for t in ("plans", "plan_items", "status_overrides")]  # noqa: S608
    con.close()
    assert after == before


def test_the_plan_block_works_for_an_own_client(marked_demo):
    own, _ = marked_demo
    at = AppTest.from_function(_plan_block, args=(own[0],), default_timeout=60).run()
    assert not at.exception
    assert "Save plan" in [button.label for button in at.button]
