"""The ACWR chart draws the thresholds the flags use, read from the database."""

from __future__ import annotations

import datetime as dt

import pandas as pd

from dashboard import charts
from pipelines import metrics
from tests.helpers.viewers import OWNER


def _days(ratios: list[float]) -> pd.DataFrame:
    start = dt.date(2026, 11, 1)
    return pd.DataFrame(
        {"day": [start + dt.timedelta(days=i) for i in range(len(ratios))], "acwr_ewma": ratios, "acwr": ratios}
    )


def _layer_rows(chart) -> list[list[dict]]:
    """Each layer's data rows (altair keeps them in named datasets)."""
    spec = chart.to_dict()
    return [spec["datasets"][layer["data"]["name"]] for layer in spec["layer"]]


def test_the_acwr_chart_follows_changed_thresholds(con):
    metrics.set_threshold(con, OWNER, "acwr_spike", 1.7)
    metrics.set_threshold(con, OWNER, "acwr_rising", 1.4)
    limits = metrics.threshold_values(con)
    assert (limits["acwr_spike"], limits["acwr_rising"]) == (1.7, 1.4)

    chart = charts.acwr(_days([1.0, 1.6, 1.75]), limits)
    band, spike, _line, marked = _layer_rows(chart)
    assert band == [{"low": 0.8, "high": 1.4}]
    assert spike == [{"y": 1.7}]
    assert [row["acwr_ewma"] for row in marked] == [1.75]  # 1.6 is below the new spike line
    assert chart.to_dict()["title"]["subtitle"] == "Context, not a prediction: shaded 0.8–1.4, dashed line 1.7"


def test_the_default_thresholds_draw_the_usual_lines(con):
    chart = charts.acwr(_days([1.0, 1.6]), metrics.threshold_values(con))
    assert chart.to_dict()["title"]["subtitle"] == "Context, not a prediction: shaded 0.8–1.3, dashed line 1.5"
