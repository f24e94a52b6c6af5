"""Access lives in the data layer: every public function of `pipelines` that touches a
client takes the viewer and refuses one who may not see that client, before it reads or
writes anything (docs/design.md, Access).

The walk finds the functions itself, so a new data function is checked the day it is
written: one that takes a client id (client_id, client_ids, session_id) must take a
viewer too, unless NOT_CLIENT_SCOPED names it with the reason.
"""

from __future__ import annotations

import inspect
import json
import re
from pathlib import Path

import pytest
from typer.testing import CliRunner

import pipelines
from pipelines import access, db, plans, sessions
from pipelines.access import AccessDenied
from pipelines.cli import app as cli_app
from pipelines.errors import EXIT_REFUSED, LegdayError
from pipelines.ingest import retry_quarantine
from pipelines.people import PeopleError
from tests.helpers.clock import AS_OF
from tests.helpers.viewers import acting
from tests.helpers.walk import (
    FOREIGN_NAME,
    SAM,
    build_world,
    data_functions,
    parameters,
    sample_arguments,
)

ROOT = Path(__file__).resolve().parent.parent
CLIENT_PARAMETERS = {"client_id", "client_ids", "session_id", "done_session_id"}

# Public functions that take a client id but no viewer, and why that is right.
NOT_CLIENT_SCOPED = {
    "pipelines.access.require_client": "the check itself (takes the viewer)",
    "pipelines.access.require_clients": "the check itself (takes the viewer)",
    "pipelines.access.require_session": "the check itself (takes the viewer)",
    "pipelines.access.link_viewer": "makes the viewer of a check-in link that tokens.resolve_token found valid",
    "pipelines.load_state.refresh": "rebuilds derived load rows inside a write that already checked its viewer "
    "(sessions, check-ins, ingest); no page or command calls it",
    "pipelines.ingest.store.requarantine_rows": "a step of retry_quarantine inside its transaction (quarantine ids, "
    "not a reader's choice)",
    "pipelines.ingest.staging.quarantined_stage": "a step of retry_quarantine inside its transaction",
    **{
        f"pipelines.trainer_sessions.{name}": "session_id is a login session (the secret in a trainer's cookie), "
        "not a client's training session"
        for name in ("resume", "touch", "revoke")
    },
}

# Actions only an owner may take; each calls access.require_owner first.
OWNER_ONLY = {
    "pipelines.metrics.set_threshold",
    "pipelines.metrics.threshold_preview",
    "pipelines.people.add_trainer",
    "pipelines.people.assign_trainer",
    "pipelines.people.import_clients",
}


@pytest.fixture(scope="module")
def world(tmp_path_factory):
    """build_world's database, one for the module: every call here is refused or only
    reads, which _call checks."""
    world = build_world(tmp_path_factory.mktemp("walk"))
    yield world
    world["con"].close()


def _state(con) -> tuple:
    """What a refused call must leave as it was."""
    tables = ("clients", "check_ins", "plans", "status_overrides", "sessions", "client_tokens", "client_contacts",
              "audit_log", "trainers")
    counts = tuple(con.execute(f"select count(*) from {table}").fetchone()[0] for table in tables)  # noqa: S608
    return counts + tuple(con.execute("select list(value order by name) from thresholds").fetchone())


def _call(function, arguments):
    con = arguments.get("con")
    before = _state(con)
    try:
        function(**arguments)
    finally:
        assert _state(con) == before, f"{function.__module__}.{function.__name__} changed something"


CLIENT_FUNCTIONS = {
    name: function for name, function in data_functions().items()
    if parameters(function) & CLIENT_PARAMETERS and name not in NOT_CLIENT_SCOPED
}
VIEWER_FUNCTIONS = {name: function for name, function in data_functions().items() if "viewer" in parameters(function)}


def test_every_function_that_takes_a_client_takes_a_viewer():
    missing = sorted(name for name, function in CLIENT_FUNCTIONS.items() if "viewer" not in parameters(function))
    assert not missing, f"take a viewer and check it, or add to NOT_CLIENT_SCOPED with a reason: {missing}"
    stale = sorted(set(NOT_CLIENT_SCOPED) - set(data_functions()))
    assert not stale, f"NOT_CLIENT_SCOPED names functions that no longer exist: {stale}"


# Refusals other than AccessDenied, and why.
OTHER_REFUSALS = {
    "pipelines.people.add_client": (PeopleError, "client ids are unique across trainers: a taken id is refused "
                                    "as taken, which is all it says"),
}


@pytest.mark.parametrize("name", sorted(CLIENT_FUNCTIONS))
def test_a_client_of_another_trainer_is_refused(world, name):
    """Sam asks for Olga's client (or her client's session): refused, nothing changed."""
    function = CLIENT_FUNCTIONS[name]
    arguments = sample_arguments(function, world, client="c1", session_id=world["foreign_session"], viewer=SAM)
    with pytest.raises(OTHER_REFUSALS.get(name, (AccessDenied,))[0]):
        _call(function, arguments)


@pytest.mark.parametrize("name", sorted(CLIENT_FUNCTIONS))
def test_a_check_in_link_sees_only_its_own_client(world, name):
    function = CLIENT_FUNCTIONS[name]
    arguments = sample_arguments(
        function, world, client="c1", session_id=world["foreign_session"], viewer=access.link_viewer("c2")
    )
    with pytest.raises(AccessDenied):
        _call(function, arguments)


@pytest.mark.parametrize("name", sorted(OWNER_ONLY))
def test_owner_only_actions_refuse_a_trainer(world, name):
    """Sam's own client and session, still refused: only an owner may."""
    function = data_functions()[name]
    arguments = sample_arguments(function, world, client="c2", session_id=world["own_session"], viewer=SAM)
    with pytest.raises(AccessDenied, match="Only an owner"):
        _call(function, arguments)


def test_owner_only_lists_every_function_that_calls_the_owner_check():
    calling = {name for name, function in data_functions().items()
               if "require_owner(viewer)" in inspect.getsource(function) and name != "pipelines.access.require_owner"}
    conditional = {
        "pipelines.privacy.delete_client",  # finishing a cut-short erasure of a deleted client needs an owner
        "pipelines.ingest.quarantine.retry_quarantine",  # retrying every run at once needs an owner
    }
    assert calling - conditional == OWNER_ONLY


@pytest.mark.parametrize("name", sorted(
    name for name, f in VIEWER_FUNCTIONS.items() if "trainer_id" in parameters(f) and not name.startswith("pipelines.access.")
))
def test_a_trainer_cannot_name_another_trainer(world, name):
    function = VIEWER_FUNCTIONS[name]
    arguments = sample_arguments(function, world, client="c2", session_id=world["own_session"], viewer=SAM,
                                 trainer="olga")
    with pytest.raises(AccessDenied):
        _call(function, arguments)


# Functions with a viewer and no client that write rather than list, and where that is tested.
WRITES_WITHOUT_A_CLIENT = {
    "pipelines.ingest.pipeline.ingest_file": "a trainer's rows for others' clients are held back, nothing stored "
    "(tests/test_reliability_access.py::test_import_as_a_trainer_stores_nothing_for_foreign_clients)",
    "pipelines.ingest.quarantine.retry_quarantine": "a trainer names a run they imported "
    "(test_a_trainer_cannot_retry_someone_elses_import below)",
}
LISTS = sorted(
    name for name, function in VIEWER_FUNCTIONS.items()
    if not parameters(function) & (CLIENT_PARAMETERS | {"trainer_id"}) and name not in OWNER_ONLY
    and not name.startswith("pipelines.access.") and name not in WRITES_WITHOUT_A_CLIENT
)


@pytest.mark.parametrize("name", LISTS)
def test_lists_of_clients_hold_only_the_viewers_own(world, name):
    """Functions that take a viewer and no client return only Sam's clients' rows."""
    function = VIEWER_FUNCTIONS[name]
    result = function(**sample_arguments(function, world, client="c2", session_id=world["own_session"], viewer=SAM))
    text = result.to_csv() if hasattr(result, "to_csv") else repr(result)
    assert FOREIGN_NAME not in text and not re.search(r"\bc1\b", text), (name, text[:500])


def test_a_trainer_cannot_retry_someone_elses_import(world):
    con = world["con"]
    run_id = con.execute("select max(run_id) from ingest_runs").fetchone()[0]  # Olga's form check-in
    for run in (run_id, None, 10_000):
        with pytest.raises(AccessDenied):
            _call(retry_quarantine, {"con": con, "viewer": SAM, "run_id": run})


def test_lists_are_not_empty_for_the_owner(world):
    """The list check above is not passing on empty answers: the owner's hold Olga's client."""
    olga = acting("olga")
    con = world["con"]
    assert "c1" in set(pipelines.metrics.roster(con, olga)["client_id"])
    assert "c1" in set(sessions.sessions_between(con, olga, AS_OF, AS_OF)["client_id"])


def test_every_refusal_is_a_legday_error():
    assert issubclass(AccessDenied, LegdayError)


def test_pages_only_lay_out():
    """No page or dashboard helper checks access itself: the data functions do."""
    offenders = [
        f"{path.relative_to(ROOT)}:{number}"
        for path in sorted((ROOT / "dashboard").rglob("*.py"))
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1)
        if re.search(r"\brequire_(client|clients|session|owner|trainer)\b|visible_client_ids", line)
    ]
    assert offenders == []


def test_the_refusal_does_not_say_whether_the_client_exists(world):
    con = world["con"]
    messages = set()
    for client in ("c1", "nobody"):
        with pytest.raises(AccessDenied) as refused:
            plans.current_plan(con, SAM, client)
        messages.add(str(refused.value))
    assert messages == {"No such client in your list."}


# The CLI's viewer ---------------------------------------------------------------------------------


def _legday(*args: str):
    return CliRunner().invoke(cli_app, list(args))


def test_the_cli_acts_as_the_owner_or_as_the_trainer_named_by_as(two_trainers):
    two_trainers.close()
    everyone = _legday("roster", "--json")
    assert everyone.exit_code == 0 and {row["client_id"] for row in json.loads(everyone.output)} == {"c1", "c2", "c3"}
    own = _legday("--as", "sam", "roster", "--json")
    assert own.exit_code == 0 and {row["client_id"] for row in json.loads(own.output)} == {"c2", "c3"}
    added = _legday("--as", "sam", "session", "add", "c2", "--date", AS_OF.isoformat(), "--type", "upper",
                    "--minutes", "30", "--rpe", "4")
    assert added.exit_code == 0, added.output
    con = db.connect()
    assert con.execute("select created_by from sessions").fetchall() == [("sam",)]
    assert con.execute("select actor from audit_log where action = 'session.add'").fetchall() == [("sam",)]
    con.close()


@pytest.mark.parametrize(
    ("args", "words"),
    [
        (["--as", "sam", "client", "link", "c1"], "No such client in your list."),
        (["--as", "sam", "client", "delete", "c1", "--yes"], "No such client in your list."),
        (["--as", "sam", "export", "checkins", "--out", "x.csv", "--client", "c1"], "No such client in your list."),
        (["--as", "sam", "roster", "--trainer", "olga"], "No such trainer in your list."),
        (["--as", "sam", "thresholds", "set", "acwr_spike", "1.6"], "Only an owner can do this."),
        (["--as", "sam", "trainer", "add", "eve", "--name", "Eve", "--password-stdin"], "Only an owner can do this."),
        (["--as", "nobody", "roster"], "--as nobody: no active trainer by that login name."),
    ],
)
def test_the_cli_as_a_trainer_is_refused_in_one_line(two_trainers, args, words):
    two_trainers.close()
    result = CliRunner().invoke(cli_app, args, input="long-enough-pass\n")
    assert result.exit_code == EXIT_REFUSED, result.output
    assert result.output.strip().splitlines() == [f"legday: {words}"]
