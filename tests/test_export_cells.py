"""Export cells: empty values are empty, floats rounded to what they mean (issue 10 item 8)."""

from __future__ import annotations

import numpy as np
import pandas as pd

from pipelines.export import to_csv_bytes
from tests.helpers.viewers import OWNER

GOLDEN = (
    "client_id,acwr_ewma,acute_load,wellness_z,sleep_hours,notes,pain,session_rpe\r\n"
    "c1,1.33,421,-1.5,7.5,,true,7\r\n"
    "c2,,0,,,,,\r\n"
    "c3,0.8,1234,2,6.25,'=1+1,false,\r\n"
)


def test_an_export_with_empty_values_matches_the_golden_csv():
    frame = pd.DataFrame(
        {
            "client_id": ["c1", "c2", "c3"],
            "acwr_ewma": [4 / 3, np.nan, 0.8000000000000002],
            "acute_load": [420.6, 0.0, 1234.4999],
            "wellness_z": [-1.5, None, 2.0000000000000004],
            "sleep_hours": [7.5, np.nan, 6.25],
            "notes": [None, pd.NA, "=1+1"],
            "pain": pd.array([True, pd.NA, False], dtype="boolean"),
            "session_rpe": pd.array([7, pd.NA, pd.NA], dtype="Int64"),
        }
    )
    data = to_csv_bytes(frame).decode("utf-8")
    assert data == GOLDEN
    assert "<NA>" not in data and "nan" not in data and "None" not in data


def test_the_metrics_export_of_the_samples_has_empty_cells_and_rounded_numbers(con, tmp_path):
    """The repository's own samples, where the issue found 580 `<NA>` cells and 16-decimal floats."""
    import csv
    import re
    from pathlib import Path

    from typer.testing import CliRunner

    from pipelines import people
    from pipelines.cli import app
    from pipelines.ingest import ingest_file

    samples = Path(__file__).resolve().parent.parent / "data" / "samples"
    people.add_trainer(con, OWNER, "sam", "Sam", "trainer-pass-1")
    people.import_clients(con, OWNER, (samples / "clients.csv").read_text(encoding="utf-8"))
    assert ingest_file(con, OWNER, samples / "checkins.csv", file_name="checkins.csv").accepted > 0
    con.close()
    out = tmp_path / "metrics.csv"
    assert CliRunner().invoke(app, ["export", "metrics", "--out", str(out)]).exit_code == 0
    with out.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    cells = [(column, value) for row in rows for column, value in row.items()]
    assert len(rows) > 20
    assert not [value for _, value in cells if value in ("<NA>", "nan", "NaN", "None", "NaT")]
    assert sum(value == "" for _, value in cells) > 100  # early days: ratios not yet defined
    numbers = [(column, value) for column, value in cells if re.fullmatch(r"-?[0-9]+\.[0-9]+", value)]
    assert numbers and all(len(value.split(".")[1]) <= 2 for _, value in numbers)
    assert not [(column, value) for column, value in numbers if "load" in column or column == "strain"]
