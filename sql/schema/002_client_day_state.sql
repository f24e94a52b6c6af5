-- client_day_load carries, besides the load and its EWMAs, the narrow per-day fields
-- the views' windows read (the day's session, wellness, sleep), so the windows sort
-- only this table's rows and never join check_ins. It is derived data: legday rebuilds
-- it whenever sql/derived/client_day_load.sql changes (pipelines/load_state.py).
drop table client_day_load;

create table client_day_load (
    client_id text not null,
    day date not null,
    has_checkin boolean not null,
    session_type text,
    session_minutes integer,
    session_rpe integer,
    load double not null,
    ewma_acute double not null,
    ewma_chronic double not null,
    wellness integer,
    sleep_hours double
);
