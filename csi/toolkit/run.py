"""`csi toolkit health|churn|expansion FILE`: load the portfolio, run the toolkit models, print."""

from __future__ import annotations

import datetime as dt
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import TextIO

from csi.toolkit import checks, load, models, render

TOOLS = ("health", "churn", "expansion")


def report(tool: str, path: Path, output_format: str, today: dt.date) -> Iterator[str]:
    """The report the original script prints for `path`, in chunks (the models run first)."""
    nodes = models.compiled_nodes()
    con = models.connect()
    load.load_portfolio(con, path, today, database=models.DATABASE)
    models.run_models(con, nodes)
    checks.raise_first_input_error(con, tool, output_format)
    renderer = {"health": render.health, "churn": render.churn, "expansion": render.expansion}[tool]
    return renderer(con, output_format)


def print_report(tool: str, path: Path, output_format: str, today: dt.date, out: TextIO = sys.stdout) -> None:
    chunks = report(tool, path, output_format, today)
    out.writelines(chunks)
    out.flush()
