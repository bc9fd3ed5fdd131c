{{ config(tags=['health_component'], enabled=health_component_enabled('qbr_cadence')) }}
-- QBR cadence: days since the last quarterly business review (never held scores as longest ago);
-- the grid is segment-specific (SMB accounts hold QBRs less often).

with

customers as (
    select * from {{ ref('int_accounts__customers') }}
),

as_of as (
    select max(as_of_date) as as_of_date from customers
),

activities as (
    select * from {{ ref('int_activities__classified') }}
),

qbrs as (
    select activities.*
    from activities
    cross join as_of
    where activities.activity_type = 'qbr'
        and activities.activity_date <= as_of.as_of_date
),

last_qbr as (
    select
        account_id,
        max(activity_date) as last_qbr_date
    from qbrs
    group by account_id
),

measured as (
    select
        customers.account_id,
        customers.segment,
        last_qbr.last_qbr_date,
        {{ dbt.datediff('last_qbr.last_qbr_date', 'customers.as_of_date', 'day') }} as days_since_last_qbr
    from customers
    left join last_qbr
        on customers.account_id = last_qbr.account_id
),

{{ component_metric_scores('measured', 'qbr_cadence', ['days_since_last_qbr'], missing_as={'days_since_last_qbr': 99999}) }},

final as (
    select
        measured.account_id,
        measured.last_qbr_date,
        measured.days_since_last_qbr,
        measured.days_since_last_qbr as raw_value,
        component_scores.score
    from measured
    left join component_scores
        on measured.account_id = component_scores.account_id
)

select * from final
