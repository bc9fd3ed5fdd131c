"""`csi tune`: propose a weighting and per-segment band thresholds fitted to the recorded history,
out of time. It reads the warehouse only (the renewals scored as they stood before their end, from
int_validation__contract_scores: the component scores recorded then and the outcome), fits on the
older cohort quarters, writes the candidate weights and bands as CSV files, and reports the
candidate beside the current weights on the most recent quarters, which the fit never saw, with
the backtest's report on a scratch copy of the warehouse. It never adopts anything.

The fit:
- Weights: the composite is Σ wᵢ·sᵢ / Σ wᵢ over the components that apply. The weights maximise a
  smooth AUC (the mean over churned × renewed pairs of a logistic step of their score difference)
  with scipy's SLSQP, each weight between 0 and MAX_WEIGHT and all summing to 1, minus a ridge
  penalty towards the current weights whose strength is chosen out of time within the training
  quarters (fit on all but the last, judged on the last); then rounded to integers summing to 100.
- Bands: per segment, the at-risk line (the lowest minimum score of the bands that are not at
  risk) that maximises the F1 of the at-risk flag on the training renewals scored with the
  candidate weights; a segment with fewer than `min_churns` churns takes the line fitted over all
  segments. The other thresholds keep their distance from the line (the bands keep their widths),
  so the bands stay ordered. Only the at-risk line can be judged by outcomes.
"""

from __future__ import annotations

import csv
import os
import shutil
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from unittest import mock

import duckdb
import numpy as np
import pandas as pd
from rich.console import Console
from rich.table import Table
from scipy.optimize import minimize
from sklearn.metrics import roc_auc_score

from csi.backtest import BAND_COLUMNS, COLUMNS, VERSION, backtest, health_components
from csi.errors import UserError
from csi.paths import warehouse_path

# no component may carry more than this share of the score (over-weighting one signal is the classic
# vanity score)
MAX_WEIGHT = 40
# the logistic step of the smooth AUC, in score points
SMOOTHING_POINTS = 5.0
# ridge strengths towards the current weights, tried out of time within the training quarters
PENALTIES = (0.0, 0.1, 0.3, 1.0, 3.0)
# pairs of the smooth AUC beyond this are sampled (a large portfolio has millions)
MAX_PAIRS = 1_000_000


@dataclass(frozen=True)
class History:
    """The renewals validated in the warehouse and the scoring configuration it holds."""

    renewals: pd.DataFrame  # contract_id, cohort_quarter_start, cohort_quarter, segment, is_churned, <component>_score
    components: list[str]
    weights_version: str
    weights: dict[str, int]
    labels: dict[str, str]
    bands: pd.DataFrame  # segment, band, band_rank, min_score
    at_risk_bands: list[str]
    versions: set[str]


@dataclass(frozen=True)
class Fit:
    weights_version: str
    weights: dict[str, int]
    lines: dict[str, int]
    bands: pd.DataFrame
    training_quarters: list[str]
    holdout_quarters: list[str]
    holdout_from: date


def read_history(warehouse: Path) -> History:
    """What the fit may read: the warehouse's validated renewals and its configuration."""
    if not warehouse.is_file():
        raise UserError(f"no warehouse at {warehouse}: build one first (csi replay, then csi build)")
    components = health_components()
    try:
        with duckdb.connect(str(warehouse), read_only=True) as con:
            renewals = con.execute(
                "select contract_id, cohort_quarter_start, cohort_quarter, segment, is_churned, "
                + ", ".join(f"{component}_score" for component in components)
                + " from intermediate.int_validation__contract_scores where not is_rescored"
            ).df()
            configuration = dict(con.execute("select name, value from marts.dim_configuration").fetchall())
            weights = con.execute("select weights_version, component, weight, label from seeds.health_weights").df()
            bands = con.execute("select segment, band, band_rank, min_score from seeds.health_bands").df()
    except duckdb.CatalogException as error:
        raise UserError(f"{warehouse} has no validation history to fit ({str(error).splitlines()[0]}): "
                        "build it with this version of csi (csi replay, then csi build)") from None
    except duckdb.BinderException as error:
        raise UserError(f"{warehouse} was built by an older csi ({str(error).splitlines()[0]}): rebuild it (csi build)") from None
    except duckdb.Error as error:
        raise UserError(f"{warehouse}: not a readable DuckDB warehouse ({str(error).splitlines()[0]})") from None
    version = configuration.get("weights_version", "")
    current = weights[weights.weights_version == version]
    if current.empty:
        raise UserError(f"{warehouse}: weights version {version!r} of its build is not in seeds.health_weights")
    return History(
        renewals=renewals,
        components=components,
        weights_version=version,
        weights={row.component: int(round(row.weight)) for row in current.itertuples()},
        labels=dict(zip(weights.component, weights.label, strict=True)),
        bands=bands,
        at_risk_bands=[band.strip() for band in configuration.get("at_risk_bands", "").split(",") if band.strip()],
        versions=set(weights.weights_version),
    )


def split(renewals: pd.DataFrame, holdout_quarters: int, min_churns: int) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The older cohort quarters to fit on, the most recent `holdout_quarters` to report on."""
    if holdout_quarters < 1:
        raise UserError("--holdout-quarters must be at least 1")
    quarters = sorted(renewals.cohort_quarter_start.dropna().unique())
    if len(quarters) <= holdout_quarters:
        raise UserError(f"too little history: {len(quarters)} cohort quarter(s) of validated renewals; tuning needs more "
                        f"than the {holdout_quarters} held out (replay more nights or hold out fewer quarters)")
    holdout = renewals.cohort_quarter_start >= quarters[-holdout_quarters]
    train, test = renewals[~holdout], renewals[holdout]
    for name, part in (("fit", train), ("holdout", test)):
        churned = int(part.is_churned.sum())
        if churned in (0, len(part)):
            raise UserError(f"the {name} quarters ({', '.join(sorted(part.cohort_quarter.unique()))}) hold a single "
                            f"outcome class ({'all churned' if churned else 'no churn'}): nothing to fit or judge")
    if (churned := int(train.is_churned.sum())) < min_churns:
        raise UserError(f"too little history: {churned} churned renewals in the fit quarters, fewer than --min-churns "
                        f"{min_churns}")
    return train, test


def composite(scores: np.ndarray, applies: np.ndarray, weights: np.ndarray) -> np.ndarray:
    """Σ wᵢ·sᵢ / Σ wᵢ over the components that apply (NaN where none with a weight does)."""
    divisor = applies @ weights
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(divisor > 0, scores @ weights / np.where(divisor > 0, divisor, 1), np.nan)


def _matrices(renewals: pd.DataFrame, components: list[str]) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    values = renewals[[f"{component}_score" for component in components]].to_numpy(dtype=float)
    applies = ~np.isnan(values)
    return np.nan_to_num(values), applies.astype(float), renewals.is_churned.to_numpy(dtype=bool)


def _fit_fractions(renewals: pd.DataFrame, components: list[str], start: np.ndarray, penalty: float) -> np.ndarray:
    scores, applies, churned = _matrices(renewals, components)
    positives, negatives = np.flatnonzero(churned), np.flatnonzero(~churned)
    if len(positives) * len(negatives) > MAX_PAIRS:
        sampled = np.random.default_rng(0).integers(0, [len(positives), len(negatives)], size=(MAX_PAIRS, 2))
        pairs = positives[sampled[:, 0]], negatives[sampled[:, 1]]
    else:
        pairs = tuple(grid.ravel() for grid in np.meshgrid(positives, negatives, indexing="ij"))

    def loss(weights: np.ndarray) -> float:
        score = np.nan_to_num(composite(scores, applies, weights), nan=50.0)
        # a renewed contract should score above a churned one: the smooth share of pairs in order
        in_order = 1 / (1 + np.exp(-(score[pairs[1]] - score[pairs[0]]) / SMOOTHING_POINTS))
        return -float(in_order.mean()) + penalty * float(np.sum((weights - start) ** 2))

    result = minimize(loss, start, method="SLSQP", bounds=[(0.0, MAX_WEIGHT / 100)] * len(components),
                      constraints=[{"type": "eq", "fun": lambda weights: weights.sum() - 1}], options={"maxiter": 200})
    return np.clip(result.x, 0, MAX_WEIGHT / 100)


def integer_weights(fractions: np.ndarray) -> np.ndarray:
    """Whole weights summing to 100, none above MAX_WEIGHT: the floors, then a point to each of the
    largest remainders among those below the cap."""
    raw = fractions / fractions.sum() * 100
    weights = np.minimum(np.floor(raw), MAX_WEIGHT)
    for index in np.argsort(-(raw - weights), kind="stable"):
        if weights.sum() == 100:
            break
        if weights[index] < MAX_WEIGHT:
            weights[index] += 1
    while weights.sum() < 100:  # every remainder taken: fill the components below the cap
        weights[np.argmin(np.where(weights < MAX_WEIGHT, weights, np.inf))] += 1
    return weights.astype(int)


def _auc(renewals: pd.DataFrame, components: list[str], weights: np.ndarray) -> float:
    scores, applies, churned = _matrices(renewals, components)
    score = composite(scores, applies, weights)
    known = ~np.isnan(score)
    return float(roc_auc_score(churned[known], -score[known]))


def fit_weights(train: pd.DataFrame, components: list[str], current: dict[str, int]) -> dict[str, int]:
    """Integer weights (0 to MAX_WEIGHT, summing to 100) maximising the smooth AUC on `train`, the
    ridge strength chosen on its last quarter by a fit on the quarters before it."""
    start = np.array([current.get(component, 0) for component in components], dtype=float)
    start = np.minimum(start / start.sum(), MAX_WEIGHT / 100) if start.sum() else np.full(len(components), 1 / len(components))
    start = start / start.sum()
    quarters = sorted(train.cohort_quarter_start.unique())
    penalty = PENALTIES[-1]
    if len(quarters) >= 2:
        inner, judge = train[train.cohort_quarter_start < quarters[-1]], train[train.cohort_quarter_start == quarters[-1]]
        if inner.is_churned.nunique() == 2 and judge.is_churned.nunique() == 2:
            judged = {strength: _auc(judge, components, _fit_fractions(inner, components, start, strength))
                      for strength in PENALTIES}
            best = max(judged.values())
            penalty = max(strength for strength, auc in judged.items() if auc >= best - 1e-9)  # ties: the cautious one
    weights = integer_weights(_fit_fractions(train, components, start, penalty))
    return dict(zip(components, (int(w) for w in weights), strict=True))


def best_line(scores: pd.Series, churned: pd.Series, current: float, lowest: int = 1, highest: int = 99) -> int:
    """The whole-point at-risk line in [lowest, highest] (flag a score below it) with the best F1
    against churn; ties go to the line nearest the current one."""
    values, outcome = scores.to_numpy(), churned.to_numpy(dtype=bool)
    best: tuple[float, float, int] | None = None
    for line in range(lowest, highest + 1):
        flagged = values < line
        true_positives = int((flagged & outcome).sum())
        f1 = 2 * true_positives / (flagged.sum() + outcome.sum()) if flagged.any() else 0.0
        key = (f1, -abs(line - current), line)
        if best is None or key > best:
            best = key
    return best[2]


def at_risk_lines(bands: pd.DataFrame, at_risk_bands: list[str]) -> dict[str, float]:
    """Per segment, the lowest min_score of the bands that are not at risk (macro at_risk_lines)."""
    safe = bands[~bands.band.isin(at_risk_bands)]
    if safe.segment.nunique() != bands.segment.nunique():
        raise UserError("every segment needs a band that is not at risk (var at_risk_bands) to have an at-risk line")
    return safe.groupby("segment").min_score.min().to_dict()


def line_range(rows: pd.DataFrame, line: float) -> tuple[int, int]:
    """The whole-point lines a segment's bands can move to and stay ordered within 0..100: one point
    for each threshold below the line (the lowest band starts at 0) and above it."""
    below = int((rows.min_score < line).sum()) - 1
    above = int((rows.min_score > line).sum())
    return below + 1, 100 - above


def fit_bands(train: pd.DataFrame, history: History, weights: dict[str, int], min_churns: int) -> tuple[dict[str, int], pd.DataFrame]:
    """Per-segment at-risk lines fitted on `train` scored with `weights`, and the bands they give."""
    components = history.components
    scores, applies, _ = _matrices(train, components)
    scored = train.assign(score=np.round(composite(scores, applies, np.array([weights[c] for c in components], float)), 2))
    scored = scored[scored.score.notna()]
    current = at_risk_lines(history.bands, history.at_risk_bands)
    ranges = {segment: line_range(rows, current[segment]) for segment, rows in history.bands.groupby("segment")}
    pooled = best_line(scored.score, scored.is_churned, float(np.mean(list(current.values()))),
                       max(low for low, _ in ranges.values()), min(high for _, high in ranges.values()))
    lines = {}
    for segment in sorted(ranges):
        rows = scored[scored.segment == segment]
        enough = rows.is_churned.sum() >= min_churns and (~rows.is_churned).sum() >= min_churns
        lines[segment] = best_line(rows.score, rows.is_churned, current[segment], *ranges[segment]) if enough else pooled
    return lines, shifted_bands(history.bands, history.at_risk_bands, lines)


def shifted_bands(bands: pd.DataFrame, at_risk_bands: list[str], lines: dict[str, int]) -> pd.DataFrame:
    """Each segment's bands moved so its at-risk line is the fitted one: every threshold keeps its
    distance from the line (whole points, within 1..100, a point apart at least); the lowest band
    starts at 0."""
    current = at_risk_lines(bands, at_risk_bands)
    moved = []
    for segment, rows in bands.groupby("segment", sort=True):
        rows = rows.sort_values("min_score")
        shifted = (rows.min_score + lines[segment] - current[segment]).round().to_numpy(copy=True)
        shifted[0] = 0
        for index in range(1, len(shifted)):  # at least a point above the band below
            shifted[index] = max(shifted[index], shifted[index - 1] + 1)
        for index in range(len(shifted) - 1, 0, -1):  # at most 100, a point below the band above
            shifted[index] = min(shifted[index], 100 - (len(shifted) - 1 - index))
        moved.append(rows.assign(min_score=shifted.astype(int)))
    return pd.concat(moved).sort_values(["segment", "band_rank"])[BAND_COLUMNS].reset_index(drop=True)


def fit(history: History, holdout_quarters: int, min_churns: int, version: str | None) -> Fit:
    train, test = split(history.renewals, holdout_quarters, min_churns)
    name = version or f"{history.weights_version}-tuned"
    if not VERSION.match(name):
        raise UserError(f"--version {name!r} may use only letters, digits, '.', '_' and '-'")
    if name in history.versions:
        raise UserError(f"weights version {name!r} exists already: name the candidate with --version")
    weights = fit_weights(train, history.components, history.weights)
    lines, bands = fit_bands(train, history, weights, min_churns)
    return Fit(
        weights_version=name,
        weights=weights,
        lines=lines,
        bands=bands,
        training_quarters=sorted(train.cohort_quarter.unique()),
        holdout_quarters=sorted(test.cohort_quarter.unique()),
        holdout_from=pd.Timestamp(test.cohort_quarter_start.min()).date(),
    )


def write_candidate(result: Fit, history: History, weights_out: Path, bands_out: Path) -> None:
    for path in (weights_out, bands_out):
        if not path.parent.is_dir():
            raise UserError(f"{path}: no folder {path.parent} to write into")
    try:
        with weights_out.open("w", newline="") as file:
            writer = csv.writer(file, lineterminator="\n")
            writer.writerow(COLUMNS)
            for component in history.components:
                writer.writerow([result.weights_version, component, result.weights[component],
                                 history.labels.get(component, component)])
        result.bands.to_csv(bands_out, index=False, lineterminator="\n")
    except OSError as error:
        raise UserError(f"cannot write the candidate: {error}") from None


@contextmanager
def scratch_warehouse(warehouse: Path) -> Iterator[Path]:
    """A throw-away copy of the warehouse that dbt and csi point at while the context lasts, so the
    report's build leaves the user's warehouse and dbt artifacts as they were."""
    with tempfile.TemporaryDirectory(prefix="csi-tune-") as folder:
        copy = Path(folder) / warehouse.name
        shutil.copyfile(warehouse, copy)
        if (wal := warehouse.with_name(warehouse.name + ".wal")).exists():
            shutil.copyfile(wal, copy.with_name(copy.name + ".wal"))
        with mock.patch.dict(os.environ, CSI_WAREHOUSE=str(copy), DBT_TARGET_PATH=str(Path(folder) / "target"),
                             DBT_LOG_PATH=str(Path(folder) / "logs")):
            yield copy


def print_fit(result: Fit, history: History, console: Console) -> None:
    console.print(f"Fitted on the renewals ending in {', '.join(result.training_quarters)}; "
                  f"reported on {', '.join(result.holdout_quarters)}, which the fit never saw.")
    table = Table(title=f"Weights: {history.weights_version} (current) vs {result.weights_version} (candidate)")
    for column in ("Component", history.weights_version, result.weights_version):
        table.add_column(column, justify="left" if column == "Component" else "right")
    for component in history.components:
        table.add_row(history.labels.get(component, component), str(history.weights.get(component, 0)),
                      str(result.weights[component]))
    console.print(table)
    current = at_risk_lines(history.bands, history.at_risk_bands)
    lines = Table(title="At-risk line per segment (a score below it is at risk)")
    for column in ("Segment", "Current", "Candidate"):
        lines.add_column(column, justify="left" if column == "Segment" else "right")
    for segment, line in result.lines.items():
        lines.add_row(segment, f"{current[segment]:g}", str(line))
    console.print(lines)


def tune(weights_out: Path, bands_out: Path, version: str | None = None, holdout_quarters: int = 2,
         min_churns: int = 10, console: Console | None = None) -> tuple[Fit, dict[str, dict]]:
    """Fit a candidate on the older quarters, write it, and report it beside the current weights on
    the held-out ones."""
    console = console or Console()
    warehouse = warehouse_path()
    history = read_history(warehouse)
    result = fit(history, holdout_quarters, min_churns, version)
    write_candidate(result, history, weights_out, bands_out)
    print_fit(result, history, console)
    with scratch_warehouse(warehouse):
        metrics = backtest(weights_out, console=console, bands_file=bands_out, validate_from=result.holdout_from)
    console.print(f"Wrote {weights_out} and {bands_out}. Nothing is adopted: to adopt, add the weights rows to "
                  "seeds/health/health_weights.csv and set the default weights_version, and copy the bands to "
                  "seeds/health/health_bands.csv.")
    return result, metrics

