{{ config(materialized="table") }}
-- The customers as of the as-of date: accounts with a contract in force that day, with that
-- contract's ARR and seats and the start of their first contract (the tenure and onboarding anchor).
-- A table rebuilt each night: the health components read the as-of date from its as_of_date
-- column, so their views stay valid from one night to the next.

with

accounts as (
    select * from {{ ref('stg_salesforce__accounts') }}
),

contracts as (
    select * from {{ ref('stg_salesforce__contracts') }}
    where contract_status <> 'draft'
        and start_date <= {{ as_of_date() }}
),

contracts_in_force as (
    select
        contract_id,
        account_id,
        start_date,
        end_date,
        arr,
        licensed_seats,
        product_tier,
        row_number() over (partition by account_id order by start_date desc, contract_id asc) as recency_rank
    from contracts
    where end_date >= {{ as_of_date() }}
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
        and contracts_in_force.recency_rank = 1
    inner join first_contracts
        on accounts.account_id = first_contracts.account_id
)

select * from final
