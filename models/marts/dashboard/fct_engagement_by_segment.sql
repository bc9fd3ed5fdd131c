-- E-mail engagement and product usage per segment and over every segment ('all'): the e-mail
-- counts of fct_account_email_engagement summed and their rates (open and click per delivered
-- message, bounce per sent one, as HubSpot computes them), the share of customers with QBR
-- coverage and with value-driven e-mail coverage, and from fct_account_usage the customers with
-- usage, their average seat utilisation and how many are declining.

with

email as (
    select * from {{ ref('fct_account_email_engagement') }}
),

usage as (
    select * from {{ ref('fct_account_usage') }}
),

email_by_segment as (
    select
        segment,
        grouping(segment) as is_every_segment,
        count(*) as customers,
        sum(emails_sent) as emails_sent,
        sum(emails_delivered) as emails_delivered,
        sum(emails_bounced) as emails_bounced,
        sum(unique_opens) as unique_opens,
        sum(unique_clicks) as unique_clicks,
        sum(case when has_qbr_coverage then 1 else 0 end) as customers_with_qbr_coverage,
        sum(case when has_value_driven_email_coverage then 1 else 0 end) as customers_with_value_driven_email
    from email
    group by rollup(segment)
),

usage_by_segment as (
    select
        segment,
        grouping(segment) as is_every_segment,
        count(*) as usage_customers,
        avg(seat_utilisation_pct) as average_seat_utilisation_pct,
        sum(case when is_usage_declining then 1 else 0 end) as declining_usage_customers
    from usage
    group by rollup(segment)
),

final as (
    select
        cast(
            case when email_by_segment.is_every_segment = 1 then 'all' else email_by_segment.segment end
            as {{ type_varchar() }}
        ) as segment,
        cast(email_by_segment.customers as {{ dbt.type_int() }}) as customers,
        cast(email_by_segment.emails_sent as {{ dbt.type_int() }}) as emails_sent,
        cast(email_by_segment.emails_delivered as {{ dbt.type_int() }}) as emails_delivered,
        cast(email_by_segment.emails_bounced as {{ dbt.type_int() }}) as emails_bounced,
        cast(email_by_segment.unique_opens as {{ dbt.type_int() }}) as unique_opens,
        cast(email_by_segment.unique_clicks as {{ dbt.type_int() }}) as unique_clicks,
        {{ safe_divide('email_by_segment.unique_opens', 'email_by_segment.emails_delivered') }} as open_rate,
        {{ safe_divide('email_by_segment.unique_clicks', 'email_by_segment.emails_delivered') }} as click_rate,
        {{ safe_divide('email_by_segment.emails_bounced', 'email_by_segment.emails_sent') }} as bounce_rate,
        {{ safe_divide('email_by_segment.customers_with_qbr_coverage', 'email_by_segment.customers') }} as qbr_coverage,
        {{ safe_divide('email_by_segment.customers_with_value_driven_email', 'email_by_segment.customers') }}
            as value_driven_email_coverage,
        cast(coalesce(usage_by_segment.usage_customers, 0) as {{ dbt.type_int() }}) as usage_customers,
        cast(usage_by_segment.average_seat_utilisation_pct as {{ type_double() }}) as average_seat_utilisation_pct,
        cast(coalesce(usage_by_segment.declining_usage_customers, 0) as {{ dbt.type_int() }}) as declining_usage_customers,
        {{ as_of_date() }} as as_of_date
    from email_by_segment
    left join usage_by_segment
        on email_by_segment.is_every_segment = usage_by_segment.is_every_segment
        and (email_by_segment.segment = usage_by_segment.segment or email_by_segment.is_every_segment = 1)
)

select * from final
