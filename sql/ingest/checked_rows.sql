-- Every staged check-in row, typed, with the rules it breaks (empty list = valid).
-- Duplicate keys are marked afterwards (superseded_rows.sql).
-- Reads `mapped`: line_number plus one text column per canonical field.
-- $today is the as-of date; $allowed_clients the importing trainer's clients (NULL = any).
with source as (
    select * from mapped
),

parsed as (
    select
        source.line_number,
        nfc_normalize(ingest_text(source.client_id)) as client_id,
        source.checkin_date as checkin_date_text,
        ingest_day(source.checkin_date) as checkin_date,
        source.soreness_quads as soreness_quads_text,
        ingest_whole(source.soreness_quads) as soreness_quads,
        source.soreness_hamstrings as soreness_hamstrings_text,
        ingest_whole(source.soreness_hamstrings) as soreness_hamstrings,
        source.soreness_glutes as soreness_glutes_text,
        ingest_whole(source.soreness_glutes) as soreness_glutes,
        source.soreness_calves as soreness_calves_text,
        ingest_whole(source.soreness_calves) as soreness_calves,
        source.sleep_hours as sleep_hours_text,
        ingest_number(source.sleep_hours) as sleep_hours,
        source.sleep_quality as sleep_quality_text,
        ingest_whole(source.sleep_quality) as sleep_quality,
        source.energy as energy_text,
        ingest_whole(source.energy) as energy,
        source.stress as stress_text,
        ingest_whole(source.stress) as stress,
        source.mood as mood_text,
        ingest_whole(source.mood) as mood,
        source.water_liters as water_liters_text,
        ingest_number(source.water_liters) as water_liters,
        source.ate_recovery_meal as ate_recovery_meal_text,
        ingest_boolean(source.ate_recovery_meal) as ate_recovery_meal,
        ingest_choice(source.session_type) as session_type,
        source.session_minutes as session_minutes_text,
        ingest_whole(source.session_minutes) as session_minutes,
        source.session_rpe as session_rpe_text,
        ingest_whole(source.session_rpe) as session_rpe,
        source.pain as pain_text,
        ingest_boolean(source.pain) as pain,
        nfc_normalize(ingest_text(source.notes)) as notes
    from source
),

-- A scalar subquery rather than a join: DuckDB guesses an unsampled read_csv at a few
-- dozen rows and would build the join's hash table from the whole file.
looked_up as (
    select
        parsed.*,
        (
            select {'active': clients.active, 'since': clients.since}
            from clients
            where clients.client_id = parsed.client_id
        ) as client
    from parsed
),

with_client as (
    select
        * exclude (client),
        client is not null as client_known,
        client.active as client_active,
        client.since as client_since
    from looked_up
),

checked as (
    select
        *,
        case
            when client_id is null then ingest_problem('client_id', 'required', 'client_id is empty')
            when $allowed_clients::text[] is not null
                and not list_contains($allowed_clients::text[], client_id)
                then ingest_problem(
                    'client_id', 'not_your_client',
                    'client_id ''' || client_id || ''' is not one of your clients'
                )
            when not client_known then ingest_problem(
                'client_id', 'unknown_client', 'client_id ''' || client_id || ''' is not a known client'
            )
            when not client_active then ingest_problem(
                'client_id', 'inactive_client', 'client ' || client_id || ' is inactive'
            )
        end as client_id_problem,
        case
            when checkin_date > $today::date then ingest_problem(
                'checkin_date', 'future_date',
                'checkin_date ' || checkin_date || ' is after today (' || $today::date || ')'
            )
            when checkin_date < client_since then ingest_problem(
                'checkin_date', 'before_since',
                'checkin_date ' || checkin_date || ' is before the client''s start date ' || client_since
            )
            when checkin_date is not null then null
            when ingest_blank(checkin_date_text) then
                ingest_problem('checkin_date', 'required', 'checkin_date is empty')
            else ingest_problem(
                'checkin_date', 'invalid_date',
                'checkin_date ''' || ingest_text(checkin_date_text) || ''' is not a valid YYYY-MM-DD date'
            )
        end as checkin_date_problem,
        ingest_range_problem('soreness_quads', soreness_quads_text, soreness_quads, 0, 10, true, 'whole number')
            as soreness_quads_problem,
        ingest_range_problem('soreness_hamstrings', soreness_hamstrings_text, soreness_hamstrings, 0, 10, true, 'whole number')
            as soreness_hamstrings_problem,
        ingest_range_problem('soreness_glutes', soreness_glutes_text, soreness_glutes, 0, 10, true, 'whole number')
            as soreness_glutes_problem,
        ingest_range_problem('soreness_calves', soreness_calves_text, soreness_calves, 0, 10, true, 'whole number')
            as soreness_calves_problem,
        ingest_range_problem('sleep_hours', sleep_hours_text, sleep_hours, 0, 24, true, 'number')
            as sleep_hours_problem,
        ingest_range_problem('sleep_quality', sleep_quality_text, sleep_quality, 1, 5, true, 'whole number')
            as sleep_quality_problem,
        ingest_range_problem('energy', energy_text, energy, 1, 5, true, 'whole number') as energy_problem,
        ingest_range_problem('stress', stress_text, stress, 1, 5, true, 'whole number') as stress_problem,
        ingest_range_problem('mood', mood_text, mood, 1, 5, true, 'whole number') as mood_problem,
        ingest_range_problem('water_liters', water_liters_text, water_liters, 0, 15, false, 'number')
            as water_liters_problem,
        ingest_boolean_problem('ate_recovery_meal', ate_recovery_meal_text, ate_recovery_meal)
            as ate_recovery_meal_problem,
        case
            when not list_contains(checkin_session_types(), session_type)
                then ingest_problem(
                    'session_type', 'invalid_choice',
                    'session_type ''' || session_type || ''' is not one of '
                    || array_to_string(checkin_session_types(), ', ')
                )
        end as session_type_problem,
        case
            when session_type = 'none' and session_minutes <> 0 then ingest_problem(
                'session_minutes', 'not_zero_without_session',
                'session_minutes must be 0 or empty when session_type is none, got ' || ingest_text(session_minutes_text)
            )
            else ingest_range_problem('session_minutes', session_minutes_text, session_minutes, 0, 600, false, 'whole number')
        end as session_minutes_problem,
        case
            when session_type = 'none' and session_rpe <> 0 then ingest_problem(
                'session_rpe', 'not_zero_without_session',
                'session_rpe must be 0 or empty when session_type is none, got ' || ingest_text(session_rpe_text)
            )
            else ingest_range_problem('session_rpe', session_rpe_text, session_rpe, 0, 10, false, 'whole number')
        end as session_rpe_problem,
        ingest_boolean_problem('pain', pain_text, pain) as pain_problem,
        case
            when length(notes) > 2000 then ingest_problem(
                'notes', 'too_long', 'notes has ' || length(notes) || ' characters; at most 2000'
            )
        end as notes_problem
    from with_client
),

listed as (
    select
        *,
        case
            when client_id_problem is null and checkin_date_problem is null
                and soreness_quads_problem is null and soreness_hamstrings_problem is null
                and soreness_glutes_problem is null and soreness_calves_problem is null
                and sleep_hours_problem is null and sleep_quality_problem is null
                and energy_problem is null and stress_problem is null and mood_problem is null
                and water_liters_problem is null and ate_recovery_meal_problem is null
                and session_type_problem is null and session_minutes_problem is null
                and session_rpe_problem is null and pain_problem is null and notes_problem is null
                then []
            else list_filter([
                client_id_problem, checkin_date_problem, soreness_quads_problem,
                soreness_hamstrings_problem, soreness_glutes_problem, soreness_calves_problem,
                sleep_hours_problem, sleep_quality_problem, energy_problem, stress_problem, mood_problem,
                water_liters_problem, ate_recovery_meal_problem, session_type_problem,
                session_minutes_problem, session_rpe_problem, pain_problem, notes_problem
            ], lambda problem: problem is not null)
        end as problems
    from checked
),

final as (
    select
        listed.line_number,
        listed.client_id,
        listed.checkin_date,
        try_cast(listed.soreness_quads as integer) as soreness_quads,
        try_cast(listed.soreness_hamstrings as integer) as soreness_hamstrings,
        try_cast(listed.soreness_glutes as integer) as soreness_glutes,
        try_cast(listed.soreness_calves as integer) as soreness_calves,
        listed.sleep_hours,
        try_cast(listed.sleep_quality as integer) as sleep_quality,
        try_cast(listed.energy as integer) as energy,
        try_cast(listed.stress as integer) as stress,
        try_cast(listed.mood as integer) as mood,
        listed.water_liters,
        listed.ate_recovery_meal,
        listed.session_type,
        coalesce(try_cast(listed.session_minutes as integer), 0) as session_minutes,
        try_cast(listed.session_rpe as integer) as session_rpe,
        coalesce(listed.pain, false) as pain,
        listed.notes,
        listed.problems
    from listed
)

select * from final
