{{ config(materialized="table") }}
-- The customers as of the as-of date: accounts with a contract in force that day (of the contracts
-- int_contracts__signed counts), with that contract's ARR and seats and the start of their first
-- contract (the tenure and onboarding anchor).
-- A table rebuilt each night: the health components read the as-of date from its as_of_date
-- column, so their views stay valid from one night to the next.

with

accounts as (
    select * from {{ ref('stg_salesforce__accounts') }}
),

contracts as (
    select * from {{ ref('int_contracts__signed') }}
    where counted_from_date <= {{ as_of_date() }}
),

current_ranks as (
    select
        account_id,
        min(recency_rank) as recency_rank
    from contracts
    where end_date >= {{ as_of_date() }}
    group by account_id
),

contracts_in_force as (
    select contracts.*
    from contracts
    inner join current_ranks
        on contracts.account_id = current_ranks.account_id
        and contracts.recency_rank = current_ranks.recency_rank
),

first_contracts as (
    select
        account_id,
        min(start_date) as first_contract_start_date
    from contracts
    group by account_id
),

final as (
    select
        accounts.account_id,
        accounts.account_name,
        coalesce(accounts.segment, '{{ var("default_segment") }}') as segment,
        accounts.owner_id as csm_owner_id,
        coalesce(accounts.is_insider, false) as is_insider,
        accounts.csm_sentiment,
        contracts_in_force.contract_id as current_contract_id,
        contracts_in_force.start_date as contract_start_date,
        contracts_in_force.end_date as contract_end_date,
        contracts_in_force.arr,
        contracts_in_force.licensed_seats,
        contracts_in_force.product_tier,
        first_contracts.first_contract_start_date,
        {{ dbt.datediff('first_contracts.first_contract_start_date', as_of_date(), 'month') }} as tenure_months,
        {{ dbt.datediff(as_of_date(), 'contracts_in_force.end_date', 'day') }} as days_to_contract_end,
        {{ as_of_date() }} as as_of_date
    from accounts
    inner join contracts_in_force
        on accounts.account_id = contracts_in_force.account_id
    inner join first_contracts
        on accounts.account_id = first_contracts.account_id
)

select * from final
