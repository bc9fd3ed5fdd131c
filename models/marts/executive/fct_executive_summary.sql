-- The executive view per complete month and segment (as it stood that month; 'all' for every
-- segment), every figure as it stood at the month's end (int_executive__account_months):
--   health (the score history): customers scored and their ARR, in total and by band; the average
--   health score; at risk (macro is_at_risk_band): customers, ARR and its share of the ARR;
--   retention over the trailing executive_window_months months: the revenue bridge of the customers
--   at the window's start (starting + expansion − contraction − churn = ending), GRR = (starting −
--   contraction − churn) / starting, NRR = ending / starting, logo retention = retained / starting
--   (logo churn: the customers who left / starting),
--   expansion rate = customers whose ARR rose at a renewal in the window / customers at the start;
--   time to value: the median days from the first contract's start to onboarding complete (the first
--   training after it: int_activities__account_rollup, the onboarding KPI's definition) of the
--   customers who completed onboarding in the window;
--   renewals due: contracts in force ending within renewal_due_near_days / renewal_due_far_days, with
--   their ARR and those in an at-risk band;
--   and the headline figures' change against the month before and three months before.
-- Health figures are NULL for a month whose end the score history does not reach.

{%- set bands = {'healthy': 'Healthy', 'watch': 'Watch', 'at_risk': 'At Risk', 'critical': 'Critical'} %}
{%- set headline = ['customers', 'arr', 'average_health_score', 'at_risk_arr_share', 'grr', 'nrr', 'logo_retention',
                    'expansion_rate', 'time_to_value_days'] %}
{%- set renewal_windows = {'near': var('renewal_due_near_days'), 'far': var('renewal_due_far_days')} %}

with

account_months as (
    select * from {{ ref('int_executive__account_months') }}
),

onboarding as (
    select * from {{ ref('int_activities__account_rollup') }}
),

segments as (
    select * from {{ ref('int_accounts__segment_history') }}
),

flagged as (
    select
        {%- for window, days in renewal_windows.items() %}
        case
            when contract_end_date > month_end
                and contract_end_date <= {{ dbt.dateadd('day', days, 'month_end') }}
                then 1
            else 0
        end as is_renewal_due_{{ window }},
        {%- endfor %}
        account_months.*
    from account_months
),

by_segment as (
    select * from flagged
    union all
    select
        {%- for window in renewal_windows %}
        is_renewal_due_{{ window }},
        {%- endfor %}
        account_id,
        month_start,
        month_end,
        'all' as segment,
        window_starting_arr,
        ending_arr,
        is_window_starting_customer,
        is_window_retained_customer,
        window_expansion_arr,
        window_contraction_arr,
        window_churned_arr,
        is_expanded_at_renewal,
        is_scored,
        health_score,
        score_band,
        scored_arr,
        is_at_risk,
        at_risk_arr,
        contract_end_date
    from flagged
),

summed as (
    select
        month_start,
        month_end,
        segment,
        sum(is_scored) as customers,
        sum(scored_arr) as arr,
        {%- for column, band in bands.items() %}
        sum(case when score_band = '{{ band }}' then 1 else 0 end) as band_{{ column }}_customers,
        sum(case when score_band = '{{ band }}' then scored_arr else 0 end) as band_{{ column }}_arr,
        {%- endfor %}
        {%- for window in renewal_windows %}
        sum(is_renewal_due_{{ window }}) as renewals_due_{{ window }},
        sum(is_renewal_due_{{ window }} * scored_arr) as renewals_due_{{ window }}_arr,
        sum(is_renewal_due_{{ window }} * is_at_risk) as renewals_due_{{ window }}_at_risk,
        sum(is_renewal_due_{{ window }} * at_risk_arr) as renewals_due_{{ window }}_at_risk_arr,
        {%- endfor %}
        avg(health_score) as average_health_score,
        sum(is_at_risk) as at_risk_customers,
        sum(at_risk_arr) as at_risk_arr,
        sum(is_window_starting_customer) as starting_customers,
        sum(is_window_retained_customer) as retained_customers,
        sum(window_starting_arr) as starting_arr,
        sum(window_expansion_arr) as expansion_arr,
        sum(window_contraction_arr) as contraction_arr,
        sum(window_churned_arr) as churned_arr,
        sum(case when is_window_starting_customer = 1 then ending_arr else 0 end) as ending_arr,
        sum(is_expanded_at_renewal) as expanded_customers
    from by_segment
    group by month_start, month_end, segment
),

months as (
    select distinct
        month_start,
        month_end,
        cast({{ dbt.dateadd('month', 1 - var('executive_window_months'), 'month_start') }} as date) as window_start_month
    from summed
),

onboarded as (
    -- customers (of the roll-up) who completed onboarding in each month's window, with their segment then
    select
        months.month_start,
        coalesce(segments.segment, '{{ var("default_segment") }}') as segment,
        onboarding.first_training_days_after_start as days_to_value
    from months
    inner join onboarding
        on onboarding.first_training_date >= months.window_start_month
        and onboarding.first_training_date <= months.month_end
    left join segments
        on onboarding.account_id = segments.account_id
        and months.month_end >= segments.valid_from_date
        and months.month_end < segments.valid_to_date
),

time_to_value as (
    select
        month_start,
        segment,
        count(*) as onboarded_customers,
        {{ median('days_to_value') }} as time_to_value_days
    from onboarded
    group by month_start, segment
    union all
    select
        month_start,
        'all' as segment,
        count(*) as onboarded_customers,
        {{ median('days_to_value') }} as time_to_value_days
    from onboarded
    group by month_start
),

measured as (
    select
        summed.month_start,
        summed.month_end,
        summed.segment,
        -- health: NULL where the score history does not reach the month's end
        case when summed.customers > 0 then summed.customers end as customers,
        case when summed.customers > 0 then summed.arr end as arr,
        {%- for column in bands %}
        case when summed.customers > 0 then summed.band_{{ column }}_customers end as band_{{ column }}_customers,
        case when summed.customers > 0 then summed.band_{{ column }}_arr end as band_{{ column }}_arr,
        {%- endfor %}
        {{ round_double('summed.average_health_score', 2) }} as average_health_score,
        case when summed.customers > 0 then summed.at_risk_customers end as at_risk_customers,
        case when summed.customers > 0 then summed.at_risk_arr end as at_risk_arr,
        {{ safe_divide('summed.at_risk_arr', 'summed.arr') }} as at_risk_arr_share,
        summed.starting_customers,
        summed.retained_customers,
        summed.starting_arr,
        summed.expansion_arr,
        summed.contraction_arr,
        summed.churned_arr,
        summed.ending_arr,
        {{ safe_divide('summed.starting_arr - summed.contraction_arr - summed.churned_arr', 'summed.starting_arr') }} as grr,
        {{ safe_divide('summed.ending_arr', 'summed.starting_arr') }} as nrr,
        {{ safe_divide('summed.retained_customers', 'summed.starting_customers') }} as logo_retention,
        summed.starting_customers - summed.retained_customers as churned_customers,
        {{ safe_divide('summed.starting_customers - summed.retained_customers', 'summed.starting_customers') }} as logo_churn_rate,
        summed.expanded_customers,
        {{ safe_divide('summed.expanded_customers', 'summed.starting_customers') }} as expansion_rate,
        coalesce(time_to_value.onboarded_customers, 0) as onboarded_customers,
        {%- for window in renewal_windows %}
        case when summed.customers > 0 then summed.renewals_due_{{ window }} end as renewals_due_{{ window }},
        case when summed.customers > 0 then summed.renewals_due_{{ window }}_arr end as renewals_due_{{ window }}_arr,
        case when summed.customers > 0 then summed.renewals_due_{{ window }}_at_risk end as renewals_due_{{ window }}_at_risk,
        case when summed.customers > 0 then summed.renewals_due_{{ window }}_at_risk_arr end as renewals_due_{{ window }}_at_risk_arr,
        {%- endfor %}
        time_to_value.time_to_value_days
    from summed
    left join time_to_value
        on summed.month_start = time_to_value.month_start
        and summed.segment = time_to_value.segment
),

final as (
    select
        measured.month_start,
        measured.month_end,
        measured.segment,
        cast(measured.customers as {{ dbt.type_int() }}) as customers,
        cast(measured.arr as {{ type_double() }}) as arr,
        {%- for column in bands %}
        cast(measured.band_{{ column }}_customers as {{ dbt.type_int() }}) as band_{{ column }}_customers,
        cast(measured.band_{{ column }}_arr as {{ type_double() }}) as band_{{ column }}_arr,
        {%- endfor %}
        cast(measured.average_health_score as {{ type_double() }}) as average_health_score,
        cast(measured.at_risk_customers as {{ dbt.type_int() }}) as at_risk_customers,
        cast(measured.at_risk_arr as {{ type_double() }}) as at_risk_arr,
        cast(measured.at_risk_arr_share as {{ type_double() }}) as at_risk_arr_share,
        cast(measured.starting_customers as {{ dbt.type_int() }}) as starting_customers,
        cast(measured.retained_customers as {{ dbt.type_int() }}) as retained_customers,
        cast(measured.starting_arr as {{ type_double() }}) as starting_arr,
        cast(measured.expansion_arr as {{ type_double() }}) as expansion_arr,
        cast(measured.contraction_arr as {{ type_double() }}) as contraction_arr,
        cast(measured.churned_arr as {{ type_double() }}) as churned_arr,
        cast(measured.ending_arr as {{ type_double() }}) as ending_arr,
        cast(measured.grr as {{ type_double() }}) as grr,
        cast(measured.nrr as {{ type_double() }}) as nrr,
        cast(measured.logo_retention as {{ type_double() }}) as logo_retention,
        cast(measured.churned_customers as {{ dbt.type_int() }}) as churned_customers,
        cast(measured.logo_churn_rate as {{ type_double() }}) as logo_churn_rate,
        cast(measured.expanded_customers as {{ dbt.type_int() }}) as expanded_customers,
        cast(measured.expansion_rate as {{ type_double() }}) as expansion_rate,
        cast(measured.onboarded_customers as {{ dbt.type_int() }}) as onboarded_customers,
        cast(measured.time_to_value_days as {{ type_double() }}) as time_to_value_days,
        {%- for window in renewal_windows %}
        cast(measured.renewals_due_{{ window }} as {{ dbt.type_int() }}) as renewals_due_{{ window }},
        cast(measured.renewals_due_{{ window }}_arr as {{ type_double() }}) as renewals_due_{{ window }}_arr,
        cast(measured.renewals_due_{{ window }}_at_risk as {{ dbt.type_int() }}) as renewals_due_{{ window }}_at_risk,
        cast(measured.renewals_due_{{ window }}_at_risk_arr as {{ type_double() }}) as renewals_due_{{ window }}_at_risk_arr,
        {%- endfor %}
        {#- Rounded: a change is read in points or units, not in a float difference's last bits. #}
        {%- for figure in headline %}
        cast({{ round_double('measured.' ~ figure ~ ' - previous_month.' ~ figure, 6) }} as {{ type_double() }})
            as {{ figure }}_change_month,
        cast({{ round_double('measured.' ~ figure ~ ' - previous_quarter.' ~ figure, 6) }} as {{ type_double() }})
            as {{ figure }}_change_quarter,
        {%- endfor %}
        {{ as_of_date() }} as as_of_date
    from measured
    left join measured as previous_month
        on measured.segment = previous_month.segment
        and previous_month.month_start = cast({{ dbt.dateadd('month', -1, 'measured.month_start') }} as date)
    left join measured as previous_quarter
        on measured.segment = previous_quarter.segment
        and previous_quarter.month_start = cast({{ dbt.dateadd('month', -3, 'measured.month_start') }} as date)
)

select * from final
