-- Every account's ARR in force at the start and at the end of each complete month up to the
-- as-of date (the contract running that day, the latest started if two overlap; 0 when none),
-- with its segment. Contracts count only once signed by the as-of date.

with

accounts as (
    select * from {{ ref('stg_salesforce__accounts') }}
),

contracts as (
    select * from {{ ref('stg_salesforce__contracts') }}
    where contract_status <> 'draft'
        and created_date <= {{ as_of_date() }}
        and start_date <= {{ as_of_date() }}
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

account_months as (
    select
        contracts.account_id,
        months.month_start,
        months.month_end
    from months
    inner join contracts
        on months.month_end >= contracts.start_date
        and {{ dbt.dateadd('day', -1, 'months.month_start') }} <= contracts.end_date
    group by contracts.account_id, months.month_start, months.month_end
),

arr_on_days as (
    select
        account_months.account_id,
        account_months.month_start,
        account_months.month_end,
        contracts.contract_id,
        contracts.arr,
        contracts.start_date,
        -- in force on the day before the month (the starting ARR) / on its last day (the ending ARR)
        (
            contracts.start_date < account_months.month_start
            and contracts.end_date >= {{ dbt.dateadd('day', -1, 'account_months.month_start') }}
        ) as is_at_start,
        (
            contracts.start_date <= account_months.month_end
            and contracts.end_date >= account_months.month_end
        ) as is_at_end
    from account_months
    inner join contracts
        on account_months.account_id = contracts.account_id
),

ranked as (
    select
        *,
        row_number() over (
            partition by account_id, month_start, is_at_start order by start_date desc, contract_id asc
        ) as start_rank,
        row_number() over (
            partition by account_id, month_start, is_at_end order by start_date desc, contract_id asc
        ) as end_rank
    from arr_on_days
),

arr_by_month as (
    select
        account_id,
        month_start,
        month_end,
        coalesce(max(case when is_at_start and start_rank = 1 then arr end), 0) as starting_arr,
        coalesce(max(case when is_at_end and end_rank = 1 then arr end), 0) as ending_arr
    from ranked
    group by account_id, month_start, month_end
),

final as (
    select
        arr_by_month.account_id,
        coalesce(accounts.segment, '{{ var("default_segment") }}') as segment,
        arr_by_month.month_start,
        arr_by_month.month_end,
        cast(arr_by_month.starting_arr as {{ type_double() }}) as starting_arr,
        cast(arr_by_month.ending_arr as {{ type_double() }}) as ending_arr
    from arr_by_month
    left join accounts
        on arr_by_month.account_id = accounts.account_id
)

select * from final
