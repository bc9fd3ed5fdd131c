-- A base model's triage columns (macros/triage.sql) on every raw row, in one scan: the source's
-- deletion flag and the disposition are set; a quarantined row keeps its raw values; the rule that
-- quarantined or rejected a row is one of the model's checks (`rules`, in their order), or for a
-- rejection the key's unresolvable duplicate. Returns one row per failed check with the rows failing it.
-- Usage (model level): data_tests: [{triage_outcomes: {arguments: {rules: [null_key, orphaned_key]}}}]
{% test triage_outcomes(model, rules) %}
{{ config(fail_calc='coalesce(sum(failing_rows), 0)') }}
{%- set checks = "'" ~ rules | join("', '") ~ "'" %}

with

checked as (
    select
        case
            when is_deleted_at_source is null then 'is_deleted_at_source is null'
            when disposition is null then 'disposition is null'
            when disposition not in ('staged', 'deduplicated', 'deleted', 'quarantined')
                then 'disposition ' || disposition || ' is not staged, deduplicated, deleted or quarantined'
            when disposition = 'quarantined' and raw_row is null then 'raw_row is null on a quarantined row'
            when quarantine_rule not in ({{ checks }})
                then 'quarantine_rule ' || quarantine_rule || ' is not one of the checks'
            when rejection_rule not in ({{ checks }}, 'unresolvable_duplicate')
                then 'rejection_rule ' || rejection_rule || ' is not one of the checks or unresolvable_duplicate'
        end as failed_check
    from {{ model }}
)

select
    failed_check,
    count(*) as failing_rows
from checked
where failed_check is not null
group by failed_check

{% endtest %}
