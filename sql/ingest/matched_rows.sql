-- Valid incoming rows whose key is already stored, and whether any value differs.
with incoming as (
    select * from checked_rows
    where len(problems) = 0
),

stored as (
    select * from check_ins
),

final as (
    select
        incoming.client_id,
        incoming.checkin_date,
        row(
            incoming.soreness_quads, incoming.soreness_hamstrings, incoming.soreness_glutes,
            incoming.soreness_calves, incoming.sleep_hours, incoming.sleep_quality, incoming.energy,
            incoming.stress, incoming.mood, incoming.water_liters, incoming.ate_recovery_meal,
            incoming.session_type, incoming.session_minutes, incoming.session_rpe, incoming.pain,
            incoming.notes
        ) is distinct from row(
            stored.soreness_quads, stored.soreness_hamstrings, stored.soreness_glutes,
            stored.soreness_calves, stored.sleep_hours, stored.sleep_quality, stored.energy,
            stored.stress, stored.mood, stored.water_liters, stored.ate_recovery_meal,
            stored.session_type, stored.session_minutes, stored.session_rpe, stored.pain,
            stored.notes
        ) as changed
    from incoming
    inner join stored
        on stored.client_id = incoming.client_id
        and stored.checkin_date = incoming.checkin_date
)

select * from final
