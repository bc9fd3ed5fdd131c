{{ config(
    materialized='incremental',
    unique_key='activity_month_key',
    on_schema_change='fail'
) }}
-- The activity index: per calendar month, activity type and segment, how many CS activities were
-- logged and how many accounts they touched, up to the as-of date. Incremental: a run recomputes
-- the months from cs_activity_lookback_months before the latest month already built, so activities
-- that arrive late replace their month's row.

with

activities as (
    select * from {{ ref('int_activities__classified') }}
    where activity_date <= {{ as_of_date() }}
    {% if is_incremental() %}
    and activity_date >= (
        select {{ dbt.dateadd('month', -var('cs_activity_lookback_months'), 'max(activity_month)') }}
        from {{ this }}
    )
    {% endif %}
),

accounts as (
    select * from {{ ref('stg_salesforce__accounts') }}
),

typed as (
    select
        cast({{ dbt.date_trunc('month', 'activities.activity_date') }} as date) as activity_month,
        activities.activity_type,
        coalesce(accounts.segment, '{{ var("default_segment") }}') as segment,
        activities.activity_id,
        activities.account_id
    from activities
    left join accounts
        on activities.account_id = accounts.account_id
),

monthly as (
    select
        activity_month,
        activity_type,
        segment,
        count(*) as activities,
        count(distinct account_id) as accounts_touched
    from typed
    group by activity_month, activity_type, segment
),

final as (
    select
        cast(
            {{ dbt.concat(["cast(activity_month as " ~ dbt.type_string() ~ ")", "'|'", "activity_type", "'|'", "segment"]) }}
            as {{ type_varchar() }}
        ) as activity_month_key,
        activity_month,
        -- typed as the contract declares them: PostgreSQL's text is not its varchar, and an
        -- incremental run refuses a changed column type
        cast(activity_type as {{ type_varchar() }}) as activity_type,
        cast(segment as {{ type_varchar() }}) as segment,
        cast(activities as {{ dbt.type_int() }}) as activities,
        cast(accounts_touched as {{ dbt.type_int() }}) as accounts_touched
    from monthly
)

select * from final
