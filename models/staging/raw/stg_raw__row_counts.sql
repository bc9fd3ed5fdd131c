-- Rows in each raw table as it landed, counted straight from the source: the count the
-- reconciliation holds against what the triage and the stg_ models made of them, taken apart from
-- both so it catches a row staging lost or counted twice. An optional table the warehouse lacks
-- counts no rows.

with

final as (
    {% for staged in staged_sources() %}
    select
        '{{ staged.source }}.{{ staged.table }}' as source_table,
        count(*) as raw_rows
    from {{ landed_source(staged.source, staged.table) }}
    {% if not loop.last %}union all{% endif %}
    {% endfor %}
)

select * from final
