-- Every change of score is explained in full: the components' contributions sum to the change of
-- the unrounded score (to 1e-9), and to the published change within its rounding (each published
-- score is within 0.005 of the unrounded one, so their difference within 0.01). A component left
-- out, or a share pushed into the wrong one, shows here.

with

changes as (
    select * from {{ ref('fct_health_score_changes') }}
),

summed as (
    select
        account_id,
        changed_on,
        health_score_delta,
        health_score_unrounded_delta,
        {%- for component in var('health_components') %}
        {{ ' + ' if not loop.first }}{{ component }}_contribution
        {%- endfor %} as contributions
    from changes
)

select * from summed
where abs(contributions - health_score_unrounded_delta) > 1e-9
    or abs(contributions - health_score_delta) > 0.01 + 1e-6
