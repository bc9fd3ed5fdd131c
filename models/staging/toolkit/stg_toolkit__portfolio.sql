-- The loaded portfolio file: its path and the day the churn renewal countdown starts from.

with

portfolio as (
    select * from {{ source('toolkit', 'portfolio') }}
),

final as (
    select
        source_file,
        as_of_date
    from portfolio
)

select * from final
