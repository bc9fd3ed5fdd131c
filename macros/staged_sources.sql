-- Every raw table with the base model that triages its rows and the columns of its primary key:
-- the list the quarantine and the reconciliation both read, so neither can miss a table.
{% macro staged_sources() -%}
    {{ return([
        {'source': 'salesforce', 'table': 'account', 'base_model': 'base_salesforce__accounts', 'key': ['account_id']},
        {'source': 'salesforce', 'table': 'contract', 'base_model': 'base_salesforce__contracts', 'key': ['contract_id']},
        {'source': 'salesforce', 'table': 'opportunity', 'base_model': 'base_salesforce__opportunities', 'key': ['opportunity_id']},
        {'source': 'salesforce', 'table': 'task', 'base_model': 'base_salesforce__tasks', 'key': ['task_id']},
        {'source': 'salesforce', 'table': 'event', 'base_model': 'base_salesforce__events', 'key': ['event_id']},
        {'source': 'salesforce', 'table': 'user', 'base_model': 'base_salesforce__users', 'key': ['user_id']},
        {'source': 'hubspot', 'table': 'company', 'base_model': 'base_hubspot__companies', 'key': ['company_id']},
        {'source': 'hubspot', 'table': 'contact', 'base_model': 'base_hubspot__contacts', 'key': ['contact_id']},
        {'source': 'hubspot', 'table': 'email_campaign', 'base_model': 'base_hubspot__email_campaigns', 'key': ['email_campaign_id']},
        {'source': 'hubspot', 'table': 'email_event', 'base_model': 'base_hubspot__email_events', 'key': ['email_event_id']},
        {'source': 'hubspot', 'table': 'engagement', 'base_model': 'base_hubspot__engagements', 'key': ['engagement_id']},
        {'source': 'product', 'table': 'usage_daily', 'base_model': 'base_product__usage_daily', 'key': ['account_id', 'usage_date']},
        {'source': 'product', 'table': 'user_activity_daily', 'base_model': 'base_product__user_activity_daily', 'key': ['user_id', 'activity_date']},
        {'source': 'support', 'table': 'ticket', 'base_model': 'base_support__tickets', 'key': ['ticket_id']},
        {'source': 'alchemer', 'table': 'survey_response', 'base_model': 'base_alchemer__survey_responses', 'key': ['survey_response_id']},
        {'source': 'ml', 'table': 'churn_prediction', 'base_model': 'base_ml__churn_predictions', 'key': ['contract_id']},
    ] | selectattr('source', 'in', enabled_sources()) | list) }}
{%- endmacro %}

-- The sources switched on by their <source>_enabled var (all by default).
{% macro enabled_sources() -%}
    {%- set enabled = [] -%}
    {%- for name in ['salesforce', 'hubspot', 'product', 'support', 'alchemer', 'ml'] -%}
        {%- if var(name ~ '_enabled', true) | string | lower not in ('false', '0', 'no') -%}
            {%- do enabled.append(name) -%}
        {%- endif -%}
    {%- endfor -%}
    {{ return(enabled) }}
{%- endmacro %}

-- A row's primary key as one text value ('acc-1', or 'acc-1|2026-01-31' for a composite key).
{% macro record_key(key_columns) -%}
    {%- set parts = [] -%}
    {%- for column in key_columns -%}
        {%- do parts.append('cast(' ~ column ~ ' as ' ~ dbt.type_string() ~ ')') -%}
        {%- if not loop.last %}{% do parts.append("'|'") %}{% endif -%}
    {%- endfor -%}
    {{ dbt.concat(parts) if parts | length > 1 else parts[0] }}
{%- endmacro %}

-- The columns of a raw table that may identify a person (meta personal_data in its sources YAML):
-- name -> 'identifier' (an e-mail address, a contact's name or title: published as a pseudonym) or
-- 'free_text' (text that may mention one: published with e-mail addresses and phone numbers scrubbed).
{% macro personal_fields(source_name, table_name) -%}
    {%- set fields = {} -%}
    {%- set node = source_node(source_name, table_name) -%}
    {%- for column in (node.columns.values() if node else []) if column.meta.get('personal_data') -%}
        {%- do fields.update({column.name: column.meta.personal_data}) -%}
    {%- endfor -%}
    {{ return(fields) }}
{%- endmacro %}
