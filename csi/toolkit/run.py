"""`csi toolkit health|churn|expansion FILE`: load the portfolio, run the toolkit models, print."""

from __future__ import annotations

import datetime as dt
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import TextIO

import duckdb

from csi.errors import UserError
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
    con = _scored(path, today, [tool])
    checks.raise_first_input_error(con, tool, output_format)
    return RENDERERS[tool](con, output_format)


def reports(path: Path, today: dt.date, wanted: list[tuple[str, str]]) -> dict[tuple[str, str], str]:
    """Several reports of one file, (tool, format) -> text, from one load and one run of the models
    (what the tests compare by the thousand). A report the CLI would refuse maps to its error line."""
    con = _scored(path, today, sorted({tool for tool, _ in wanted}))
    texts = {}
    for tool, output_format in wanted:
        try:
            checks.raise_first_input_error(con, tool, output_format)
            texts[(tool, output_format)] = "".join(RENDERERS[tool](con, output_format))
        except UserError as error:
            texts[(tool, output_format)] = f"error: {error}"
    return texts


def _scored(path: Path, today: dt.date, tools: list[str]) -> duckdb.DuckDBPyConnection:
    """An in-memory database holding the file and the models the tools' reports read."""
    targets = [relation for tool in tools for relation in READS[tool]]
    nodes = models.needed_for(models.compiled_nodes(), [*targets, checks.INPUT_ERRORS])
    con = models.connect()
    load.load_portfolio(con, path, today, database=models.DATABASE)
    models.run_models(con, nodes)
    return con


def print_report(tool: str, path: Path, output_format: str, today: dt.date, out: TextIO = sys.stdout) -> None:
    chunks = report(tool, path, output_format, today)
    out.writelines(chunks)
    out.flush()
