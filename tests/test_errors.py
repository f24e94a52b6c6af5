"""One error base: every refusal is a LegdayError, the CLI maps it once to one line and its
exit code, and the dashboard maps it once to an error box instead of a traceback."""

from __future__ import annotations

import importlib
import inspect
import pkgutil

import pytest
from typer.testing import CliRunner

import pipelines
from pipelines import db, people
from pipelines.access import Viewer
from pipelines.cli import app
from pipelines.errors import EXIT_REFUSED, EXIT_USAGE, LegdayError
from tests.helpers.dashboard_fixtures import app_as, shown
from tests.helpers.viewers import OWNER


def _pipeline_exceptions() -> list[type]:
    found = []
    for module_info in pkgutil.walk_packages(pipelines.__path__, "pipelines."):
        module = importlib.import_module(module_info.name)
        found += [
            value
            for value in vars(module).values()
            if inspect.isclass(value) and issubclass(value, Exception) and value.__module__ == module.__name__
        ]
    return found


def test_every_error_class_of_the_pipelines_is_a_legday_error():
    classes = _pipeline_exceptions()
    assert len(classes) >= 10
    assert [cls.__qualname__ for cls in classes if not issubclass(cls, LegdayError)] == []


@pytest.mark.parametrize(
    ("args", "exit_code", "words"),
    [
        (["client", "link", "c3"], EXIT_REFUSED, "inactive"),
        (["client", "add", "c9", "--name", "Di", "--trainer", "nobody"], EXIT_REFUSED, "unknown trainer"),
        (["thresholds", "set", "no_such", "1"], EXIT_REFUSED, "unknown threshold"),
        (["thresholds", "set", "acwr_spike", "inf"], EXIT_REFUSED, "not a finite number"),
        (["ingest", "missing.csv", "--mapping", "no_such_mapping"], EXIT_USAGE, "mapping"),
    ],
)
def test_the_cli_prints_one_line_and_the_errors_exit_code(two_trainers, tmp_path, args, exit_code, words):
    people.set_client_active(two_trainers, OWNER, "c3", False)
    (tmp_path / "missing.csv").write_text("client_id\n", encoding="utf-8")
    two_trainers.close()
    result = CliRunner().invoke(app, args)
    assert result.exit_code == exit_code, result.output
    lines = result.output.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("legday: ") and words in lines[0], result.output
    assert result.exception is None or isinstance(result.exception, SystemExit)


def test_a_refusal_a_page_does_not_catch_shows_its_words_not_a_traceback(demo_db):
    con = db.connect()
    client_id = con.execute(
        "select client_id from clients where trainer_id = 'sam' order by client_id limit 1"
    ).fetchone()[0]
    people.set_client_active(con, OWNER, client_id, False)
    con.close()
    at = app_as(Viewer("sam", "Sam Rivera", False)).run()
    at.switch_page("screens/clients_admin.py").run()
    at.selectbox(key="admin_client").set_value(client_id).run()
    next(button for button in at.button if button.label == "Create check-in link").click().run()
    assert not at.exception
    assert [shown(error.value) for error in at.error] == [
        f"Client {client_id!r} is inactive; reactivate them before sending a link"
    ]
