-- Arithmetic and aggregates that differ between DuckDB, PostgreSQL and Spark: division, rounding,
-- median, the value at the smallest key.

-- Division that is always floating point (7/2 is 3 on PostgreSQL) and NULL when dividing by zero.
{% macro safe_divide(numerator, denominator) -%}
    cast({{ numerator }} as {{ type_double() }}) / nullif({{ denominator }}, 0)
{%- endmacro %}

-- The median of a numeric expression as an aggregate (DuckDB's median() is not portable).
{% macro median(expression) -%}
    {{ percentile(expression, 0.5) }}
{%- endmacro %}

-- A percentile (fraction 0 to 1, interpolated) of a numeric expression as an aggregate.
{% macro percentile(expression, fraction) -%}
    {{ return(adapter.dispatch('percentile', 'client_success_intelligence')(expression, fraction)) }}
{%- endmacro %}

{% macro default__percentile(expression, fraction) -%}
    percentile_cont({{ fraction }}) within group (order by {{ expression }})
{%- endmacro %}

{% macro spark__percentile(expression, fraction) -%}
    percentile({{ expression }}, {{ fraction }})
{%- endmacro %}

-- The value of `value` on the row with the smallest `key`, as an aggregate (DuckDB's min_by).
{% macro arg_min(value, key) -%}
    {{ return(adapter.dispatch('arg_min', 'client_success_intelligence')(value, key)) }}
{%- endmacro %}

{% macro default__arg_min(value, key) -%}
    min_by({{ value }}, {{ key }})
{%- endmacro %}

{% macro postgres__arg_min(value, key) -%}
    (array_agg({{ value }} order by {{ key }}))[1]
{%- endmacro %}

-- round(value, places) of a double as DuckDB rounds it: on the binary value, half away from zero
-- (72.115 is 72.11499... and rounds to 72.11). PostgreSQL's is the on-run-start hook's round;
-- Spark's round reads the double's shortest decimal text (72.115, rounded to 72.12).
{% macro round_double(value, places) -%}
    {{ return(adapter.dispatch('round_double', 'client_success_intelligence')(value, places)) }}
{%- endmacro %}

{% macro default__round_double(value, places) -%}
    round({{ value }}, {{ places }})
{%- endmacro %}

{% macro spark__round_double(value, places) -%}
    (sign({{ value }}) * floor(abs({{ value }}) * power(10, {{ places }}) + 0.5) / power(10, {{ places }}))
{%- endmacro %}
