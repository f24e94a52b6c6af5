-- The practice's flag and status thresholds, read by name from the thresholds table
-- (docs/design.md "Flags"; owners change them, every view reads the same numbers).
create or replace macro threshold(threshold_name) as (
    select value from thresholds where name = threshold_name
);
