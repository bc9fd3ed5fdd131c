-- Each version of an account's health in the snapshot history up to the as-of date: the nights it
-- held (valid_to capped at the night after the as-of date), its band, score, drivers and the
-- scoring configuration it was computed with, numbered in episodes (a version after a gap, when the
-- account was not a customer in between, starts a new episode).

with

snapshots as (
    select * from {{ ref('snap_account_health') }}
),

dated as (
    select
        account_id,
        segment,
        cast(dbt_valid_from as date) as valid_from,
        cast(dbt_valid_to as date) as recorded_valid_to,
        score_band,
        health_score,
        churn_probability,
        top_driver_1,
        top_driver_2,
        top_driver_3,
        {%- for component in var('health_components') %}
        {{ component }}_score,
        {%- endfor %}
        -- A change of scoring configuration is not a change in the customer: the alerts compare
        -- only versions computed with the same configuration (int_health__configuration: weights,
        -- grid, bands, overrides, windows). Versions recorded before it was stamped carry their
        -- weights version.
        coalesce(configuration_version, weights_version) as configuration_version
    from snapshots
    where cast(dbt_valid_from as date) <= {{ as_of_date() }}
),

capped as (
    select
        *,
        case
            when recorded_valid_to is null or recorded_valid_to > {{ as_of_date() }}
                then cast({{ dbt.dateadd('day', 1, as_of_date()) }} as date)
            else recorded_valid_to
        end as valid_to,
        lag(recorded_valid_to) over (partition by account_id order by valid_from) as previous_valid_to
    from dated
),

episodes as (
    select
        *,
        sum(case when previous_valid_to is null or previous_valid_to <> valid_from then 1 else 0 end)
            over (partition by account_id order by valid_from rows between unbounded preceding and current row)
            as episode
    from capped
),

final as (
    select
        account_id,
        segment,
        episode,
        valid_from,
        valid_to,
        score_band,
        health_score,
        churn_probability,
        top_driver_1,
        top_driver_2,
        top_driver_3,
        {%- for component in var('health_components') %}
        {{ component }}_score,
        {%- endfor %}
        configuration_version
    from episodes
)

select * from final
