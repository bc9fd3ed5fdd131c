"""`csi toolkit health|churn|expansion FILE`: load the portfolio, run the toolkit models, print."""

from __future__ import annotations

import datetime as dt
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import TextIO

from csi.toolkit import checks, load, models, render

TOOLS = ("health", "churn", "expansion")

# The relations each report reads; a run builds only these and what they are built from.
READS = {
    "health": ["fct_toolkit_portfolio_health", "fct_toolkit_portfolio_health_recommendations",
               "fct_toolkit_portfolio_health_summary", "toolkit_health_classifications"],
    "churn": ["fct_toolkit_portfolio_churn_risk", "fct_toolkit_portfolio_churn_warnings",
              "fct_toolkit_portfolio_churn_summary", "fct_toolkit_portfolio_churn_actions",
              "toolkit_churn_signal_groups"],
    "expansion": ["fct_toolkit_portfolio_expansion", "fct_toolkit_portfolio_expansion_opportunities",
                  "fct_toolkit_portfolio_expansion_summary"],
}
RENDERERS = {"health": render.health, "churn": render.churn, "expansion": render.expansion}


def report(tool: str, path: Path, output_format: str, today: dt.date) -> Iterator[str]:
    """The report the original script prints for `path`, in chunks (the models run first).

    `today` is the day the churn analyser counts days to renewal from; the health and expansion
    scripts never read the clock, so their output does not depend on it."""
    nodes = models.needed_for(models.compiled_nodes(), [*READS[tool], checks.INPUT_ERRORS])
    con = models.connect()
    load.load_portfolio(con, path, today, database=models.DATABASE)
    models.run_models(con, nodes)
    checks.raise_first_input_error(con, tool, output_format)
    return RENDERERS[tool](con, output_format)


def print_report(tool: str, path: Path, output_format: str, today: dt.date, out: TextIO = sys.stdout) -> None:
    chunks = report(tool, path, output_format, today)
    out.writelines(chunks)
    out.flush()
