"""Altair charts for the roster and client pages (data frames in, charts out)."""

from __future__ import annotations

import altair as alt
import pandas as pd

from pipelines.done_sessions import kind_words
from pipelines.export import decimals
from pipelines.vocabulary import (
    DONE_SESSION_LABELS,
    DONE_SESSION_SOURCE_WORDS,
    LEG_HEAVY_ORDER,
    LEG_SESSION_TYPES,
    MUSCLES,
    SORENESS_FIELDS,
)

SORENESS_LABELS = {field: muscle.capitalize() for field, muscle in zip(SORENESS_FIELDS, MUSCLES, strict=True)}
# The low end of the shaded ACWR band (the 0.8–1.3 range of Gabbett 2016); no flag uses it.
# The band's top and the dashed line are the acwr_rising and acwr_spike thresholds.
ACWR_BAND_LOW = 0.8
# One colour per done-session type, in LEG_HEAVY_ORDER: the leg-heavy ones warmest.
SESSION_COLOURS = dict(zip(
    LEG_HEAVY_ORDER, ("#8a5a44", "#d08c4f", "#5b6c9e", "#4fa3c7", "#7fb59a", "#a9b8ae", "#8c8c8c"), strict=True
))
# A session whose load counts the type's default RPE (the client gave none) is drawn faded
# with a dashed outline.
ESTIMATED_OPACITY = 0.4
# The load chart's lines: the trailing means of the daily load, and their colours.
LOAD_MEANS = {"acute_load": "7-day mean", "chronic_load": "28-day mean"}
LOAD_MEAN_COLOURS = ("#d1495b", "#2f6f5e")
ESTIMATED_NOTE = "Faded bars with a dashed outline: no RPE given, load estimated from the type's usual RPE."


def _days() -> alt.X:
    """The x axis of every chart over days: one date format ("Nov 08"), not Vega's mix of
    "Mon 19" and "November" that changes with the tick spacing."""
    return alt.X("day:T", title=None, axis=alt.Axis(format="%b %d"))


def _number(field: str, **kwargs) -> alt.Tooltip:
    """A tooltip rounded to what the value means (pipelines.export.decimals), no trailing zeros."""
    return alt.Tooltip(f"{field}:Q", format=f".{decimals(field)}~f", **kwargs)


def _leg_day_rules(days: pd.DataFrame) -> alt.Chart:
    legs = days[days["session_type"].isin(LEG_SESSION_TYPES)][["day", "session_type"]]
    return (
        alt.Chart(legs)
        .mark_rule(color="#8a5a44", strokeDash=[4, 3], opacity=0.6)
        .encode(x="day:T", tooltip=[alt.Tooltip("day:T", title="Leg day"), "session_type:N"])
    )


def soreness(days: pd.DataFrame) -> alt.LayerChart:
    long = days.melt(id_vars=["day"], value_vars=list(SORENESS_LABELS), var_name="muscle", value_name="score")
    long["muscle"] = long["muscle"].map(SORENESS_LABELS)
    lines = (
        alt.Chart(long.dropna(subset=["score"]))
        .mark_line(point=True)
        .encode(
            x=_days(),
            y=alt.Y("score:Q", title="Soreness (0–10)", scale=alt.Scale(domain=[0, 10])),
            color=alt.Color("muscle:N", title=None),
            tooltip=["day:T", "muscle:N", _number("score")],
        )
    )
    return alt.layer(_leg_day_rules(days), lines).properties(
        height=220, title="Soreness by muscle group (dashed lines: leg days)"
    )


def session_segments(sessions: pd.DataFrame) -> pd.DataFrame:
    """The counted sessions of a done_sessions.sessions_of_days frame, one bar segment each,
    in time order within the day: the same rows the day's load sums (counted_sessions)."""
    counted = sessions[sessions["counted"]].reset_index(drop=True)
    rpe = [
        "" if pd.isna(row.rpe) else f"{int(row.rpe)}, estimated (not given)" if row.rpe_estimated else f"{int(row.rpe)}"
        for row in counted.itertuples()
    ]
    return pd.DataFrame({
        "day": counted["session_date"],
        "type": counted["session_type"].map(DONE_SESSION_LABELS),
        "session": [kind_words(row) for _, row in counted.iterrows()],
        "minutes": counted["minutes"],
        "rpe": rpe,
        "load": counted["load"].fillna(0),
        "from": counted["source"].map(DONE_SESSION_SOURCE_WORDS),
        "estimated": counted["rpe_estimated"],
        "order": range(len(counted)),
    })


def load(days: pd.DataFrame, sessions: pd.DataFrame) -> alt.LayerChart:
    """A day's load as one bar segment per counted session (coloured by type, faded with a
    dashed outline when its RPE is estimated: ESTIMATED_NOTE says so under the chart), under
    the 7- and 28-day means of `days`; one legend for both."""
    segments = session_segments(sessions)
    kinds = [kind for kind in LEG_HEAVY_ORDER if DONE_SESSION_LABELS[kind] in set(segments["type"])]
    colours = alt.Scale(
        domain=[DONE_SESSION_LABELS[kind] for kind in kinds] + list(LOAD_MEANS.values()),
        range=[SESSION_COLOURS[kind] for kind in kinds] + list(LOAD_MEAN_COLOURS),
    )
    legend = alt.Legend(orient="bottom", columns=2, title=None)
    estimated = alt.datum.estimated
    bars = (
        alt.Chart(segments)
        .mark_bar(stroke="#1f2a26", strokeWidth=0.6)
        .encode(
            x=_days(),
            y=alt.Y("load:Q", title="Load (AU: RPE × min)", stack="zero"),
            color=alt.Color("type:N", scale=colours, legend=legend),
            opacity=alt.condition(estimated, alt.value(ESTIMATED_OPACITY), alt.value(1.0)),
            strokeDash=alt.condition(estimated, alt.value([3, 2]), alt.value([1, 0])),
            order=alt.Order("order:Q"),
            tooltip=[
                alt.Tooltip("day:T", title="Day"), alt.Tooltip("session:N", title="Session"),
                _number("minutes", title="Minutes"), alt.Tooltip("rpe:N", title="RPE"),
                _number("load", title="Load (AU)"), alt.Tooltip("from:N", title="From"),
            ],
        )
    )
    lines = (
        alt.Chart(days[["day", *LOAD_MEANS]].rename(columns=LOAD_MEANS))
        .transform_fold(list(LOAD_MEANS.values()), as_=["type", "value"])
        .mark_line()
        .encode(x="day:T", y="value:Q", color=alt.Color("type:N", scale=colours, legend=legend))
    )
    # Streamlit fits the title and the legend (up to four rows) into the height: 380 leaves the bars about 200.
    return alt.layer(bars, lines).properties(height=380, title="Daily load by session")


def acwr(days: pd.DataFrame, limits: dict[str, float]) -> alt.LayerChart:
    """`limits`: the thresholds table's values by name (metrics.threshold_values)."""
    low, high, spike_at = ACWR_BAND_LOW, limits["acwr_rising"], limits["acwr_spike"]
    band = alt.Chart(pd.DataFrame({"low": [low], "high": [high]})).mark_rect(
        color="#2f6f5e", opacity=0.12
    ).encode(y="low:Q", y2="high:Q")
    spike = alt.Chart(pd.DataFrame({"y": [spike_at]})).mark_rule(color="#d1495b", strokeDash=[6, 3]).encode(y="y:Q")
    line = alt.Chart(days).mark_line(color="#1f2a26").encode(
        x=_days(),
        y=alt.Y("acwr_ewma:Q", title="ACWR (EWMA)"),
        tooltip=["day:T", _number("acwr_ewma"), _number("acwr")],
    )
    high_points = (
        alt.Chart(days[days["acwr_ewma"] >= spike_at])
        .mark_point(color="#d1495b", filled=True, size=60)
        .encode(x="day:T", y="acwr_ewma:Q")
    )
    return alt.layer(band, spike, line, high_points).properties(
        height=180,
        title=alt.TitleParams(
            "Acute:chronic workload ratio",
            subtitle=f"Context, not a prediction: shaded {low:g}–{high:g}, dashed line {spike_at:g}",
        ),
    )


def wellness(days: pd.DataFrame) -> alt.LayerChart:
    frame = days.assign(
        low=days["baseline_mean"] - days["baseline_sd"], high=days["baseline_mean"] + days["baseline_sd"]
    )
    base = alt.Chart(frame).encode(x=_days())
    band = base.mark_area(color="#2f6f5e", opacity=0.15).encode(y="low:Q", y2="high:Q")
    baseline = base.mark_line(color="#2f6f5e", strokeDash=[4, 3]).encode(y="baseline_mean:Q")
    score = base.mark_line(point=True, color="#1f2a26").encode(
        y=alt.Y("wellness:Q", title="Wellness (5–25)", scale=alt.Scale(domain=[5, 25])),
        tooltip=["day:T", _number("wellness"), _number("wellness_z")],
    )
    return alt.layer(band, baseline, score).properties(
        height=200, title="Wellness against the personal 28-day baseline ± 1 SD"
    )


def sleep_and_water(days: pd.DataFrame) -> alt.Chart:
    long = days.melt(id_vars=["day"], value_vars=["sleep_hours", "water_liters"], var_name="measure")
    long["measure"] = long["measure"].map({"sleep_hours": "Sleep (h)", "water_liters": "Water (L)"})
    return (
        alt.Chart(long.dropna(subset=["value"]))
        .mark_bar()
        .encode(
            x=_days(),
            y=alt.Y("value:Q", title=None),
            color=alt.Color("measure:N", legend=None, scale=alt.Scale(range=["#5b6c9e", "#4fa3c7"])),
            row=alt.Row("measure:N", title=None),
            tooltip=["day:T", "measure:N", _number("value")],
        )
        .properties(height=90, title="Sleep and water")
    )


def roster_heatmap(recent: pd.DataFrame, roster: pd.DataFrame, measure: str) -> alt.Chart:
    """One row per client in the roster's order. Rows are labelled by name, with the
    client id added where names repeat, so clients sharing a name never merge; the
    caller limits the rows (roster page: HEATMAP_ROWS)."""
    labels = roster.set_index("client_id")["name"]
    shared = labels.duplicated(keep=False)
    labels = labels.where(~shared, labels + " (" + labels.index.to_series() + ")")
    frame = recent.assign(client=recent["client_id"].map(labels))
    if measure == "readiness":
        scale = alt.Scale(domain=[0, 100], scheme="redyellowgreen")
        title = "Readiness"
    else:
        scale = alt.Scale(domain=[0, 10], scheme="orangered")
        title = "Max soreness"
    return (
        alt.Chart(frame)
        .mark_rect()
        .encode(
            x=alt.X("day:O", timeUnit="monthdate", title=None),
            y=alt.Y("client:N", sort=list(labels), title=None, axis=alt.Axis(labelOverlap=False)),
            color=alt.Color(f"{measure}:Q", title=title, scale=scale),
            tooltip=[alt.Tooltip("client:N", title="Client"), alt.Tooltip("day:T"), _number(measure)],
        )
        .properties(height=max(120, 22 * frame["client_id"].nunique()))
    )
