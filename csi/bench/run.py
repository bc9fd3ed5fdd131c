"""`csi bench`: the project's own generator at several sizes, every figure of one size measured in
one run (the machine is shared and noisy: compare ratios, not absolute seconds).

Per size: (a) the full `dbt build`; (b) a nightly run: the warehouse built as the previous night's
sync stood, then tonight's sync loaded and built incrementally; (c) the floor: the models' compiled
SQL straight in DuckDB, and one scan of the raw tables; (d) a polars implementation of the score on
the same inputs as the dbt score models; peak memory of each; then publishing, the dashboard's tab
render times over the published copy, and (e) a reweighting from `csi rescore` to a new page load."""

from __future__ import annotations

import json
import os
import platform
import shutil
import sys
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from graphlib import TopologicalSorter
from pathlib import Path

import psutil
from rich.console import Console

from csi.bench.measure import Measurement, measure
from csi.replay import land_night

SEED = 42
DIRTY_RATE = 0.01
SCORE_MART = "model.client_success_intelligence.fct_account_health"


@dataclass
class SizeResult:
    accounts: int
    raw_rows: int = 0
    steps: dict[str, Measurement] = field(default_factory=dict)
    score_models_seconds: float = 0.0  # dbt's own timing of the models between the score inputs and the mart
    dashboard_tabs: dict[str, float] = field(default_factory=dict)
    # After `csi rescore` of a reweighting: a new page load's seconds, and the average health score the
    # page showed before and after
    rescore_page_seconds: float | None = None
    rescore_page_scores: tuple[str, str] | None = None
    # dbt's own execution time per resource type (summed over its 2 threads), per build
    dbt_time_by_kind: dict[str, dict[str, float]] = field(default_factory=dict)
    # Per build: the nodes dbt ran, by resource type, and the slowest ten (name, execution seconds)
    dbt_nodes_by_kind: dict[str, dict[str, int]] = field(default_factory=dict)
    slowest_nodes: dict[str, list[tuple[str, float]]] = field(default_factory=dict)

    def work(self, step: str) -> float:
        measured = self.steps[step]
        return measured.work_seconds if measured.work_seconds is not None else measured.seconds


def csi_command(*args: str) -> list[str]:
    return [str(Path(sys.executable).with_name("csi")), *args]


def step_command(*args: str) -> list[str]:
    return [sys.executable, "-m", "csi.bench.steps", *args]


def warehouse_env(root: Path, warehouse: Path, name: str) -> dict[str, str]:
    """A warehouse of its own, with dbt's artifacts and DuckDB's spill files beside it."""
    return {"CSI_WAREHOUSE": str(warehouse), "DBT_TARGET_PATH": str(root / f"target_{name}"),
            "DBT_LOG_PATH": str(root / "logs"), "CSI_DUCKDB_TEMP_DIR": str(root / f"spill_{name}")}


def prepared_data(root: Path, accounts: int, today: date, result: SizeResult, log: Path) -> Path:
    """The generated sources and a loaded copy of them, reused when they match this run."""
    data, loaded = root / "data", root / "loaded.duckdb"
    summary = data / "generation.json"
    wanted = {"accounts": accounts, "seed": SEED, "today": today.isoformat(), "dirty_rate": DIRTY_RATE}
    current = json.loads(summary.read_text()) if summary.exists() else {}
    if any(current.get(key) != value for key, value in wanted.items()):
        shutil.rmtree(root, ignore_errors=True)
        root.mkdir(parents=True)
        result.steps["generate"] = measure("generate", csi_command(
            "generate", "--out", str(data), "--accounts", str(accounts), "--seed", str(SEED),
            "--today", today.isoformat(), "--dirty", str(DIRTY_RATE)), log)
        current = json.loads(summary.read_text())
    if not loaded.exists():
        result.steps["load"] = measure("load", csi_command("load", str(data)), log,
                                       warehouse_env(root, loaded, "load"))
    result.raw_rows = sum(current["rows"].values())
    return data


def score_model_ids(manifest: dict) -> set[str]:
    """The models that compute the score: descendants of the score's inputs (the relations the
    polars job reads) that the score mart depends on, the mart included."""
    from csi.bench.polars_score import SCORE_INPUTS

    nodes = manifest["nodes"]
    inputs = {uid for uid, node in nodes.items() if node["resource_type"] == "model" and node["name"] in SCORE_INPUTS}
    ancestors, stack = set(), [SCORE_MART]
    while stack:
        for parent in nodes.get(stack.pop(), {}).get("depends_on", {}).get("nodes", []):
            if parent not in ancestors and parent in nodes:
                ancestors.add(parent)
                stack.append(parent)
    graph = {uid: nodes[uid]["depends_on"].get("nodes", []) for uid in ancestors | {SCORE_MART}}
    downstream: set[str] = set()
    for uid in TopologicalSorter(graph).static_order():
        if uid in inputs or any(parent in downstream or parent in inputs for parent in graph.get(uid, [])):
            downstream.add(uid)
    return {uid for uid in downstream - inputs if nodes.get(uid, {}).get("resource_type") == "model"}


def run_results(target: Path) -> list[dict]:
    """What dbt ran in the build whose artifacts are in `target`, node by node."""
    return json.loads((target / "run_results.json").read_text())["results"]


def dbt_seconds(target: Path, unique_ids: set[str]) -> float:
    return sum(r["execution_time"] for r in run_results(target) if r["unique_id"] in unique_ids)


def record_dbt_time(result: SizeResult, build: str, target: Path) -> None:
    """What dbt's run results say of a build: its execution time and node count per resource type
    and its ten slowest nodes."""
    totals: dict[str, float] = {}
    counts: dict[str, int] = {}
    ran = run_results(target)
    for r in ran:
        kind = r["unique_id"].split(".")[0]
        totals[kind] = totals.get(kind, 0.0) + r["execution_time"]
        counts[kind] = counts.get(kind, 0) + 1
    result.dbt_time_by_kind[build] = totals
    result.dbt_nodes_by_kind[build] = counts
    slowest = sorted(ran, key=lambda r: r["execution_time"], reverse=True)[:10]
    # A data test's unique id ends in a hash of its arguments: its name says which test it is.
    result.slowest_nodes[build] = [(r["unique_id"].split(".")[2], round(r["execution_time"], 2)) for r in slowest]


def bench_size(accounts: int, work_dir: Path, today: date, console: Console, build_only: bool = False) -> SizeResult:
    """Every step at one size; `build_only` stops after the full build (its time and peak memory)."""
    from csi.bench.polars_score import export_score_inputs

    root = work_dir / str(accounts)
    root.mkdir(parents=True, exist_ok=True)
    log = root / "bench.log"
    result = SizeResult(accounts)
    data = prepared_data(root, accounts, today, result, log)
    loaded = root / "loaded.duckdb"
    # dbt's partial parse keeps the seeds' absolute paths: one left by another checkout of the
    # project would load that checkout's seeds, or fail once it is gone.
    for parse in root.glob("target_*/partial_parse.msgpack"):
        parse.unlink()

    def copy_of_loaded(name: str) -> Path:
        copy = root / f"{name}.duckdb"
        copy.with_name(f"{copy.name}.wal").unlink(missing_ok=True)  # left by an interrupted run: not this copy's
        shutil.copy(loaded, copy)
        return copy

    def run(step: str, command: list[str], env: dict[str, str] | None = None) -> None:
        console.print(f"  {accounts:>9,} accounts: {step} ...")
        result.steps[step] = measure(step, command, log, env)
        console.print(f"  {accounts:>9,} accounts: {step} {result.steps[step].seconds:.1f} s, "
                      f"{result.steps[step].peak_mb:,.0f} MB")

    # A build-only size builds in its loaded warehouse itself (the next run loads the sources again):
    # at 1M accounts a copy would take 13 GB of the disk the build needs.
    full = loaded.rename(root / "full.duckdb") if build_only else copy_of_loaded("full")
    run("full build", step_command("build", today.isoformat()), warehouse_env(root, full, "full"))
    manifest_path = root / "target_full" / "manifest.json"
    result.score_models_seconds = dbt_seconds(root / "target_full", score_model_ids(json.loads(manifest_path.read_text())))
    record_dbt_time(result, "full build", root / "target_full")
    if build_only:
        full.unlink()
        _remove_spill(root)
        return result

    run("score models alone", step_command("score-models", today.isoformat(), str(root / "target_full")),
        warehouse_env(root, full, "score"))
    floor = root / "floor.duckdb"
    shutil.copy(full, floor)
    run("floor: models' SQL", step_command("floor-models", str(floor), str(root / "target_full")))
    run("floor: raw scan", step_command("floor-scan", str(floor), str(root / "target_full")))
    floor.unlink()

    inputs = root / "score_inputs"
    export_score_inputs(full, inputs)
    run("polars score", step_command("polars-score", str(inputs), today.isoformat()))
    shutil.rmtree(inputs)

    published = root / "published"
    run("publish", csi_command("publish", "--out", str(published)), warehouse_env(root, full, "full"))
    os.environ.setdefault("STREAMLIT_LOGGER_LEVEL", "error")  # the bare test runner warns on every render
    try:
        from csi.dashboard.timing import tab_render_seconds

        result.dashboard_tabs = tab_render_seconds(published)
    except Exception as error:  # noqa: BLE001 - the bench reports what it could not measure
        console.print(f"  dashboard timing failed: {error}")
    rescore_path(root, {**warehouse_env(root, full, "full"), "CSI_PUBLISHED_DIR": str(published)}, result, run)
    full.unlink()

    nightly = copy_of_loaded("nightly")
    land_night(nightly, data, today - timedelta(days=1))
    run("previous night's build", step_command("build", (today - timedelta(days=1)).isoformat()),
        warehouse_env(root, nightly, "nightly"))
    run("nightly load", csi_command("load", str(data)), warehouse_env(root, nightly, "nightly"))
    run("nightly build", step_command("build", today.isoformat(), "--nightly"), warehouse_env(root, nightly, "nightly"))
    record_dbt_time(result, "nightly build", root / "target_nightly")
    nightly.unlink()
    _remove_spill(root)
    return result


def rescore_path(root: Path, env: dict[str, str], result: SizeResult,
                 run: Callable[[str, list[str], dict[str, str]], None]) -> None:
    """`csi rescore` after moving 5 points of weight from QBR cadence to usage in a copy of the
    project, on the full build's warehouse, then a new page load of the dashboard open over its
    publication. A first rescore, before the edit, compiles the plan (once per project and as-of date)."""
    from csi.bench.rescore import copy_project, dashboard_page, move_weight, page_load

    project = copy_project(root / "project")
    shutil.rmtree(root / ".rescore", ignore_errors=True)  # the compiled plan a previous bench run left
    env = {**env, "CSI_PROJECT_DIR": str(project)}
    run("rescore: first run (compiles)", csi_command("rescore"), env)
    page = dashboard_page(Path(env["CSI_PUBLISHED_DIR"]))
    _, before = page_load(page)
    move_weight(project, "qbr_cadence", "usage", 5)
    run("rescore", csi_command("rescore"), env)
    result.rescore_page_seconds, after = page_load(page)
    result.rescore_page_scores = (before, after)
    shutil.rmtree(project)


def _remove_spill(root: Path) -> None:
    for spill in root.glob("spill_*"):
        shutil.rmtree(spill, ignore_errors=True)


def machine() -> dict[str, str]:
    import dbt.version
    import duckdb
    import polars

    cpu = next((line.split(":", 1)[1].strip() for line in Path("/proc/cpuinfo").read_text().splitlines()
                if line.startswith("model name")), platform.processor())
    return {
        "cpu": f"{cpu}, {psutil.cpu_count()} cores", "memory": f"{psutil.virtual_memory().total / 2**30:.0f} GB",
        "os": platform.platform(), "python": platform.python_version(), "dbt-core": dbt.version.__version__,
        "duckdb": duckdb.__version__, "polars": polars.__version__,
        "load average at the end": " ".join(f"{x:.1f}" for x in psutil.getloadavg()),
    }


def bench(sizes: list[int], work_dir: Path, out_dir: Path, today: date,
          build_only: frozenset[int] = frozenset()) -> list[SizeResult]:
    """Measure each size in turn (`build_only` sizes: the full build alone) and write the report."""
    from csi.bench.report import write_report

    console = Console()
    started = datetime.now(UTC)
    results = []
    for accounts in sizes:
        console.rule(f"{accounts:,} accounts")
        results.append(bench_size(accounts, work_dir, today, console, accounts in build_only))
        write_report(results, machine(), started, out_dir)  # after each size: a long run keeps what it measured
    console.print(f"results in {out_dir / 'results.md'}")
    return results

