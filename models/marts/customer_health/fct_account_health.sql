-- One row per customer as of the as-of date: the composite health score, bands, churn risk,
-- revenue at risk and drivers (see int_health__account_scores, which the nightly snapshot reads).

with

account_scores as (
    select * from {{ ref('int_health__account_scores') }}
),

final as (
    select * from account_scores
)

select * from final
