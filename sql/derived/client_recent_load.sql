-- Rows of client_recent_load for the clients in $clients (NULL = every client): their
-- client_day_load rows from their latest check-in on, which is all the roster reads
-- while the as-of date is on or after that check-in (sql/views/daily_load.sql).
with latest as (
    select client_id, max(day) filter (where has_checkin) as latest_checkin
    from client_day_load
    where $clients is null or list_contains($clients, client_id)
    group by client_id
),

final as (
    select client_day_load.*
    from client_day_load
    inner join latest
        on latest.client_id = client_day_load.client_id
        and client_day_load.day >= latest.latest_checkin
)

select * from final
