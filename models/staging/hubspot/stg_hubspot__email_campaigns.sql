-- HubSpot e-mail campaigns: one row per campaign.

with

email_campaigns as (
    select * from {{ ref('base_hubspot__email_campaigns') }}
    where disposition = 'staged'
),

final as (
    select
        email_campaign_id,
        app_id,
        app_name,
        campaign_name,
        subject,
        campaign_type,
        _fivetran_synced
    from email_campaigns
)

select * from final
