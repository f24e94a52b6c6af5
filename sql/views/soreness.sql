-- soreness: leg soreness per client per calendar day and where the client is in the
-- DOMS time course after their last leg session (is_leg_session(): legs or full_body).
-- days_since_legs = t - the last legs day <= t (NULL when there is none);
-- doms_phase: 0 just trained, 1-3 the 24-72 h peak, 4-5 should be fading, >= 6 past.
-- The scores are NULL on a day without a check-in. Chain step after wellness;
-- last_legs_day and previous_legs_day (the one before today) are stored per day in
-- client_day_load.
create or replace macro soreness_rows(latest_only) as table
with days as (
    select * from wellness_rows(latest_only)
),

final as (
    select
        *,
        -- the score columns in muscles() order
        nullif(array_to_string(list_filter(
            muscles(),
            lambda muscle, position: [
                soreness_quads, soreness_hamstrings, soreness_glutes, soreness_calves
            ][position] = max_soreness
        ), ', '), '') as sorest_muscles,
        is_leg_session(session_type) as trained_legs,
        (day - last_legs_day) as days_since_legs,
        case
            when days_since_legs = 0 then 'just trained'
            when days_since_legs <= 3 then 'peak window 24–72 h'
            when days_since_legs <= 5 then 'should be fading'
            when days_since_legs >= 6 then 'past 5 days'
        end as doms_phase
    from days
)

select * from final;

create or replace view soreness as
select
    client_id,
    day,
    soreness_quads,
    soreness_hamstrings,
    soreness_glutes,
    soreness_calves,
    max_soreness,
    sorest_muscles,
    last_legs_day,
    days_since_legs,
    doms_phase
from soreness_rows(false);
