-- The customers of the loaded portfolio, one JSON object each, numbered in the file's order.

with

portfolio_customers as (
    select * from {{ source('toolkit', 'portfolio_customers') }}
),

final as (
    select
        customer_index,
        customer
    from portfolio_customers
)

select * from final
