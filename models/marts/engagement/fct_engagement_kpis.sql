-- The engagement KPIs against their targets: the e-mail open and click rates over email_window_days
-- (unique opens and clicks per delivered message, summed from fct_account_email_engagement; targets:
-- seeds/cs_operations/engagement_kpi_targets.csv), then QBR coverage and value-driven e-mail coverage,
-- which are CS Operations KPIs: their rows of fct_cs_kpis (definition, window and target), so each
-- KPI has one definition and one target. vs_target = rate − target, meets_target = rate ≥ target.

{%- set cs_kpis = ['qbr_coverage', 'value_email_coverage'] %}

with

email as (
    select * from {{ ref('fct_account_email_engagement') }}
),

targets as (
    select * from {{ ref('engagement_kpi_targets') }}
),

cs_kpis as (
    select * from {{ ref('fct_cs_kpis') }}
    where kpi_code in ('{{ cs_kpis | join("', '") }}')
),

email_totals as (
    select
        coalesce(sum(unique_opens), 0) as unique_opens,
        coalesce(sum(unique_clicks), 0) as unique_clicks,
        coalesce(sum(emails_delivered), 0) as emails_delivered
    from email
),

email_kpis as (
    select
        'open_rate' as kpi_code,
        unique_opens as numerator,
        emails_delivered as denominator
    from email_totals
    union all
    select
        'click_rate' as kpi_code,
        unique_clicks as numerator,
        emails_delivered as denominator
    from email_totals
),

measured as (
    select
        targets.kpi_code,
        replace(targets.kpi, '{days}', '{{ var("email_window_days") }}') as kpi,
        targets.display_order,
        {{ var('email_window_days') }} as window_days,
        email_kpis.numerator,
        email_kpis.denominator,
        targets.target
    from targets
    inner join email_kpis
        on targets.kpi_code = email_kpis.kpi_code
    union all
    select
        kpi_code,
        kpi,
        (select max(display_order) from targets) + display_order as display_order,
        window_days,
        numerator,
        denominator,
        target
    from cs_kpis
),

final as (
    select
        kpi_code,
        kpi,
        cast(display_order as {{ dbt.type_int() }}) as display_order,
        cast(window_days as {{ dbt.type_int() }}) as window_days,
        {{ safe_divide('numerator', 'denominator') }} as rate,
        cast(numerator as {{ dbt.type_int() }}) as numerator,
        cast(denominator as {{ dbt.type_int() }}) as denominator,
        cast(target as {{ type_double() }}) as target,  -- noqa: RF04
        -- Rounded: a difference of two shares is read in percentage points, not in its last float bits.
        {{ round_double(safe_divide('numerator', 'denominator') ~ ' - target', 6) }} as vs_target,
        {{ safe_divide('numerator', 'denominator') }} >= target as meets_target,
        {{ as_of_date() }} as as_of_date
    from measured
)

select * from final
