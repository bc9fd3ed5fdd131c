-- The contracts that count, the one definition of "ARR in force" that the customers, the retention
-- months and the renewal outcomes share: every contract but drafts, counted from the later of its
-- start and its signing (created_date; a contract without one counts from its start), so a model
-- built as of a date keeps the contracts with counted_from_date on or before it and an earlier date
-- reproduces what was known then. recency_rank orders each account's contracts, the latest started
-- first (then by id): of two in force on the same day, the one ranked first is in force. Free of
-- the as-of date, so the view stays valid from one night to the next.

with

contracts as (
    select * from {{ ref('stg_salesforce__contracts') }}
),

final as (
    select
        contract_id,
        account_id,
        start_date,
        end_date,
        arr,
        licensed_seats,
        product_tier,
        greatest(start_date, coalesce(created_date, start_date)) as counted_from_date,
        row_number() over (partition by account_id order by start_date desc, contract_id asc) as recency_rank
    from contracts
    where contract_status <> 'draft'
)

select * from final
