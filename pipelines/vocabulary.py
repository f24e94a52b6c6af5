"""The words legday's data is made of, said once: session types, statuses, intensities, muscles.

The SQL side says the same in sql/macros/vocabulary.sql (a test keeps the two equal);
every form, chart, CLI option and view reads one of them instead of restating a list.
Old migrations keep their CHECK lists as written; a test checks those lists against this.
"""

from __future__ import annotations

# A check-in's session_type, in the record's order; `none` means no session that day.
NO_SESSION = "none"
SESSION_TYPES = ("legs", "upper", "full_body", "cardio", "active_recovery", "mobility")
CHECKIN_SESSION_TYPES = (NO_SESSION, *SESSION_TYPES)
# A done session's type: a session type, or `other` for training legday has no type for
# (an imported activity such as "Rock climbing", its own words kept beside it).
OTHER_SESSION = "other"
DONE_SESSION_TYPES = (*SESSION_TYPES, OTHER_SESSION)
# The RPE a done session without one is counted with, by type (CR-10; flagged as an
# estimate wherever its load shows). LEGDAY_DEFAULT_RPE='{"cardio": 6}' changes some.
DEFAULT_RPE = dict(zip(DONE_SESSION_TYPES, (7, 6, 7, 5, 2, 2, 5), strict=True))
# Where a done session was recorded (docs/done-sessions.md), in counting priority order.
DONE_SESSION_SOURCES = ("check-in", "planned", "import", "manual")
# What pages, charts and briefs call each source.
DONE_SESSION_SOURCE_WORDS = dict(zip(DONE_SESSION_SOURCES, ("check-in", "planned, done", "imported", "added by hand"),
                                     strict=True))
# The session types that count as leg days (days_since_legs, LEGS_TOO_SOON, UNDER_FUELED).
LEG_SESSION_TYPES = ("legs", "full_body")
# From the most leg-heavy to the lightest: when several done sessions share a day, the
# first of them in this order is the day's type, so a leg session is never hidden.
LEG_HEAVY_ORDER = ("legs", "full_body", "upper", "cardio", "active_recovery", "mobility", "other")
# What forms and pages call each type, in CHECKIN_SESSION_TYPES order.
SESSION_LABELS = {
    "none": "No training",
    "legs": "Legs",
    "upper": "Upper body",
    "full_body": "Full body",
    "cardio": "Cardio",
    "active_recovery": "Active recovery",
    "mobility": "Mobility",
}
# What pages call a done session's type (the check-in labels, and `other`).
DONE_SESSION_LABELS = {**{kind: SESSION_LABELS[kind] for kind in SESSION_TYPES}, OTHER_SESSION: "Other training"}

# Recovery statuses from the least to the most concern; NO_DATA is the roster's word for a
# client without any check-in and STALE for one whose last check-in is too old to act on
# (stale_checkin_days); neither is a status the rule gives or a trainer sets.
STATUSES = ("ready", "caution", "rest")
NO_DATA = "no data"
STALE = "stale"
# The roster's order: the most concern first, stale before ready, clients without data last.
ROSTER_ORDER = ("rest", "caution", STALE, "ready", NO_DATA)

# A plan's intensity for the next session, from the lightest.
INTENSITIES = ("rest", "active recovery", "light", "normal")

# The muscle groups a check-in scores for soreness (0–10), in the record's order.
MUSCLES = ("quads", "hamstrings", "glutes", "calves")
SORENESS_FIELDS = tuple(f"soreness_{muscle}" for muscle in MUSCLES)
