-- Check-in rows of the demo generator (pipelines/demo.py), from its numeric frames
-- demo_rows (one row per check-in) and demo_client_ids (client_index -> client_id).
-- Codes: session_code indexes $session_types from 0; note_code indexes $notes from 1
-- (0 = no note); water NaN = not reported; meal -1 = not asked (no session that day).
-- recorded_at is the simulated submission time, never later than the demo's own run.
with source as (
    select * from demo_rows
),

demo_clients as (
    select * from demo_client_ids
),

renamed as (
    select
        demo_clients.client_id,
        $start::date + source.day_index as checkin_date,
        source.soreness_quads,
        source.soreness_hamstrings,
        source.soreness_glutes,
        source.soreness_calves,
        source.sleep_hours,
        source.sleep_quality,
        source.energy,
        source.stress,
        source.mood,
        if(isnan(source.water_liters), null, source.water_liters) as water_liters,
        case source.meal when 1 then true when 0 then false end as ate_recovery_meal,
        $session_types[source.session_code + 1] as session_type,
        source.session_minutes,
        if(source.session_code = 0, null, source.session_rpe) as session_rpe,
        source.pain,
        if(source.note_code = 0, null, $notes[source.note_code]) as notes,
        $run_id::bigint as run_id,
        least(
            ($start::date + source.day_index) + to_minutes(source.minute_of_day),
            current_timestamp::timestamp
        ) as recorded_at
    from source
    inner join demo_clients on demo_clients.client_index = source.client_index
),

final as (
    select * from renamed
)

select * from final
