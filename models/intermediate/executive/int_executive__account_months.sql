{{ config(materialized='table') }}  {# the executive mart and the semantic layer's metrics read it #}
-- Per account and complete month, what the executive KPIs count, as it stood at the month's end:
-- the account's segment then (int_accounts__segment_history); its revenue over the trailing window of
-- executive_window_months months ending with the month (the ARR in force on the day before the
-- window's first month, at the month's end, and the bridge between them: expansion, contraction,
-- churn; int_retention__account_months), and whether its ARR rose at a renewal that started in the
-- window (int_contracts__renewal_outcomes); its health on the month's last day as the score history
-- recorded it (snap_account_health: score, band, ARR, at risk: macro is_at_risk_band); and the end of
-- the contract then in force, for the renewals due. A row for every account that was a customer at
-- the window's start or the month's end, or scored on its last day.

{%- set window_months = var('executive_window_months') %}

with

account_months as (
    select * from {{ ref('int_retention__account_months') }}
),

segments as (
    select * from {{ ref('int_accounts__segment_history') }}
),

outcomes as (
    select * from {{ ref('int_contracts__renewal_outcomes') }}
),

contracts as (
    select * from {{ ref('int_contracts__signed') }}
),

history as (
    select * from {{ ref('snap_account_health') }}
),

months as (
    select distinct
        month_start,
        month_end,
        cast({{ dbt.dateadd('month', 1 - window_months, 'month_start') }} as date) as window_start_month
    from account_months
),

window_arr as (
    -- the ARR in force when the window began (the window's first month's starting ARR) and at the month's end
    select
        months.month_start,
        account_months.account_id,
        account_months.starting_arr as window_starting_arr,
        0 as ending_arr
    from months
    inner join account_months
        on months.window_start_month = account_months.month_start
    where account_months.starting_arr > 0
    union all
    select
        month_start,
        account_id,
        0 as window_starting_arr,
        ending_arr
    from account_months
    where ending_arr > 0
),

revenue as (
    select
        month_start,
        account_id,
        sum(window_starting_arr) as window_starting_arr,
        sum(ending_arr) as ending_arr
    from window_arr
    group by month_start, account_id
),

expansions as (
    select distinct
        months.month_start,
        outcomes.account_id
    from months
    inner join outcomes
        on outcomes.renewal_start_date >= months.window_start_month
        and outcomes.renewal_start_date <= months.month_end
    where outcomes.outcome = 'expanded'
),

scored as (
    select
        months.month_start,
        history.account_id,
        cast(history.health_score as {{ type_double() }}) as health_score,
        history.score_band,
        cast(history.arr as {{ type_double() }}) as arr,
        {{ is_at_risk_band('history.score_band') }} as is_at_risk
    from months
    inner join history
        on {{ snapshot_valid_on('months.month_end', 'history') }}
),

in_force_ranks as (
    select
        months.month_start,
        contracts.account_id,
        min(contracts.recency_rank) as recency_rank
    from months
    inner join contracts
        on contracts.counted_from_date <= months.month_end
        and contracts.start_date <= months.month_end
        and contracts.end_date >= months.month_end
    group by months.month_start, contracts.account_id
),

contracts_in_force as (
    select
        in_force_ranks.month_start,
        in_force_ranks.account_id,
        contracts.end_date as contract_end_date
    from in_force_ranks
    inner join contracts
        on in_force_ranks.account_id = contracts.account_id
        and in_force_ranks.recency_rank = contracts.recency_rank
),

members as (
    select
        month_start,
        account_id
    from revenue
    union
    select
        month_start,
        account_id
    from scored
),

final as (
    select
        members.account_id,
        members.month_start,
        months.month_end,
        coalesce(segments.segment, '{{ var("default_segment") }}') as segment,
        cast(coalesce(revenue.window_starting_arr, 0) as {{ type_double() }}) as window_starting_arr,
        cast(coalesce(revenue.ending_arr, 0) as {{ type_double() }}) as ending_arr,
        case when revenue.window_starting_arr > 0 then 1 else 0 end as is_window_starting_customer,
        case when revenue.window_starting_arr > 0 and revenue.ending_arr > 0 then 1 else 0 end as is_window_retained_customer,
        cast(case
            when revenue.window_starting_arr > 0 and revenue.ending_arr > revenue.window_starting_arr
                then revenue.ending_arr - revenue.window_starting_arr
            else 0
        end as {{ type_double() }}) as window_expansion_arr,
        cast(case
            when revenue.ending_arr > 0 and revenue.ending_arr < revenue.window_starting_arr
                then revenue.window_starting_arr - revenue.ending_arr
            else 0
        end as {{ type_double() }}) as window_contraction_arr,
        cast(case
            when revenue.window_starting_arr > 0 and coalesce(revenue.ending_arr, 0) = 0
                then revenue.window_starting_arr
            else 0
        end as {{ type_double() }}) as window_churned_arr,
        case
            when revenue.window_starting_arr > 0 and expansions.account_id is not null then 1 else 0
        end as is_expanded_at_renewal,
        case when scored.account_id is not null then 1 else 0 end as is_scored,
        scored.health_score,
        scored.score_band,
        scored.arr as scored_arr,
        case when scored.is_at_risk then 1 else 0 end as is_at_risk,
        cast(case when scored.is_at_risk then scored.arr else 0 end as {{ type_double() }}) as at_risk_arr,
        case when scored.account_id is not null then contracts_in_force.contract_end_date end as contract_end_date
    from members
    inner join months
        on members.month_start = months.month_start
    left join revenue
        on members.month_start = revenue.month_start
        and members.account_id = revenue.account_id
    left join scored
        on members.month_start = scored.month_start
        and members.account_id = scored.account_id
    left join expansions
        on members.month_start = expansions.month_start
        and members.account_id = expansions.account_id
    left join contracts_in_force
        on members.month_start = contracts_in_force.month_start
        and members.account_id = contracts_in_force.account_id
    left join segments
        on members.account_id = segments.account_id
        and months.month_end >= segments.valid_from_date
        and months.month_end < segments.valid_to_date
)

select * from final
