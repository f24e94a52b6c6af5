-- current_plans: each client's plan as it stands, the newest revision (docs/plans-and-links.md):
-- every save is a new revision and nothing is overwritten, so the highest revision is the
-- plan; its items are the plan_items of its plan_id. The brief, the sessions schedule
-- and the plans export read it.
create or replace view current_plans as
with source as (
    select * from plans
),

final as (
    select *
    from source
    qualify revision = max(revision) over (partition by client_id)
)

select * from final;
