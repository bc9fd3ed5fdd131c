-- Every component score as it stood forecast_lookback_days before each decided renewal (the
-- recorded history: component scores do not depend on the weights), one row per component that
-- applied to the contract, in every slice the validation reports (macro validation_scopes), ranked
-- within component and slice: the risk decile (1 = lowest scores) and the mid-rank by risk for the
-- rank-sum AUC, as int_validation__ranked_outcomes ranks the composite.

{%- set slice = 'component, cohort_quarter, segment' %}

with

contract_scores as (
    select * from {{ ref('int_validation__contract_scores') }}
    where not is_rescored
),

component_scores as (
    {%- for component in var('health_components') %}
    select
        contract_id,
        cohort_quarter_start,
        cohort_quarter,
        segment,
        is_churned,
        '{{ component }}' as component,
        {{ component }}_score as component_score
    from contract_scores
    where {{ component }}_score is not null
    {{ 'union all' if not loop.last }}
    {%- endfor %}
),

scoped as (
    {{ validation_scopes('component_scores', ['component', 'contract_id', 'is_churned', 'component_score']) }}
),

final as (
    select
        component,
        cohort_quarter,
        cohort_quarter_start,
        segment,
        contract_id,
        is_churned,
        component_score,
        ntile(10) over (partition by {{ slice }} order by component_score, contract_id) as risk_decile,
        {{ risk_mid_rank('component_score', slice) }} as risk_rank
    from scoped
)

select * from final
