-- daily_load: one row per client per calendar day, from the client's first check-in
-- to the as-of date (check-ins after it are ignored). load (AU) is session_rpe x
-- session_minutes (Foster 2001), 0 on a day without a session. load and the EWMAs
-- come from client_day_load (first to last check-in day); after the last stored day
-- the load is 0 and the EWMAs decay: E_t = E_last * r^(t - last), r = 0.75 (N = 7)
-- and 27/29 (N = 28). The view adds whether the client checked in and the session.
--
-- The client-day views form one chain (daily_load -> load_metrics -> wellness ->
-- soreness -> risk_flags -> recovery_status): each file defines a table macro
-- `<view>_rows(latest_only)` that adds its columns to the previous one's rows, and its
-- view selects the documented columns of `<view>_rows(false)`, the whole calendar.
-- latest_only = true computes only each client's days from their latest check-in to
-- the as-of date, on a calendar padded with the 28 days before (the longest window a
-- later step reads); that is all the roster needs, so it never computes years of days.
-- Rows before window_start are that padding; the views and the roster never show them.
create or replace macro daily_load_rows(latest_only) as table
with as_of as (
    select coalesce(getvariable('legday_as_of'), current_date) as as_of_day
),

spans as (
    select
        check_ins.client_id,
        min(check_ins.checkin_date) as first_day,
        max(check_ins.checkin_date) filter (where check_ins.checkin_date <= as_of.as_of_day) as latest_checkin,
        max(check_ins.checkin_date) filter (
            where check_ins.checkin_date <= as_of.as_of_day and check_ins.session_type in ('legs', 'full_body')
        ) as latest_legs_day,
        max(check_ins.checkin_date) as last_stored_day,
        any_value(as_of.as_of_day) as as_of_day
    from check_ins, as_of
    group by check_ins.client_id
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

after_stored as (
    select
        windows.* exclude (as_of_day),
        unnest(generate_series(client_day_load.day + 1, windows.as_of_day, interval 1 day))::date as calendar_day,
        0.0 as load,
        client_day_load.ewma_acute * pow(0.75, calendar_day - client_day_load.day) as ewma_acute,
        client_day_load.ewma_chronic * pow(27.0 / 29, calendar_day - client_day_load.day) as ewma_chronic
    from client_day_load
    inner join windows
        on windows.client_id = client_day_load.client_id
        and windows.last_stored_day = client_day_load.day
    where client_day_load.day < windows.as_of_day
),

final as (
    select client_id, first_day, latest_checkin, legs_before_calendar, window_start, day, load, ewma_acute, ewma_chronic
    from stored
    union all
    select client_id, first_day, latest_checkin, legs_before_calendar, window_start, calendar_day, load, ewma_acute, ewma_chronic
    from after_stored
)

select *, (day - first_day) as day_index from final;

create or replace view daily_load as
select
    daily.client_id,
    daily.day,
    check_ins.client_id is not null as has_checkin,
    check_ins.session_type,
    check_ins.session_minutes,
    check_ins.session_rpe,
    daily.load,
    daily.ewma_acute,
    daily.ewma_chronic
from daily_load_rows(false) as daily
left join check_ins on check_ins.client_id = daily.client_id and check_ins.checkin_date = daily.day;
