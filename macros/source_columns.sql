-- The declared columns of a source table (its YAML), under our names and typed as declared whatever
-- the loader landed, followed by unparseable_columns: the names of the columns whose value was
-- present but does not parse as its declared type (comma-separated; NULL when every value parsed),
-- which the base models quarantine as unparseable_value. A column landed as its declared type (a
-- Parquet load) is taken as it is, with no check compiled; one landed otherwise (a CSV load lands
-- text) is cast with safe_cast and checked.
-- A real sync may name our custom fields differently (var <source>_custom_fields maps ours to theirs) or lack them: a
-- missing column is selected as a typed NULL, the way the Fivetran packages fill staging columns.
-- Only declared columns are selected, however many the warehouse table has. In a dbt unit test the
-- source is a fixture CTE built from the raw table's own columns and types and `graph` is empty:
-- select * then, checking nothing (renames do not apply there: fixtures use our column names).
{% macro source_columns(source_name, table_name) -%}
    {%- set columns = landed_columns(source_name, table_name) -%}
    {%- if columns is none -%}
        *, cast(null as {{ dbt.type_string() }}) as unparseable_columns
    {%- else -%}
        {%- set checked = [] -%}
        {%- for column in columns -%}
            {%- if column.landed is none -%}
            cast(null as {{ column.type }}) as {{ column.name }},
            {%- elif column.parse -%}
            {{ safe_cast(column.landed, column.type) }} as {{ column.name }},
            {%- do checked.append("case when " ~ column.landed ~ " is not null and " ~ safe_cast(column.landed, column.type)
                ~ " is null then '" ~ column.name ~ "' end") -%}
            {%- else -%}
            cast({{ column.landed }} as {{ column.type }}) as {{ column.name }},
            {%- endif %}
        {% endfor -%}
        {%- if checked -%}
        nullif(concat_ws(', ', {{ checked | join(', ') }}), '') as unparseable_columns
        {%- else -%}
        cast(null as {{ dbt.type_string() }}) as unparseable_columns
        {%- endif -%}
    {%- endif -%}
{%- endmacro %}

-- The named columns of a source table as they landed (renamed and missing custom fields resolved as
-- in source_columns), as raw_row_of keeps them: a value that does not parse shows as it arrived.
{% macro landed_row(source_name, table_name, column_names) -%}
    {%- set columns = landed_columns(source_name, table_name) or [] -%}
    {%- set fields = [] -%}
    {%- for name in column_names -%}
        {%- set column = columns | selectattr('name', 'equalto', name) | first -%}
        {%- if not column -%}
            {%- do fields.append([name, name]) -%}
        {%- elif column.landed is none -%}
            {%- do fields.append([name, 'cast(null as ' ~ column.type ~ ')']) -%}
        {%- else -%}
            {%- do fields.append([name, column.landed]) -%}
        {%- endif -%}
    {%- endfor -%}
    {{ raw_row_of(fields) }}
{%- endmacro %}

-- Each declared column of a source table: our name, its type on this engine, the expression that
-- reads it as landed (NULL when the table lacks it) and whether its value must be parsed (landed as
-- another type than declared). None where the declared columns cannot be read (a unit test).
{% macro landed_columns(source_name, table_name) -%}
    {%- set node = source_node(source_name, table_name) -%}
    {%- if not node -%}
        {{ return(none) }}
    {%- endif -%}
    {%- set renames = var(source_name ~ '_custom_fields', {}) -%}
    {%- set landed_types = {} -%}
    {%- for column in adapter.get_columns_in_relation(source(source_name, table_name)) -%}
        {%- do landed_types.update({column.name | lower: column.dtype | lower}) -%}
    {%- endfor -%}
    {#- No columns found means the relation cannot be introspected: take every declared column as
        landed with its declared type then. -#}
    {%- set introspected = landed_types | length > 0 -%}
    {%- set columns = [] -%}
    {%- for column in node.columns.values() -%}
        {%- set landed_as = renames.get(column.name, column.name) -%}
        {%- set landed_type = landed_types.get(landed_as | lower) -%}
        {%- do columns.append({
            'name': column.name,
            'type': portable_type(column.data_type),
            'landed': (adapter.quote(landed_as) if landed_as != column.name else landed_as)
                if landed_type or not introspected else none,
            'parse': landed_type is not none and column.data_type != 'varchar'
                and not is_declared_type(landed_type, column.data_type),
        }) -%}
    {%- endfor -%}
    {{ return(columns) }}
{%- endmacro %}

-- Whether a type the engine reports for a landed column is the declared one (DuckDB, PostgreSQL
-- and Spark spell some types differently).
{% macro is_declared_type(landed_type, declared_type) -%}
    {%- set spellings = {
        'int': 'integer', 'int4': 'integer', 'int8': 'bigint', 'double precision': 'double', 'float8': 'double',
        'bool': 'boolean', 'timestamp without time zone': 'timestamp'} -%}
    {{ return(spellings.get(landed_type, landed_type) == declared_type) }}
{%- endmacro %}

{% macro portable_type(declared_type) -%}
    {%- set types = {
        'varchar': dbt.type_string(), 'integer': dbt.type_int(), 'bigint': dbt.type_bigint(),
        'double': type_double(), 'boolean': dbt.type_boolean(), 'date': 'date',
        'timestamp': dbt.type_timestamp()} -%}
    {{- types.get(declared_type, declared_type) -}}
{%- endmacro %}

-- A source table's node in the graph (its YAML: columns, meta); none while parsing and in a dbt
-- unit test, where `graph` is empty.
{% macro source_node(source_name, table_name) -%}
    {{ return((graph.get('sources') or {}).values() | selectattr('source_name', 'equalto', source_name)
        | selectattr('name', 'equalto', table_name) | first if execute else none) }}
{%- endmacro %}

-- Whether a source table can be read: false only for a table its sources YAML marks optional
-- (meta optional: true) that the warehouse does not have. Missing data is not bad data: a table an
-- export may not provide is read as empty then (landed_source), and a warning says so
-- (test optional_table_landed).
{% macro source_landed(source_name, table_name) -%}
    {%- set node = source_node(source_name, table_name) -%}
    {%- if not node or not node.config.meta.get('optional') -%}
        {{ return(true) }}
    {%- endif -%}
    {{ return(load_relation(source(source_name, table_name)) is not none) }}
{%- endmacro %}

-- What to read a source table from: the table itself, or no rows with its declared columns where an
-- optional table has not landed (source_landed). Used in place of source() after `from`, without an
-- alias of the caller's.
{% macro landed_source(source_name, table_name) -%}
    {%- set relation = source(source_name, table_name) -%}
    {%- if source_landed(source_name, table_name) -%}
        {{ return(relation) }}
    {%- endif -%}
    {%- set columns = [] -%}
    {%- for column in source_node(source_name, table_name).columns.values() -%}
        {%- do columns.append('cast(null as ' ~ portable_type(column.data_type) ~ ') as ' ~ column.name) -%}
    {%- endfor -%}
    {{ return('(select ' ~ columns | join(', ') ~ ' where 1 = 0) as ' ~ table_name) }}
{%- endmacro %}
