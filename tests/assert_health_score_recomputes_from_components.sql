-- Every composite equals the weighted mean of its applicable components, recomputed from the long
-- form and the weights seed (not from the mart's own arithmetic).
with

components as (
    select * from {{ ref('fct_account_health_components') }}
),

weights as (
    select * from {{ ref('health_weights') }}
    where weights_version = '{{ var("weights_version") }}'
),

recomputed as (
    select
        components.account_id,
        sum(weights.weight * components.score) / sum(weights.weight) as expected_score
    from components
    inner join weights
        on components.component = weights.component
    where components.score is not null
    group by components.account_id
)

select
    health.account_id,
    health.health_score,
    recomputed.expected_score
from {{ ref('fct_account_health') }} as health
left join recomputed
    on health.account_id = recomputed.account_id
where recomputed.expected_score is null
    or abs(health.health_score - recomputed.expected_score) > 0.0051  -- the mart rounds to 2 decimals
