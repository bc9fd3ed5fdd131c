-- `expression as name` for a select list a loop writes, or the bare column where the expression is
-- that column already (a self-alias such as `segment as segment` is noise to a reader and to sqlfluff).
{% macro column_as(expression, name) -%}
    {{ expression if expression == name else expression ~ ' as ' ~ name }}
{%- endmacro %}
