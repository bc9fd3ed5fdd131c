"""The customer-success toolkit (seed 002): health, churn-risk and expansion scores computed by the
dbt models of the portfolio (models/*/toolkit_portfolio), and a drop-in command line that prints what
the toolkit's original scripts print (docs/toolkit.md)."""
