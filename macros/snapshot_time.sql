-- Snapshots are stamped with the as-of date, not the wall clock: when an account stops being a
-- customer, its history closes on the night it happened, so replaying past nights in order builds
-- exactly the history nightly runs would have built. Without an as-of date, the wall clock.
{% macro snapshot_get_time() -%}
    {%- if var('as_of_date', none) -%}
        {{ as_of_date() }}
    {%- else -%}
        {{ adapter.dispatch('snapshot_get_time', 'dbt')() }}
    {%- endif -%}
{%- endmacro %}
