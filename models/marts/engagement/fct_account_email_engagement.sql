-- Per customer, HubSpot e-mail engagement over the last email_window_days: messages sent,
-- delivered and bounced, unique opens and clicks (bots excluded, HubSpot's definitions: see
-- int_engagement__account_email) and their rates, value-driven e-mail coverage, and QBR coverage
-- as every mart defines it (int_activities__account_qbrs: Salesforce or HubSpot, in the last
-- qbr_coverage_days). Open and click rates are per delivered message, the bounce rate per sent one.

with

customers as (
    select * from {{ ref('int_accounts__customers') }}
),

email as (
    select * from {{ ref('int_engagement__account_email') }}
),

qbrs as (
    select * from {{ ref('int_activities__account_qbrs') }}
),

final as (
    select
        customers.account_id,
        customers.account_name,
        customers.segment,
        customers.csm_owner_id,
        cast(coalesce(email.recipients, 0) as {{ dbt.type_int() }}) as recipients,
        cast(coalesce(email.emails_sent, 0) as {{ dbt.type_int() }}) as emails_sent,
        cast(coalesce(email.emails_delivered, 0) as {{ dbt.type_int() }}) as emails_delivered,
        cast(coalesce(email.emails_bounced, 0) as {{ dbt.type_int() }}) as emails_bounced,
        cast(coalesce(email.unique_opens, 0) as {{ dbt.type_int() }}) as unique_opens,
        cast(coalesce(email.unique_clicks, 0) as {{ dbt.type_int() }}) as unique_clicks,
        {{ safe_divide('email.unique_opens', 'email.emails_delivered') }} as open_rate,
        {{ safe_divide('email.unique_clicks', 'email.emails_delivered') }} as click_rate,
        {{ safe_divide('email.emails_bounced', 'email.emails_sent') }} as bounce_rate,
        cast(qbrs.qbrs_in_coverage_window as {{ dbt.type_int() }}) as qbrs_in_coverage_window,
        qbrs.has_qbr_coverage,
        qbrs.last_qbr_date,
        cast(coalesce(email.value_driven_emails_delivered, 0) as {{ dbt.type_int() }}) as value_driven_emails_delivered,
        coalesce(email.value_driven_emails_delivered, 0) > 0 as has_value_driven_email_coverage,
        customers.as_of_date
    from customers
    inner join qbrs
        on customers.account_id = qbrs.account_id
    left join email
        on customers.account_id = email.account_id
)

select * from final
