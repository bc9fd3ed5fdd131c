-- The six CS Operations KPIs against their targets (seeds/cs_operations/cs_kpi_targets.csv):
-- coverage = numerator / denominator over the customers for whom the KPI is due, vs_target =
-- coverage − target, meets_target = coverage ≥ target. Each KPI's definition:
-- int_cs_operations__account_kpis. Its window is the var below, published as window_days and filled
-- into the seed's name ({days}; {segments}: qbr_coverage_segments), so the name matches the build.

{%- set kpis = {
    'health_check_coverage': {'flag': 'health_check', 'window_var': 'health_check_coverage_days'},
    'qbr_coverage': {'flag': 'qbr', 'window_var': 'qbr_coverage_days'},
    'onboarding_kickoff': {'flag': 'kickoff', 'window_var': 'onboarding_kickoff_days'},
    'training_completed': {'flag': 'training', 'window_var': 'onboarding_window_days'},
    'renewal_opportunity': {'flag': 'renewal', 'window_var': 'renewal_lead_days'},
    'value_email_coverage': {'flag': 'value_email', 'window_var': 'email_window_days'},
} %}

with

account_kpis as (
    select * from {{ ref('int_cs_operations__account_kpis') }}
),

targets as (
    select * from {{ ref('cs_kpi_targets') }}
),

counted as (
    {% for kpi_code, kpi in kpis.items() %}
    select
        '{{ kpi_code }}' as kpi_code,
        {{ var(kpi.window_var) }} as window_days,
        coalesce(sum({{ kpi.flag }}_met), 0) as numerator,
        coalesce(sum({{ kpi.flag }}_due), 0) as denominator
    from account_kpis
    {% if not loop.last %}union all{% endif %}
    {% endfor %}
),

final as (
    select
        targets.kpi_code,
        replace(
            replace(targets.kpi, '{days}', cast(counted.window_days as {{ dbt.type_string() }})),
            '{segments}', '{{ var("qbr_coverage_segments") | join(" and ") }}'
        ) as kpi,
        cast(targets.display_order as {{ dbt.type_int() }}) as display_order,
        cast(counted.window_days as {{ dbt.type_int() }}) as window_days,
        {{ safe_divide('counted.numerator', 'counted.denominator') }} as coverage,
        cast(counted.numerator as {{ dbt.type_int() }}) as numerator,
        cast(counted.denominator as {{ dbt.type_int() }}) as denominator,
        cast(targets.target as {{ type_double() }}) as target,  -- noqa: RF04
        -- Rounded: a difference of two shares is read in percentage points, not in its last float bits.
        {{ round_double(safe_divide('counted.numerator', 'counted.denominator') ~ ' - targets.target', 6) }} as vs_target,
        {{ safe_divide('counted.numerator', 'counted.denominator') }} >= targets.target as meets_target,
        {{ as_of_date() }} as as_of_date
    from targets
    inner join counted
        on targets.kpi_code = counted.kpi_code
)

select * from final
