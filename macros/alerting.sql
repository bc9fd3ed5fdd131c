-- The alert delivery ledger and the CSMs' acknowledgements: tables `csi alerts send` and
-- `csi alerts ack` write (schema alerting, never published: the ledger names e-mail addresses).
-- Created empty by every dbt run (on-run-start; one statement per query, as Spark runs them) so the
-- models that read them build on any warehouse, whether alerts were ever sent or not.

{% macro alerting_table(name) -%}
    {{ return(api.Relation.create(database=target.database, schema='alerting', identifier=name)) }}
{%- endmacro %}

{% macro create_alerting_tables() -%}
    {%- if execute -%}
        {%- set table_format = ' using ' ~ env_var('CSI_SPARK_FILE_FORMAT', 'delta') if target.type == 'spark' else '' -%}
        {%- do run_query('create schema if not exists ' ~ alerting_table('delivery_ledger').include(identifier=false)) -%}
        {%- do run_query('create table if not exists ' ~ alerting_table('delivery_ledger') ~ ' (
            delivery_id ' ~ dbt.type_string() ~ ',
            alert_id ' ~ dbt.type_string() ~ ',
            account_id ' ~ dbt.type_string() ~ ',
            alert_date date,
            alert_type ' ~ dbt.type_string() ~ ',
            event ' ~ dbt.type_string() ~ ',
            channel ' ~ dbt.type_string() ~ ',
            recipient_role ' ~ dbt.type_string() ~ ',
            recipient ' ~ dbt.type_string() ~ ',
            digest_id ' ~ dbt.type_string() ~ ',
            attempt ' ~ dbt.type_int() ~ ',
            status ' ~ dbt.type_string() ~ ',
            error ' ~ dbt.type_string() ~ ',
            attempted_at ' ~ dbt.type_timestamp() ~ ',
            as_of_date date
        )' ~ table_format) -%}
        {%- do run_query('create table if not exists ' ~ alerting_table('acknowledgements') ~ ' (
            alert_id ' ~ dbt.type_string() ~ ',
            acknowledged_at ' ~ dbt.type_timestamp() ~ ',
            snoozed_until date
        )' ~ table_format) -%}
    {%- endif -%}
    select 1
{%- endmacro %}

-- Every raw table with the column its freshness reads and its warn_after in hours, from the
-- sources YAML (what `dbt source freshness` checks). The graph is read when the model runs; while
-- parsing, every table is listed with a placeholder so that dbt records the sources the model reads.
{% macro freshness_thresholds() -%}
    {%- set hours_per = {'minute': 1 / 60, 'hour': 1, 'day': 24} -%}
    {%- set thresholds = [] -%}
    {%- for staged in staged_sources() -%}
        {%- set node = (graph.sources.values() | selectattr('source_name', 'equalto', staged.source)
            | selectattr('name', 'equalto', staged.table) | first) if execute else none -%}
        {%- set warn_after = node.freshness.warn_after if node else {'count': 1, 'period': 'day'} -%}
        {%- do thresholds.append({
            'source': staged.source,
            'table': staged.table,
            'field': node.loaded_at_field if node else '_fivetran_synced',
            'hours': hours_per[warn_after.period] * warn_after.count,
        }) -%}
    {%- endfor -%}
    {{ return(thresholds) }}
{%- endmacro %}
