{{ config(materialized="table") }}
-- One stream of customer-success activities: completed Salesforce tasks and all events, each with
-- a normalised activity type from the activity_type_map seed (the matching rule of lowest
-- priority wins). Activities no rule matches are typed 'other', kept and counted.

with

tasks as (
    select * from {{ ref('stg_salesforce__tasks') }}
),

events as (
    select * from {{ ref('stg_salesforce__events') }}
),

rules as (
    select * from {{ ref('activity_type_map') }}
),

unioned as (
    select
        task_id as activity_id,
        'task' as activity_source,
        account_id,
        owner_id,
        activity_date,
        subject,
        activity_type_c,
        health_check_type_c
    from tasks
    where task_status = 'completed'

    union all

    select
        event_id as activity_id,
        'event' as activity_source,
        account_id,
        owner_id,
        activity_date,
        subject,
        activity_type_c,
        health_check_type_c
    from events
),

-- Thousands of activities share each (subject, activity type, health-check type): classify each
-- distinct combination once, then join it back by equality.
kinds as (
    select distinct
        subject,
        activity_type_c,
        health_check_type_c
    from unioned
),

kind_matches as (
    select
        kinds.subject,
        kinds.activity_type_c,
        kinds.health_check_type_c,
        rules.activity_type,
        row_number() over (
            partition by kinds.subject, kinds.activity_type_c, kinds.health_check_type_c
            order by rules.priority
        ) as match_rank
    from kinds
    inner join rules
        on (rules.match_column = 'health_check_type_c' and lower(kinds.health_check_type_c) like rules.pattern)
        or (rules.match_column = 'activity_type_c' and lower(kinds.activity_type_c) like rules.pattern)
        or (rules.match_column = 'subject' and lower(kinds.subject) like rules.pattern)
),

kind_types as (
    select * from kind_matches
    where match_rank = 1
),

final as (
    select
        unioned.activity_id,
        unioned.activity_source,
        unioned.account_id,
        unioned.owner_id,
        unioned.activity_date,
        unioned.subject,
        unioned.activity_type_c,
        unioned.health_check_type_c,
        coalesce(kind_types.activity_type, 'other') as activity_type
    from unioned
    left join kind_types
        on unioned.subject is not distinct from kind_types.subject
        and unioned.activity_type_c is not distinct from kind_types.activity_type_c
        and unioned.health_check_type_c is not distinct from kind_types.health_check_type_c
)

select * from final
