-- Every raw table's freshness as of the as-of date: its latest sync up to the end of that day (by
-- the column its source freshness reads: Fivetran's _fivetran_synced, the churn model's
-- scored_at), the hours from then to the end of the as-of date, and whether that is past the
-- source's warn_after threshold (the sources YAML, the same one `dbt source freshness` checks).
-- Measured against the as-of date, never the wall clock, so a replayed night reproduces it. A stale
-- source is not an account alert: the dashboard names it in a banner.

with

syncs as (
    {%- for table in freshness_thresholds() %}
    select
        '{{ table.source }}.{{ table.table }}' as source_table,
        '{{ table.field }}' as loaded_at_field,
        {{ table.hours }} as stale_after_hours,
        max({{ safe_cast(table.field, dbt.type_timestamp()) }}) as latest_synced_at
    from {{ source(table.source, table.table) }}
    where {{ safe_cast(table.field, dbt.type_timestamp()) }} < {{ dbt.dateadd('day', 1, as_of_date()) }}
    {{ 'union all' if not loop.last }}
    {%- endfor %}
),

measured as (
    select
        *,
        {{ dbt.datediff('latest_synced_at', dbt.dateadd('day', 1, as_of_date()), 'hour') }} as hours_since_sync
    from syncs
),

final as (
    select
        cast(source_table as {{ type_varchar() }}) as source_table,
        cast(loaded_at_field as {{ type_varchar() }}) as loaded_at_field,
        cast(latest_synced_at as {{ dbt.type_timestamp() }}) as latest_synced_at,
        cast(hours_since_sync as {{ dbt.type_int() }}) as hours_since_sync,
        cast(stale_after_hours as {{ type_double() }}) as stale_after_hours,
        coalesce(hours_since_sync > stale_after_hours, true) as is_stale,
        {{ as_of_date() }} as as_of_date
    from measured
)

select * from final
