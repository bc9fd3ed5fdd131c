-- Each raw table's latest sync up to the end of the as-of date, by the column its freshness reads
-- (Fivetran's _fivetran_synced, the churn model's scored_at), beside the table's warn_after in
-- hours (the sources YAML): read straight from the source, for fct_stale_sources. NULL when the
-- table holds no row synced by then, or is an optional table the warehouse lacks.

with

final as (
    {%- for table in freshness_thresholds() %}
    select
        '{{ table.source }}' as source_name,
        '{{ table.table }}' as table_name,
        {{ table.hours }} as stale_after_hours,
        max({{ safe_cast(table.field, dbt.type_timestamp()) }}) as latest_synced_at
    from {{ landed_source(table.source, table.table) }}
    where {{ safe_cast(table.field, dbt.type_timestamp()) }} < {{ dbt.dateadd('day', 1, as_of_date()) }}
    {{ 'union all' if not loop.last }}
    {%- endfor %}
)

select * from final
