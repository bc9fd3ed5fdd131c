-- Each version of an account's health in the snapshot history beside the version before it: the
-- day it took effect, the band, churn probability and component scores then and before.

with

snapshots as (
    select * from {{ ref('snap_account_health') }}
),

versions as (
    select
        account_id,
        segment,
        cast(dbt_valid_from as date) as changed_on,
        score_band,
        health_score,
        churn_probability,
        {%- for component in var('health_components') %}
        {{ component }}_score,
        lag({{ component }}_score) over (partition by account_id order by dbt_valid_from) as previous_{{ component }}_score,
        {%- endfor %}
        lag(score_band) over (partition by account_id order by dbt_valid_from) as previous_score_band,
        lag(health_score) over (partition by account_id order by dbt_valid_from) as previous_health_score,
        lag(churn_probability) over (partition by account_id order by dbt_valid_from) as previous_churn_probability,
        lag(dbt_valid_to) over (partition by account_id order by dbt_valid_from) as previous_valid_to
    from snapshots
),

final as (
    -- a version right after a gap (the account was not a customer in between) starts afresh
    select * from versions
    where previous_valid_to is not null
        and cast(previous_valid_to as date) = changed_on
)

select * from final
