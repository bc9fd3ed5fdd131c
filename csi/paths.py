"""Where the project's files live, and where the warehouse is (overridable by environment)."""

from __future__ import annotations

import os
from pathlib import Path

# The dbt project csi builds: this checkout, or a copy of it (CSI_PROJECT_DIR), e.g. to try seeds
# without touching the team's files.
PROJECT_DIR = Path(os.environ.get("CSI_PROJECT_DIR", Path(__file__).resolve().parent.parent)).resolve()


def warehouse_path() -> Path:
    """The DuckDB warehouse file dbt builds into (CSI_WAREHOUSE overrides the default)."""
    return Path(os.environ.get("CSI_WAREHOUSE", PROJECT_DIR / "warehouse" / "csi.duckdb")).resolve()


def published_dir() -> Path:
    """Where the read-only copy of the marts is published for BI and the dashboard."""
    return Path(os.environ.get("CSI_PUBLISHED_DIR", warehouse_path().parent / "published")).resolve()
