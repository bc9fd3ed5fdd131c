{{ config(tags=['health_component'], enabled=health_component_enabled('support')) }}
-- Support health over the last support_window_days, from int_support__account_measures (the
-- toolkit's ticket fields read the same measures): tickets created per licensed seat, the share of
-- them escalated, the average hours to solve the tickets solved in the window and the urgent
-- tickets open on the as-of date. Escalations and resolution time score only when there were
-- tickets; an account without tickets is measured (none), so the component applies to every
-- customer. A view: it reads the as-of date from the customers table (a replayed night rebuilds the
-- tables, not the views).

with

customers as (
    select * from {{ ref('int_accounts__customers') }}
),

support as (
    select * from {{ ref('int_support__account_measures') }}
    where window_days = {{ var('support_window_days') }}
),

measured as (
    select
        customers.account_id,
        customers.segment,
        support.tickets_created,
        {{ safe_divide('support.tickets_created', 'customers.licensed_seats') }} as tickets_per_seat,
        100 * support.escalation_rate as escalation_rate_pct,
        support.avg_resolution_hours,
        support.open_urgent_tickets
    from customers
    inner join support
        on customers.account_id = support.account_id
        and customers.as_of_date = support.reference_date
),

{{ component_metric_scores('measured', 'support', [
    'tickets_per_seat', 'escalation_rate_pct', 'avg_resolution_hours', 'open_urgent_tickets'
]) }},

final as (
    select
        measured.account_id,
        measured.tickets_created,
        measured.tickets_per_seat,
        measured.escalation_rate_pct,
        measured.avg_resolution_hours,
        measured.open_urgent_tickets,
        measured.tickets_per_seat as raw_value,
        cast(null as {{ dbt.type_string() }}) as not_applicable_reason,
        component_scores.score
    from measured
    left join component_scores
        on measured.account_id = component_scores.account_id
)

select * from final
