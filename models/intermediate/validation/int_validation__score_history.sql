-- Every account's health-score history by weights version, as validity intervals of dates
-- [valid_from_date, valid_to_date), with the account's segment then (its at-risk line): the scores
-- as the snapshot recorded them, and, when
-- var backtest_weights names a candidate weighting, the same snapshot rows rescored with it from
-- the component scores recorded then (no component is recomputed, so nothing leaks from later).

{%- set candidate = var('backtest_weights') %}

with

snapshots as (
    select * from {{ ref('snap_account_health') }}
),

recorded as (
    select
        weights_version,
        account_id,
        segment,
        cast(dbt_valid_from as date) as valid_from_date,
        cast(coalesce(dbt_valid_to, cast('9999-12-31' as date)) as date) as valid_to_date,
        cast(health_score as {{ type_double() }}) as health_score
    from snapshots
),

{%- if candidate %}
{%- for component in candidate['weights'] if component not in var('health_components') %}
{{ exceptions.raise_compiler_error("backtest_weights: unknown component " ~ component) }}
{%- endfor %}

rescored as (
    select
        '{{ candidate["weights_version"] | replace("'", "''") }}' as weights_version,
        account_id,
        segment,
        cast(dbt_valid_from as date) as valid_from_date,
        cast(coalesce(dbt_valid_to, cast('9999-12-31' as date)) as date) as valid_to_date,
        {{ round_double(
            'cast(' ~ safe_divide(
                '0' ~ candidate_weighted_sum(candidate['weights'], 'score'),
                '0' ~ candidate_weighted_sum(candidate['weights'], 'weight')) ~ ' as ' ~ type_double() ~ ')',
            2) }} as health_score
    from snapshots
),
{%- endif %}

final as (
    select * from recorded
    {%- if candidate %}
    union all
    select * from rescored
    {%- endif %}
)

select * from final
