{{ config(materialized="table") }}
-- Per account, its HubSpot marketing e-mail over the last email_window_days, counted the way
-- HubSpot counts: one message per campaign and recipient; sent = a SENT event (dropped messages
-- never went out); delivered = sent and not bounced; a unique open or click is a recipient who
-- opened or clicked that message at least once, bot and scanner events (filtered_event) excluded,
-- and a click counts as an open. The only scan of the e-mail events: the marts read this table.

{%- set window_days = var('email_window_days') %}

with

email_events as (
    select * from {{ ref('stg_hubspot__email_events') }}
),

campaigns as (
    select * from {{ ref('stg_hubspot__email_campaigns') }}
),

category_rules as (
    select * from {{ ref('email_campaign_categories') }}
),

contacts as (
    select * from {{ ref('int_identity__hubspot_contacts') }}
    where account_id is not null
),

events_in_window as (
    select
        email_campaign_id,
        recipient_email,
        event_type,
        is_filtered_event,
        created_at
    from email_events
    where cast(created_at as date) > {{ dbt.dateadd('day', -window_days, as_of_date()) }}
        and cast(created_at as date) <= {{ as_of_date() }}
),

messages as (
    select
        email_campaign_id,
        recipient_email,
        max(case when event_type = 'sent' then 1 else 0 end) as is_sent,
        max(case when event_type = 'bounce' then 1 else 0 end) as is_bounced,
        max(case when event_type in ('open', 'click') and not is_filtered_event then 1 else 0 end) as is_opened,
        max(case when event_type = 'click' and not is_filtered_event then 1 else 0 end) as is_clicked
    from events_in_window
    group by email_campaign_id, recipient_email
),

-- A recipient counts for an account only when its e-mail belongs to contacts of that one account.
recipients as (
    select
        email as recipient_email,
        min(account_id) as account_id
    from contacts
    group by email
    having count(distinct account_id) = 1
),

campaign_matches as (
    select
        campaigns.email_campaign_id,
        category_rules.category,
        category_rules.is_value_driven,
        row_number() over (partition by campaigns.email_campaign_id order by category_rules.priority) as match_rank
    from campaigns
    inner join category_rules
        on lower(campaigns.campaign_name) like category_rules.pattern
),

value_driven_campaigns as (
    select email_campaign_id
    from campaign_matches
    where match_rank = 1
        and is_value_driven
),

final as (
    select
        recipients.account_id,
        count(distinct messages.recipient_email) as recipients,
        sum(messages.is_sent) as emails_sent,
        sum(case when messages.is_bounced = 0 then 1 else 0 end) as emails_delivered,
        sum(messages.is_bounced) as emails_bounced,
        sum(case when messages.is_bounced = 0 then messages.is_opened else 0 end) as unique_opens,
        sum(case when messages.is_bounced = 0 then messages.is_clicked else 0 end) as unique_clicks,
        sum(case
            when messages.is_bounced = 0 and value_driven_campaigns.email_campaign_id is not null then 1 else 0
        end) as value_driven_emails_delivered
    from messages
    inner join recipients
        on messages.recipient_email = recipients.recipient_email
    left join value_driven_campaigns
        on messages.email_campaign_id = value_driven_campaigns.email_campaign_id
    where messages.is_sent = 1
    group by recipients.account_id
)

select * from final
