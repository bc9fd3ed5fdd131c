-- Every account's health-score history by weights version, as validity intervals of dates
-- [valid_from_date, valid_to_date), with what the validation reads beside the score: the account's
-- segment and CSM then, the at-risk line its score is judged against, the top drivers and every
-- component score recorded then. The scores as the snapshot recorded them, and, when var
-- backtest_weights names a candidate weighting, the same snapshot rows rescored with it from the
-- component scores recorded then (no component is recomputed, so nothing leaks from later), judged
-- against the candidate's own bands when it has them.

{%- set candidate = var('backtest_weights') %}
{%- set components = var('health_components') %}

with

snapshots as (
    select * from {{ ref('snap_account_health') }}
),

at_risk_lines as (
    select * from {{ ref('int_health__at_risk_lines') }}
),

recorded as (
    select
        snapshots.weights_version,
        false as is_rescored,
        snapshots.account_id,
        snapshots.segment,
        snapshots.csm_owner_id,
        cast(snapshots.dbt_valid_from as date) as valid_from_date,
        cast(coalesce(snapshots.dbt_valid_to, cast('9999-12-31' as date)) as date) as valid_to_date,
        cast(snapshots.health_score as {{ type_double() }}) as health_score,
        cast(at_risk_lines.at_risk_below_score as {{ type_double() }}) as at_risk_below_score,
        snapshots.top_driver_1,
        snapshots.top_driver_2,
        snapshots.top_driver_3,
        -- noqa: disable=LT02
        {%- for component in components %}
        cast(snapshots.{{ component }}_score as {{ type_double() }}) as {{ component }}_score{{ ',' if not loop.last }}
        {%- endfor %}
    -- noqa: enable=LT02
    from snapshots
    inner join at_risk_lines
        on snapshots.segment = at_risk_lines.segment
),

{%- if candidate %}
{%- for component in candidate['weights'] if component not in components %}
{{ exceptions.raise_compiler_error("backtest_weights: unknown component " ~ component) }}
{%- endfor %}
{%- set candidate_bands = candidate['bands'] if 'bands' in candidate else none %}

{%- if candidate_bands %}

candidate_bands as (
    {%- for row in candidate_bands %}
    select
        '{{ row["segment"] | replace("'", "''") }}' as segment,
        '{{ row["band"] | replace("'", "''") }}' as band,
        cast({{ row["min_score"] | float }} as {{ type_double() }}) as min_score
    {{ 'union all' if not loop.last }}
    {%- endfor %}
),

candidate_lines as (
    {{ at_risk_lines('candidate_bands') }}
),
{%- endif %}

rescored as (
    select
        '{{ candidate["weights_version"] | replace("'", "''") }}' as weights_version,
        true as is_rescored,
        snapshots.account_id,
        snapshots.segment,
        snapshots.csm_owner_id,
        cast(snapshots.dbt_valid_from as date) as valid_from_date,
        cast(coalesce(snapshots.dbt_valid_to, cast('9999-12-31' as date)) as date) as valid_to_date,
        {{ round_double(
            'cast(' ~ safe_divide(
                '0' ~ candidate_weighted_sum(candidate['weights'], 'score'),
                '0' ~ candidate_weighted_sum(candidate['weights'], 'weight')) ~ ' as ' ~ type_double() ~ ')',
            2) }} as health_score,
        cast(lines.at_risk_below_score as {{ type_double() }}) as at_risk_below_score,
        -- a candidate's drivers were never shown to anyone: the validation reads them from recorded scores only
        cast(null as {{ dbt.type_string() }}) as top_driver_1,
        cast(null as {{ dbt.type_string() }}) as top_driver_2,
        cast(null as {{ dbt.type_string() }}) as top_driver_3,
        -- noqa: disable=LT02
        {%- for component in components %}
        cast(snapshots.{{ component }}_score as {{ type_double() }}) as {{ component }}_score{{ ',' if not loop.last }}
        {%- endfor %}
    -- noqa: enable=LT02
    from snapshots
    inner join {{ 'candidate_lines' if candidate_bands else 'at_risk_lines' }} as lines
        on snapshots.segment = lines.segment
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
