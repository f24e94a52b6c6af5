"""Access lives in the data layer: every public function of `pipelines` that touches a
client takes the viewer and refuses one who may not see that client, before it reads or
writes anything (docs/design.md, Access).

The walk finds the functions itself, so a new data function is checked the day it is
written: one that takes a client id (client_id, client_ids, session_id) must take a
viewer too, unless NOT_CLIENT_SCOPED names it with the reason.
"""

from __future__ import annotations

import importlib
import inspect
import json
import pkgutil
import re
from pathlib import Path

import pytest
from typer.testing import CliRunner

import pipelines
from pipelines import (
    access,
    db,
    done_sessions,
    overrides,
    people,
    plans,
    reminders,
    sessions,
    tokens,
)
from pipelines.access import AccessDenied, Viewer
from pipelines.checkin_form import submit_checkin
from pipelines.cli import app as cli_app
from pipelines.errors import EXIT_REFUSED, LegdayError
from pipelines.ingest import retry_quarantine
from pipelines.people import PeopleError
from tests.helpers.clock import AS_OF
from tests.helpers.viewers import acting
from tests.helpers.writers import form

ROOT = Path(__file__).resolve().parent.parent
CLIENT_PARAMETERS = {"client_id", "client_ids", "session_id", "done_session_id"}
SAM = Viewer("sam", "Sam Trainer", False)
FOREIGN_NAME = "Ana Álvarez"  # c1, Olga's client (conftest two_trainers)

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


def _modules():
    for info in pkgutil.walk_packages(pipelines.__path__, "pipelines."):
        if info.name.startswith(("pipelines.commands", "pipelines.cli")):
            continue  # the CLI's commands call the data functions with the CLI's viewer
        yield importlib.import_module(info.name)


def data_functions() -> dict[str, object]:
    """Every public function defined in a `pipelines` module, by its dotted name."""
    found = {}
    for module in _modules():
        for name, function in vars(module).items():
            if not name.startswith("_") and inspect.isfunction(function) and function.__module__ == module.__name__:
                found[f"{module.__name__}.{name}"] = function
    return found


def parameters(function) -> set[str]:
    return set(inspect.signature(function).parameters)


@pytest.fixture(scope="module")
def world(tmp_path_factory):
    """Olga (owner) has client c1 with everything a reader could see (a check-in, a plan,
    an override, a session today, a link, an email); Sam (trainer) has c2 and c3. One
    database for the module: every call here is refused or only reads, which _call checks."""
    folder = tmp_path_factory.mktemp("walk")
    con = db.connect(folder / "walk.duckdb")
    db.set_as_of(con, AS_OF)
    owner = acting("olga")
    people.add_trainer(con, owner, "olga", "Olga Owner", "owner-pass-1", owner=True)
    people.add_trainer(con, owner, "sam", "Sam Trainer", "trainer-pass-1")
    for client_id, name, trainer_id in (("c1", FOREIGN_NAME, "olga"), ("c2", "Bo Berg", "sam"), ("c3", "Cy Chen", "sam")):
        people.add_client(con, owner, client_id, name, trainer_id)
    submit_checkin(con, owner, "c1", form(AS_OF, "c1 secret note"), today=AS_OF)
    submit_checkin(con, owner, "c2", form(AS_OF), today=AS_OF)
    plans.save_plan(con, owner, "c1", items=[{"title": "c1 plan"}], next_intensity="light", next_focus=None, notes=None)
    overrides.set_override(con, owner, "c1", "rest", "c1 reason")
    foreign_session = sessions.add_session(con, owner, "c1", day=AS_OF, session_type="legs", minutes=40, rpe=6)
    own_session = sessions.add_session(con, SAM, "c2", day=AS_OF, session_type="upper", minutes=40, rpe=5)
    done = {client_id: done_sessions.add_session(con, owner, client_id, day=AS_OF, session_type="cardio", minutes=30)
            for client_id in ("c1", "c2")}
    tokens.create_link(con, owner, "c1", days=7, base_url="http://x")
    reminders.save_email(con, owner, "c1", "ana@example.org")
    yield {"con": con, "foreign_session": foreign_session, "own_session": own_session, "done": done, "tmp_path": folder}
    con.close()


def sample_arguments(function, world, *, client: str, session_id: int, viewer: Viewer, trainer: str = "sam") -> dict:
    """An argument for every required parameter, by its name; a new name fails here
    with the name to add."""
    samples = {
        "con": world["con"], "viewer": viewer, "client_id": client, "client_ids": [client],
        "session_id": session_id, "trainer_id": trainer, "day": AS_OF, "start": AS_OF, "end": AS_OF,
        "today": AS_OF, "days": 7, "base_url": "http://x", "status": "rest", "reason": "walk",
        "items": [], "next_intensity": "light", "next_focus": None, "notes": None, "revision": 1,
        "email": "walk@example.org", "form": form(AS_OF), "out": world["tmp_path"] / "walk.zip",
        "name": "acwr_spike", "value": 1.6, "active": False, "session_type": "legs",
        "minutes": 30, "rpe": 5, "what": "roster", "text": "client_id,name,trainer_id\nc1,Ana,sam\n",
        "session": None, "password": "walk-pass-1", "actual_minutes": 30, "actual_rpe": 5,
        "done_session_id": world["done"].get(client),
    }
    arguments = {}
    for name, parameter in inspect.signature(function).parameters.items():
        if parameter.default is not inspect.Parameter.empty and name not in ("client_id", "client_ids", "trainer_id"):
            continue
        assert name in samples, f"add a sample value for parameter {name!r} to sample_arguments"
        arguments[name] = samples[name]
    return arguments


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
