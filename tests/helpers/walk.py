"""The walks over the data layer (tests/test_access_walk.py, tests/test_audit_walk.py):
every public function of `pipelines`, a database holding something of every kind, and
an argument for every parameter by its name."""

from __future__ import annotations

import importlib
import inspect
import pkgutil
from pathlib import Path

import pipelines
from pipelines import db, done_sessions, overrides, people, plans, reminders, sessions, tokens
from pipelines.access import Viewer
from pipelines.checkin_form import submit_checkin
from tests.helpers.clock import AS_OF
from tests.helpers.viewers import acting
from tests.helpers.writers import form

SAM = Viewer("sam", "Sam Trainer", False)
FOREIGN_NAME = "Ana Álvarez"  # c1, Olga's client


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


def build_world(folder: Path) -> dict:
    """Olga (owner) has client c1 with everything a reader could see (a check-in, a plan,
    an override, a session today, a done session, a link, an email); Sam (trainer) has
    c2 and c3. Returns the open connection and the ids the walks need."""
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
    return {"con": con, "foreign_session": foreign_session, "own_session": own_session, "done": done, "tmp_path": folder}


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
