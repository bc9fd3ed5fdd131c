-- Cohort retention curves: accounts grouped by the quarter their first contract started, and for
-- each complete quarter since, the share of the cohort still a customer at its end (logo
-- retention) and their ARR then against the cohort's ARR at the end of its first quarter
-- (revenue retention, expansion included); for the whole cohort (usage_cohort 'all') and for each
-- behavioural cohort of it (int_segmentation__usage_cohorts: feature use in its first days).

with

account_months as (
    select * from {{ ref('int_retention__account_months') }}
),

usage_cohorts as (
    select * from {{ ref('int_segmentation__usage_cohorts') }}
),

first_months as (
    select
        account_id,
        min(month_start) as first_month_start
    from account_months
    where ending_arr > 0
    group by account_id
),

start_quarters as (
    select
        first_months.account_id,
        cast({{ dbt.date_trunc('quarter', 'first_months.first_month_start') }} as date) as cohort_quarter_start,
        coalesce(usage_cohorts.usage_cohort, 'unmeasured') as usage_cohort
    from first_months
    left join usage_cohorts
        on first_months.account_id = usage_cohorts.account_id
),

cohort_members as (
    select
        account_id,
        cohort_quarter_start,
        usage_cohort
    from start_quarters
    union all
    select
        account_id,
        cohort_quarter_start,
        'all' as usage_cohort
    from start_quarters
),

quarter_ends as (
    -- ARR at the end of each calendar quarter: the ending ARR of the quarter's last month
    select
        account_id,
        cast({{ dbt.date_trunc('quarter', 'month_start') }} as date) as quarter_start,
        ending_arr
    from account_months
    where extract(month from month_start) in (3, 6, 9, 12)
),

curve_points as (
    select
        cohort_members.cohort_quarter_start,
        {{ quarter_label('cohort_members.cohort_quarter_start') }} as cohort_quarter,
        cohort_members.usage_cohort,
        cast(
            {{ dbt.datediff('cohort_members.cohort_quarter_start', 'quarter_ends.quarter_start', 'month') }} / 3
            as {{ dbt.type_int() }}
        ) as quarters_since_start,
        cohort_members.account_id,
        quarter_ends.ending_arr
    from cohort_members
    inner join quarter_ends
        on cohort_members.account_id = quarter_ends.account_id
        and cohort_members.cohort_quarter_start <= quarter_ends.quarter_start
),

cohort_sizes as (
    select
        cohort_quarter_start,
        usage_cohort,
        count(*) as cohort_accounts,
        sum(ending_arr) as cohort_arr
    from curve_points
    where quarters_since_start = 0
    group by cohort_quarter_start, usage_cohort
),

curves as (
    select
        cohort_quarter_start,
        cohort_quarter,
        usage_cohort,
        quarters_since_start,
        sum(case when ending_arr > 0 then 1 else 0 end) as retained_accounts,
        sum(ending_arr) as retained_arr
    from curve_points
    group by cohort_quarter_start, cohort_quarter, usage_cohort, quarters_since_start
),

final as (
    select
        curves.cohort_quarter,
        curves.cohort_quarter_start,
        curves.usage_cohort,
        curves.quarters_since_start,
        cast(cohort_sizes.cohort_accounts as {{ dbt.type_int() }}) as cohort_accounts,
        cast(curves.retained_accounts as {{ dbt.type_int() }}) as retained_accounts,
        cast(cohort_sizes.cohort_arr as {{ type_double() }}) as cohort_arr,
        cast(curves.retained_arr as {{ type_double() }}) as retained_arr,
        {{ safe_divide('curves.retained_accounts', 'cohort_sizes.cohort_accounts') }} as logo_retention,
        {{ safe_divide('curves.retained_arr', 'cohort_sizes.cohort_arr') }} as revenue_retention
    from curves
    inner join cohort_sizes
        on curves.cohort_quarter_start = cohort_sizes.cohort_quarter_start
        and curves.usage_cohort = cohort_sizes.usage_cohort
)

select * from final
