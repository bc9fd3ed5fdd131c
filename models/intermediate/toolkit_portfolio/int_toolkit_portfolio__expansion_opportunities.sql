-- Every expansion opportunity the toolkit finds for each customer of the loaded portfolio, in the
-- order the scorer finds them (seats, tier upgrade, modules, departments), with its revenue,
-- effort, priority score and rationale.
-- The rules are in macros/toolkit/toolkit_expansion_opportunities.sql, shared with the
-- warehouse's accounts.

{{ toolkit_expansion_opportunities(
    ref('int_toolkit_portfolio__customers'),
    ref('int_toolkit_portfolio__list_members'),
    ref('int_toolkit_portfolio__product_modules')
) }}
