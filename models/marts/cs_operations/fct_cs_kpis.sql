-- The six CS Operations KPIs against their targets (seeds/cs_operations/cs_kpi_targets.csv):
-- coverage = numerator / denominator over the customers for whom the KPI is due, vs_target =
-- coverage − target, meets_target = coverage ≥ target. Each KPI's definition:
-- int_cs_operations__account_kpis.

{%- set kpi_flags = {
    'health_check_coverage_30d': 'health_check',
    'qbr_coverage_120d': 'qbr',
    'onboarding_kickoff_14d': 'kickoff',
    'training_completed_30d': 'training',
    'renewal_opportunity_120d': 'renewal',
    'value_email_coverage_90d': 'value_email',
} %}

with

account_kpis as (
    select * from {{ ref('int_cs_operations__account_kpis') }}
),

targets as (
    select * from {{ ref('cs_kpi_targets') }}
),

counted as (
    {% for kpi_code, flag in kpi_flags.items() %}
    select
        '{{ kpi_code }}' as kpi_code,
        coalesce(sum({{ flag }}_met), 0) as numerator,
        coalesce(sum({{ flag }}_due), 0) as denominator
    from account_kpis
    {% if not loop.last %}union all{% endif %}
    {% endfor %}
),

final as (
    select
        targets.kpi_code,
        targets.kpi,
        cast(targets.display_order as {{ dbt.type_int() }}) as display_order,
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
