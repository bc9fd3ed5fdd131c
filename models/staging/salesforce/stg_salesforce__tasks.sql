-- Salesforce tasks: one row per live logged activity, with the fields the activity classifier reads.

with

tasks as (
    select * from {{ ref('base_salesforce__tasks') }}
    where disposition = 'staged'
),

final as (
    select
        task_id,
        account_id,
        owner_id,
        subject,
        task_type,
        task_status,
        activity_date,
        activity_type_c,
        health_check_type_c,
        created_date,
        _fivetran_synced
    from tasks
)

select * from final
