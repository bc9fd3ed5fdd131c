-- The contracts that count as of the as-of date, the one definition of "ARR in force" that the
-- customers, the retention months and the renewal outcomes share: not a draft, started by the as-of
-- date and signed by then (a contract without a creation date counts from its start), so an earlier
-- date reproduces what was known then. recency_rank orders each account's contracts, the latest
-- started first (then by id): of two in force on the same day, the one ranked first is in force.

with

contracts as (
    select * from {{ ref('stg_salesforce__contracts') }}
),

signed as (
    select
        contract_id,
        account_id,
        start_date,
        end_date,
        arr,
        licensed_seats,
        product_tier
    from contracts
    where contract_status <> 'draft'
        and start_date <= {{ as_of_date() }}
        and coalesce(created_date, start_date) <= {{ as_of_date() }}
),

final as (
    select
        *,
        row_number() over (partition by account_id order by start_date desc, contract_id asc) as recency_rank
    from signed
)

select * from final
