-- daily_load: one row per client per calendar day, from the client's first check-in
-- to the as-of date (check-ins and sessions after it are ignored). load (AU) is
-- session_rpe x session_minutes (Foster 2001) of the day's day_sessions session, 0
-- without one. The rows come from client_day_load (first check-in to the last check-in
-- or counted session, with the day's session, load, EWMAs, wellness and sleep_hours);
-- after the last stored day the load is 0 and the EWMAs decay:
-- E_t = E_last * r^(t - last), r = 0.75 (N = 7) and 27/29 (N = 28).
--
-- The client-day views form one chain (daily_load -> load_metrics -> wellness ->
-- soreness -> risk_flags -> recovery_status): each file defines a table macro
-- `<view>_rows(latest_only)` that adds its columns to the previous one's rows, and its
-- view selects the documented columns of `<view>_rows(false)`, the whole calendar.
-- latest_only = true computes only each client's days from their latest check-in to
-- the as-of date, on a calendar padded with the 28 days before (the longest window a
-- later step reads); that is all the roster needs, so it never computes years of days.
-- Rows before window_start are that padding; the wellness step drops them once its
-- windows have read them.
create or replace macro daily_load_rows(latest_only) as table
with as_of as (
    select coalesce(getvariable('legday_as_of'), current_date) as as_of_day
),

spans as (
    select
        client_day_load.client_id,
        min(client_day_load.day) as first_day,
        max(client_day_load.day) filter (
            where client_day_load.has_checkin and client_day_load.day <= as_of.as_of_day
        ) as latest_checkin,
        max(client_day_load.day) filter (
            where client_day_load.day <= as_of.as_of_day and client_day_load.session_type in ('legs', 'full_body')
        ) as latest_legs_day,
        max(client_day_load.day) as last_stored_day,
        any_value(as_of.as_of_day) as as_of_day
    from client_day_load, as_of
    group by client_day_load.client_id
    having latest_checkin is not null
),

windows as (
    select
        *,
        if(latest_only, latest_checkin, first_day) as window_start,
        greatest(first_day, window_start - 28) as calendar_start,
        -- soreness looks back past the padding with this; exact from window_start on,
        -- since no legs day after it is later than latest_checkin
        if(latest_legs_day < calendar_start, latest_legs_day, null) as legs_before_calendar
    from spans
),

stored as (
    select client_day_load.*, windows.* exclude (client_id)
    from client_day_load
    inner join windows on windows.client_id = client_day_load.client_id
    where client_day_load.day between windows.calendar_start and windows.as_of_day
),

-- the last stored day is in stored whenever it is before the as-of date
after_stored as (
    select
        * exclude (day, load, ewma_acute, ewma_chronic),
        unnest(generate_series(day + 1, as_of_day, interval 1 day))::date as calendar_day,
        0.0 as load,
        ewma_acute * pow(0.75, calendar_day - day) as ewma_acute,
        ewma_chronic * pow(27.0 / 29, calendar_day - day) as ewma_chronic
    from stored
    where day = last_stored_day and day < as_of_day
),

final as (
    select
        client_id, first_day, latest_checkin, legs_before_calendar, window_start, day, has_checkin,
        session_type, session_minutes, session_rpe, load, ewma_acute, ewma_chronic, wellness, sleep_hours
    from stored
    union all
    select
        client_id, first_day, latest_checkin, legs_before_calendar, window_start, calendar_day, false,
        null, null, null, load, ewma_acute, ewma_chronic, null, null
    from after_stored
)

select *, (day - first_day) as day_index from final;

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
