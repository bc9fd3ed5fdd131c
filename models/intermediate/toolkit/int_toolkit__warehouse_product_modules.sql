-- The product modules of every customer account, shaped like int_toolkit_portfolio__product_modules: none.
-- Our product telemetry counts logins, saved searches and report downloads per day, not the
-- adoption of licensed modules, so the toolkit's product_usage is missing for every account and
-- the expansion scorer finds no module cross-sell. A module feed would fill this model.

with

final as (
    select
        cast(null as {{ dbt.type_int() }}) as customer_index,
        cast(null as {{ dbt.type_int() }}) as position,
        cast(null as {{ type_varchar() }}) as module,
        cast(null as {{ type_varchar() }}) as module_type,
        false as is_adopted,
        cast(null as {{ type_varchar() }}) as usage_pct_type,
        cast(null as {{ type_double() }}) as usage_pct
    where 1 = 0
)

select * from final
