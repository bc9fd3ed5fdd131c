"""The steps the benchmark measures, each run as `python -m csi.bench.steps STEP ARGS` in a child
process of its own, so its time and peak memory are its own. A step prints `seconds=<s>` for the
part worth timing without the interpreter's start-up (dbt's and polars' imports take seconds)."""

from __future__ import annotations

import json
import sys
import time
from datetime import date
from pathlib import Path

from csi.paths import PROJECT_DIR


def build(as_of: str, *flags: str) -> None:
    """The nightly job's `dbt build` as of a date: seeds, models, snapshots and data tests (unit
    tests check the SQL, once per change in CI); no publishing. `--nightly` follows last night's
    build, as `csi build --nightly` does."""
    from csi.build import build as build_project
    from csi.dbt import DbtProject

    project = DbtProject(quiet=True)
    project.parse()
    started = time.perf_counter()
    build_project(project, as_of=date.fromisoformat(as_of), unit_tests=False, nightly="--nightly" in flags)
    print(f"seconds={time.perf_counter() - started:.3f}")


def score_models(as_of: str, target: str) -> None:
    """The score models (between the polars job's inputs and the score mart) run alone by dbt on the
    full build's warehouse, as the polars job runs alone: the fair side of that comparison."""
    from csi.bench.run import score_model_ids
    from csi.dbt import DbtProject

    manifest = json.loads((Path(target) / "manifest.json").read_text())
    names = sorted(manifest["nodes"][uid]["name"] for uid in score_model_ids(manifest))
    project = DbtProject(quiet=True)
    project.parse()
    started = time.perf_counter()
    project.invoke(["run", "--select", *names], date.fromisoformat(as_of))
    print(f"seconds={time.perf_counter() - started:.3f}")


def floor_models(warehouse: str, target: str) -> None:
    """The models the build ran, from its manifest and run results in the dbt target folder."""
    from csi.bench.floor import run_models
    from csi.bench.run import run_results

    manifest = json.loads((Path(target) / "manifest.json").read_text())
    built = {result["unique_id"] for result in run_results(Path(target)) if result["status"] == "success"}
    started = time.perf_counter()
    run_models(Path(warehouse), manifest, built)
    print(f"seconds={time.perf_counter() - started:.3f}")


def floor_scan(warehouse: str, target: str) -> None:
    from csi.bench.floor import scan_sources

    started = time.perf_counter()
    scan_sources(Path(warehouse), json.loads((Path(target) / "manifest.json").read_text()))
    print(f"seconds={time.perf_counter() - started:.3f}")


def polars_score(inputs: str, as_of: str) -> None:
    from csi.bench.polars_score import polars_health_scores

    started = time.perf_counter()
    scores = polars_health_scores(Path(inputs), date.fromisoformat(as_of), PROJECT_DIR / "seeds" / "health")
    print(f"seconds={time.perf_counter() - started:.3f} accounts={scores.height}")


STEPS = {"build": build, "score-models": score_models, "floor-models": floor_models, "floor-scan": floor_scan, "polars-score": polars_score}

if __name__ == "__main__":
    STEPS[sys.argv[1]](*sys.argv[2:])
