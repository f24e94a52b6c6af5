-- daily_load: one row per client per calendar day, from the client's first check-in
-- to the as-of date (check-ins and sessions after it are ignored). load (AU) is
-- session_rpe x session_minutes (Foster 2001) of the day's day_sessions session, 0
-- without one. The rows come from client_day_load, which stores every day's load, EWMAs
-- and trailing windows from the first check-in to 29 days after the last check-in or
-- counted session (sql/derived/client_day_load.sql); the windows only look back, so a
-- stored day never depends on later data. After the last stored day the windows have
-- settled: the load is 0 and the EWMAs decay, E_t = E_last * r^(t - last), r =
-- ewma_decay(N) for N = 7 and N = 28 (sql/macros/ewma.sql).
--
-- The client-day views form one chain (daily_load -> load_metrics -> wellness ->
-- soreness -> risk_flags -> recovery_status): each file defines a table macro
-- `<view>_rows(latest_only)` that adds its columns to the previous one's rows, and its
-- view selects the documented columns of `<view>_rows(false)`, the whole calendar.
-- latest_only = true keeps only each client's days from their latest check-in to the
-- as-of date: all the roster needs.
create or replace macro daily_load_rows(latest_only) as table
with as_of as (
    select coalesce(getvariable('legday_as_of'), current_date) as as_of_day
),

-- client_recent_load holds each client's rows from their latest check-in on; a client
-- with a check-in after the as-of date needs older rows, from client_day_load
checked_in_later as (
    select client_recent_load.client_id
    from client_recent_load, as_of
    where latest_only and client_recent_load.has_checkin and client_recent_load.day > as_of.as_of_day
),

days as not materialized (
    select * from query_table(if(latest_only, 'client_recent_load', 'client_day_load'))
    where not latest_only or client_id not in (select client_id from checked_in_later)
    union all
    select * from client_day_load
    where client_id in (select client_id from checked_in_later)
),

spans as (
    select
        days.client_id,
        max(days.day) filter (where days.has_checkin and days.day <= as_of.as_of_day) as latest_checkin,
        max(days.day) as last_stored_day,
        any_value(as_of.as_of_day) as as_of_day
    from days, as_of
    group by days.client_id
    having latest_checkin is not null
),

stored as not materialized (
    select days.*, spans.* exclude (client_id)
    from days
    inner join spans on spans.client_id = days.client_id
),

requested as (
    select * from stored
    where day between if(latest_only, latest_checkin, date '0001-01-01') and as_of_day
),

-- days after the last stored one, up to the as-of date
after_stored as (
    select
        * replace (
            calendar_day as day,
            day_index + (calendar_day - day) as day_index,
            ewma_acute * pow(ewma_decay(7), calendar_day - day) as ewma_acute,
            ewma_chronic * pow(ewma_decay(28), calendar_day - day) as ewma_chronic
        )
    from (
        select *, unnest(generate_series(day + 1, as_of_day, interval 1 day))::date as calendar_day
        from stored
        where day = last_stored_day and day < as_of_day
    )
),

final as (
    select * from requested
    union all by name
    select * exclude (calendar_day) from after_stored
)

select * from final;

create or replace view daily_load as
select
    client_id,
    day,
    has_checkin,
    session_type,
    session_minutes,
    session_rpe,
    load,
    ewma_acute,
    ewma_chronic
from daily_load_rows(false);
