"""One audit helper called by every write: each public write function of the data layer
adds exactly one audit_log row through `audit.record`, naming who acted, what they did
and to which ids, never a client's free text (docs/design.md, Audit).

The walk finds the writes itself (a public function of `pipelines` that opens a
transaction or holds an insert, update or delete), so a new write fails here until it is
in AUDITED with its action, or in NOT_AUDITED with the reason; and every other function
that takes a viewer is called as the owner and must leave the database as it was.
"""

from __future__ import annotations

import inspect
import re
import shutil

import pytest

from pipelines import db
from tests.helpers.clock import AS_OF
from tests.helpers.viewers import acting
from tests.helpers.walk import (
    FOREIGN_NAME,
    build_world,
    data_functions,
    parameters,
    sample_arguments,
)

OLGA = acting("olga")
WRITES_SQL = re.compile(r"transaction\(|insert\s+(or\s+replace\s+)?into|update\s+\w+\s+set|delete\s+from", re.I)

# Every public write and the action(s) of its audit row, in order.
AUDITED = {
    "pipelines.done_sessions.add_session": ("done_session.add",),
    "pipelines.done_sessions.correct_session": ("done_session.correct",),
    "pipelines.done_sessions.remove_session": ("done_session.remove",),
    "pipelines.metrics.set_threshold": ("threshold.set",),
    "pipelines.overrides.clear_override": ("override.clear",),
    "pipelines.overrides.set_override": ("override.set",),
    "pipelines.people.add_client": ("client.add",),
    "pipelines.people.add_trainer": ("trainer.add",),
    "pipelines.people.assign_trainer": ("client.assign",),
    "pipelines.people.import_clients": ("client.import",),
    "pipelines.people.set_client_active": ("client.deactivate",),
    "pipelines.plans.restore_revision": ("plan.save",),
    "pipelines.plans.save_plan": ("plan.save",),
    # Two transactions by design (docs/reliability.md, Erasure): the delete, then the
    # overwriting of the file, each logged; a cut-short erasure shows as the first alone.
    "pipelines.privacy.delete_client": ("client deleted", "client erased"),
    "pipelines.reminders.record_sent": ("reminder.email",),
    "pipelines.reminders.save_email": ("contact.email",),
    "pipelines.sessions.add_session": ("session.add",),
    "pipelines.sessions.delete_session": ("session.delete",),
    "pipelines.sessions.mark_done": ("session.done",),
    "pipelines.sessions.update_session": ("session.update",),
    "pipelines.tokens.create_link": ("link.create",),
    "pipelines.tokens.revoke_links": ("link.revoke",),
}

_INGEST_RUN = "recorded as its ingest run (ingest_runs: who imported, which bytes by hash, with which mapping, counts)"
_INGEST_STEP = "a step inside ingest_file, submit_checkin or retry_quarantine, whose ingest run records it"
_LOGIN = "a login session (the cookie), not a change to anyone's data; login_attempts records each login"

# Public functions that write without an audit row, and why.
NOT_AUDITED = {
    "pipelines.audit.record": "the helper itself",
    "pipelines.db.transaction": "the transaction itself",
    "pipelines.db.in_transaction": "only asks whether a transaction block is open (its name matches the search)",
    "pipelines.db.migrate": "the schema, not anyone's data; schema_version records each step",
    "pipelines.load_state.rebuild_if_changed": "a step of migrate (derived rows)",
    "pipelines.load_state.refresh": "derived load rows inside a write that records its own row",
    "pipelines.demo.build_demo": "fills an empty (or --replace'd) database with made-up people in bulk; its plans, "
    "override and sessions go through save_plan, set_override and add_session, which write their rows",
    "pipelines.access.login": "each try is logged in login_attempts (who, when, ok), the backoff's own record",
    "pipelines.tokens.resolve_token": "each try of a link is logged in token_attempts, the backoff's own record",
    "pipelines.metrics.threshold_preview": "writes only inside a transaction that is always rolled back",
    "pipelines.sessions.projected_day": "writes only a probe it undoes: its own transaction is rolled back; "
    "inside the caller's the probe is deleted again",
    "pipelines.privacy.erase_pending": "the second half of delete_client, which the walk checks with both rows",
    "pipelines.checkin_form.submit_checkin": _INGEST_RUN,
    "pipelines.ingest.pipeline.ingest_file": _INGEST_RUN,
    "pipelines.ingest.quarantine.retry_quarantine": _INGEST_RUN,
    "pipelines.ingest.pipeline.settle_earlier_imports": _INGEST_STEP,
    "pipelines.ingest.sessions.ingest_sessions": _INGEST_STEP,
    "pipelines.ingest.sessions.check_sessions": _INGEST_STEP + " (a temp table of the file's rows)",
    **{f"pipelines.ingest.store.{name}": _INGEST_STEP
       for name in ("check_rows", "close_run", "open_run", "quarantine_rows", "requarantine_rows", "upsert_valid")},
    **{f"pipelines.trainer_sessions.{name}": _LOGIN for name in ("start", "touch", "revoke")},
}

# Free text a client or trainer typed: never copied into an audit row.
PRIVATE = {"reason": "private reason zqx", "notes": "private note zqx", "email": "zqx@example.org",
           "next_focus": "private focus zqx"}


def writes() -> set[str]:
    return {name for name, function in data_functions().items() if WRITES_SQL.search(inspect.getsource(function))}


def test_every_write_is_audited_or_says_why_not():
    found = writes()
    unlisted = sorted(found - set(AUDITED) - set(NOT_AUDITED))
    assert not unlisted, f"record the write with audit.record and add it to AUDITED, or to NOT_AUDITED with why: {unlisted}"
    stale = sorted((set(AUDITED) | set(NOT_AUDITED)) - set(data_functions()))
    assert not stale, f"these functions no longer exist: {stale}"
    assert not set(AUDITED) & set(NOT_AUDITED)


def test_audit_rows_are_written_by_the_one_helper_only():
    offenders = sorted(name for name, function in data_functions().items()
                       if "audit_log" in inspect.getsource(function) and "insert" in inspect.getsource(function)
                       and name != "pipelines.audit.record")
    assert offenders == []


@pytest.fixture(scope="module")
def template(tmp_path_factory):
    """build_world's database, closed; each write below runs on its own copy."""
    world = build_world(tmp_path_factory.mktemp("audit-template"))
    world["con"].close()
    return world


@pytest.fixture
def world(template, tmp_path):
    shutil.copy(template["tmp_path"] / "walk.duckdb", tmp_path / "walk.duckdb")
    con = db.connect(tmp_path / "walk.duckdb")
    db.set_as_of(con, AS_OF)
    yield {**template, "con": con, "tmp_path": tmp_path}
    con.close()


def _arguments(function, world) -> dict:
    """Olga (owner) acts on her client c1, its session and done session, typing private text."""
    arguments = sample_arguments(function, world, client="c1", session_id=world["foreign_session"], viewer=OLGA)
    given = parameters(function)
    arguments.update({name: text for name, text in PRIVATE.items() if name in given})
    if "minutes" in given:
        arguments["minutes"] = 30  # a done session needs its minutes or its load
    if function.__name__ == "add_client":
        arguments.update(client_id="c9", name=FOREIGN_NAME + " the second")
    if function.__name__ == "add_trainer":
        arguments.update(trainer_id="eve", name="Eve Private")
    return arguments


def _audit_rows(con) -> list[tuple]:
    return con.execute("select actor, action, subject from audit_log order by logged_at, rowid").fetchall()


@pytest.mark.parametrize("name", sorted(AUDITED))
def test_each_write_leaves_exactly_its_audit_row(world, name):
    con = world["con"]
    function = data_functions()[name]
    before = _audit_rows(con)
    function(**_arguments(function, world))
    new = _audit_rows(con)[len(before):]
    assert [action for _, action, _ in new] == list(AUDITED[name]), new
    assert new[0][0] == "olga"
    for _, _, subject in new:
        assert subject and re.search(r"\b(c1|c9|eve|acwr_spike)\b|\d+ added", subject), subject
        assert "zqx" not in subject and "Álvarez" not in subject and "Private" not in subject, subject


def _fingerprint(con) -> dict[str, int]:
    tables = [row[0] for row in con.execute(
        "select table_name from information_schema.tables where table_type = 'BASE TABLE' order by 1").fetchall()]
    return {table: con.execute(f'select count(*), sum(hash(t)) from "{table}" as t').fetchone()  # noqa: S608
            for table in tables}


READERS = sorted(
    name for name, function in data_functions().items()
    if "viewer" in parameters(function) and name not in AUDITED and name not in NOT_AUDITED
    and not name.startswith("pipelines.access.")
)


def test_the_readers_are_the_viewer_functions_that_are_not_writes():
    assert "pipelines.metrics.roster" in READERS and "pipelines.plans.current_plan" in READERS


@pytest.mark.parametrize("name", READERS)
def test_every_other_viewer_function_changes_nothing(world, name):
    """What is not a listed write only reads: called by the owner, the database is as it was
    (so a write hidden in a helper cannot skip its audit row)."""
    con = world["con"]
    function = data_functions()[name]
    before = _fingerprint(con)
    function(**_arguments(function, world))
    assert _fingerprint(con) == before

