-- Base models that call this are tables: the triage is the costly step, and the stg view, the
-- quarantine and the reconciliation all read its result. Only keys with several rows that passed
-- their checks (well under 1 % of a large table) go through the window functions; every other row
-- is its key's only version.
--
-- The one rule for what becomes of a raw row once its own checks have set `quarantine_rule`:
--   quarantined   it failed a check, or it ties at its key's latest sync with a version that differs
--   deduplicated  a later version of the same key superseded it
--   deleted       it is the latest version and the source marks it deleted
--   staged        otherwise: the row staging keeps
-- The checked CTE must have the key columns, _fivetran_synced, is_deleted_at_source,
-- quarantine_rule (NULL when the row passed) and raw_row (landed_row: its columns as they landed).
-- The base models declare it and their source CTE not_materialized().
--
-- In an incremental base model a run triages again only the rows whose outcome can have changed:
-- every raw row of a key that received a row since the last run (less a lookback for late syncs)
-- or holds a row whose sync time did not parse (it cannot say when it came), of a key whose parent
-- was missing last time, and new rows without a key. The result then equals
-- a full refresh. A change of the accepted_source_values seed needs `--full-refresh`.
{% macro triage(checked_cte, key_columns) -%}
{%- set row_keys = [] -%}
{%- for key in key_columns -%}
    {%- do row_keys.append('checked_rows.' ~ key) -%}
{%- endfor -%}
{%- set matched = matched_keys(key_columns) -%}
{%- set same_key = [] -%}
{%- for expression in matched_keys(row_keys) -%}
    {%- do same_key.append('repeated_keys.matched_key_' ~ loop.index ~ ' = ' ~ expression) -%}
{%- endfor -%}
{#- A unit test without a `this` input has no relation to ask is_incremental() about. #}
{%- if this is not none and is_incremental() %}
{{ changed_rows(checked_cte, key_columns) }},
{%- set checked_cte = 'changed_rows' %}
{%- endif %}
-- Keys with more than one row that passed its checks: the only rows whose versions need comparing
-- (a small share of a large table, so the window functions run on those alone), as matched_keys.
repeated_keys as (
    select {% for expression in matched %}{{ expression }} as matched_key_{{ loop.index }}{{ ', ' if not loop.last }}{% endfor %}
    from {{ checked_cte }}
    where quarantine_rule is null
    group by {{ matched | join(', ') }}
    having count(*) > 1
),

-- A row that failed a check, or its key's only row that passed: its own checks decide.
single_versions as (
    select
        checked_rows.*,
        {{ triage_outcome() }}
    from {{ checked_cte }} as checked_rows
    left join repeated_keys
        on checked_rows.quarantine_rule is null
        and {{ same_key | join('\n        and ') }}
    where repeated_keys.matched_key_1 is null
),

-- The versions of a repeated key: the latest sync wins; rows of the latest sync that differ in
-- content conflict; an earlier version is superseded. The comparison feeds the outcome directly, not
-- through columns: every base table row would carry them to disk.
{%- set by_key = 'partition by ' ~ row_keys | join(', ') %}
{%- set digest = raw_row_digest('checked_rows.raw_row') %}
{%- set by_sync = by_key ~ ', checked_rows._fivetran_synced' %}
compared_versions as (
    select
        checked_rows.*,
        {{ triage_outcome(
            conflicts_at_latest_sync='checked_rows._fivetran_synced = max(checked_rows._fivetran_synced) over (' ~ by_key ~ ')'
                ~ ' and min(' ~ digest ~ ') over (' ~ by_sync ~ ') <> max(' ~ digest ~ ') over (' ~ by_sync ~ ')',
            superseded='row_number() over (' ~ by_key ~ ' order by checked_rows._fivetran_synced desc, ' ~ digest ~ ' asc) > 1') }}
    from {{ checked_cte }} as checked_rows
    inner join repeated_keys
        on checked_rows.quarantine_rule is null
        and {{ same_key | join('\n        and ') }}
),

dispositions as (
    select * from single_versions
    union all
    select * from compared_versions
),

triaged as (
    select {{ raw_row_where_quarantined('dispositions') }}
    from dispositions
)
{%- endmacro %}

-- The one rule above, as rejection_rule and disposition. A repeated key's row says whether it
-- conflicts with another version at the key's latest sync and whether a later version superseded
-- it; a key's only version does neither.
{% macro triage_outcome(conflicts_at_latest_sync=none, superseded=none) -%}
    {%- if conflicts_at_latest_sync -%}
        case
            when checked_rows.quarantine_rule is not null then checked_rows.quarantine_rule
            when {{ conflicts_at_latest_sync }} then 'unresolvable_duplicate'
        end as rejection_rule,
    {%- else -%}
        checked_rows.quarantine_rule as rejection_rule,
    {%- endif %}
        case
            when checked_rows.quarantine_rule is not null then 'quarantined'
            {%- if conflicts_at_latest_sync %}
            when {{ conflicts_at_latest_sync }} then 'quarantined'
            {%- endif %}
            {%- if superseded %}
            when {{ superseded }} then 'deduplicated'
            {%- endif %}
            when checked_rows.is_deleted_at_source then 'deleted'
            else 'staged'
        end as disposition
{%- endmacro %}

-- The expressions that find and match a repeated key's rows. On DuckDB one hash of the key columns:
-- grouping and joining 15 million e-mail events on one integer instead of their text ids took a
-- tenth off their base model. A hash that two keys share only sends both keys' rows to the version
-- comparison, which partitions by the key itself: a key's only version comes out of it as it would
-- from single_versions.
{% macro matched_keys(key_columns) -%}
    {{ return(adapter.dispatch('matched_keys', 'client_success_intelligence')(key_columns)) }}
{%- endmacro %}

{% macro default__matched_keys(key_columns) -%}
    {{ return(key_columns) }}
{%- endmacro %}

{% macro duckdb__matched_keys(key_columns) -%}
    {{ return(['hash(' ~ key_columns | join(', ') ~ ')']) }}
{%- endmacro %}

{% macro changed_rows(checked_cte, key_columns) -%}
{%- set has_key = key_columns | join(' is not null and ') ~ ' is not null' -%}
last_run as (
    select
        max(_fivetran_synced) as last_synced,
        {{ dbt.dateadd('day', -var('incremental_lookback_days'), 'max(_fivetran_synced)') }} as lookback_from
    from {{ this }}
),

changed_keys as (
    select {{ key_columns | join(', ') }}
    from {{ checked_cte }}
    where (_fivetran_synced > (select lookback_from from last_run) or _fivetran_synced is null) and {{ has_key }}

    union

    select {{ key_columns | join(', ') }}
    from {{ this }}
    where rejection_rule = 'orphaned_key'
),

changed_rows as (
    select {{ checked_cte }}.*
    from {{ checked_cte }}
    where
        exists (
            select 1 from changed_keys
            where {% for key in key_columns %}changed_keys.{{ key }} = {{ checked_cte }}.{{ key }}{{ ' and ' if not loop.last }}{% endfor %}
        )
        or (not ({{ has_key }}) and _fivetran_synced > (select last_synced from last_run))
)
{%- endmacro %}
