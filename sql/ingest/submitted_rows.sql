-- checked_rows for one web submission (pipelines/checkin_form.py): the form's model has
-- read its answers already, with checked_rows.sql on a private database, so here the
-- values are taken as read and only the rules the database alone can check are applied,
-- with the macros checked_rows.sql applies to every file row: the client's (known,
-- active) and the check-in date's (not after $today, not before the client's start).
-- A fresh run is later than every stored row, so superseded_rows.sql never applies.
with submitted as (
    select
        1 as line_number,
        $client_id::text as client_id,
        $checkin_date::date as checkin_date,
        $soreness_quads::integer as soreness_quads,
        $soreness_hamstrings::integer as soreness_hamstrings,
        $soreness_glutes::integer as soreness_glutes,
        $soreness_calves::integer as soreness_calves,
        $sleep_hours::double as sleep_hours,
        $sleep_quality::integer as sleep_quality,
        $energy::integer as energy,
        $stress::integer as stress,
        $mood::integer as mood,
        $water_liters::double as water_liters,
        $ate_recovery_meal::boolean as ate_recovery_meal,
        $session_type::text as session_type,
        $session_minutes::integer as session_minutes,
        $session_rpe::integer as session_rpe,
        $pain::boolean as pain,
        $notes::text as notes
),

looked_up as (
    select
        submitted.*,
        clients.client_id is not null as client_known,
        clients.active as client_active,
        clients.since as client_since
    from submitted
    left join clients on clients.client_id = submitted.client_id
),

final as (
    select
        * exclude (client_known, client_active, client_since),
        list_filter(
            [
                ingest_client_problem(client_id, null::text[], client_known, client_active),
                ingest_checkin_date_problem(checkin_date, checkin_date::text, $today::date, client_since)
            ],
            lambda problem: problem is not null
        ) as problems,
        []::struct(field text, rule text, reason text)[] as answer_notes
    from looked_up
)

select * from final
