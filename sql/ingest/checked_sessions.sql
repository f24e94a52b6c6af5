-- Every staged done-session row, typed, with the rules it breaks (empty list = valid).
-- Reads `mapped_sessions`: line_number plus one text column per session field
-- (pipelines/ingest/sessions.py SESSION_FIELDS). Durations, RPE and loads are read by
-- the human-answer interpreter (answers.sql); a value it cannot read holds the row back
-- with the reason, nothing is guessed. The same activity twice in the file is marked
-- afterwards (repeated_sessions.sql). The macros are sql/macros/ingest_parsers.sql and answers.sql. Parameters:
-- $today the as-of date; $allowed_clients the importing trainer's clients (NULL = any);
-- $date_formats strptime formats of the date or timestamp (else YYYY-MM-DD or an ISO timestamp);
-- $source_zone the zone those timestamps are written in, $practice_zone legday's
-- (LEGDAY_TIMEZONE; either NULL: taken as written); $minutes_unit 'minutes' or
-- 'seconds' for a bare number; $types_from/$types_to the mapping's type table;
-- $rpe_types/$rpe_defaults the default RPE of each type (an estimate, flagged).
with source as (
    select * from mapped_sessions
),

parsed as (
    select
        line_number,
        nfc_normalize(ingest_text(client_id)) as client_id,
        session_date as session_date_text,
        -- a plain YYYY-MM-DD read under the default format is cast, not parsed
        case
            when $date_formats::text[] = ['%Y-%m-%d'] and strlen(session_date) = 10
                and try_cast(session_date as date)::varchar = session_date then session_date::date::timestamp
            else try_strptime(ingest_text(session_date), $date_formats::text[])
        end as written_at,
        start_time as start_time_text,
        nfc_normalize(ingest_text(session_type)) as original_text,
        if(len($types_from::text[]) = 0, null, answer_text(session_type)) as type_key,
        minutes as minutes_text,
        case
            when regexp_full_match(ingest_text(minutes), '[0-9]+:[0-5][0-9]:[0-5][0-9](\.[0-9]+)?') then
                list_transform(
                    [string_split(ingest_text(minutes), ':')],
                    lambda part: part[1]::double * 60 + part[2]::double + part[3]::double / 60
                )[1]
            when $minutes_unit = 'seconds' then answer_quantity(answer_text(minutes)) / 60
            else answer_minutes(minutes, false)
        end as minutes_read,
        rpe as rpe_text,
        answer_score(rpe, false) as rpe,
        load as load_text,
        answer_quantity(answer_text(load)) as load_read,
        nfc_normalize(ingest_text(external_id)) as external_id,
        nfc_normalize(ingest_text(notes)) as notes
    from source
),

timed as (
    select
        * exclude (written_at),
        case
            when written_at is null or $source_zone::varchar is null or $practice_zone::varchar is null then written_at
            else timezone($practice_zone::varchar, timezone($source_zone::varchar, written_at))
        end as local_at
    from parsed
),

typed as (
    select
        * exclude (local_at, type_key),
        coalesce(local_at::date, ingest_day(session_date_text)) as session_date,
        coalesce(
            if(local_at::time = time '00:00:00' and strlen(ingest_text(session_date_text)) <= 10, null, local_at::time),
            try_cast(ingest_text(start_time_text) as time)
        ) as start_time,
        case
            when original_text is null then null
            when list_contains($types_from::text[], type_key) then ($types_to::text[])[list_position($types_from::text[], type_key)]
            when list_contains(done_session_types(), answer_session(original_text)) then answer_session(original_text)
            else 'other'
        end as session_type,
        round(minutes_read)::integer as minutes
    from timed
),

looked_up as (
    select
        typed.*,
        coalesce(
            (select clients from clients where clients.client_id = typed.client_id),
            (
                select if(count(*) = 1, any_value(clients), null)
                from clients
                where lower(clients.client_id) = lower(typed.client_id)
            )
        ) as client
    from typed
),

checked as (
    select
        * exclude (client, client_id),
        coalesce(client.client_id, client_id) as client_id,
        ingest_client_problem(
            coalesce(client.client_id, client_id), $allowed_clients::text[], client is not null, client.active
        ) as client_id_problem,
        case
            when session_date > $today::date then ingest_problem(
                'session_date', 'future_date',
                'session_date ' || session_date || ' is after today (' || $today::date || ')'
            )
            when session_date < client.since then ingest_problem(
                'session_date', 'before_since',
                'session_date ' || session_date || ' is before the client''s start date ' || client.since
            )
            when session_date is not null then null
            when ingest_blank(session_date_text) then ingest_problem('session_date', 'required', 'session_date is empty')
            else ingest_problem(
                'session_date', 'invalid_date',
                'session_date ''' || ingest_text(session_date_text) || ''' is not a date this file''s mapping reads'
            )
        end as session_date_problem,
        case
            when session_type is null then ingest_problem('session_type', 'required', 'session_type is empty')
        end as session_type_problem,
        case
            when minutes_read is null and load_read is null and answer_is_empty(minutes_text)
                and answer_is_empty(load_text) then ingest_problem(
                    'minutes', 'required', 'neither minutes nor load is given'
                )
            else answer_problem('minutes', minutes_text, minutes_read, 0, 1440, false, 'a duration')
        end as minutes_problem,
        answer_problem('rpe', rpe_text, rpe, 0, 10, true, 'a 0-10 RPE') as rpe_problem,
        answer_problem('load', load_text, load_read, 0, 20000, false, 'a load in AU') as load_problem,
        case
            when length(notes) > 2000 then ingest_problem(
                'notes', 'too_long', 'notes has ' || length(notes) || ' characters; at most 2000'
            )
            when length(external_id) > 200 then ingest_problem(
                'external_id', 'too_long', 'external_id has ' || length(external_id) || ' characters; at most 200'
            )
        end as text_problem
    from looked_up
),

final as (
    select
        line_number,
        client_id,
        session_date,
        start_time,
        session_type,
        if(original_text is distinct from session_type, original_text, null) as original_type,
        minutes,
        rpe::integer as rpe,
        rpe is null and load_read is null and minutes is not null as rpe_estimated,
        load_read,
        external_id,
        notes,
        null::date as checkin_date,
        false as pain,
        list_filter([
            client_id_problem, session_date_problem, session_type_problem, minutes_problem, rpe_problem,
            load_problem, text_problem
        ], lambda problem: problem is not null) as problems,
        -- a session row has no answers stored empty: every problem holds it back
        list_filter(problems, lambda problem: false) as answer_notes
    from checked
)

select
    * exclude (rpe, load_read),
    if(rpe_estimated, ($rpe_defaults::integer[])[list_position($rpe_types::text[], session_type)], rpe) as rpe,
    coalesce(
        load_read,
        if(rpe_estimated, ($rpe_defaults::integer[])[list_position($rpe_types::text[], session_type)], rpe) * minutes
    ) as load
from final
