"""sql/ is laid out by layer (pipelines/sql_layers.py): every file is loaded by the one
loader, is named after what it creates, and reads only the layers before its own."""

from __future__ import annotations

import re

from pipelines import sql_layers

# The layers in the order they are created; a file may read only its own and earlier ones.
ORDER = ("macros", "staging", "derived", "views")


def _names(layer: str) -> list[str]:
    return sorted(path.stem for path in (sql_layers.SQL_DIR / layer).glob("*.sql"))


def _code(text: str) -> str:
    return "\n".join(line.split("--", 1)[0] for line in text.splitlines())


def _created(layer: str) -> set[str]:
    text = "\n".join(_code(sql_layers.read(layer, name)) for name in _names(layer))
    return set(re.findall(r"create or replace (?:temp )?(?:view|macro) (\w+)", text))


def _reads(text: str) -> set[str]:
    code = _code(text)
    return set(re.findall(r"(?:from|join)\s+(\w+)", code)) | set(re.findall(r"(\w+)\s*\(", code))


def test_every_file_is_loaded_by_the_loader():
    assert sorted(path.name for path in sql_layers.SQL_DIR.iterdir()) == sorted(
        ("schema", *ORDER, "ingest", "demo")
    )
    layers = dict(sql_layers.DATABASE_LAYERS)
    assert _names("macros") == sorted((*layers["macros"], *sql_layers.INGEST_MACROS))
    assert _names("staging") == sorted(layers["staging"])
    assert _names("derived") == sorted(sql_layers.DERIVED)
    assert _names("views") == sorted(layers["views"])
    assert [path.stem for _, _, path in sql_layers.migrations()] == _names("schema")


def test_each_view_file_is_named_after_its_view():
    for layer in ("staging", "views"):
        for name in _names(layer):
            assert f"create or replace view {name} as" in sql_layers.read(layer, name), name


def test_no_layer_reads_a_later_one():
    """E.g. the stored load state (derived) uses wellness_score() and day_sessions, which
    live in macros and staging, never in the views that read it."""
    for position, layer in enumerate(ORDER):
        later = set().union(*(_created(after) for after in ORDER[position + 1:]))
        for name in _names(layer):
            reads = _reads(sql_layers.read(layer, name))
            assert reads & later == set(), f"sql/{layer}/{name}.sql reads {sorted(reads & later)}"


def test_lambda_is_named_once():
    """The EWMA decay comes from N in sql/macros/ewma.sql; no file spells it out."""
    for layer in ("staging", "derived", "views"):
        for name in _names(layer):
            code = _code(sql_layers.read(layer, name))
            assert not re.search(r"pow\(\s*[0-9]|2\.0 / 29|0\.25 \*", code), f"sql/{layer}/{name}.sql"


def test_shared_read_models_are_said_once():
    """The current plan, the live override and the schedule's joins are written only in
    their staging views; Python and the other views read those."""
    root = sql_layers.SQL_DIR.parent
    rules = {
        r"max\(revision\) over|arg_max\([^)]*revision\)|order by revision desc": "current_plans",
        r"created_at > \w*\.?recorded_at|recorded_at is null or": "live_overrides",
        r"join clients on clients\.client_id = sessions\.client_id": "session_schedule",
    }
    files = [*root.glob("pipelines/**/*.py"), *root.glob("dashboard/**/*.py"), *sql_layers.SQL_DIR.rglob("*.sql")]
    for pattern, view in rules.items():
        found = sorted(str(path.relative_to(root)) for path in files if re.search(pattern, _code(path.read_text())))
        assert found == [f"sql/staging/{view}.sql"], (view, found)
