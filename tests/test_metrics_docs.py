"""docs/metrics.md documents every staging view and view and every column of it."""

from __future__ import annotations

from pathlib import Path

from pipelines import sql_layers

DOC = Path(__file__).resolve().parent.parent / "docs" / "metrics.md"


def test_every_view_and_column_is_documented(con):
    text = DOC.read_text(encoding="utf-8")
    for view in (*sql_layers.relations("staging"), *sql_layers.relations("views")):
        assert f"## {view}\n" in text, view
        section = text.split(f"## {view}\n", 1)[1].split("\n## ", 1)[0]
        columns = [row[0] for row in con.execute(f"describe {view}").fetchall()]  # noqa: S608 - our view names
        missing = [column for column in columns if column not in section]
        assert missing == [], f"{view}: {missing}"
