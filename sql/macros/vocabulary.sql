-- The vocabulary the views, the ingest checks and the stored load state read, said once
-- for SQL; pipelines/vocabulary.py says the same for Python (tests/test_vocabulary.py
-- keeps the two equal). Lists are in the order pipelines/vocabulary.py explains.
create or replace macro session_types() as
    ['legs', 'upper', 'full_body', 'cardio', 'active_recovery', 'mobility'];

-- A done session's type: a session type, or 'other' (its own words in original_type).
create or replace macro done_session_types() as session_types() || ['other'];

-- Where a done session was recorded, in counting priority order.
create or replace macro done_session_sources() as ['check-in', 'planned', 'import', 'manual'];

-- A check-in's session_type: 'none' (no session that day) or a session type.
create or replace macro checkin_session_types() as ['none'] || session_types();

-- The session types that count as leg days.
create or replace macro leg_session_types() as ['legs', 'full_body'];

create or replace macro is_leg_session(session_type) as
    list_contains(leg_session_types(), session_type);

-- From the most leg-heavy to the lightest (several done sessions on one day: the first wins).
create or replace macro leg_heavy_order() as
    ['legs', 'full_body', 'upper', 'cardio', 'active_recovery', 'mobility', 'other'];

-- Recovery statuses from the least to the most concern.
create or replace macro statuses() as ['ready', 'caution', 'rest'];

-- The roster's order: the most concern first, 'stale' (last check-in too old to act on)
-- before 'ready', clients without a check-in ('no data') last.
create or replace macro roster_order() as ['rest', 'caution', 'stale', 'ready', 'no data'];

-- A plan's intensity for the next session, from the lightest.
create or replace macro intensities() as ['rest', 'active recovery', 'light', 'normal'];

-- The muscle groups a check-in scores for soreness, in the record's order.
create or replace macro muscles() as ['quads', 'hamstrings', 'glutes', 'calves'];
