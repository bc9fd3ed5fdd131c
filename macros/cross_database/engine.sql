-- What one engine needs and the others do not: the functions and types PostgreSQL lacks (an
-- on-run-start hook), hints on materialising a CTE, PostgreSQL's JIT.

-- What PostgreSQL lacks, created by an on-run-start hook so every run on a fresh database has it:
-- the csi_try_cast_<type>(text) functions postgres__safe_cast calls (no try_cast), types named
-- `double` and `string` (seeds' column_types declare double and string, as DuckDB and Spark spell
-- them: Spark refuses a varchar without a length; the contracts declare double), and
-- round(double precision, integer) (PostgreSQL rounds only numeric to a number of places), on the
-- binary value, half away from zero, as DuckDB does (72.115 is 72.1149... and rounds to 72.11).
{% macro create_engine_helpers() -%}
    {{ return(adapter.dispatch('create_engine_helpers', 'client_success_intelligence')()) }}
{%- endmacro %}

{% macro default__create_engine_helpers() -%}
    select 1
{%- endmacro %}

{% macro postgres__create_engine_helpers() -%}
    do $$ begin
        create domain double as double precision;
    exception when duplicate_object then null;
    end $$;
    do $$ begin
        create domain string as varchar;
    exception when duplicate_object then null;
    end $$;
    create or replace function round(value double precision, places integer)
    returns double precision language sql immutable as $$
        select sign(value) * floor(abs(value) * power(10, places) + 0.5) / power(10, places)
    $$;
    {%- for data_type in postgres_try_cast_types() %}
    create or replace function csi_try_cast_{{ data_type | replace(' ', '_') }}(value text)
    returns {{ data_type }} language plpgsql immutable as $$
    begin
        return cast(value as {{ data_type }});
    exception when others then
        return null;
    end;
    $$;
    {%- endfor %}
{%- endmacro %}

-- Written after `as` in a CTE whose columns the next CTE names many times: PostgreSQL inlines a
-- CTE read once into its reader and repeats the CTE's expression wherever the reader names the
-- column, and the toolkit's Python-rounding macros name their argument some twenty times, so
-- nested roundings multiply into an expression PostgreSQL cannot finish evaluating. MATERIALIZED
-- computes the CTE once; DuckDB needs no hint.
{% macro materialized_cte() -%}
    {{ return(adapter.dispatch('materialized_cte', 'client_success_intelligence')()) }}
{%- endmacro %}

{% macro default__materialized_cte() -%}{%- endmacro %}

{% macro postgres__materialized_cte() -%}materialized{%- endmacro %}

-- The opposite hint, also written after `as`: DuckDB materialises a CTE read more than once. The
-- base models' triage reads their checked rows three times; held in memory, a large raw table
-- spilled tens of gigabytes at 1M accounts, while reading and checking the rows again costs less
-- than writing them out (at 100K: 5.8 GB -> 1.6 GB peak for the e-mail events, and 8 % less CPU).
-- PostgreSQL inlines or materialises as it sees fit.
{% macro not_materialized() -%}
    {{ return(adapter.dispatch('not_materialized', 'client_success_intelligence')()) }}
{%- endmacro %}

{% macro default__not_materialized() -%}{%- endmacro %}

{% macro duckdb__not_materialized() -%}not materialized{%- endmacro %}

-- A pre-hook for models whose SQL is long expressions over few rows (the toolkit's Python-exact
-- rounding): PostgreSQL's JIT would spend seconds compiling each of them. Nothing elsewhere.
{% macro without_jit() -%}
    {{ return(adapter.dispatch('without_jit', 'client_success_intelligence')()) }}
{%- endmacro %}

{% macro default__without_jit() -%}{%- endmacro %}

{% macro postgres__without_jit() -%}set local jit = off{%- endmacro %}
