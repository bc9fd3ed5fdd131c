-- The scoring configuration this build scores with, as one version stamped on every score: the
-- adopted weights version, then a digest of everything besides the customer's data that decides a
-- score and its band. Editing any of it yields a new version without anyone bumping a label, so the
-- history tells a change of configuration from a change in the customer.
--
-- The digest covers the adopted weights' rows, the other seeds of seeds/health (scoring grid, bands,
-- sentiment overrides, risk levels, the components' requirements), the activity classification the
-- cadence components count by, the components switched on and the vars the components measure with.
-- Row order does not matter. A new seed of seeds/health, or a new window a component reads, belongs
-- in the lists below.

{%- set configuration_seeds = [
    'health_weights', 'health_scoring_grid', 'health_bands', 'health_sentiment_overrides', 'health_risk_levels',
    'health_component_requirements', 'activity_type_map',
] %}
{%- set scoring_vars = [
    'default_segment', 'usage_window_days', 'health_check_window_days', 'onboarding_window_days',
    'onboarding_relevant_months', 'insider_calls_window_days', 'renewal_lead_days', 'survey_window_days',
] %}
{%- set settings = {'enabled_health_components': enabled_health_components()} %}
{%- for name in scoring_vars %}
{%- do settings.update({name: var(name)}) %}
{%- endfor %}

with

{% for seed in configuration_seeds %}
{{ seed }} as (
    select * from {{ ref(seed) }}
    {%- if seed == 'health_weights' %}
    where weights_version = '{{ var("weights_version") }}'
    {%- endif %}
),

{% endfor %}
configured_rows as (
    {%- for seed in configuration_seeds %}
    select '{{ seed }}|' || {{ row_text(ref(seed)) }} as row_content
    from {{ seed }}
    union all
    {%- endfor %}
    select '{{ "settings|" ~ tojson(settings, sort_keys=true) | replace("'", "''") }}' as row_content
),

digested as (
    select {{ sorted_text_agg(dbt.hash('row_content'), "'|'") }} as row_digests
    from configured_rows
),

final as (
    select
        cast('{{ var("weights_version") }}' as {{ type_varchar() }}) as weights_version,
        cast(
            '{{ var("weights_version") }}+' || substring({{ dbt.hash('row_digests') }}, 1, 8) as {{ type_varchar() }}
        ) as configuration_version
    from digested
)

select * from final
