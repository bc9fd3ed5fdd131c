-- Behavioural cohorts: every account whose first contract started (of the contracts
-- int_contracts__signed counts by the as-of date), by its feature use over its first
-- usage_cohort_days: saved searches and report downloads per licensed seat (the first contract's, or
-- the product's where the contract has none) and 30 days, in the cohort of seeds/segmentation/
-- usage_cohorts.csv with the highest minimum at or below it. Measured only where the product history
-- covers those days whole: an account that started before it begins, or fewer than usage_cohort_days
-- before the as-of date, is 'unmeasured' (its early use is unknown, and later use would read
-- survivors' behaviour into the cohort).

{%- set days = var('usage_cohort_days') %}

with

contracts as (
    select * from {{ ref('int_contracts__signed') }}
    where counted_from_date <= {{ as_of_date() }}
),

usage as (
    select * from {{ ref('stg_product__usage_daily') }}
    where usage_date <= {{ as_of_date() }}
),

cohorts as (
    select * from {{ ref('usage_cohorts') }}
),

first_contracts as (
    select
        account_id,
        start_date as first_contract_start_date,
        licensed_seats,
        row_number() over (partition by account_id order by start_date, contract_id) as start_rank
    from contracts
),

starts as (
    select
        account_id,
        first_contract_start_date,
        licensed_seats,
        cast({{ dbt.dateadd('day', days, 'first_contract_start_date') }} as date) as measured_until_date
    from first_contracts
    where start_rank = 1
),

history_start as (
    select min(usage_date) as first_usage_date from usage
),

early_use as (
    select
        starts.account_id,
        sum(usage.saved_searches + usage.report_downloads) as feature_actions,
        max(usage.licensed_seats) as product_seats
    from starts
    inner join usage
        on starts.account_id = usage.account_id
        and usage.usage_date >= starts.first_contract_start_date
        and usage.usage_date < starts.measured_until_date
    group by starts.account_id
),

measured as (
    select
        starts.account_id,
        starts.first_contract_start_date,
        starts.first_contract_start_date >= history_start.first_usage_date
        and starts.measured_until_date <= {{ as_of_date() }} as is_measured,
        coalesce(early_use.feature_actions, 0) as feature_actions,
        coalesce(starts.licensed_seats, early_use.product_seats) as licensed_seats
    from starts
    cross join history_start
    left join early_use
        on starts.account_id = early_use.account_id
),

rated as (
    select
        account_id,
        first_contract_start_date,
        is_measured,
        feature_actions,
        licensed_seats,
        case
            when is_measured and licensed_seats > 0
                then cast(feature_actions as {{ type_double() }}) * 30 / ({{ days }} * licensed_seats)
        end as actions_per_seat
    from measured
),

ranked as (
    select
        rated.account_id,
        min(cohorts.cohort_rank) as cohort_rank
    from rated
    inner join cohorts
        on rated.actions_per_seat >= cohorts.min_actions_per_seat
    group by rated.account_id
),

final as (
    select
        rated.account_id,
        rated.first_contract_start_date,
        rated.feature_actions,
        rated.licensed_seats,
        {{ round_double('rated.actions_per_seat', 4) }} as actions_per_seat,
        coalesce(cohorts.usage_cohort, 'unmeasured') as usage_cohort
    from rated
    left join ranked
        on rated.account_id = ranked.account_id
    left join cohorts
        on ranked.cohort_rank = cohorts.cohort_rank
)

select * from final
