-- Every raw row staging refused, with its table, key, the rule it broke and the row as it arrived,
-- less what may identify a person (the sources' personal_data columns): this mart is published to
-- every BI user, while the base models in staging keep the row whole for a data steward.

with

{% for staged in staged_sources() %}
{{ staged.base_model }} as (
    select * from {{ ref(staged.base_model) }}
    where disposition = 'quarantined'
),

{% endfor %}
quarantined as (
    {% for staged in staged_sources() %}
    select
        '{{ staged.source }}.{{ staged.table }}' as source_table,
        {{ record_key(staged.key) }} as record_key,
        rejection_rule,
        unparseable_columns,
        _fivetran_synced,
        {#- A table without personal fields publishes its raw row as it is. #}
        {%- set published = published_raw_row('raw_row', personal_fields(staged.source, staged.table)) | trim %}
        {{ published }}{{ ' as raw_row' if published != 'raw_row' }}
    from {{ staged.base_model }}
    {% if not loop.last %}union all{% endif %}
    {% endfor %}
),

final as (
    select
        {{ dbt.concat([
            'source_table', "':'",
            'cast(row_number() over (partition by source_table order by record_key, raw_row) as ' ~ dbt.type_string() ~ ')'
        ]) }} as quarantined_row_id,
        source_table,
        record_key,
        rejection_rule,
        unparseable_columns,
        _fivetran_synced,
        raw_row
    from quarantined
)

select * from final
