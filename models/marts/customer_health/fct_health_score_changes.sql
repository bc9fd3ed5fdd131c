-- Why each score moved: one row per account and night on which its health score changed, or was
-- restated under another scoring configuration, up to the as-of date. Each version of the nightly
-- history (snap_account_health) is set against the version right before it; a version after a gap
-- (the account was not a customer in between) starts afresh, and so does the first version that
-- recorded its components' weights (history recorded before carries none to explain).
--
-- The change of the unrounded composite S = Σ dᵢsᵢ / D (dᵢ the weight component i carries, 0 where
-- it does not apply; D = Σ dᵢ) is split exactly among the components (primes: the new version):
--     cᵢ = (dᵢ'sᵢ' − dᵢsᵢ − S·(dᵢ' − dᵢ)) / D'
-- dᵢ(sᵢ' − sᵢ)/D for a component whose score moved, dᵢ'(sᵢ' − S)/D' for one that starts to apply
-- (it pulls the composite towards its own score: the others' renormalisation is its doing) and
-- dᵢ(S − sᵢ)/D' for one that stops; Σ cᵢ = S' − S. Nothing applying scores 100 (as the composite
-- does), so when nothing applies any more each component gives back the points it cost.

{%- set components = var('health_components') %}

with

snapshots as (
    select * from {{ ref('snap_account_health') }}
),

recorded as (
    select
        account_id,
        segment,
        dbt_valid_from,
        dbt_valid_to,
        cast(dbt_valid_from as date) as changed_on,
        weights_version,
        configuration_version,
        cast(health_score as {{ type_double() }}) as health_score,
        cast(health_score_unrounded as {{ type_double() }}) as health_score_unrounded,
        {%- for component in components %}
        cast({{ component }}_score as {{ type_double() }}) as {{ component }}_score,
        cast(coalesce({{ component }}_weight, 0) as {{ type_double() }}) as {{ component }}_weight,
        {%- endfor %}
        {%- for component in components %}
        {{ ' + ' if not loop.first }}coalesce({{ component }}_weight, 0)
        {%- endfor %} as applied_weight,
        {%- for component in components %}
        {{ ' + ' if not loop.first }}coalesce({{ component }}_weight * {{ component }}_score, 0)
        {%- endfor %} as weighted_score
    from snapshots
),

composed as (
    select
        recorded.*,
        case when applied_weight > 0 then weighted_score / applied_weight else 100 end as composite
    from recorded
),

paired as (
    select
        composed.*,
        {%- for component in components %}
        lag({{ component }}_score) over (partition by account_id order by dbt_valid_from) as previous_{{ component }}_score,
        lag({{ component }}_weight) over (partition by account_id order by dbt_valid_from) as previous_{{ component }}_weight,
        {%- endfor %}
        lag(dbt_valid_to) over (partition by account_id order by dbt_valid_from) as previous_valid_to,
        lag(changed_on) over (partition by account_id order by dbt_valid_from) as previous_version_on,
        lag(configuration_version) over (partition by account_id order by dbt_valid_from) as previous_configuration_version,
        lag(weights_version) over (partition by account_id order by dbt_valid_from) as previous_weights_version,
        lag(health_score) over (partition by account_id order by dbt_valid_from) as previous_health_score,
        lag(health_score_unrounded) over (partition by account_id order by dbt_valid_from) as previous_health_score_unrounded,
        lag(applied_weight) over (partition by account_id order by dbt_valid_from) as previous_applied_weight,
        lag(composite) over (partition by account_id order by dbt_valid_from) as previous_composite
    from composed
),

changed as (
    select * from paired
    where cast(previous_valid_to as date) = changed_on
        and changed_on <= {{ as_of_date() }}
        and health_score_unrounded is not null
        and previous_health_score_unrounded is not null
        and (
            configuration_version <> previous_configuration_version
            {%- for component in components %}
            or {{ component }}_score is distinct from previous_{{ component }}_score
            or {{ component }}_weight <> previous_{{ component }}_weight
            {%- endfor %}
        )
),

contributed as (
    select
        {%- for component in components %}
        case
            when applied_weight = 0
                then {{ safe_divide('previous_' ~ component ~ '_weight * (100 - coalesce(previous_' ~ component ~ '_score, 0))', 'previous_applied_weight') }}
            else (
                {{ component }}_weight * coalesce({{ component }}_score, 0)
                - previous_{{ component }}_weight * coalesce(previous_{{ component }}_score, 0)
                - previous_composite * ({{ component }}_weight - previous_{{ component }}_weight)
            ) / applied_weight
        end as {{ component }}_contribution,
        {%- endfor %}
        changed.*
    from changed
),

{%- set sizes = [] %}
{%- for component in components %}
{%- do sizes.append('abs(coalesce(' ~ component ~ '_contribution, 0))') %}
{%- endfor %}

largest as (
    select
        contributed.*,
        greatest({{ sizes | join(', ') }}) as largest_contribution_size
    from contributed
),

final as (
    select
        account_id,
        changed_on,
        segment,
        previous_version_on,
        cast(previous_health_score as {{ type_double() }}) as previous_health_score,
        cast(health_score as {{ type_double() }}) as health_score,
        {{ round_double('health_score - previous_health_score', 2) }} as health_score_delta,
        previous_health_score_unrounded,
        health_score_unrounded,
        health_score_unrounded - previous_health_score_unrounded as health_score_unrounded_delta,
        {%- for component in components %}
        cast(coalesce({{ component }}_contribution, 0) as {{ type_double() }}) as {{ component }}_contribution,
        {%- endfor %}
        cast(case
            {%- for component in components %}
            when largest_contribution_size > 0 and abs(coalesce({{ component }}_contribution, 0)) = largest_contribution_size
                then '{{ component }}'
            {%- endfor %}
        end as {{ type_varchar() }}) as largest_mover,
        cast(case
            {%- for component in components %}
            when largest_contribution_size > 0 and abs(coalesce({{ component }}_contribution, 0)) = largest_contribution_size
                then {{ component }}_contribution
            {%- endfor %}
        end as {{ type_double() }}) as largest_mover_contribution,
        previous_weights_version,
        weights_version,
        previous_configuration_version,
        configuration_version,
        configuration_version <> previous_configuration_version as is_configuration_change
    from largest
)

select * from final
