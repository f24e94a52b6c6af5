-- Every staged check-in row, typed, with the rules it breaks (empty list = valid).
-- Duplicate keys are marked afterwards (superseded_rows.sql).
-- Reads `mapped`: line_number, one text column per canonical field, and the problems the
-- mapping found (mapping_problems), which come before the interpreter's for their field.
-- $today is the as-of date; $allowed_clients the importing trainer's clients (NULL = any).
-- Ranges, whole numbers and which answers are required come from checkin_rules()
-- (sql/macros/checkin_rules.sql) through checkin_problem (sql/macros/answers.sql).
with source as (
    select * from mapped
),

parsed as (
    select
        source.line_number,
        source.mapping_problems,
        nfc_normalize(ingest_text(source.client_id)) as client_id,
        source.checkin_date as checkin_date_text,
        ingest_day(source.checkin_date) as checkin_date,
        source.soreness_quads as soreness_quads_text,
        answer_score(source.soreness_quads, true) as soreness_quads,
        source.soreness_hamstrings as soreness_hamstrings_text,
        answer_score(source.soreness_hamstrings, true) as soreness_hamstrings,
        source.soreness_glutes as soreness_glutes_text,
        answer_score(source.soreness_glutes, true) as soreness_glutes,
        source.soreness_calves as soreness_calves_text,
        answer_score(source.soreness_calves, true) as soreness_calves,
        source.sleep_hours as sleep_hours_text,
        answer_minutes(source.sleep_hours, true) / 60 as sleep_hours,
        source.sleep_quality as sleep_quality_text,
        answer_score(source.sleep_quality, false) as sleep_quality,
        source.energy as energy_text,
        answer_score(source.energy, false) as energy,
        source.stress as stress_text,
        answer_score(source.stress, false) as stress,
        source.mood as mood_text,
        answer_score(source.mood, false) as mood,
        source.water_liters as water_liters_text,
        answer_liters(source.water_liters, $glass_liters::double, $bottle_liters::double) as water_liters,
        source.ate_recovery_meal as ate_recovery_meal_text,
        answer_yes_no(source.ate_recovery_meal) as ate_recovery_meal,
        source.session_type as session_type_text,
        answer_session(source.session_type) as session_type,
        source.session_minutes as session_minutes_text,
        answer_minutes(source.session_minutes, false) as session_minutes,
        source.session_rpe as session_rpe_text,
        answer_score(source.session_rpe, false) as session_rpe,
        answer_pain(source.pain) as pain,
        nullif(concat_ws(
            ' · ', nfc_normalize(ingest_text(source.notes)), nfc_normalize(answer_pain_words(source.pain))
        ), '') as notes
    from source
),

-- A scalar subquery rather than a join: DuckDB guesses an unsampled read_csv at a few
-- dozen rows and would build the join's hash table from the whole file. A code typed
-- in other letter case (C05 for c05) is the client whose code it matches alone.
looked_up as (
    select
        parsed.*,
        coalesce(
            (
                select {'client_id': clients.client_id, 'active': clients.active, 'since': clients.since}
                from clients
                where clients.client_id = parsed.client_id
            ),
            (
                select if(count(*) = 1, any_value({
                    'client_id': clients.client_id, 'active': clients.active, 'since': clients.since
                }), null)
                from clients
                where lower(clients.client_id) = lower(parsed.client_id)
            )
        ) as client
    from parsed
),

with_client as (
    select
        * exclude (client, client_id),
        coalesce(client.client_id, client_id) as client_id,
        client is not null as client_known,
        client.active as client_active,
        client.since as client_since
    from looked_up
),

checked as (
    select
        *,
        coalesce(
            ingest_mapping_problem(mapping_problems, 'client_id'),
            ingest_client_problem(client_id, $allowed_clients::text[], client_known, client_active)
        ) as client_id_problem,
        coalesce(
            ingest_mapping_problem(mapping_problems, 'checkin_date'),
            ingest_checkin_date_problem(checkin_date, checkin_date_text, $today::date, client_since)
        ) as checkin_date_problem,
        coalesce(
            ingest_mapping_problem(mapping_problems, 'soreness_quads'),
            checkin_problem('soreness_quads', soreness_quads_text, soreness_quads)
        ) as soreness_quads_problem,
        coalesce(
            ingest_mapping_problem(mapping_problems, 'soreness_hamstrings'),
            checkin_problem('soreness_hamstrings', soreness_hamstrings_text, soreness_hamstrings)
        ) as soreness_hamstrings_problem,
        coalesce(
            ingest_mapping_problem(mapping_problems, 'soreness_glutes'),
            checkin_problem('soreness_glutes', soreness_glutes_text, soreness_glutes)
        ) as soreness_glutes_problem,
        coalesce(
            ingest_mapping_problem(mapping_problems, 'soreness_calves'),
            checkin_problem('soreness_calves', soreness_calves_text, soreness_calves)
        ) as soreness_calves_problem,
        coalesce(
            ingest_mapping_problem(mapping_problems, 'sleep_hours'),
            checkin_problem('sleep_hours', sleep_hours_text, sleep_hours)
        ) as sleep_hours_problem,
        coalesce(
            ingest_mapping_problem(mapping_problems, 'sleep_quality'),
            checkin_problem('sleep_quality', sleep_quality_text, sleep_quality)
        ) as sleep_quality_problem,
        coalesce(
            ingest_mapping_problem(mapping_problems, 'energy'),
            checkin_problem('energy', energy_text, energy)
        ) as energy_problem,
        coalesce(
            ingest_mapping_problem(mapping_problems, 'stress'),
            checkin_problem('stress', stress_text, stress)
        ) as stress_problem,
        coalesce(
            ingest_mapping_problem(mapping_problems, 'mood'),
            checkin_problem('mood', mood_text, mood)
        ) as mood_problem,
        coalesce(
            ingest_mapping_problem(mapping_problems, 'water_liters'),
            checkin_problem('water_liters', water_liters_text, water_liters)
        ) as water_liters_note,
        coalesce(ingest_mapping_problem(mapping_problems, 'ate_recovery_meal'), case
            when ate_recovery_meal is null and not answer_is_empty(ate_recovery_meal_text) then ingest_problem(
                'ate_recovery_meal', 'unreadable',
                'ate_recovery_meal ''' || ingest_text(ate_recovery_meal_text) || ''' could not be read as yes or no'
            )
        end) as ate_recovery_meal_note,
        coalesce(ingest_mapping_problem(mapping_problems, 'session_type'), case
            when session_type is null then ingest_problem(
                'session_type', 'unreadable',
                'session_type ''' || ingest_text(session_type_text) || ''' is not one of '
                || array_to_string(checkin_session_types(), ', ')
            )
        end) as session_type_note,
        coalesce(ingest_mapping_problem(mapping_problems, 'session_minutes'), case
            when session_type = 'none' and session_minutes <> 0 then ingest_problem(
                'session_minutes', 'not_zero_without_session',
                'session_minutes ' || ingest_text(session_minutes_text) || ' given with no session; not stored'
            )
            else checkin_problem('session_minutes', session_minutes_text, session_minutes)
        end) as session_minutes_note,
        coalesce(ingest_mapping_problem(mapping_problems, 'session_rpe'), case
            when session_type = 'none' and session_rpe <> 0 then ingest_problem(
                'session_rpe', 'not_zero_without_session',
                'session_rpe ' || ingest_text(session_rpe_text) || ' given with no session; not stored'
            )
            else checkin_problem('session_rpe', session_rpe_text, session_rpe)
        end) as session_rpe_note,
        case
            when length(notes) > checkin_rule('notes').high then ingest_problem(
                'notes', 'too_long',
                'notes has ' || length(notes) || ' characters; at most ' || checkin_rule('notes').high
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
                and notes_problem is null
                then []
            else list_filter([
                client_id_problem, checkin_date_problem, soreness_quads_problem,
                soreness_hamstrings_problem, soreness_glutes_problem, soreness_calves_problem,
                sleep_hours_problem, sleep_quality_problem, energy_problem, stress_problem, mood_problem,
                notes_problem
            ], lambda problem: problem is not null)
        end as problems,
        case
            when water_liters_note is null and ate_recovery_meal_note is null and session_type_note is null
                and session_minutes_note is null and session_rpe_note is null
                then []
            else list_filter([
                water_liters_note, ate_recovery_meal_note, session_type_note, session_minutes_note,
                session_rpe_note
            ], lambda note: note is not null)
        end as answer_notes
    from checked
),

-- An optional answer with a note is stored empty; the required ones are whole by now.
-- A day without a session has 0 minutes; a session's unanswered minutes stay empty.
final as (
    select
        listed.line_number,
        listed.client_id,
        listed.checkin_date,
        listed.soreness_quads::integer as soreness_quads,
        listed.soreness_hamstrings::integer as soreness_hamstrings,
        listed.soreness_glutes::integer as soreness_glutes,
        listed.soreness_calves::integer as soreness_calves,
        listed.sleep_hours,
        listed.sleep_quality::integer as sleep_quality,
        listed.energy::integer as energy,
        listed.stress::integer as stress,
        listed.mood::integer as mood,
        if(listed.water_liters_note is null, listed.water_liters, null) as water_liters,
        if(listed.ate_recovery_meal_note is null, listed.ate_recovery_meal, null) as ate_recovery_meal,
        if(listed.session_type_note is null, listed.session_type, null) as session_type,
        case
            when listed.session_type = 'none' then 0
            when listed.session_minutes_note is null then listed.session_minutes::integer
        end as session_minutes,
        if(listed.session_rpe_note is null, listed.session_rpe, null)::integer as session_rpe,
        listed.pain,
        listed.notes,
        listed.problems,
        listed.answer_notes
    from listed
)

select * from final
