-- Each customer's health components in long form, with how much each one weighs after
-- renormalising over the components that apply to the account, and the points it costs.

with

components as (
    select * from {{ ref('int_health__components') }}
),

customers as (
    select * from {{ ref('int_accounts__customers') }}
),

weights as (
    select * from {{ ref('health_weights') }}
    where weights_version = '{{ var("weights_version") }}'
),

configuration as (
    select * from {{ ref('int_health__configuration') }}
),

weighted as (
    select
        components.account_id,
        customers.as_of_date,
        components.component,
        weights.label,
        components.raw_value,
        components.score,
        components.not_applicable_reason,
        weights.weight,
        sum(case when components.score is not null then weights.weight else 0 end)
            over (partition by components.account_id) as applicable_weight
    from components
    inner join weights
        on components.component = weights.component
    inner join customers
        on components.account_id = customers.account_id
),

final as (
    select
        {{ dbt.concat(['account_id', "'|'", 'component']) }} as account_component_id,
        account_id,
        component,
        label,
        raw_value,
        score,
        not_applicable_reason,
        cast(weight as {{ type_double() }}) as weight,
        case
            when score is not null then 100 * {{ safe_divide('weight', 'applicable_weight') }} else 0
        end as effective_weight,
        case
            when score is not null then {{ safe_divide('weight', 'applicable_weight') }} * (100 - score) else 0
        end as points_lost,
        '{{ var("weights_version") }}' as weights_version,
        configuration.configuration_version,
        weighted.as_of_date
    from weighted
    cross join configuration
)

select * from final
