-- Small dispatched shims for SQL that differs between DuckDB, PostgreSQL and Spark.

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

-- A raw row as it landed from [name, expression] pairs, kept beside the typed columns. DuckDB keeps a
-- struct (building JSON text for every row of a large table cost more than the rest of its staging)
-- and compares rows by a hash of it; PostgreSQL and Spark keep and compare JSON text.
{% macro raw_row_of(fields) -%}
    {{ return(adapter.dispatch('raw_row_of', 'client_success_intelligence')(fields)) }}
{%- endmacro %}

{% macro duckdb__raw_row_of(fields) -%}
    struct_pack({% for name, expression in fields %}{{ name }} := {{ expression }}{{ ', ' if not loop.last }}{% endfor %})
{%- endmacro %}

{% macro default__raw_row_of(fields) -%}
    cast(json_build_object({% for name, expression in fields %}'{{ name }}', {{ expression }}{{ ', ' if not loop.last }}{% endfor %}) as text)
{%- endmacro %}

{#- Spark's to_json leaves out null fields and cuts timestamps to milliseconds unless told. -#}
{% macro spark__raw_row_of(fields) -%}
    to_json(
        named_struct({% for name, expression in fields %}'{{ name }}', {{ expression }}{{ ', ' if not loop.last }}{% endfor %}),
        map('ignoreNullFields', 'false', 'timestampFormat', "yyyy-MM-dd'T'HH:mm:ss.SSSSSS")
    )
{%- endmacro %}

-- A raw_row_of value as JSON text.
{% macro raw_row_json(raw_row) -%}
    {{ return(adapter.dispatch('raw_row_json', 'client_success_intelligence')(raw_row)) }}
{%- endmacro %}

{% macro default__raw_row_json(raw_row) -%}
    {{ raw_row }}
{%- endmacro %}

{% macro duckdb__raw_row_json(raw_row) -%}
    cast(to_json({{ raw_row }}) as {{ dbt.type_string() }})
{%- endmacro %}

-- A raw_row_of value as JSON text to publish: each field in `fields` may identify a person and is
-- masked as its kind says (personal_fields); the others show as they arrived.
{% macro published_raw_row(raw_row, fields) -%}
    {{ return(adapter.dispatch('published_raw_row', 'client_success_intelligence')(raw_row, fields)) }}
{%- endmacro %}

{% macro duckdb__published_raw_row(raw_row, fields) -%}
    {%- set masked = [] -%}
    {%- for name, kind in fields.items() -%}
        {%- do masked.append(name ~ ' := ' ~ masked_value("struct_extract(" ~ raw_row ~ ", '" ~ name ~ "')", kind)) -%}
    {%- endfor -%}
    {{ raw_row_json('struct_update(' ~ raw_row ~ ', ' ~ masked | join(', ') ~ ')' if masked else raw_row) }}
{%- endmacro %}

{% macro default__published_raw_row(raw_row, fields) -%}
    {%- if fields -%}
    cast(cast({{ raw_row }} as jsonb) || jsonb_build_object(
        {%- for name, kind in fields.items() %}
        '{{ name }}', {{ masked_value("cast(" ~ raw_row ~ " as jsonb) ->> '" ~ name ~ "'", kind) }}{{ ',' if not loop.last }}
        {%- endfor %}
    ) as text)
    {%- else -%}
    {{ raw_row }}
    {%- endif -%}
{%- endmacro %}

{#- Spark has no JSON update: the row is read as a map of texts (numbers become JSON strings). -#}
{% macro spark__published_raw_row(raw_row, fields) -%}
    {%- if fields -%}
    to_json(transform_values(from_json({{ raw_row }}, 'map<string, string>'), (field_name, field_value) -> case field_name
        {%- for name, kind in fields.items() %}
        when '{{ name }}' then {{ masked_value('field_value', kind) }}
        {%- endfor %}
        else field_value end))
    {%- else -%}
    {{ raw_row }}
    {%- endif -%}
{%- endmacro %}

{% macro masked_value(value, kind) -%}
    {{ pseudonym(value) if kind == 'identifier' else scrub_contact_details('cast(' ~ value ~ ' as ' ~ dbt.type_string() ~ ')') }}
{%- endmacro %}

-- A raw_row_of value in a form that orders and compares rows by their content.
{% macro raw_row_digest(raw_row) -%}
    {{ return(adapter.dispatch('raw_row_digest', 'client_success_intelligence')(raw_row)) }}
{%- endmacro %}

{% macro default__raw_row_digest(raw_row) -%}
    {{ raw_row }}
{%- endmacro %}

{% macro duckdb__raw_row_digest(raw_row) -%}
    hash({{ raw_row }})
{%- endmacro %}

-- Division that is always floating point (7/2 is 3 on PostgreSQL) and NULL when dividing by zero.
{% macro safe_divide(numerator, denominator) -%}
    cast({{ numerator }} as {{ type_double() }}) / nullif({{ denominator }}, 0)
{%- endmacro %}

-- The bare domain of a website or e-mail domain ('https://www.Acme.com/about' -> 'acme.com').
{% macro web_domain(expression) -%}
    nullif({{ dbt.split_part(
        "replace(replace(replace(lower(trim(" ~ expression ~ ")), 'https://', ''), 'http://', ''), 'www.', '')",
        "'/'", 1) }}, '')
{%- endmacro %}

-- An 8-byte float (type_double() is a 4-byte FLOAT on DuckDB: too coarse for revenue).
{% macro type_double() -%}
    {{ return(adapter.dispatch('type_double', 'client_success_intelligence')()) }}
{%- endmacro %}

{% macro default__type_double() -%}double precision{%- endmacro %}

{% macro spark__type_double() -%}double{%- endmacro %}

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

-- The string type a contract's `varchar` means on each engine (dbt.type_string() is text on
-- PostgreSQL, which an incremental run with on_schema_change fail sees as a changed type).
{% macro type_varchar() -%}
    {{ return(adapter.dispatch('type_varchar', 'client_success_intelligence')()) }}
{%- endmacro %}

{% macro default__type_varchar() -%}{{ dbt.type_string() }}{%- endmacro %}

{% macro postgres__type_varchar() -%}varchar{%- endmacro %}

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

-- True on Monday to Friday.
{% macro is_weekday(day) -%}
    {{ return(adapter.dispatch('is_weekday', 'client_success_intelligence')(day)) }}
{%- endmacro %}

{% macro default__is_weekday(day) -%}
    extract(dow from {{ day }}) not in (0, 6)
{%- endmacro %}

{% macro spark__is_weekday(day) -%}
    dayofweek({{ day }}) not in (1, 7)
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

-- dbt.cast on Spark, which refuses a varchar without a length: a bare varchar (as the contracts
-- declare their text columns; dbt checks a contract by casting null to each declared type) is
-- Spark's string.
{% macro spark__cast(field, type) -%}
    cast({{ field }} as {{ 'string' if type | trim | lower == 'varchar' else type }})
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

-- dbt.datediff in months on Spark as DuckDB and PostgreSQL count them, the calendar month
-- boundaries crossed: dbt-spark's counts one too many when both dates end their month and the
-- later one's day is smaller (2022-05-31 to 2026-06-30: 50, not 49). Other dateparts are dbt-spark's.
{% macro spark__datediff(first_date, second_date, datepart) -%}
    {%- if datepart | lower == 'month' -%}
    ((year({{ second_date }}) - year({{ first_date }})) * 12 + month({{ second_date }}) - month({{ first_date }}))
    {%- else -%}
    {{ dbt.spark__datediff(first_date, second_date, datepart) }}
    {%- endif -%}
{%- endmacro %}

-- Text with every e-mail address and phone number in it replaced by [e-mail] and [phone]: free
-- text that may mention a contact (an activity's subject, a ticket's title) before it is published.
-- The patterns avoid backslashes, which Spark's string literals would read as escapes.
{% macro scrub_contact_details(text) -%}
    {%- set email = "[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+[.][A-Za-z]{2,}" -%}
    {%- set phone = "([+][0-9]{1,3}[ .-]?)?([(][0-9]{2,4}[)]|[0-9]{2,4})[ .-]?[0-9]{3,4}[ .-][0-9]{3,4}" -%}
    {{ regexp_replace_all(regexp_replace_all(text, "'" ~ email ~ "'", "'[e-mail]'"), "'" ~ phone ~ "'", "'[phone]'") }}
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

-- A value that identifies a person, published as the MD5 of its trimmed lower-case text: the same
-- value always gives the same pseudonym (a data steward matches it with the staged value's hash),
-- and the value itself never leaves the warehouse.
{% macro pseudonym(value) -%}
    {{ dbt.hash(clean_text('cast(' ~ value ~ ' as ' ~ dbt.type_string() ~ ')')) }}
{%- endmacro %}
