-- Each version of an account's health beside the version right before it in the same episode: the
-- day it took effect, band, score, churn probability and component scores now and before.

with

versions as (
    select * from {{ ref('int_alerts__health_versions') }}
),

paired as (
    select
        account_id,
        segment,
        episode,
        valid_from as changed_on,
        score_band,
        health_score,
        churn_probability,
        {%- for component in var('health_components') %}
        {{ component }}_score,
        lag({{ component }}_score) over (partition by account_id, episode order by valid_from) as previous_{{ component }}_score,
        {%- endfor %}
        lag(score_band) over (partition by account_id, episode order by valid_from) as previous_score_band,
        lag(health_score) over (partition by account_id, episode order by valid_from) as previous_health_score,
        lag(churn_probability) over (partition by account_id, episode order by valid_from) as previous_churn_probability,
        lag(valid_from) over (partition by account_id, episode order by valid_from) as previous_valid_from
    from versions
),

final as (
    select * from paired
    where previous_valid_from is not null
)

select * from final
