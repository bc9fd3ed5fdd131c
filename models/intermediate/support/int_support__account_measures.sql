{{ config(materialized='table') }}  {# the support component and the toolkit's fields read it #}
-- The one home of support measures: per customer and window, the tickets created in it, how many
-- were escalated, the average resolution time of the tickets solved in it and their CSAT, and the
-- tickets still open at its end. A window is the window_days up to and including its
-- reference_date. The windows its readers need: support_window_days up to the as-of date (the
-- support health component); toolkit_period_days up to the as-of date and up to toolkit_period_days
-- earlier (the toolkit's period and previous period); toolkit_satisfaction_window_days up to each
-- of those two dates and up to that many days before each (the toolkit's ticket CSAT trend).

{%- set period_days = var('toolkit_period_days') %}
{%- set satisfaction_days = var('toolkit_satisfaction_window_days') %}
{%- set urgent_priorities = "'" ~ var('urgent_ticket_priorities') | join("', '") ~ "'" %}

with

customers as (
    select * from {{ ref('int_accounts__customers') }}
),

tickets as (
    select * from {{ ref('stg_support__tickets') }}
),

window_ends as (
    select
        {{ as_of_date() }} as reference_date,
        {{ var('support_window_days') }} as window_days
    union all
    select
        {{ as_of_date() }} as reference_date,
        {{ period_days }} as window_days
    union all
    select
        cast({{ dbt.dateadd('day', -period_days, as_of_date()) }} as date) as reference_date,
        {{ period_days }} as window_days
    {%- for offset_days in [0, period_days, satisfaction_days, period_days + satisfaction_days] %}
    union all
    select
        cast({{ dbt.dateadd('day', -offset_days, as_of_date()) }} as date) as reference_date,
        {{ satisfaction_days }} as window_days
    {%- endfor %}
),

windows as (
    select distinct
        reference_date,
        window_days,
        cast({{ dbt.dateadd('day', '-window_days', 'reference_date') }} as date) as window_start
    from window_ends
),

-- A ticket counts for a window it was created by the end of and not solved before the start of.
tickets_in_windows as (
    select
        windows.reference_date,
        windows.window_days,
        tickets.account_id,
        tickets.priority,
        tickets.is_escalated,
        tickets.csat_score,
        cast(tickets.created_at as date) > windows.window_start as is_created_in_window,
        tickets.solved_at is not null
        and cast(tickets.solved_at as date) <= windows.reference_date
        and cast(tickets.solved_at as date) > windows.window_start as is_solved_in_window,
        tickets.solved_at is null or cast(tickets.solved_at as date) > windows.reference_date as is_open,
        {{ dbt.datediff('tickets.created_at', 'tickets.solved_at', 'second') }} / 3600.0 as resolution_hours
    from tickets
    inner join windows
        on cast(tickets.created_at as date) <= windows.reference_date
        and (tickets.solved_at is null or cast(tickets.solved_at as date) > windows.window_start)
),

measured as (
    select
        account_id,
        reference_date,
        window_days,
        sum(case when is_created_in_window then 1 else 0 end) as tickets_created,
        sum(case when is_created_in_window and is_escalated then 1 else 0 end) as tickets_escalated,
        sum(case when is_solved_in_window then 1 else 0 end) as tickets_solved,
        avg(case when is_solved_in_window then resolution_hours end) as avg_resolution_hours,
        avg(case when is_solved_in_window then cast(csat_score as {{ type_double() }}) end) as ticket_csat,
        sum(case when is_open then 1 else 0 end) as open_tickets,
        sum(case when is_open and is_escalated then 1 else 0 end) as open_escalations,
        sum(case when is_open and priority in ({{ urgent_priorities }}) then 1 else 0 end) as open_urgent_tickets
    from tickets_in_windows
    group by account_id, reference_date, window_days
),

final as (
    select
        customers.account_id,
        windows.reference_date,
        cast(windows.window_days as {{ dbt.type_int() }}) as window_days,
        cast(coalesce(measured.tickets_created, 0) as {{ dbt.type_bigint() }}) as tickets_created,
        cast(coalesce(measured.tickets_escalated, 0) as {{ dbt.type_bigint() }}) as tickets_escalated,
        {{ safe_divide('measured.tickets_escalated', 'measured.tickets_created') }} as escalation_rate,
        cast(coalesce(measured.tickets_solved, 0) as {{ dbt.type_bigint() }}) as tickets_solved,
        cast(measured.avg_resolution_hours as {{ type_double() }}) as avg_resolution_hours,
        cast(measured.ticket_csat as {{ type_double() }}) as ticket_csat,
        cast(coalesce(measured.open_tickets, 0) as {{ dbt.type_bigint() }}) as open_tickets,
        cast(coalesce(measured.open_escalations, 0) as {{ dbt.type_bigint() }}) as open_escalations,
        cast(coalesce(measured.open_urgent_tickets, 0) as {{ dbt.type_bigint() }}) as open_urgent_tickets
    from customers
    cross join windows
    left join measured
        on customers.account_id = measured.account_id
        and windows.reference_date = measured.reference_date
        and windows.window_days = measured.window_days
)

select * from final
