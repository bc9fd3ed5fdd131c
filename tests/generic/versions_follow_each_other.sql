-- A snapshot's versions of one key follow each other: each lasts (valid to after valid from) and
-- none begins before the previous one ended, so at most one version holds at any time.
-- Usage (snapshot level): data_tests: [{versions_follow_each_other: {arguments: {key: account_id}}}]
{% test versions_follow_each_other(model, key) %}

with

versions as (
    select
        {{ key }} as version_key,
        dbt_valid_from,
        dbt_valid_to,
        lag(dbt_valid_from) over (partition by {{ key }} order by dbt_valid_from) as previous_valid_from,
        lag(dbt_valid_to) over (partition by {{ key }} order by dbt_valid_from) as previous_valid_to
    from {{ model }}
)

select * from versions
where
    dbt_valid_to <= dbt_valid_from
    or (previous_valid_from is not null and (previous_valid_to is null or previous_valid_to > dbt_valid_from))

{% endtest %}
