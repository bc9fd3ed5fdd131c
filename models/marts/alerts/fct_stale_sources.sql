-- Every source's freshness as of the as-of date: the latest sync of any of its tables up to the end
-- of that day (by the column its freshness reads: Fivetran's _fivetran_synced, the churn model's
-- scored_at), the hours from then to the end of the as-of date, and whether that is past the
-- source's warn_after (the sources YAML, which `dbt source freshness` checks; the smallest of its
-- tables'). A sync writes only the rows that changed, so one quiet table (no e-mail events sent
-- that night) says nothing; a connector none of whose tables synced is stale.
-- Measured against the as-of date, never the wall clock, so a replayed night reproduces it. A stale
-- source is not an account alert: the dashboard names it in a banner. The syncs are read from the
-- raw tables in staging (stg_raw__latest_syncs).

with

syncs as (
    select * from {{ ref('stg_raw__latest_syncs') }}
),

sources as (
    select
        source_name,
        max(latest_synced_at) as latest_synced_at,
        min(stale_after_hours) as stale_after_hours
    from syncs
    group by source_name
),

latest_tables as (
    select
        syncs.source_name,
        min(syncs.table_name) as latest_table
    from syncs
    inner join sources
        on syncs.source_name = sources.source_name
        and syncs.latest_synced_at = sources.latest_synced_at
    group by syncs.source_name
),

measured as (
    select
        sources.*,
        latest_tables.latest_table,
        {{ dbt.datediff('sources.latest_synced_at', dbt.dateadd('day', 1, as_of_date()), 'hour') }} as hours_since_sync
    from sources
    left join latest_tables
        on sources.source_name = latest_tables.source_name
),

final as (
    select
        cast(source_name as {{ type_varchar() }}) as source_name,
        cast(latest_table as {{ type_varchar() }}) as latest_table,
        cast(latest_synced_at as {{ dbt.type_timestamp() }}) as latest_synced_at,
        cast(hours_since_sync as {{ dbt.type_int() }}) as hours_since_sync,
        cast(stale_after_hours as {{ type_double() }}) as stale_after_hours,
        coalesce(hours_since_sync > stale_after_hours, true) as is_stale,
        {{ as_of_date() }} as as_of_date
    from measured
)

select * from final
