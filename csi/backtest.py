"""Backtest a candidate weighting: rescore the snapshot history with it (from the component scores
recorded each night, so nothing leaks from later), judge it against the candidate's own band
thresholds when it has them, and show its validation metrics beside those of the scores as they
were recorded. The rescoring and the metrics are the dbt validation models; this module only reads
the candidate, builds them with it and prints the comparison."""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import duckdb
from rich.console import Console
from rich.table import Table

from csi.dbt import DbtProject, health_components
from csi.errors import UserError
from csi.paths import warehouse_path

COLUMNS = ["weights_version", "component", "weight", "label"]
BAND_COLUMNS = ["segment", "band", "band_rank", "min_score"]
VERSION = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]*$")
# selectors.yml: the validation models that read the score history, rebuilt with the candidate beside
# the recorded scores.
SELECTOR = "backtest"
# (column of fct_score_validation, label, format)
METRICS = [
    ("contracts", "Renewals validated", "{:,.0f}"),
    ("churned", "Churned", "{:,.0f}"),
    ("accuracy", "Accuracy (churns flagged at risk)", "{:.0%}"),
    ("surprise_churn_rate", "Surprise churn rate", "{:.0%}"),
    ("false_positive_rate", "False-positive rate", "{:.0%}"),
    ("precision_at_risk", "Precision of the at-risk flag", "{:.0%}"),
    ("f1_at_risk", "F1 of the at-risk flag", "{:.2f}"),
    ("score_outcome_correlation", "Score–outcome correlation", "{:.2f}"),
    ("auc", "AUC", "{:.3f}"),
    ("pr_auc", "PR-AUC", "{:.3f}"),
    ("lift_top_decile", "Lift at top risk decile", "{:.2f}×"),
    ("brier_score", "Brier score (churn model)", "{:.3f}"),
    ("calibration_error", "Calibration error (churn model)", "{:.1%}"),
    ("median_lead_time_days", "Median early-warning lead (days)", "{:.0f}"),
]


@dataclass(frozen=True)
class Candidate:
    weights_version: str
    weights: dict[str, float]
    bands: list[dict[str, object]] | None = None


def _csv_rows(path: Path, shaped_like: str, columns: list[str]) -> list[dict[str, str]]:
    """The rows of a CSV with exactly `columns` (a UserError naming the file otherwise)."""
    if not path.is_file():
        raise UserError(f"{path}: no such file (expected a CSV like {shaped_like})")
    try:
        with path.open(newline="") as file:
            rows = list(csv.DictReader(file))
            header = list(rows[0]) if rows else []
    except (UnicodeDecodeError, csv.Error) as error:
        raise UserError(f"{path}: not a readable CSV ({error})") from None
    if header != columns:
        raise UserError(f"{path}: expected the columns {','.join(columns)} and at least one row")
    return rows


def read_candidate(path: Path) -> Candidate:
    """A weights CSV in the shape of seeds/health/health_weights.csv, one version summing to 100."""
    rows = _csv_rows(path, "seeds/health/health_weights.csv", COLUMNS)
    versions = {row["weights_version"].strip() for row in rows}
    if len(versions) != 1:
        raise UserError(f"{path}: expected one weights_version, found {', '.join(sorted(versions)) or 'none'}")
    version = versions.pop()
    if not VERSION.match(version):
        raise UserError(f"{path}: weights_version {version!r} may use only letters, digits, '.', '_' and '-'")
    known = health_components()
    weights: dict[str, float] = {}
    for line, row in enumerate(rows, start=2):
        component = row["component"].strip()
        if component not in known:
            raise UserError(f"{path}:{line}: unknown component {component!r} (known: {', '.join(known)})")
        if component in weights:
            raise UserError(f"{path}:{line}: component {component!r} appears twice")
        try:
            weight = float(row["weight"])
        except (TypeError, ValueError):
            raise UserError(f"{path}:{line}: weight {row['weight']!r} is not a number") from None
        if not 0 <= weight <= 100:
            raise UserError(f"{path}:{line}: weight {weight:g} is not between 0 and 100")
        weights[component] = weight
    if abs(sum(weights.values()) - 100) > 1e-6:
        raise UserError(f"{path}: the weights sum to {sum(weights.values()):g}, not 100")
    return Candidate(version, weights)


def read_bands(path: Path) -> list[dict[str, object]]:
    """A bands CSV in the shape of seeds/health/health_bands.csv: per segment, band ranks from 1 up with
    strictly falling minimum scores (bands ordered), the lowest band starting at 0."""
    rows = _csv_rows(path, "seeds/health/health_bands.csv", BAND_COLUMNS)
    bands: list[dict[str, object]] = []
    for line, row in enumerate(rows, start=2):
        try:
            rank, min_score = int(row["band_rank"]), float(row["min_score"])
        except (TypeError, ValueError):
            raise UserError(f"{path}:{line}: band_rank and min_score must be numbers") from None
        if not 0 <= min_score <= 100:
            raise UserError(f"{path}:{line}: min_score {min_score:g} is not between 0 and 100")
        bands.append({"segment": row["segment"].strip(), "band": row["band"].strip(), "band_rank": rank,
                      "min_score": min_score})
    for segment in sorted({band["segment"] for band in bands}):
        ordered = sorted((band for band in bands if band["segment"] == segment), key=lambda band: band["band_rank"])
        scores = [band["min_score"] for band in ordered]
        if any(higher <= lower for higher, lower in zip(scores, scores[1:])) or scores[-1] != 0:
            listed = ", ".join(f"{band['band']} {band['min_score']:g}" for band in ordered)
            raise UserError(f"{path}: the bands of {segment} are not ordered (each band's min_score must be below the "
                            f"one before it, the last 0): {listed}")
    return bands


def recorded_history(warehouse: Path) -> tuple[list[str], date]:
    """The weights versions in the score snapshot and the last night it recorded."""
    if not warehouse.is_file():
        raise UserError(f"no warehouse at {warehouse}: build one first (csi build, csi replay)")
    with duckdb.connect(str(warehouse), read_only=True) as con:
        try:
            versions, last = con.execute(
                "select list(distinct weights_version order by weights_version), max(cast(dbt_valid_from as date)) "
                "from snapshots.snap_account_health"
            ).fetchone()
        except duckdb.CatalogException:
            raise UserError(f"{warehouse} has no score history: run csi replay or nightly builds first") from None
    if not versions:
        raise UserError(f"{warehouse} has no score history: run csi replay or nightly builds first")
    return versions, last


def validation_metrics(warehouse: Path, versions: list[str]) -> dict[str, dict[str, float | None]]:
    """The row of every quarter and segment of fct_score_validation per weights version, plus the
    targets under 'target'."""
    names = [column for column, _, _ in METRICS]
    targets = [f"{column}_target" for column in names if column not in ("contracts", "churned")]
    with duckdb.connect(str(warehouse), read_only=True) as con:
        rows = con.execute(
            f"select weights_version, {', '.join(names + targets)} from marts.fct_score_validation "
            "where cohort_quarter = 'All' and segment = 'all' and list_contains(?, weights_version)",
            [versions],
        ).fetchall()
        comparisons = dict(con.execute("select metric, comparison from seeds.validation_targets").fetchall())
    metrics = {row[0]: dict(zip(names, row[1 : 1 + len(names)], strict=True)) for row in rows}
    if rows:
        metrics["target"] = {name.removesuffix("_target"): value for name, value in zip(targets, rows[0][1 + len(names) :], strict=True)}
        metrics["comparison"] = comparisons
    return metrics


def backtest(
    weights_file: Path, as_of: date | None = None, console: Console | None = None, bands_file: Path | None = None,
    validate_from: date | None = None,
) -> dict[str, dict]:
    """Build the validation models with the candidate beside the recorded scores and print both;
    `validate_from` validates only the renewals ending on or after it (an out-of-time report)."""
    candidate = read_candidate(weights_file)
    bands = read_bands(bands_file) if bands_file else None
    warehouse = warehouse_path()
    recorded, last_night = recorded_history(warehouse)
    if candidate.weights_version in recorded:
        raise UserError(
            f"weights_version {candidate.weights_version!r} is already in the score history: name the candidate differently"
        )
    if bands is not None:
        check_segments(warehouse, bands, bands_file)
    project_vars: dict = {"backtest_weights": {"weights_version": candidate.weights_version, "weights": candidate.weights,
                                               **({"bands": bands} if bands else {})}}
    if validate_from:
        project_vars["validation_from_date"] = validate_from.isoformat()
    project = DbtProject(project_vars=project_vars, quiet=True)
    project.invoke(["build", "--selector", SELECTOR], as_of or last_night)
    metrics = validation_metrics(warehouse, [*recorded, candidate.weights_version])
    if candidate.weights_version not in metrics:
        raise UserError("no renewal could be validated: the score history does not reach 60 days before any ended contract")
    title = "Score validation over all renewals" if validate_from is None else (
        f"Out of time: the renewals ending from {validate_from}")
    print_comparison(metrics, [v for v in [*recorded, candidate.weights_version] if v in metrics], console or Console(),
                     f"{title}: recorded scores vs the candidate" + (" and its bands" if bands else ""))
    return metrics


def check_segments(warehouse: Path, bands: list[dict[str, object]], bands_file: Path) -> None:
    """Candidate bands must cover every segment the warehouse's bands do (its renewals would drop out)."""
    with duckdb.connect(str(warehouse), read_only=True) as con:
        segments = {row[0] for row in con.execute("select distinct segment from seeds.health_bands").fetchall()}
    if missing := sorted(segments - {band["segment"] for band in bands}):
        raise UserError(f"{bands_file}: no bands for segment {', '.join(missing)}")


def print_comparison(metrics: dict[str, dict], versions: list[str], console: Console, title: str) -> None:
    table = Table(title=title)
    table.add_column("Metric")
    table.add_column("Target", justify="right")
    for version in versions:
        table.add_column(f"{version} (candidate)" if version == versions[-1] else version, justify="right")
    targets, comparisons = metrics.get("target", {}), metrics.get("comparison", {})
    for column, label, spec in METRICS:
        cells = [spec.format(metrics[v][column]) if metrics.get(v, {}).get(column) is not None else "–" for v in versions]
        target = targets.get(column)
        sign = {"at_least": "≥ ", "at_most": "≤ "}.get(comparisons.get(column, ""), "")
        table.add_row(label, sign + spec.format(target) if target is not None else "", *cells)
    console.print(table)
