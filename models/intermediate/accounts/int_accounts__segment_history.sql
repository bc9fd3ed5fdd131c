-- Every account's segment as it stood, as validity intervals of dates [valid_from_date,
-- valid_to_date): Salesforce overwrites an account's segment, so the score history
-- (snap_account_health, which records each customer's segment every night it scores it) is the
-- record of what it was. Each recorded version holds until the next one begins (a customer that
-- leaves keeps its last segment); the first one reaches back to the beginning of time, the history
-- knowing nothing earlier. An account the history never scored has its current segment throughout.
-- The segment of an account on a day: the interval with valid_from_date <= day < valid_to_date.

with

accounts as (
    select * from {{ ref('stg_salesforce__accounts') }}
),

history as (
    select * from {{ ref('snap_account_health') }}
),

versions as (
    select
        account_id,
        segment,
        cast(dbt_valid_from as date) as recorded_from_date,
        row_number() over (partition by account_id order by dbt_valid_from) as version_number,
        lead(cast(dbt_valid_from as date)) over (partition by account_id order by dbt_valid_from) as next_recorded_date
    from history
),

recorded as (
    select
        account_id,
        segment,
        case when version_number = 1 then cast('1900-01-01' as date) else recorded_from_date end as valid_from_date,
        coalesce(next_recorded_date, cast('9999-12-31' as date)) as valid_to_date
    from versions
),

recorded_accounts as (
    select distinct account_id from history
),

never_recorded as (
    select
        accounts.account_id,
        coalesce(accounts.segment, '{{ var("default_segment") }}') as segment,
        cast('1900-01-01' as date) as valid_from_date,
        cast('9999-12-31' as date) as valid_to_date
    from accounts
    left join recorded_accounts
        on accounts.account_id = recorded_accounts.account_id
    where recorded_accounts.account_id is null
),

final as (
    select * from recorded
    union all
    select * from never_recorded
)

select * from final
