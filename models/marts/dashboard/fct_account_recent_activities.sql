-- The most recent customer-success activities of each customer up to the as-of date, newest first:
-- what the dashboard's account drill lists under "recent activities" (health checks, QBRs, calls)
-- next to the components they feed. A subject is free text a CSM typed: the e-mail addresses and
-- phone numbers in it stay in the warehouse.

with

customers as (
    select * from {{ ref('int_accounts__customers') }}
),

activities as (
    select * from {{ ref('int_activities__classified') }}
),

users as (
    select * from {{ ref('stg_salesforce__users') }}
),

ranked as (
    select
        activities.activity_id,
        activities.account_id,
        activities.activity_date,
        activities.activity_type,
        activities.activity_source,
        activities.subject,
        activities.owner_id,
        customers.as_of_date,
        row_number() over (
            partition by activities.account_id
            order by activities.activity_date desc, activities.activity_id asc
        ) as recency_rank
    from activities
    inner join customers
        on activities.account_id = customers.account_id
    where activities.activity_date <= customers.as_of_date
),

final as (
    select
        ranked.activity_id,
        ranked.account_id,
        cast(ranked.recency_rank as {{ dbt.type_int() }}) as recency_rank,
        ranked.activity_date,
        cast({{ dbt.datediff('ranked.activity_date', 'ranked.as_of_date', 'day') }} as {{ dbt.type_int() }}) as days_ago,
        ranked.activity_type,
        ranked.activity_source,
        {{ scrub_contact_details('ranked.subject') }} as subject,
        ranked.owner_id,
        users.user_name as owner_name,
        ranked.as_of_date
    from ranked
    left join users
        on ranked.owner_id = users.user_id
    where ranked.recency_rank <= {{ var('recent_activities_per_account') }}
)

select * from final
