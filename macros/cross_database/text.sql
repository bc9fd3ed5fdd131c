-- Text and regular expressions, the same on DuckDB, PostgreSQL and Spark.

-- The bare domain of a website or e-mail domain ('https://www.Acme.com/about' -> 'acme.com').
{% macro web_domain(expression) -%}
    nullif({{ dbt.split_part(
        "replace(replace(replace(lower(trim(" ~ expression ~ ")), 'https://', ''), 'http://', ''), 'www.', '')",
        "'/'", 1) }}, '')
{%- endmacro %}

-- The text of capture group `group` (0: the whole match) of the first match of a regular
-- expression, '' when it does not match (DuckDB's regexp_extract).
{% macro regexp_group(text, pattern, group) -%}
    {{ return(adapter.dispatch('regexp_group', 'client_success_intelligence')(text, pattern, group)) }}
{%- endmacro %}

{% macro default__regexp_group(text, pattern, group) -%}
    regexp_extract({{ text }}, {{ pattern }}, {{ group }})
{%- endmacro %}

{% macro postgres__regexp_group(text, pattern, group) -%}
    coalesce((regexp_match({{ text }}, '(' || {{ pattern }} || ')'))[{{ group + 1 }}], '')
{%- endmacro %}

-- Every match of a regular expression replaced.
{% macro regexp_replace_all(text, pattern, replacement) -%}
    {{ return(adapter.dispatch('regexp_replace_all', 'client_success_intelligence')(text, pattern, replacement)) }}
{%- endmacro %}

{% macro default__regexp_replace_all(text, pattern, replacement) -%}
    regexp_replace({{ text }}, {{ pattern }}, {{ replacement }}, 'g')
{%- endmacro %}

{% macro spark__regexp_replace_all(text, pattern, replacement) -%}
    regexp_replace({{ text }}, {{ pattern }}, {{ replacement }})
{%- endmacro %}

-- Trimmed lower-case text, how enums are compared and stored.
{% macro clean_text(column_name) -%}
    lower(trim({{ column_name }}))
{%- endmacro %}
-- The texts of a group joined by `delimiter` in ascending (binary) order, as an aggregate: the same
-- text on every engine whatever order the rows arrive in (Spark's listagg ignores an order by).
-- Meant for texts of one collation-neutral alphabet, such as hex digests.
{% macro sorted_text_agg(expression, delimiter) -%}
    {{ return(adapter.dispatch('sorted_text_agg', 'client_success_intelligence')(expression, delimiter)) }}
{%- endmacro %}

{% macro default__sorted_text_agg(expression, delimiter) -%}
    {{ dbt.listagg(expression, delimiter, 'order by ' ~ expression) }}
{%- endmacro %}

{% macro spark__sorted_text_agg(expression, delimiter) -%}
    array_join(array_sort(collect_list({{ expression }})), {{ delimiter }})
{%- endmacro %}
