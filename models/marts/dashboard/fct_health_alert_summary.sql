-- The alerts of fct_health_alerts counted over each window of alert_summary_windows days up to the
-- as-of date: per window, alert type and direction (worsened, improved, and 'all' for both), the
-- alerts and the distinct accounts they concern. Every alert type on record has a row in every
-- window and direction, with 0 where none fired.

{%- set windows = var('alert_summary_windows') %}

with

alerts as (
    select * from {{ ref('fct_health_alerts') }}
),

windows as (
    {%- for days in windows %}
    select {{ days }} as window_days
    {{- ' union all' if not loop.last }}
    {%- endfor %}
),

alert_types as (
    select distinct alert_type from alerts
),

directions as (
    select 'worsened' as direction
    union all
    select 'improved' as direction
    union all
    select 'all' as direction
),

bounded as (
    select
        window_days,
        cast({{ dbt.dateadd('day', '1 - window_days', as_of_date()) }} as date) as window_start_date
    from windows
),

in_window as (
    select
        bounded.window_days,
        alerts.alert_type,
        alerts.direction,
        alerts.account_id
    from alerts
    inner join bounded
        on alerts.alert_date >= bounded.window_start_date
        and alerts.alert_date <= {{ as_of_date() }}
),

counted as (
    select
        window_days,
        alert_type,
        direction,
        grouping(direction) as is_every_direction,
        count(*) as alerts,
        count(distinct account_id) as accounts
    from in_window
    group by window_days, alert_type, rollup(direction)
),

labelled as (
    select
        window_days,
        alert_type,
        case when is_every_direction = 1 then 'all' else direction end as direction_label,
        alerts,
        accounts
    from counted
),

final as (
    select
        cast(bounded.window_days as {{ dbt.type_int() }}) as window_days,
        cast(alert_types.alert_type as {{ type_varchar() }}) as alert_type,
        cast(directions.direction as {{ type_varchar() }}) as direction,
        cast(coalesce(labelled.alerts, 0) as {{ dbt.type_int() }}) as alerts,
        cast(coalesce(labelled.accounts, 0) as {{ dbt.type_int() }}) as accounts,
        bounded.window_start_date,
        {{ as_of_date() }} as as_of_date
    from bounded
    cross join alert_types
    cross join directions
    left join labelled
        on bounded.window_days = labelled.window_days
        and alert_types.alert_type = labelled.alert_type
        and directions.direction = labelled.direction_label
)

select * from final
