-- For every raw table, where each of its rows went: staged, deduplicated, deleted or quarantined.
-- The counts come from three places (the raw table's own count in stg_raw__row_counts, the staging
-- model, the triage) so the reconciliation test catches a row that staging lost or counted twice.

with

raw_counts as (
    select * from {{ ref('stg_raw__row_counts') }}
),

{% for staged in staged_sources() %}
{{ staged.base_model }}_triage as (
    select
        sum(case when disposition = 'deduplicated' then 1 else 0 end) as deduplicated_rows,
        sum(case when disposition = 'deleted' then 1 else 0 end) as deleted_rows,
        sum(case when disposition = 'quarantined' then 1 else 0 end) as quarantined_rows
    from {{ ref(staged.base_model) }}
),

{{ staged.base_model }}_staged as (
    select count(*) as staged_rows
    from {{ ref(staged.base_model | replace('base_', 'stg_', 1)) }}
),

{% endfor %}
counted as (
    {% for staged in staged_sources() %}
    select
        raw_counts.source_table,
        raw_counts.raw_rows,
        staged_counts.staged_rows,
        coalesce(triage_counts.deduplicated_rows, 0) as deduplicated_rows,
        coalesce(triage_counts.deleted_rows, 0) as deleted_rows,
        coalesce(triage_counts.quarantined_rows, 0) as quarantined_rows
    from raw_counts
    cross join {{ staged.base_model }}_triage as triage_counts
    cross join {{ staged.base_model }}_staged as staged_counts
    where raw_counts.source_table = '{{ staged.source }}.{{ staged.table }}'
    {% if not loop.last %}union all{% endif %}
    {% endfor %}
),

final as (
    select
        source_table,
        cast(raw_rows as {{ dbt.type_bigint() }}) as raw_rows,
        cast(staged_rows as {{ dbt.type_bigint() }}) as staged_rows,
        cast(deduplicated_rows as {{ dbt.type_bigint() }}) as deduplicated_rows,
        cast(deleted_rows as {{ dbt.type_bigint() }}) as deleted_rows,
        cast(quarantined_rows as {{ dbt.type_bigint() }}) as quarantined_rows,
        cast(raw_rows - (staged_rows + deduplicated_rows + deleted_rows + quarantined_rows) as {{ dbt.type_bigint() }})
            as unaccounted_rows
    from counted
)

select * from final
