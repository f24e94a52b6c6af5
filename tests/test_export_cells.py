"""Export cells: empty values are empty, floats rounded to what they mean (issue 10 item 8)."""

from __future__ import annotations

import numpy as np
import pandas as pd

from pipelines.export import to_csv_bytes

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
