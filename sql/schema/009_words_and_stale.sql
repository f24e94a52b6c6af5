-- Issue 12: flags a trainer keeps reading, words true on the day they are read.
-- Soreness in the normal DOMS window alone no longer makes a client caution; a leg day
-- yesterday alone no longer does either (the default of caution_days_since_legs moves
-- from 2 to 1, on databases that still had the old default); WELLNESS_DROP warns from
-- z <= -1.5 instead of -1 (same condition); a client without a
-- check-in for stale_checkin_days is `stale`, not rest or ready.
insert into thresholds (name, value, default_value, description) values
    ('doms_window_days', 3, 3, 'soreness below rest_soreness 1 to this many days after leg day is normal DOMS: alone it does not make a client caution'),
    ('stale_checkin_days', 7, 7, 'status stale when the last check-in is this many days old or more (its status is too old to act on)');

update thresholds set value = 1 where name = 'caution_days_since_legs' and value = 2;

update thresholds
set default_value = 1, description = 'status caution when days_since_legs is below this (1: leg day today)'
where name = 'caution_days_since_legs';

-- A 28-day baseline puts about one ordinary day in six at z <= -1; -1.5 keeps the warn
-- for a real dip (about one day in fifteen).
update thresholds set value = -1.5 where name = 'wellness_z_warn' and value = -1;

update thresholds set default_value = -1.5 where name = 'wellness_z_warn';
