{{ config(materialized="table") }}
-- Per customer, the measures our sources hold for the toolkit's fields, as they stood on two
-- reference dates: the as-of date (period_offset 0) and toolkit_period_days earlier (period_offset 1,
-- the toolkit's previous period). Every window is measured back from its reference date: product
-- usage and tickets over toolkit_period_days, surveys over survey_window_days (and the NPS of the
-- last toolkit_nps_change_window_days against the same span before), executive sponsor meetings
-- over toolkit_sponsor_slices slices of toolkit_sponsor_slice_days, ticket CSAT over
-- toolkit_satisfaction_window_days (and the same span before); open tickets and contacts on the
-- day. NULL where a window holds nothing to measure (no survey answer, no ticket to escalate, no
-- rated ticket).

{%- set period_days = var('toolkit_period_days') %}
{%- set features = var('toolkit_product_features') %}
{%- set slices = var('toolkit_sponsor_slices') %}
{%- set slice_days = var('toolkit_sponsor_slice_days') %}
{%- set satisfaction_days = var('toolkit_satisfaction_window_days') %}
{%- set survey_days = var('survey_window_days') %}
{%- set nps_change_days = var('toolkit_nps_change_window_days') %}

with

customers as (
    select * from {{ ref('int_accounts__customers') }}
),

usage as (
    select * from {{ ref('stg_product__usage_daily') }}
),

tickets as (
    select * from {{ ref('stg_support__tickets') }}
),

survey_responses as (
    select * from {{ ref('stg_alchemer__survey_responses') }}
    where not is_test_data
),

respondents as (
    select * from {{ ref('int_identity__survey_respondents') }}
    where account_id is not null
),

sponsor_meetings as (
    select * from {{ ref('int_activities__classified') }}
    where activity_type = 'executive_sponsor_meeting'
),

contacts as (
    select * from {{ ref('stg_hubspot__contacts') }}
),

contact_accounts as (
    select * from {{ ref('int_identity__hubspot_contacts') }}
    where account_id is not null
),

day_numbers as (
    {{ dbt.generate_series(period_days) }}
),

reference_dates as (
    select
        0 as period_offset,
        {{ as_of_date() }} as reference_date
    union all
    select
        1 as period_offset,
        cast({{ dbt.dateadd('day', -period_days, as_of_date()) }} as date) as reference_date
),

-- the days a customer is expected to log in: the period's weekdays
expected_login_days as (
    select
        reference_dates.period_offset,
        count(*) as weekdays
    from reference_dates
    cross join day_numbers
    where {{ is_weekday(dbt.dateadd('day', '1 - day_numbers.generated_number', 'reference_dates.reference_date')) }}
    group by reference_dates.period_offset
),

usage_in_period as (
    select
        reference_dates.period_offset,
        usage.account_id,
        usage.usage_date,
        usage.logins,
        usage.active_users,
        {%- for feature in features %}
        usage.{{ feature }}{{ "," if not loop.last }}
        {%- endfor %}
    from usage
    inner join reference_dates
        on usage.usage_date > {{ dbt.dateadd('day', -period_days, 'reference_dates.reference_date') }}
        and usage.usage_date <= reference_dates.reference_date
),

usage_measures as (
    select
        account_id,
        period_offset,
        count(distinct case when logins > 0 and {{ is_weekday('usage_date') }} then usage_date end) as login_days,
        sum(logins) as logins,
        sum(active_users) as active_user_days,
        max(active_users) as peak_active_users,
        0
        {%- for feature in features %}
        + max(case when {{ feature }} > 0 then 1 else 0 end)
        {%- endfor %} as features_used
    from usage_in_period
    group by account_id, period_offset
),

tickets_by_then as (
    select
        reference_dates.period_offset,
        tickets.account_id,
        tickets.priority,
        tickets.is_escalated,
        tickets.csat_score,
        cast(tickets.created_at as date)
        > {{ dbt.dateadd('day', -period_days, 'reference_dates.reference_date') }} as is_created_in_period,
        tickets.solved_at is not null
        and cast(tickets.solved_at as date) <= reference_dates.reference_date
        and cast(tickets.solved_at as date)
        > {{ dbt.dateadd('day', -period_days, 'reference_dates.reference_date') }} as is_solved_in_period,
        tickets.solved_at is not null
        and cast(tickets.solved_at as date) <= reference_dates.reference_date
        and cast(tickets.solved_at as date)
        > {{ dbt.dateadd('day', -satisfaction_days, 'reference_dates.reference_date') }}
            as is_solved_in_satisfaction_window,
        tickets.solved_at is not null
        and cast(tickets.solved_at as date) <= {{ dbt.dateadd('day', -satisfaction_days, 'reference_dates.reference_date') }}
        and cast(tickets.solved_at as date)
        > {{ dbt.dateadd('day', -2 * satisfaction_days, 'reference_dates.reference_date') }}
            as is_solved_in_earlier_satisfaction_window,
        tickets.solved_at is null or cast(tickets.solved_at as date) > reference_dates.reference_date as is_open,
        {{ dbt.datediff('tickets.created_at', 'tickets.solved_at', 'second') }} / 3600.0 as resolution_hours
    from tickets
    inner join reference_dates
        on cast(tickets.created_at as date) <= reference_dates.reference_date
),

ticket_measures as (
    select
        account_id,
        period_offset,
        sum(case when is_created_in_period then 1 else 0 end) as tickets_created,
        sum(case when is_created_in_period and is_escalated then 1 else 0 end) as tickets_escalated,
        avg(case when is_solved_in_period then resolution_hours end) as avg_resolution_hours,
        sum(case when is_open then 1 else 0 end) as open_tickets,
        sum(case when is_open and is_escalated then 1 else 0 end) as open_escalations,
        sum(case
            when is_open and priority in (
                {%- for priority in var('toolkit_critical_ticket_priorities') -%}
                '{{ priority }}'{{ ", " if not loop.last }}
                {%- endfor -%}
            ) then 1
            else 0
        end) as unresolved_critical,
        avg(case when is_solved_in_satisfaction_window then cast(csat_score as {{ type_double() }}) end) as ticket_csat,
        avg(case when is_solved_in_earlier_satisfaction_window then cast(csat_score as {{ type_double() }}) end)
            as earlier_ticket_csat
    from tickets_by_then
    group by account_id, period_offset
),

surveys_by_then as (
    select
        respondents.account_id,
        reference_dates.period_offset,
        cast(survey_responses.nps_score as {{ type_double() }}) as nps_score,
        cast(survey_responses.csat_score as {{ type_double() }}) as csat_score,
        {{ dbt.datediff('cast(survey_responses.submitted_at as date)', 'reference_dates.reference_date', 'day') }}
            as days_ago
    from survey_responses
    inner join respondents
        on survey_responses.survey_response_id = respondents.survey_response_id
    inner join reference_dates
        on cast(survey_responses.submitted_at as date) <= reference_dates.reference_date
        and cast(survey_responses.submitted_at as date)
        > {{ dbt.dateadd('day', -([survey_days, 2 * nps_change_days] | max), 'reference_dates.reference_date') }}
),

survey_measures as (
    select
        account_id,
        period_offset,
        avg(case when days_ago < {{ survey_days }} then nps_score end) as nps_score,
        avg(case when days_ago < {{ survey_days }} then csat_score end) as csat_score,
        avg(case when days_ago < {{ nps_change_days }} then nps_score end) as recent_nps_score,
        avg(case when days_ago >= {{ nps_change_days }} and days_ago < {{ 2 * nps_change_days }} then nps_score end)
            as earlier_nps_score
    from surveys_by_then
    group by account_id, period_offset
),

sponsor_measures as (
    select
        sponsor_meetings.account_id,
        reference_dates.period_offset,
        count(distinct floor(
            {{ dbt.datediff('sponsor_meetings.activity_date', 'reference_dates.reference_date', 'day') }} / {{ slice_days }}.0
        )) as slices_with_meeting
    from sponsor_meetings
    inner join reference_dates
        on sponsor_meetings.activity_date <= reference_dates.reference_date
        and sponsor_meetings.activity_date
        > {{ dbt.dateadd('day', -slices * slice_days, 'reference_dates.reference_date') }}
    group by sponsor_meetings.account_id, reference_dates.period_offset
),

contact_measures as (
    select
        contact_accounts.account_id,
        reference_dates.period_offset,
        count(*) as contact_count
    from contact_accounts
    inner join contacts
        on contact_accounts.contact_id = contacts.contact_id
    inner join reference_dates
        on contacts.created_date <= reference_dates.reference_date
    group by contact_accounts.account_id, reference_dates.period_offset
),

final as (
    select
        customers.account_id,
        reference_dates.period_offset,
        reference_dates.reference_date,
        100 * {{ safe_divide('coalesce(usage_measures.login_days, 0)', 'expected_login_days.weekdays') }}
            as login_frequency,
        100 * {{ safe_divide('coalesce(usage_measures.features_used, 0)', features | length) }} as feature_adoption,
        {{ safe_divide('usage_measures.active_user_days', period_days) }}
        / nullif(usage_measures.peak_active_users, 0) as dau_mau_ratio,
        cast(coalesce(usage_measures.logins, 0) as {{ dbt.type_bigint() }}) as logins,
        cast(coalesce(usage_measures.peak_active_users, 0) as {{ dbt.type_bigint() }}) as peak_active_users,
        cast(coalesce(ticket_measures.tickets_created, 0) as {{ dbt.type_bigint() }}) as support_ticket_volume,
        {{ safe_divide('ticket_measures.tickets_escalated', 'ticket_measures.tickets_created') }} as escalation_rate,
        cast(ticket_measures.avg_resolution_hours as {{ type_double() }}) as avg_resolution_hours,
        cast(coalesce(ticket_measures.open_tickets, 0) as {{ dbt.type_bigint() }}) as open_tickets,
        cast(coalesce(ticket_measures.open_escalations, 0) as {{ dbt.type_bigint() }}) as open_escalations,
        cast(coalesce(ticket_measures.unresolved_critical, 0) as {{ dbt.type_bigint() }}) as unresolved_critical,
        ticket_measures.ticket_csat,
        ticket_measures.earlier_ticket_csat,
        survey_measures.nps_score,
        survey_measures.csat_score,
        survey_measures.recent_nps_score,
        survey_measures.earlier_nps_score,
        100 * {{ safe_divide('coalesce(sponsor_measures.slices_with_meeting, 0)', slices) }}
            as executive_sponsor_engagement,
        cast(coalesce(contact_measures.contact_count, 0) as {{ dbt.type_bigint() }}) as multi_threading_depth
    from customers
    cross join reference_dates
    inner join expected_login_days
        on reference_dates.period_offset = expected_login_days.period_offset
    left join usage_measures
        on customers.account_id = usage_measures.account_id
        and reference_dates.period_offset = usage_measures.period_offset
    left join ticket_measures
        on customers.account_id = ticket_measures.account_id
        and reference_dates.period_offset = ticket_measures.period_offset
    left join survey_measures
        on customers.account_id = survey_measures.account_id
        and reference_dates.period_offset = survey_measures.period_offset
    left join sponsor_measures
        on customers.account_id = sponsor_measures.account_id
        and reference_dates.period_offset = sponsor_measures.period_offset
    left join contact_measures
        on customers.account_id = contact_measures.account_id
        and reference_dates.period_offset = contact_measures.period_offset
)

select * from final
