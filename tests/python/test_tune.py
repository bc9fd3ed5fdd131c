"""`csi tune` on synthetic renewals: the constraints every candidate keeps (whole weights summing to
100, none above the cap; bands ordered in each segment), that the fit follows the signal and holds
the recent quarters out, that its files read back as a backtest reads them, and one-line errors
for too little history, a single outcome class and bad files. No dbt build: seconds."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import duckdb
import numpy as np
import pandas as pd
import pytest

from csi.backtest import health_components, read_bands, read_candidate
from csi.errors import UserError
from csi.paths import PROJECT_DIR
from csi.tune import (
    MAX_WEIGHT,
    History,
    at_risk_lines,
    best_line,
    fit,
    integer_weights,
    read_history,
    shifted_bands,
    split,
    write_candidate,
)

COMPONENTS = health_components()
BANDS = pd.read_csv(PROJECT_DIR / "seeds" / "health" / "health_bands.csv")
AT_RISK = ["At Risk", "Critical"]
CURRENT = dict(zip(*pd.read_csv(PROJECT_DIR / "seeds" / "health" / "health_weights.csv")[["component", "weight"]]
                   .to_numpy().T, strict=True))


def renewals(quarters: int = 4, per_quarter: int = 120, seed: int = 3) -> pd.DataFrame:
    """Renewals whose churn follows the usage score (and a little the churn_risk score); the other
    components are noise; insider_calls applies to a third of them."""
    rng = np.random.default_rng(seed)
    rows = []
    for quarter in range(quarters):
        start = pd.Timestamp(2026, 3 * quarter + 1, 1)
        for index in range(per_quarter):
            usage = rng.uniform(0, 100)
            churn_risk = rng.uniform(0, 100)
            risk = 1 / (1 + np.exp((usage - 35) / 8 + (churn_risk - 50) / 40))
            row = {component: rng.uniform(0, 100) for component in COMPONENTS}
            row.update(usage=usage, churn_risk=churn_risk)
            if index % 3:
                row["insider_calls"] = np.nan
            rows.append({
                "contract_id": f"c{quarter}-{index}", "cohort_quarter_start": start,
                "cohort_quarter": f"2026-Q{quarter + 1}", "segment": ["enterprise", "mid-market", "smb"][index % 3],
                "is_churned": bool(rng.uniform() < risk), **{f"{c}_score": v for c, v in row.items()},
            })
    return pd.DataFrame(rows)


def history(frame: pd.DataFrame) -> History:
    return History(renewals=frame, components=COMPONENTS, weights_version="2026.11", weights=CURRENT,
                   labels={c: c for c in COMPONENTS}, bands=BANDS, at_risk_bands=AT_RISK, versions={"2026.11"})


@pytest.mark.parametrize("seed", range(20))
def test_whole_weights_sum_to_100_and_respect_the_cap(seed: int):
    rng = np.random.default_rng(seed)
    fractions = rng.dirichlet(np.full(len(COMPONENTS), 0.3))
    fractions = np.minimum(fractions, 0.4) if seed % 2 else fractions
    weights = integer_weights(fractions)
    assert weights.sum() == 100 and weights.min() >= 0 and weights.max() <= MAX_WEIGHT
    assert weights.dtype.kind == "i"


def test_the_fit_follows_the_signal_within_the_constraints_and_holds_out_the_recent_quarters():
    result = fit(history(renewals()), holdout_quarters=2, min_churns=10, version="cand")
    weights = result.weights
    assert set(weights) == set(COMPONENTS) and sum(weights.values()) == 100
    assert all(isinstance(w, int) and 0 <= w <= MAX_WEIGHT for w in weights.values())
    noise = [weights[c] for c in COMPONENTS if c not in ("usage", "churn_risk")]
    assert weights["usage"] > max(noise), weights
    assert result.training_quarters == ["2026-Q1", "2026-Q2"] and result.holdout_quarters == ["2026-Q3", "2026-Q4"]
    assert str(result.holdout_from) == "2026-07-01"
    for segment, rows in result.bands.groupby("segment"):
        scores = rows.sort_values("band_rank").min_score.tolist()
        assert scores == sorted(scores, reverse=True) and len(set(scores)) == len(scores) and scores[-1] == 0, segment
    assert at_risk_lines(result.bands, AT_RISK) == result.lines


def test_the_holdout_never_reaches_the_fit(monkeypatch: pytest.MonkeyPatch):
    """Changing the outcomes of the held-out quarters changes nothing in the candidate."""
    frame = renewals()
    flipped = frame.assign(is_churned=np.where(frame.cohort_quarter_start >= "2026-07-01", ~frame.is_churned,
                                               frame.is_churned))
    one, other = fit(history(frame), 2, 10, "a"), fit(history(flipped), 2, 10, "a")
    assert one.weights == other.weights and one.lines == other.lines


def test_bands_stay_ordered_wherever_the_line_goes():
    for line in range(1, 100):
        segments = {segment: line for segment in BANDS.segment.unique()}
        bands = shifted_bands(BANDS, AT_RISK, segments)
        for _, rows in bands.groupby("segment"):
            scores = rows.sort_values("band_rank").min_score.tolist()
            assert all(high > low for high, low in zip(scores, scores[1:])) and scores[-1] == 0 and scores[0] <= 100


def test_the_line_maximises_f1_and_ties_stay_near_the_current_line():
    scores = pd.Series([10, 20, 30, 40, 50, 60, 70, 80])
    churned = pd.Series([True, True, True, False, True, False, False, False])
    # a line from 51 to 60 flags 4 churns among 5 (F1 8/9), one from 21 to 30 2 of 2 (F1 2/3)
    assert best_line(scores, churned, current=20) == 51  # 51 to 60 flag the same contracts: the nearest
    assert best_line(scores, churned, current=58) == 58


def test_the_candidate_files_read_back_as_a_backtest_reads_them(tmp_path: Path):
    source = history(renewals())
    result = fit(source, 2, 10, "2026.12-tuned")
    write_candidate(result, source, tmp_path / "weights.csv", tmp_path / "bands.csv")
    candidate = read_candidate(tmp_path / "weights.csv")
    assert candidate.weights_version == "2026.12-tuned" and candidate.weights == {c: float(w) for c, w in result.weights.items()}
    assert len(read_bands(tmp_path / "bands.csv")) == len(BANDS)


def test_too_little_history_or_a_single_outcome_class_is_a_user_error():
    frame = renewals()
    with pytest.raises(UserError, match="too little history: 2 cohort quarter"):
        split(frame[frame.cohort_quarter.isin(["2026-Q1", "2026-Q2"])], 2, 10)
    with pytest.raises(UserError, match="single outcome class"):
        split(frame.assign(is_churned=False), 2, 10)
    holdout_all_churned = frame.assign(is_churned=frame.is_churned | (frame.cohort_quarter_start >= "2026-07-01"))
    with pytest.raises(UserError, match="holdout quarters .* single outcome class .*all churned"):
        split(holdout_all_churned, 2, 10)
    with pytest.raises(UserError, match="fewer than --min-churns 10000"):
        split(frame, 2, 10_000)
    with pytest.raises(UserError, match="--holdout-quarters must be at least 1"):
        split(frame, 0, 10)
    with pytest.raises(UserError, match="exists already"):
        fit(history(frame), 2, 10, "2026.11")


def test_bad_files_are_user_errors(tmp_path: Path):
    with pytest.raises(UserError, match="no warehouse at"):
        read_history(tmp_path / "none.duckdb")
    garbage = tmp_path / "garbage.duckdb"
    garbage.write_bytes(b"this is not a database" * 100)
    with pytest.raises(UserError, match="not a readable DuckDB warehouse"):
        read_history(garbage)
    empty = tmp_path / "empty.duckdb"
    duckdb.connect(str(empty)).close()
    with pytest.raises(UserError, match="no validation history"):
        read_history(empty)
    source = history(renewals())
    with pytest.raises(UserError, match="no folder"):
        write_candidate(fit(source, 2, 10, "x"), source, tmp_path / "missing" / "w.csv", tmp_path / "b.csv")
    unordered = tmp_path / "bands.csv"
    unordered.write_text("segment,band,band_rank,min_score\nsmb,Healthy,1,50\nsmb,Watch,2,60\nsmb,Critical,3,0\n")
    with pytest.raises(UserError, match="bands of smb are not ordered"):
        read_bands(unordered)


def test_the_command_fails_in_one_line(tmp_path: Path):
    env = {**os.environ, "CSI_WAREHOUSE": str(tmp_path / "none.duckdb")}
    result = subprocess.run([sys.executable, "-c", "from csi.cli import main; main()", "tune"],
                            capture_output=True, text=True, cwd=tmp_path, env=env)
    assert result.returncode == 2 and result.stderr.count("\n") == 1 and "no warehouse at" in result.stderr
