"""legday's SQL, layer by layer, and the one place that reads it (docs/design.md "Layout").

Each layer reads only the layers before it:

- `sql/schema/`: numbered migrations (tables, CHECK constraints, seeds);
- `sql/macros/`: one group of macros per file (the vocabulary, thresholds, day words,
  the wellness score, EWMA decay, and the ingest parsers and answer interpreter);
- `sql/staging/`: views over the stored tables that say one rule once, the read models
  everything shares: `counted_sessions` (which done sessions count), `day_sessions`
  (a day's counted sessions summed),
  `current_plans`, `live_overrides` and `session_schedule`;
- `sql/derived/`: the selects that fill the stored load state (pipelines/load_state.py);
- `sql/views/`: the metric chain `daily_load` … `roster`, reading the stored load state.

`sql/ingest/` holds the selects an imported file goes through and `sql/demo/` the demo's
generated check-ins; both are run by their pipelines, never created in the database.
"""

from __future__ import annotations

import hashlib
import re
from functools import cache
from pathlib import Path

SQL_DIR = Path(__file__).resolve().parent.parent / "sql"

# What every database holds, created in this order by `database_source`.
DATABASE_LAYERS = (
    ("macros", ("vocabulary", "checkin_rules", "threshold", "day_words", "wellness_score", "ewma")),
    ("staging", ("counted_sessions", "day_sessions", "current_plans", "live_overrides", "session_schedule")),
    ("views", ("daily_load", "load_metrics", "wellness", "soreness", "risk_flags", "recovery_status", "roster")),
)

# The stored load state's tables, in the order they are filled; each file is the select
# that derives the table's rows (it reads the macros and staging layers).
DERIVED = ("client_day_load", "client_recent_load")

# The temp macros an import loads on its own connection (pipelines/ingest/store.py).
INGEST_MACROS = ("ingest_parsers", "answers")


@cache
def read(layer: str, name: str) -> str:
    """The text of sql/<layer>/<name>.sql."""
    return (SQL_DIR / layer / f"{name}.sql").read_text()


def relations(layer: str) -> tuple[str, ...]:
    """The names a database layer creates, in order."""
    return dict(DATABASE_LAYERS)[layer]


def migrations() -> list[tuple[int, str, Path]]:
    """(version, name, path) of every migration in sql/schema/, in order."""
    found = []
    for path in sorted((SQL_DIR / "schema").glob("*.sql")):
        match = re.match(r"(\d+)_(.+)\.sql$", path.name)
        if match:
            found.append((int(match.group(1)), match.group(2), path))
    return found


def database_source() -> str:
    """The macros, staging views and views, layer after layer."""
    return "\n".join(read(layer, name) for layer, names in DATABASE_LAYERS for name in names)


def derived_source() -> str:
    """Everything the stored load state is derived by: the layers it reads and its selects."""
    before_views = "\n".join(read(layer, name) for layer, names in DATABASE_LAYERS[:2] for name in names)
    return before_views + "\n".join(read("derived", name) for name in DERIVED)


@cache
def digest(source: str) -> str:
    return hashlib.sha256(source.encode()).hexdigest()
