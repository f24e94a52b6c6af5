-- Rows of client_day_load for the clients in $clients (NULL = every client): one row per
-- calendar day from the client's first check-in or first counted session, whichever is
-- earlier, to 29 days after their last check-in or counted session (day_sessions,
-- sql/staging/: the sum of the day's counted done sessions), with the day's sessions and load, the
-- check-in's scores and its wellness (wellness_score, sql/macros/wellness_score.sql), the
-- EWMAs and the trailing windows the metric views read. A day with sessions and no
-- check-in counts its load and leaves wellness empty. 29 days on, every window holds
-- only load-0 days without a check-in, so later days repeat the last row with decayed
-- EWMAs (sql/views/daily_load.sql). A client without check-ins has no rows
-- (docs/design.md).
-- load = the sum of the day's session loads (RPE x minutes, Foster 2001, or AU given);
-- a day without a session is 0. sessions counts them; load_estimated says a default
-- RPE went into the load (docs/done-sessions.md).
-- Windows (docs/design.md "Metrics"): acute_load and weekly_load over the 7 days to
-- t, chronic_load over 28, each over the days that exist (a client's first days);
-- weekly_load_sd is the population SD of the 7 loads (Foster 1998 monotony); the
-- wellness baseline is over the check-ins of days t-28..t-1. SDs come from sums of
-- squares: loads and wellness are whole numbers, so every sum is exact in a double, the
-- SD of a flat week is exactly 0, and no SD depends on the order a parallel window adds
-- its terms in. previous_sleep_hours is day t-1's; last_legs_day is the last leg
-- day (is_leg_session()) <= t, previous_legs_day the last one < t.
-- EWMA (sql/macros/ewma.sql): E_t = lambda*L_t + (1-lambda)*E_(t-1), E_first = L_first,
-- unrolled to E_t = sum_k w_k r^(t-k) with r = ewma_decay(N) = 1-lambda, w_first = L_first and
-- w_k = lambda*L_k. Powers are rebased at the start of 600-day blocks so r^-j never
-- overflows: E_t = r^j * (sum of w_k r^-j_k over the block so far) + r^(j+600) * (the
-- same sum over the whole previous block), j = the day's place in its block; terms from
-- two blocks back weigh below r^600 (< 3e-19 for N = 7 and N = 28) and are dropped,
-- which is exact to double precision. All windows share one sort.
with source as (
    select
        client_id,
        checkin_date,
        session_type,
        session_minutes,
        session_rpe,
        soreness_quads,
        soreness_hamstrings,
        soreness_glutes,
        soreness_calves,
        sleep_hours,
        sleep_quality,
        energy,
        stress,
        mood,
        water_liters,
        ate_recovery_meal,
        pain,
        coalesce(session_type <> 'none', false) as reports_session,
        wellness_score(
            sleep_quality, energy, stress, mood,
            greatest(soreness_quads, soreness_hamstrings, soreness_glutes, soreness_calves)
        ) as wellness
    from check_ins
    where $clients is null or list_contains($clients, client_id)
),

counted_sessions as (
    select client_id, day, session_type, session_minutes, session_rpe, load, sessions, load_estimated
    from day_sessions
    where $clients is null or list_contains($clients, client_id)
),

session_spans as (
    select client_id, min(day) as first_session_day, max(day) as last_session_day
    from counted_sessions
    group by client_id
),

spans as (
    select
        source.client_id,
        least(min(source.checkin_date), any_value(session_spans.first_session_day)) as first_day,
        greatest(max(source.checkin_date), any_value(session_spans.last_session_day)) + 29 as last_day
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
        (calendar.day - calendar.first_day)::integer as day_index,
        source.client_id is not null as has_checkin,
        -- a check-in's own session fields show only when it reports no session (`none`, or
        -- an answer left empty): a session it reports is a done_sessions row, counted above
        coalesce(counted_sessions.session_type, if(reports_session, 'none', source.session_type)) as session_type,
        coalesce(counted_sessions.session_minutes, if(reports_session, 0, source.session_minutes)) as session_minutes,
        coalesce(counted_sessions.session_rpe, if(reports_session, null, source.session_rpe)) as session_rpe,
        coalesce(counted_sessions.load, 0)::double as load,
        coalesce(counted_sessions.sessions, 0)::integer as sessions,
        coalesce(counted_sessions.load_estimated, false) as load_estimated,
        source.* exclude (client_id, checkin_date, session_type, session_minutes, session_rpe, reports_session)
    from calendar
    left join counted_sessions
        on counted_sessions.client_id = calendar.client_id and counted_sessions.day = calendar.day
    left join source on source.client_id = calendar.client_id and source.checkin_date = calendar.day
),

weighted as (
    select
        *,
        if(is_leg_session(session_type), day, null) as legs_day,
        day_index % 600 as block_day,
        if(day_index = 0, load, ewma_lambda(7) * load) * pow(ewma_decay(7), -block_day) as rebased_acute,
        if(day_index = 0, load, ewma_lambda(28) * load) * pow(ewma_decay(28), -block_day) as rebased_chronic
    from loads
),

windowed as (
    select
        *,
        sum(rebased_acute) over block_so_far as block_acute,
        sum(rebased_chronic) over block_so_far as block_chronic,
        sum(rebased_acute) over previous_block as previous_block_acute,
        sum(rebased_chronic) over previous_block as previous_block_chronic,
        sum(load) over last_7_days as weekly_load,
        sum(load * load) over last_7_days as weekly_load_squares,
        avg(load) over last_28_days as chronic_load,
        count(wellness) over previous_28_days as baseline_checkins,
        sum(wellness) over previous_28_days as baseline_sum,
        sum(wellness * wellness) over previous_28_days as baseline_squares,
        lag(sleep_hours) over previous_28_days as previous_sleep_hours,
        max(legs_day) over through_today as last_legs_day,
        max(legs_day) over before_today as previous_legs_day
    from weighted
    window
        -- the calendar has every day, so rows and days agree
        block_so_far as (partition by client_id order by day rows between block_day preceding and current row),
        previous_block as (
            partition by client_id order by day rows between block_day + 600 preceding and block_day + 1 preceding
        ),
        last_7_days as (partition by client_id order by day rows 6 preceding),
        last_28_days as (partition by client_id order by day rows 27 preceding),
        previous_28_days as (partition by client_id order by day rows between 28 preceding and 1 preceding),
        through_today as (partition by client_id order by day rows unbounded preceding),
        before_today as (partition by client_id order by day rows between unbounded preceding and 1 preceding)
),

final as (
    select
        * exclude (
            legs_day, block_day, rebased_acute, rebased_chronic, block_acute, block_chronic, previous_block_acute,
            previous_block_chronic, weekly_load_squares, baseline_sum, baseline_squares
        ),
        pow(ewma_decay(7), block_day) * block_acute
            + coalesce(pow(ewma_decay(7), block_day + 600) * previous_block_acute, 0) as ewma_acute,
        pow(ewma_decay(28), block_day) * block_chronic
            + coalesce(pow(ewma_decay(28), block_day + 600) * previous_block_chronic, 0) as ewma_chronic,
        weekly_load / least(day_index + 1, 7) as acute_load,
        sqrt(least(day_index + 1, 7) * weekly_load_squares - weekly_load ^ 2) / least(day_index + 1, 7) as weekly_load_sd,
        baseline_sum / nullif(baseline_checkins, 0) as baseline_mean,
        sqrt(baseline_checkins * baseline_squares - baseline_sum ^ 2) / nullif(baseline_checkins, 0) as baseline_sd
    from windowed
)

select * from final
