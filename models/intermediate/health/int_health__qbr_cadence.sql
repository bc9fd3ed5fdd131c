{{ config(tags=['health_component'], enabled=health_component_enabled('qbr_cadence')) }}
-- QBR cadence: days since the last quarterly business review, logged in Salesforce or HubSpot
-- (int_activities__account_qbrs); never held scores as longest ago. The grid is segment-specific
-- (SMB accounts hold QBRs less often).

with

customers as (
    select * from {{ ref('int_accounts__customers') }}
),

qbrs as (
    select * from {{ ref('int_activities__account_qbrs') }}
),

measured as (
    select
        customers.account_id,
        customers.segment,
        qbrs.last_qbr_date,
        {{ dbt.datediff('qbrs.last_qbr_date', 'customers.as_of_date', 'day') }} as days_since_last_qbr
    from customers
    left join qbrs
        on customers.account_id = qbrs.account_id
),

{{ component_metric_scores('measured', 'qbr_cadence', ['days_since_last_qbr'], missing_as={'days_since_last_qbr': 99999}) }},

final as (
    select
        measured.account_id,
        measured.last_qbr_date,
        measured.days_since_last_qbr,
        measured.days_since_last_qbr as raw_value,
        cast(null as {{ dbt.type_string() }}) as not_applicable_reason,
        component_scores.score
    from measured
    left join component_scores
        on measured.account_id = component_scores.account_id
)

select * from final
