-- Rows of client_day_load for the clients in $clients (NULL = every client): one row per
-- calendar day from the client's first check-in to their last check-in or counted
-- session (day_sessions: a done planned session counts when the day's check-in reports
-- none), with the day's session and load, the check-in's wellness (wellness_score,
-- sql/views/wellness.sql) and sleep_hours. Sessions before the first check-in fall
-- outside the calendar (shared/DESIGN.md); a client without check-ins has no rows.
-- load = session_rpe x session_minutes (Foster 2001); a day without a session is 0.
-- EWMA (Williams 2017): E_t = lambda*L_t + (1-lambda)*E_(t-1), E_first = L_first,
-- unrolled to E_t = sum_k w_k r^(t-k) with r = 1-lambda, w_first = L_first and
-- w_k = lambda*L_k. Powers are rebased at the start of 600-day blocks so r^-j never
-- overflows; terms from two blocks back weigh below r^600 (< 3e-19 for N = 7 and
-- N = 28) and are dropped, which is exact to double precision.
with source as (
    select
        client_id,
        checkin_date,
        session_type,
        session_minutes,
        session_rpe,
        wellness_score(
            sleep_quality, energy, stress, mood,
            greatest(soreness_quads, soreness_hamstrings, soreness_glutes, soreness_calves)
        ) as wellness,
        sleep_hours
    from check_ins
    where $clients is null or list_contains($clients, client_id)
),

counted_sessions as (
    select client_id, day, session_type, session_minutes, session_rpe, load
    from day_sessions
    where $clients is null or list_contains($clients, client_id)
),

session_spans as (
    select client_id, max(day) as last_session_day
    from counted_sessions
    group by client_id
),

spans as (
    select
        source.client_id,
        min(source.checkin_date) as first_day,
        greatest(max(source.checkin_date), any_value(session_spans.last_session_day)) as last_day
    from source
    left join session_spans on session_spans.client_id = source.client_id
    group by source.client_id
),

calendar as (
    select
        client_id,
        first_day,
        unnest(generate_series(first_day, last_day, interval 1 day))::date as day
    from spans
),

loads as (
    select
        calendar.client_id,
        calendar.day,
        (calendar.day - calendar.first_day) as day_index,
        counted_sessions.session_type,
        counted_sessions.session_minutes,
        counted_sessions.session_rpe,
        coalesce(counted_sessions.load, 0)::double as load
    from calendar
    left join counted_sessions
        on counted_sessions.client_id = calendar.client_id and counted_sessions.day = calendar.day
),

weighted as (
    select
        * exclude (day_index),
        day_index // 600 as block,
        day_index % 600 as block_day,
        if(day_index = 0, load, 0.25 * load) as weight_acute,
        if(day_index = 0, load, (2.0 / 29) * load) as weight_chronic
    from loads
),

block_sums as (
    select
        *,
        sum(weight_acute * pow(0.75, -block_day)) over block_so_far as rebased_acute,
        sum(weight_chronic * pow(27.0 / 29, -block_day)) over block_so_far as rebased_chronic
    from weighted
    window block_so_far as (partition by client_id, block order by day rows unbounded preceding)
),

block_totals as (
    select client_id, block, max_by(rebased_acute, day) as total_acute, max_by(rebased_chronic, day) as total_chronic
    from block_sums
    group by client_id, block
),

final as (
    select
        block_sums.*,
        pow(0.75, block_day) * rebased_acute
            + coalesce(pow(0.75, block_day + 600) * previous.total_acute, 0) as ewma_acute,
        pow(27.0 / 29, block_day) * rebased_chronic
            + coalesce(pow(27.0 / 29, block_day + 600) * previous.total_chronic, 0) as ewma_chronic
    from block_sums
    left join block_totals as previous
        on previous.client_id = block_sums.client_id and previous.block = block_sums.block - 1
)

select
    final.client_id,
    final.day,
    source.client_id is not null as has_checkin,
    coalesce(final.session_type, source.session_type) as session_type,
    coalesce(final.session_minutes, source.session_minutes) as session_minutes,
    coalesce(final.session_rpe, source.session_rpe) as session_rpe,
    final.load,
    final.ewma_acute,
    final.ewma_chronic,
    source.wellness,
    source.sleep_hours
from final
left join source on source.client_id = final.client_id and source.checkin_date = final.day
