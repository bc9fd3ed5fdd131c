{{ config(tags=['health_component'], enabled=health_component_enabled('pipeline'), materialized='table') }}
-- Pipeline health: in the contract's last renewal_lead_days, how many days before the end the
-- renewal opportunity was opened (none opened yet scores 0; outside that window it does not
-- apply), and the open expansion pipeline as a share of ARR. Both as they stood on the as-of date.

{%- set lead_days = var('renewal_lead_days') %}

with

customers as (
    select * from {{ ref('int_accounts__customers') }}
),

as_of as (
    select max(as_of_date) as as_of_date from customers
),

opportunities as (
    select * from {{ ref('stg_salesforce__opportunities') }}
),

opened_by_then as (
    select opportunities.*
    from opportunities
    cross join as_of
    where opportunities.created_date <= as_of.as_of_date
),

renewals as (
    select
        renewed_contract_id,
        min(created_date) as renewal_opened_date
    from opened_by_then
    where opportunity_type = 'renewal'
    group by renewed_contract_id
),

open_expansions as (
    select
        account_id,
        sum(opened_by_then.amount) as open_expansion_amount
    from opened_by_then
    cross join as_of
    where opened_by_then.opportunity_type = 'expansion'
        and (not opened_by_then.is_closed or opened_by_then.close_date > as_of.as_of_date)
    group by opened_by_then.account_id
),

measured as (
    select
        customers.account_id,
        customers.segment,
        customers.days_to_contract_end,
        renewals.renewal_opened_date,
        case
            when customers.days_to_contract_end > {{ lead_days }} then null
            when renewals.renewal_opened_date is null then -1
            else {{ dbt.datediff('renewals.renewal_opened_date', 'customers.contract_end_date', 'day') }}
        end as renewal_opened_days_before_end,
        coalesce(open_expansions.open_expansion_amount, 0) as open_expansion_amount,
        100 * {{ safe_divide('coalesce(open_expansions.open_expansion_amount, 0)', 'customers.arr') }} as expansion_pipeline_pct_of_arr
    from customers
    left join renewals
        on customers.current_contract_id = renewals.renewed_contract_id
    left join open_expansions
        on customers.account_id = open_expansions.account_id
),

{{ component_metric_scores('measured', 'pipeline', ['renewal_opened_days_before_end', 'expansion_pipeline_pct_of_arr']) }},

final as (
    select
        measured.account_id,
        measured.days_to_contract_end,
        measured.renewal_opened_date,
        measured.renewal_opened_days_before_end,
        measured.open_expansion_amount,
        measured.expansion_pipeline_pct_of_arr,
        measured.expansion_pipeline_pct_of_arr as raw_value,
        case when component_scores.score is null then 'no ARR to weigh the pipeline against, and the renewal is more than {{ lead_days }} days away' end as not_applicable_reason,
        component_scores.score
    from measured
    left join component_scores
        on measured.account_id = component_scores.account_id
)

select * from final
