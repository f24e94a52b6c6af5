-- live_overrides: the trainer override that decides a client's status now
-- (docs/plans-and-links.md "Status overrides"): the client's latest uncleared override
-- (latest created_at, then the highest id), while it is newer than the client's latest
-- check-in (created_at > max(check_ins.recorded_at)); the next check-in ends it without
-- anyone clearing it. At most one row per client. The roster and
-- pipelines/overrides.py read it.
create or replace view live_overrides as
with open_overrides as (
    select override_id, client_id, status, reason, created_by, created_at
    from status_overrides
    where cleared_at is null
    qualify row_number() over (partition by client_id order by created_at desc, override_id desc) = 1
),

latest_recorded as (
    select client_id, max(recorded_at) as recorded_at
    from check_ins
    where client_id in (select client_id from open_overrides)
    group by client_id
),

final as (
    select open_overrides.*
    from open_overrides
    left join latest_recorded on latest_recorded.client_id = open_overrides.client_id
    where latest_recorded.recorded_at is null or open_overrides.created_at > latest_recorded.recorded_at
)

select * from final;
