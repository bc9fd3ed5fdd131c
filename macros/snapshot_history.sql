-- The nightly history: the snapshots record one night per as-of date, and the as-of date guards
-- what they may change.
--
-- * A night is a unit. <snapshot>_nights, beside each snapshot, lists the nights it recorded,
--   including nights that changed nothing. Building the latest night again replaces it:
--   snap_account_health's pre-hook rewinds that night (replace_rerun_night) and the snapshot
--   records it afresh from the corrected sources, so each account keeps one version per night.
-- * A snapshot records only a night that has synced and that follows the nights it holds:
--   an as-of date more than a day after the latest sync (nothing has landed for it), or before
--   the latest night it holds (a point-in-time build), leaves it unchanged, with a warning.
--   `csi replay` rebuilds history: it rewinds the snapshots to the night it starts from.

-- Snapshots are stamped with the as-of date, not the wall clock: a changed or departed account's
-- version closes on the night it happened, so replaying past nights in order builds exactly the
-- history nightly runs would have built. (Without an as-of date var, the run's start date.)
{% macro snapshot_get_time() -%}
    {{ as_of_date() }}
{%- endmacro %}

-- Why a snapshot may not record the as-of date: 'future' when it is more than a day after the
-- latest sync (or nothing has synced), 'past' when it is before `latest_night`, else none. Returns
-- that reason with the dates behind it.
{% macro history_guard(latest_night) -%}
    {%- set as_of = as_of_day() -%}
    {%- set latest_sync = latest_sync_day() -%}
    {%- if latest_sync is none or as_of > latest_sync + modules.datetime.timedelta(days=1) -%}
        {%- set reason = 'future' -%}
    {%- elif latest_night is not none and as_of < latest_night -%}
        {%- set reason = 'past' -%}
    {%- else -%}
        {%- set reason = none -%}
    {%- endif -%}
    {{ return({'reason': reason, 'as_of': as_of, 'latest_sync': latest_sync, 'latest_night': latest_night}) }}
{%- endmacro %}

-- The guard of the snapshot being built, decided once per run (its hooks and its staging query
-- read the same decision, also after the pre-hook rewound a night).
{% macro snapshot_guard() -%}
    {%- if 'history_guard' not in model -%}
        {%- do model.update({'history_guard': history_guard(latest_snapshot_night(this))}) -%}
    {%- endif -%}
    {{ return(model['history_guard']) }}
{%- endmacro %}

-- The date of the latest row any raw table holds (by the column its freshness reads: Fivetran's
-- _fivetran_synced, the churn model's scored_at), none when they are empty. An optional table the
-- warehouse lacks holds none.
{% macro latest_sync_day() -%}
    {%- set syncs = [] -%}
    {%- for staged in staged_sources() if source_landed(staged.source, staged.table) -%}
        {%- set node = source_node(staged.source, staged.table) -%}
        {%- do syncs.append('select max(' ~ safe_cast(node.loaded_at_field, dbt.type_timestamp()) ~ ') as synced from '
            ~ source(staged.source, staged.table)) -%}
    {%- endfor -%}
    {{ return(query_day('select max(synced) from (' ~ syncs | join(' union all ') ~ ') as syncs')) }}
{%- endmacro %}

-- The nights a snapshot recorded, a table beside it (one per snapshot: snapshots run in parallel).
{% macro snapshot_nights_relation(snapshot) -%}
    {{ return(snapshot.incorporate(path={'identifier': snapshot.identifier ~ '_nights'})) }}
{%- endmacro %}

-- The latest night a snapshot recorded; for a snapshot built before nights were recorded, the
-- latest date it was changed on. None when it does not exist yet.
{% macro latest_snapshot_night(snapshot) -%}
    {%- if load_relation(snapshot) is none -%}
        {{ return(none) }}
    {%- endif -%}
    {%- set nights = load_relation(snapshot_nights_relation(snapshot)) -%}
    {%- set recorded = query_day('select max(night) from ' ~ nights)
        if nights is not none else none -%}
    {{ return(recorded or query_day('select max(cast(coalesce(dbt_valid_to, dbt_valid_from) as date)) from ' ~ snapshot)) }}
{%- endmacro %}

-- The first value a query returns, as a date (none for NULL).
{% macro query_day(sql) -%}
    {%- set value = run_query(sql).columns[0].values()[0] -%}
    {{ return(none if value is none else modules.datetime.date.fromisoformat((value | string)[:10])) }}
{%- endmacro %}

-- pre-hook of every snapshot: say why it leaves history unchanged, if it does.
{% macro warn_when_history_guarded() -%}
    {%- if execute -%}
        {%- set guard = snapshot_guard() -%}
        {%- if guard.reason == 'future' and guard.latest_sync is none -%}
            {%- do exceptions.warn(this.identifier ~ ' left unchanged: the raw tables hold no synced row yet') -%}
        {%- elif guard.reason == 'future' -%}
            {%- do exceptions.warn(this.identifier ~ ' left unchanged: as-of date ' ~ guard.as_of
                ~ ' is more than a day after the latest sync (' ~ guard.latest_sync ~ ')') -%}
        {%- elif guard.reason == 'past' -%}
            {%- do exceptions.warn(this.identifier ~ ' left unchanged: as-of date ' ~ guard.as_of
                ~ ' is before the latest night it holds (' ~ guard.latest_night
                ~ '), so this is a point-in-time build; `csi replay` rebuilds history') -%}
        {%- endif -%}
    {%- endif -%}
{%- endmacro %}

-- pre-hook of a snapshot stamped with the as-of date: building the latest night it holds again
-- rewinds that night, so the snapshot records it afresh from the corrected sources (unchanged
-- sources record the same versions again).
{% macro replace_rerun_night() -%}
    {%- if execute -%}
        {%- set guard = snapshot_guard() -%}
        {%- if guard.reason is none and guard.as_of == guard.latest_night -%}
            {%- do rewind_snapshot(this, guard.as_of) -%}
        {%- endif -%}
    {%- endif -%}
{%- endmacro %}

-- post-hook of every snapshot: list the night it recorded (in the snapshot's transaction).
{% macro record_snapshot_night() -%}
    {%- if execute and snapshot_guard().reason is none -%}
        {%- set nights = snapshot_nights_relation(this) -%}
        {%- set night = "cast('" ~ snapshot_guard().as_of ~ "' as date)" -%}
        {%- do run_query('create table if not exists ' ~ nights ~ ' (night date)') -%}
        {%- do run_query('delete from ' ~ nights ~ ' where night = ' ~ night) -%}
        {%- do run_query('insert into ' ~ nights ~ ' (night) values (' ~ night ~ ')') -%}
    {%- endif -%}
{%- endmacro %}

-- Take a snapshot back to the history it held before `night`: versions valid from that night on
-- are deleted, versions closed on or after it are current again, and the nights from it on are
-- forgotten.
{% macro rewind_snapshot(snapshot, night) -%}
    {%- set day = "cast('" ~ night ~ "' as date)" -%}
    {%- do run_query('delete from ' ~ snapshot ~ ' where cast(dbt_valid_from as date) >= ' ~ day) -%}
    {%- do run_query('update ' ~ snapshot ~ ' set dbt_valid_to = null where cast(dbt_valid_to as date) >= ' ~ day) -%}
    {%- set nights = load_relation(snapshot_nights_relation(snapshot)) -%}
    {%- if nights is not none -%}
        {%- do run_query('delete from ' ~ nights ~ ' where night >= ' ~ day) -%}
    {%- endif -%}
{%- endmacro %}

-- A snapshot the as-of date may not change stages no row: nothing is inserted, closed or
-- invalidated (dbt's snapshot materialization calls these two macros for its changes).
{% macro snapshot_staging_table(strategy, source_sql, target_relation) -%}
    {%- set staging = adapter.dispatch('snapshot_staging_table', 'dbt')(strategy, source_sql, target_relation) -%}
    {{ unless_history_guarded(staging) }}
{%- endmacro %}

{% macro build_snapshot_table(strategy, sql) -%}
    {%- set first_versions = adapter.dispatch('build_snapshot_table', 'dbt')(strategy, sql) -%}
    {{ unless_history_guarded(first_versions) }}
{%- endmacro %}

{% macro unless_history_guarded(sql) -%}
    {%- if snapshot_guard().reason -%}
        select * from ({{ sql }}) as unchanged where 1 = 0
    {%- else -%}
        {{ sql }}
    {%- endif -%}
{%- endmacro %}

-- The snapshots' nodes in the project.
{% macro snapshot_relations() -%}
    {%- set relations = [] -%}
    {%- for node in graph.nodes.values() | selectattr('resource_type', 'equalto', 'snapshot') -%}
        {%- do relations.append(api.Relation.create(database=node.database, schema=node.schema, identifier=node.alias)) -%}
    {%- endfor -%}
    {{ return(relations) }}
{%- endmacro %}

-- run-operation for `csi build`: logs (at debug level) the guard of the as-of date against every
-- snapshot as JSON, the latest night being the latest any snapshot holds.
{% macro log_history_guard() -%}
    {%- set nights = [] -%}
    {%- for snapshot in snapshot_relations() -%}
        {%- set night = latest_snapshot_night(snapshot) -%}
        {%- if night is not none -%}{%- do nights.append(night) -%}{%- endif -%}
    {%- endfor -%}
    {%- set guard = history_guard(nights | max if nights else none) -%}
    {%- set report = {'reason': guard.reason} -%}
    {%- for key in ['as_of', 'latest_sync', 'latest_night'] -%}
        {%- do report.update({key: none if guard[key] is none else guard[key] | string}) -%}
    {%- endfor -%}
    {%- do log('history_guard ' ~ tojson(report)) -%}
{%- endmacro %}

-- run-operation for `csi replay`: rewind every snapshot to the history it held before `night`.
{% macro rewind_history(night) -%}
    {%- for snapshot in snapshot_relations() if load_relation(snapshot) is not none -%}
        {%- do rewind_snapshot(snapshot, night) -%}
        {%- if loop.last -%}{%- do adapter.commit() -%}{%- endif -%}
    {%- endfor -%}
{%- endmacro %}
