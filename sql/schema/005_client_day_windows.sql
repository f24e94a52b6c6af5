-- client_day_load becomes each client's day table: the day's check-in fields, its
-- session and load, the EWMAs and the trailing windows (rolling loads, wellness
-- baseline, last leg days), from the first check-in to 29 days after the last check-in
-- or counted session, when every window has settled. The views read any day's metrics
-- from it instead of re-sorting history and joining check_ins.
-- client_recent_load repeats each client's rows from their latest check-in on: all a
-- roster reads, in a table a few dozen rows per client long.
-- Both are derived data: legday rebuilds them whenever sql/derived/client_day_load.sql
-- changes (pipelines/load_state.py).
drop table client_day_load;

create table client_day_load (
    client_id text not null,
    day date not null,
    day_index integer not null,
    has_checkin boolean not null,
    session_type text,
    session_minutes integer,
    session_rpe integer,
    load double not null,
    ewma_acute double not null,
    ewma_chronic double not null,
    soreness_quads integer,
    soreness_hamstrings integer,
    soreness_glutes integer,
    soreness_calves integer,
    sleep_hours double,
    sleep_quality integer,
    energy integer,
    stress integer,
    mood integer,
    water_liters double,
    ate_recovery_meal boolean,
    pain boolean,
    wellness integer,
    acute_load double not null,
    chronic_load double not null,
    weekly_load double not null,
    weekly_load_sd double not null,
    baseline_mean double,
    baseline_sd double,
    baseline_checkins integer not null,
    previous_sleep_hours double,
    last_legs_day date,
    previous_legs_day date
);

create table client_recent_load as select * from client_day_load limit 0;
