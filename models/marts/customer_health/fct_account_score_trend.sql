-- Each customer's score change over each window of score_trend_windows days up to the as-of date,
-- from the nightly history: the score as it stood the night before the window and on the as-of date,
-- the change and its trend (up or down by at least score_trend_flat_points, else flat), and what each
-- component contributed, the sum of its contributions in fct_health_score_changes over the window
-- (they add up to the change of the unrounded score). The change needs the score explained through
-- the whole window: NULL when the account's explained history starts within it (a new customer, a
-- return after a gap, history recorded before the components' weights were).

{%- set components = var('health_components') %}

with

customers as (
    select * from {{ ref('fct_account_health') }}
),

snapshots as (
    select * from {{ ref('snap_account_health') }}
),

changes as (
    select * from {{ ref('fct_health_score_changes') }}
),

windows as (
    {%- for days in var('score_trend_windows') %}
    select {{ days }} as window_days
    {{- ' union all' if not loop.last }}
    {%- endfor %}
),

bounded as (
    select
        window_days,
        cast({{ dbt.dateadd('day', '1 - window_days', as_of_date()) }} as date) as window_start_date,
        cast({{ dbt.dateadd('day', '-window_days', as_of_date()) }} as date) as before_window_date
    from windows
),

versions as (
    select
        account_id,
        dbt_valid_from,
        dbt_valid_to,
        cast(health_score as {{ type_double() }}) as health_score,
        cast(health_score_unrounded as {{ type_double() }}) as health_score_unrounded,
        -- a version starts an explained run after a gap, or when the one before recorded no weights
        case
            when
                lag(dbt_valid_to) over (partition by account_id order by dbt_valid_from) is null
                or cast(lag(dbt_valid_to) over (partition by account_id order by dbt_valid_from) as date)
                <> cast(dbt_valid_from as date)
                or lag(health_score_unrounded) over (partition by account_id order by dbt_valid_from) is null
                then cast(dbt_valid_from as date)
        end as run_started_on
    from snapshots
),

runs as (
    select
        versions.*,
        max(run_started_on) over (
            partition by account_id order by dbt_valid_from rows between unbounded preceding and current row
        ) as explained_since
    from versions
),

now_scored as (
    select * from runs
    where {{ snapshot_valid_on(as_of_date(), 'runs') }}
        and health_score_unrounded is not null
),

then_scored as (
    select
        bounded.window_days,
        runs.account_id,
        runs.health_score,
        runs.health_score_unrounded
    from runs
    inner join bounded
        on {{ snapshot_valid_on('bounded.before_window_date', 'runs') }}
    where runs.health_score_unrounded is not null
),

in_window as (
    select
        bounded.window_days,
        changes.account_id,
        {%- for component in components %}
        sum(changes.{{ component }}_contribution) as {{ component }}_contribution,
        {%- endfor %}
        count(*) as score_changes,
        sum(case when changes.is_configuration_change then 1 else 0 end) as configuration_changes
    from changes
    inner join bounded
        on changes.changed_on >= bounded.window_start_date
        and changes.changed_on <= {{ as_of_date() }}
    group by bounded.window_days, changes.account_id
),

measured as (
    select
        customers.account_id,
        bounded.window_days,
        bounded.window_start_date,
        now_scored.health_score,
        -- the score before the window counts only if the same explained run reaches the as-of date
        case when now_scored.explained_since <= bounded.before_window_date then then_scored.health_score end
            as previous_health_score,
        case when now_scored.explained_since <= bounded.before_window_date then then_scored.health_score_unrounded end
            as previous_health_score_unrounded,
        {%- for component in components %}
        coalesce(in_window.{{ component }}_contribution, 0) as {{ component }}_contribution,
        {%- endfor %}
        now_scored.health_score_unrounded,
        coalesce(in_window.score_changes, 0) as score_changes,
        coalesce(in_window.configuration_changes, 0) as configuration_changes
    from customers
    cross join bounded
    left join now_scored
        on customers.account_id = now_scored.account_id
    left join then_scored
        on customers.account_id = then_scored.account_id
        and bounded.window_days = then_scored.window_days
    left join in_window
        on customers.account_id = in_window.account_id
        and bounded.window_days = in_window.window_days
),

changed as (
    select
        measured.*,
        {{ round_double('health_score - previous_health_score', 2) }} as health_score_change
    from measured
),

final as (
    select
        account_id,
        cast(window_days as {{ dbt.type_int() }}) as window_days,
        window_start_date,
        cast(previous_health_score as {{ type_double() }}) as previous_health_score,
        cast(health_score as {{ type_double() }}) as health_score,
        cast(health_score_change as {{ type_double() }}) as health_score_change,
        health_score_unrounded - previous_health_score_unrounded as health_score_unrounded_change,
        cast(case
            when health_score_change >= {{ var('score_trend_flat_points') }} then 'up'
            when health_score_change <= -{{ var('score_trend_flat_points') }} then 'down'
            when health_score_change is not null then 'flat'
        end as {{ type_varchar() }}) as trend,
        {%- for component in components %}
        cast(case when health_score_change is not null then {{ component }}_contribution end as {{ type_double() }})
            as {{ component }}_contribution,
        {%- endfor %}
        cast(score_changes as {{ dbt.type_int() }}) as score_changes,
        cast(configuration_changes as {{ dbt.type_int() }}) as configuration_changes,
        {{ as_of_date() }} as as_of_date
    from changed
)

select * from final
