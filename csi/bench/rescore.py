"""The rescore path in `csi bench`: a reweighting from the command to a dashboard page showing it.

The bench edits a copy of the dbt project (the team's seeds stay as they are): it moves weight from
one component to another, as a CS leader asking to count QBR cadence less would, runs `csi rescore`
on the full build's warehouse and publication, and loads a new page of the dashboard over it."""

from __future__ import annotations

import csv
import shutil
import time
from pathlib import Path

from csi.paths import PROJECT_DIR

# What dbt reads of the project (the Python tests under tests/ excepted).
PROJECT_FILES = ("dbt_project.yml", "profiles.yml", "selectors.yml", "models", "macros", "seeds", "snapshots", "tests")
WEIGHTS = Path("seeds") / "health" / "health_weights.csv"
AVERAGE_SCORE = "Average health score"  # the Health Score tab's metric a new weighting moves
SCORE_TAB = "Health Score"  # the dashboard draws only the open tab (the query parameter `tab`)


def copy_project(destination: Path) -> Path:
    """A fresh copy of the dbt project at `destination`, whose seeds can be edited (CSI_PROJECT_DIR
    points csi at it)."""
    shutil.rmtree(destination, ignore_errors=True)
    destination.mkdir(parents=True)
    for name in PROJECT_FILES:
        source = PROJECT_DIR / name
        if source.is_dir():
            shutil.copytree(source, destination / name, ignore=shutil.ignore_patterns("python", "__pycache__"))
        else:
            shutil.copy2(source, destination / name)
    return destination


def move_weight(project: Path, source: str, target: str, points: float) -> None:
    """Move `points` of weight from component `source` to `target` in every weights version of the
    project's weights seed (the sums stay 100)."""
    path = project / WEIGHTS
    with path.open(newline="") as file:
        reader = csv.DictReader(file)
        header, rows = reader.fieldnames, list(reader)
    for row in rows:
        shift = -points if row["component"] == source else points if row["component"] == target else 0
        row["weight"] = f"{float(row['weight']) + shift:g}"
    with path.open("w", newline="") as file:
        writer = csv.DictWriter(file, header, lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)


def _dashboard(folder: str) -> None:  # the body runs as a Streamlit script
    from pathlib import Path

    from csi.dashboard.app import main

    main(Path(folder))


def dashboard_page(published: Path):
    """A dashboard session over `published` on the Health Score tab, its first page loaded (what a server has done before the
    rescore: imports, start-up); `page_load` then times each new page."""
    from streamlit.testing.v1 import AppTest

    page = AppTest.from_function(_dashboard, kwargs={"folder": str(published)}, default_timeout=120)
    page.query_params["tab"] = SCORE_TAB
    page.run()
    return page


def page_load(page) -> tuple[float, str]:
    """Seconds to load the page again (a new publication is read afresh: the caches are keyed by the
    published file's version) and the average health score it shows."""
    started = time.perf_counter()
    page.run()
    seconds = time.perf_counter() - started
    if failures := [element.value for element in (*page.exception, *page.error)]:
        raise RuntimeError(f"the dashboard failed to load: {failures[0]}")
    return seconds, next(metric.value for metric in page.metric if metric.label == AVERAGE_SCORE)
