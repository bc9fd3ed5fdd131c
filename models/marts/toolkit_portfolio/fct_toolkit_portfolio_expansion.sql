-- The toolkit's expansion potential for each customer of the loaded portfolio, as the expansion
-- opportunity scorer reports it: adoption summary, total estimated revenue and opportunity count;
-- report_rank gives the scorer's order (total revenue, highest first; ties in portfolio order).
-- The rules are in macros/toolkit/toolkit_expansion_summary.sql, shared with the warehouse's
-- accounts.

{{ toolkit_expansion_summary(
    ref('int_toolkit_portfolio__customers'),
    ref('int_toolkit_portfolio__expansion_opportunities'),
    ref('int_toolkit_portfolio__product_modules'),
    ref('int_toolkit_portfolio__list_members')
) }}
