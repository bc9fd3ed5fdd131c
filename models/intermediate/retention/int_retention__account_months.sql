{{ config(materialized="table") }}  {# read by both retention marts and three tests: computed once #}
-- Every account's ARR in force at the start and at the end of each complete month up to the
-- as-of date (the contract running that day, the latest started if two overlap; 0 when none),
-- with its segment as it stood on the month's last day (int_accounts__segment_history). The contracts that count and which of two overlapping ones is in force:
-- int_contracts__signed.

with

segments as (
    select * from {{ ref('int_accounts__segment_history') }}
),

contracts as (
    select * from {{ ref('int_contracts__signed') }}
    where counted_from_date <= {{ as_of_date() }}
),

bounds as (
    select
        cast({{ dbt.date_trunc('month', 'min(start_date)') }} as date) as first_month_start
    from contracts
),

month_spine as (
    {{ dbt.date_spine('month', "cast('2000-01-01' as date)", dbt.dateadd('day', 1, as_of_date())) }}
),

months as (
    select
        cast(month_spine.date_month as date) as month_start,
        cast({{ dbt.dateadd('day', -1, dbt.dateadd('month', 1, 'month_spine.date_month')) }} as date) as month_end
    from month_spine
    cross join bounds
    where month_spine.date_month >= bounds.first_month_start
        and {{ dbt.dateadd('month', 1, 'month_spine.date_month') }} <= {{ dbt.dateadd('day', 1, as_of_date()) }}
),

-- Every contract running on some day from the day before the month to its last day: all a
-- month's starting and ending ARR can come from.
contract_months as (
    select
        contracts.account_id,
        months.month_start,
        months.month_end,
        contracts.recency_rank,
        -- in force on the day before the month (the starting ARR) / on its last day (the ending ARR)
        (
            contracts.start_date < months.month_start
            and contracts.end_date >= {{ dbt.dateadd('day', -1, 'months.month_start') }}
        ) as is_at_start,
        (
            contracts.start_date <= months.month_end
            and contracts.end_date >= months.month_end
        ) as is_at_end
    from months
    inner join contracts
        on months.month_end >= contracts.start_date
        and {{ dbt.dateadd('day', -1, 'months.month_start') }} <= contracts.end_date
),

in_force as (
    select
        account_id,
        month_start,
        month_end,
        min(case when is_at_start then recency_rank end) as starting_rank,
        min(case when is_at_end then recency_rank end) as ending_rank
    from contract_months
    group by account_id, month_start, month_end
),

arr_by_month as (
    select
        in_force.account_id,
        in_force.month_start,
        in_force.month_end,
        coalesce(starting.arr, 0) as starting_arr,
        coalesce(ending.arr, 0) as ending_arr
    from in_force
    left join contracts as starting
        on in_force.account_id = starting.account_id
        and in_force.starting_rank = starting.recency_rank
    left join contracts as ending
        on in_force.account_id = ending.account_id
        and in_force.ending_rank = ending.recency_rank
),

final as (
    select
        arr_by_month.account_id,
        coalesce(segments.segment, '{{ var("default_segment") }}') as segment,
        arr_by_month.month_start,
        arr_by_month.month_end,
        cast(arr_by_month.starting_arr as {{ type_double() }}) as starting_arr,
        cast(arr_by_month.ending_arr as {{ type_double() }}) as ending_arr
    from arr_by_month
    left join segments
        on arr_by_month.account_id = segments.account_id
        and arr_by_month.month_end >= segments.valid_from_date
        and arr_by_month.month_end < segments.valid_to_date
)

select * from final
