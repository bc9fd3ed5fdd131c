{{ config(materialized="table") }}
-- Per customer, the measures our sources hold for the toolkit's fields, as they stood on two
-- reference dates: the as-of date (period_offset 0) and toolkit_period_days earlier (period_offset 1,
-- the toolkit's previous period). Every window is measured back from its reference date: product
-- usage and tickets over toolkit_period_days, surveys over survey_window_days (and the NPS of the
-- last toolkit_nps_change_window_days against the same span before), executive sponsor meetings
-- over toolkit_sponsor_slices slices of toolkit_sponsor_slice_days, ticket CSAT over
-- toolkit_satisfaction_window_days (and the same span before); open tickets and contacts on the
-- day: the ticket measures are those of int_support__account_measures, which the support health
-- component reads too. NULL where a window holds nothing to measure (no survey answer, no ticket to
-- escalate, no rated ticket).

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

support as (
    select * from {{ ref('int_support__account_measures') }}
),

-- The tickets of the period, open on the day, and the ticket CSAT of the satisfaction window up to
-- the reference date and of the one before.
ticket_measures as (
    select
        reference_dates.period_offset,
        period.account_id,
        period.tickets_created,
        period.escalation_rate,
        period.avg_resolution_hours,
        period.open_tickets,
        period.open_escalations,
        period.open_urgent_tickets,
        satisfaction.ticket_csat,
        earlier_satisfaction.ticket_csat as earlier_ticket_csat
    from reference_dates
    inner join support as period
        on reference_dates.reference_date = period.reference_date
        and period.window_days = {{ period_days }}
    inner join support as satisfaction
        on period.account_id = satisfaction.account_id
        and reference_dates.reference_date = satisfaction.reference_date
        and satisfaction.window_days = {{ satisfaction_days }}
    inner join support as earlier_satisfaction
        on period.account_id = earlier_satisfaction.account_id
        and earlier_satisfaction.reference_date
        = cast({{ dbt.dateadd('day', -satisfaction_days, 'reference_dates.reference_date') }} as date)
        and earlier_satisfaction.window_days = {{ satisfaction_days }}
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
        ticket_measures.tickets_created as support_ticket_volume,
        ticket_measures.escalation_rate,
        ticket_measures.avg_resolution_hours,
        ticket_measures.open_tickets,
        ticket_measures.open_escalations,
        ticket_measures.open_urgent_tickets as unresolved_critical,
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
    inner join ticket_measures
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
