-- How a model that many tests and models read is kept: a table, computed once per build, except
-- while `csi replay` rebuilds history night by night (var `replaying`). A replayed night loads
-- that night's sync and rebuilds only the score's tables, so these stay views that read it.
{% macro table_unless_replaying() -%}
    {{ return('view' if var('replaying') else 'table') }}
{%- endmacro %}
