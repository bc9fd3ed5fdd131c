-- Types and casts that DuckDB, PostgreSQL and Spark spell or behave differently.

-- A cast that yields NULL instead of failing on a malformed value (dbt.safe_cast raises on all engines).
{% macro safe_cast(expression, data_type) -%}
    {{ return(adapter.dispatch('safe_cast', 'client_success_intelligence')(expression, data_type)) }}
{%- endmacro %}

{% macro default__safe_cast(expression, data_type) -%}
    try_cast({{ expression }} as {{ data_type }})
{%- endmacro %}

{% macro postgres__safe_cast(expression, data_type) -%}
    {%- if data_type | lower in postgres_try_cast_types() -%}
    csi_try_cast_{{ data_type | lower | replace(' ', '_') }}(cast({{ expression }} as text))
    {%- else -%}
    {#- dbt's unit-test fixtures also call safe_cast, with any column type and valid values -#}
    cast({{ expression }} as {{ data_type }})
    {%- endif -%}
{%- endmacro %}

{% macro postgres_try_cast_types() -%}
    {{ return(['date', 'timestamp', 'integer', 'bigint', 'double precision', 'boolean']) }}
{%- endmacro %}

-- An 8-byte float (type_double() is a 4-byte FLOAT on DuckDB: too coarse for revenue).
{% macro type_double() -%}
    {{ return(adapter.dispatch('type_double', 'client_success_intelligence')()) }}
{%- endmacro %}

{% macro default__type_double() -%}double precision{%- endmacro %}

{% macro spark__type_double() -%}double{%- endmacro %}

-- The string type a contract's `varchar` means on each engine (dbt.type_string() is text on
-- PostgreSQL, which an incremental run with on_schema_change fail sees as a changed type).
{% macro type_varchar() -%}
    {{ return(adapter.dispatch('type_varchar', 'client_success_intelligence')()) }}
{%- endmacro %}

{% macro default__type_varchar() -%}{{ dbt.type_string() }}{%- endmacro %}

{% macro postgres__type_varchar() -%}varchar{%- endmacro %}

-- dbt.cast on Spark, which refuses a varchar without a length: a bare varchar (as the contracts
-- declare their text columns; dbt checks a contract by casting null to each declared type) is
-- Spark's string.
{% macro spark__cast(field, type) -%}
    cast({{ field }} as {{ 'string' if type | trim | lower == 'varchar' else type }})
{%- endmacro %}
