-- Every customer account as the toolkit's health score calculator would have read it one toolkit
-- period ago (int_toolkit__warehouse_signals, period_offset 1): the columns of
-- int_toolkit_portfolio__customers, filled from the warehouse (macros/toolkit/toolkit_warehouse_fields.sql).
-- Its health scores are the current period's previous_period. The CSM's sentiment has no history
-- in our sources: the previous period reads today's, so it never makes a trend by itself.

with

accounts as (
    select * from {{ ref('int_accounts__customers') }}
),

signals as (
    select * from {{ ref('int_toolkit__warehouse_signals') }}
    where period_offset = 1
),

final as (
    select
        cast(row_number() over (order by accounts.account_id) as {{ dbt.type_int() }}) as customer_index,
        {{ toolkit_record_columns(toolkit_warehouse_health_fields()) }},
        cast(row_number() over (order by accounts.account_id) as {{ dbt.type_int() }}) as customer_position
    from accounts
    inner join signals
        on accounts.account_id = signals.account_id
)

select * from final
