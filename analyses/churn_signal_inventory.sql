-- The churn risk factors CS teams name as an inventory of this warehouse: each signal with its risk
-- weight, whether the warehouse measures it and where, how many customers show it on the as-of date,
-- and how many of those the score already puts at risk (the one definition: their band is one of
-- at_risk_bands). A signal that is not measured names what is missing; a measured one that the
-- score rarely puts at risk is a candidate for a component or a heavier weight.

with

customers as (
    select * from {{ ref('fct_account_health') }}
),

usage as (
    select * from {{ ref('fct_account_usage') }}
),

components as (
    select * from {{ ref('fct_account_health_components') }}
),

pipeline as (
    select * from {{ ref('int_health__pipeline') }}
),

tickets as (
    select * from {{ ref('stg_support__tickets') }}
),

outcomes as (
    select * from {{ ref('int_contracts__renewal_outcomes') }}
),

signals as (
    {%- for signal, seed_signal, risk_weight, measured_by in [
        ('usage_decline', 'Usage decline >30%', 'High', 'fct_account_usage.is_usage_declining (usage_decline_pct)'),
        ('negative_nps', 'Negative NPS (0-6)', 'High', 'fct_account_health_components: the csat NPS (raw_value) below 0'),
        ('support_escalation', 'Support escalations', 'High', 'stg_support__tickets: an escalated ticket open on the as-of date'),
        ('missed_renewal_meeting', 'Missed renewal meeting', 'High', 'int_health__pipeline: no renewal opportunity within renewal_lead_days of the end'),
        ('contract_downgrade', 'Contract downgrade', 'Very High', 'int_contracts__renewal_outcomes: the last decided renewal contracted'),
        ('champion_departure', 'Champion departure', 'Critical', none),
        ('competitor_mentions', 'Competitor mentions', 'High', none),
        ('budget_review_mentions', 'Budget review mentions', 'Medium', none),
    ] %}
    select
        '{{ signal }}' as signal,
        '{{ seed_signal }}' as seed_signal,
        '{{ risk_weight }}' as risk_weight,
        cast({{ "'" ~ measured_by ~ "'" if measured_by else 'null' }} as {{ dbt.type_string() }}) as measured_by
    {{ 'union all' if not loop.last }}
    {%- endfor %}
),

open_escalations as (
    select distinct account_id
    from tickets
    where is_escalated
        and cast(created_at as date) <= {{ as_of_date() }}
        and (solved_at is null or cast(solved_at as date) > {{ as_of_date() }})
),

last_renewals as (
    select
        account_id,
        outcome,
        row_number() over (partition by account_id order by end_date desc, contract_id desc) as recency
    from outcomes
    where outcome <> 'pending'
),

flagged as (
    select
        account_id,
        'usage_decline' as signal
    from usage
    where is_usage_declining
    union all
    select
        account_id,
        'negative_nps' as signal
    from components
    where component = 'csat' and raw_value < 0
    union all
    select
        account_id,
        'support_escalation' as signal
    from open_escalations
    union all
    select
        account_id,
        'missed_renewal_meeting' as signal
    from pipeline
    where renewal_opened_days_before_end = -1
    union all
    select
        account_id,
        'contract_downgrade' as signal
    from last_renewals
    where recency = 1 and outcome = 'contracted'
),

counted as (
    select
        flagged.signal,
        count(distinct customers.account_id) as customers_with_signal,
        count(distinct case when {{ is_at_risk_band('customers.score_band') }} then customers.account_id end)
            as at_risk_with_signal,
        sum(customers.arr) as arr_with_signal
    from flagged
    inner join customers
        on flagged.account_id = customers.account_id
    group by flagged.signal
),

final as (
    select
        signals.signal,
        signals.seed_signal,
        signals.risk_weight,
        signals.measured_by is not null as is_measured,
        signals.measured_by,
        case when signals.measured_by is not null then coalesce(counted.customers_with_signal, 0) end as customers_with_signal,
        case when signals.measured_by is not null then (select count(*) from customers) end as customers,
        case when signals.measured_by is not null then coalesce(counted.at_risk_with_signal, 0) end as at_risk_with_signal,
        counted.arr_with_signal
    from signals
    left join counted
        on signals.signal = counted.signal
)

select * from final
order by is_measured desc, customers_with_signal desc, signal asc
