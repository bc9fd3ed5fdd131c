-- Versioning the scoring configuration (int_health__configuration).

-- Each row of a relation as one text, `column=value` joined by '|', for a digest of its content:
-- numbers are written with six decimals and NULL as '~', so every engine writes the same text for
-- the same row. The columns are read from the warehouse when the model runs.
{% macro row_text(relation) -%}
    {%- set numeric_types = ['tinyint', 'smallint', 'int', 'integer', 'bigint', 'hugeint', 'real', 'float', 'double',
                             'double precision', 'decimal', 'numeric'] -%}
    {%- set fields = [] -%}
    {%- if execute -%}
        {%- for column in adapter.get_columns_in_relation(relation) -%}
            {%- set value = 'cast(' ~ adapter.quote(column.name) ~ ' as decimal(38, 6))'
                if (column.dtype | lower).split('(')[0] | trim in numeric_types else adapter.quote(column.name) -%}
            {%- do fields.append("'" ~ column.name ~ "=' || coalesce(cast(" ~ value ~ " as " ~ dbt.type_string() ~ "), '~')") -%}
        {%- endfor -%}
    {%- endif -%}
    {{ fields | join(" || '|' || ") if fields else "''" }}
{%- endmacro %}
