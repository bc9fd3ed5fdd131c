-- Schemas are exactly the layer names (staging, intermediate, marts, snapshots, seeds), not
-- dbt's default <target_schema>_<custom>, so BI tools and users find them where the docs say.
{% macro generate_schema_name(custom_schema_name, node) -%}
    {%- if custom_schema_name is none -%}
        {{ target.schema }}
    {%- else -%}
        {{ custom_schema_name | trim }}
    {%- endif -%}
{%- endmacro %}
