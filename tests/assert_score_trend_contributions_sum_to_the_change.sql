-- A window's change of score is explained in full: the components' contributions over the window
-- sum to the change of the unrounded score (to 1e-9), and to the published change within its
-- rounding.

with

trend as (
    select * from {{ ref('fct_account_score_trend') }}
    where health_score_change is not null
),

summed as (
    select
        account_id,
        window_days,
        health_score_change,
        health_score_unrounded_change,
        {%- for component in var('health_components') %}
        {{ ' + ' if not loop.first }}{{ component }}_contribution
        {%- endfor %} as contributions
    from trend
)

select * from summed
where abs(contributions - health_score_unrounded_change) > 1e-9
    or abs(contributions - health_score_change) > 0.01 + 1e-6
