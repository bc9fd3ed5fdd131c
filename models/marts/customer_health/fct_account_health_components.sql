-- Each customer's health components in long form, as of the as-of date (see int_health__weighted_components).

with

weighted_components as (
    select * from {{ ref('int_health__weighted_components') }}
),

final as (
    select * from weighted_components
)

select * from final
