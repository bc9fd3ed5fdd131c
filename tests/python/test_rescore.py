"""`csi rescore`: after an edit to the scoring seeds, the score and what reads it are rebuilt from
dbt's compiled SQL straight in DuckDB and published, exactly as `dbt build` would build them, without
touching the snapshots; `--preview` publishes to a copy of its own; a bad seed changes nothing.

Every warehouse here is a copy of the shared `fresh_warehouse`, and every rescore reads one compiled
plan (one project, one as-of date): the module compiles once."""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path
from unittest import mock

import duckdb
import pytest
import yaml

from csi.bench.rescore import WEIGHTS, copy_project, dashboard_page, move_weight, page_load
from csi.paths import PROJECT_DIR
from csi.publish import DATABASE_NAME, PARQUET_LINK, PREVIEW_DIR, publish
from csi.rescore import SCORING_SEEDS, Rescore, plan_from_manifest, rescore, source_hash

VARS = yaml.safe_load((PROJECT_DIR / "dbt_project.yml").read_text())["vars"]

CSI = Path(sys.executable).with_name("csi")
FLOAT_TYPES = ("DOUBLE", "FLOAT", "REAL")


@dataclass(frozen=True)
class Setup:
    root: Path  # the module's folder; root/.rescore is the compiled plan's cache for every warehouse
    project: Path  # a copy of the project with 5 points of weight moved from QBR cadence to usage

    @property
    def cache(self) -> Path:
        return self.root / ".rescore"

    def warehouse(self, fresh_warehouse, name: str) -> Path:
        """A copy of the fresh warehouse in a folder of its own, published there."""
        path = self.root / name / "csi.duckdb"
        path.parent.mkdir()
        shutil.copy(fresh_warehouse.path, path)
        publish(path, path.parent / "published")
        return path


@pytest.fixture(scope="module")
def setup(tmp_path_factory) -> Setup:
    root = tmp_path_factory.mktemp("rescore")
    project = copy_project(root / "project")
    move_weight(project, "qbr_cadence", "usage", 5)
    return Setup(root, project)


@dataclass(frozen=True)
class Rescored:
    result: Rescore
    warehouse: Path
    page: object  # a dashboard session opened over the publication before the rescore
    shown_before: str  # the average health score it showed then


@pytest.fixture(scope="module")
def rescored(setup, fresh_warehouse) -> Rescored:
    warehouse = setup.warehouse(fresh_warehouse, "rescored")
    page = dashboard_page(warehouse.parent / "published")
    _, shown_before = page_load(page)
    result = rescore(project_dir=setup.project, warehouse=warehouse, published=warehouse.parent / "published",
                     cache=setup.cache)
    return Rescored(result, warehouse, page, shown_before)


@pytest.fixture(scope="module")
def dbt_built(setup, fresh_warehouse, rescored) -> Path:
    """The same nodes built by `dbt build` from the same edited project on another copy."""
    from csi.dbt import DbtProject

    warehouse = setup.warehouse(fresh_warehouse, "dbt")
    names = [node.name for node in rescored.result.plan.of_kind("seed", "view", "table")]
    with mock.patch.dict(os.environ, CSI_WAREHOUSE=str(warehouse), DBT_TARGET_PATH=str(warehouse.parent / "target")):
        DbtProject(quiet=True, project_dir=setup.project).invoke(
            ["build", "--select", *names, "--exclude-resource-type", "test", "unit_test"], fresh_warehouse.today)
    return warehouse


def _columns(con: duckdb.DuckDBPyConnection, catalog: str, relation: str) -> list[tuple[str, str]]:
    schema, table = relation.split(".")
    return con.execute("select column_name, data_type from information_schema.columns where table_catalog = ? "
                       "and table_schema = ? and table_name = ? order by ordinal_position",
                       [catalog, schema, table]).fetchall()


def _differing_rows(con: duckdb.DuckDBPyConnection, left: str, right: str, relation: str) -> int:
    """Rows of `relation` in one attached catalog and not the other (doubles to 6 decimals: a sum's last
    bits depend on the order DuckDB's threads add in)."""
    select = ", ".join(f'round("{name}", 6)' if kind in FLOAT_TYPES else f'"{name}"'
                       for name, kind in _columns(con, left, relation))
    return con.execute(f"select (select count(*) from (select {select} from {left}.{relation} except all "
                       f"select {select} from {right}.{relation})) + (select count(*) from (select {select} from "
                       f"{right}.{relation} except all select {select} from {left}.{relation}))").fetchall()[0][0]


def _attached(**databases: Path) -> duckdb.DuckDBPyConnection:
    con = duckdb.connect()
    for name, path in databases.items():
        con.execute(f"attach '{path}' as {name} (read_only)")
    return con


def _planned(rescored: Rescored) -> list[str]:
    return [f"{node.schema}.{node.identifier}" for node in rescored.result.plan.of_kind("seed", "view", "table")]


def test_a_rescore_after_a_weight_edit_equals_a_dbt_build_of_the_same_nodes(rescored, dbt_built, fresh_warehouse):
    con = _attached(rescored=rescored.warehouse, dbt=dbt_built, before=fresh_warehouse.path)
    planned = _planned(rescored)
    assert {"seeds.health_weights", "intermediate.int_health__components", "marts.fct_account_health",
            "marts.fct_account_health_components", "marts.fct_at_risk_accounts", "marts.fct_health_score_summary",
            "marts.fct_csm_leaderboard"} <= set(planned)
    for relation in planned:
        assert _columns(con, "rescored", relation) == _columns(con, "dbt", relation), relation
        assert _differing_rows(con, "rescored", "dbt", relation) == 0, relation
    # the edit moved the scores, so the comparison above compares new scores
    assert _differing_rows(con, "rescored", "before", "marts.fct_account_health") > 0
    assert con.execute("select weight from rescored.seeds.health_weights where component = 'usage' and weights_version = ?",
                       [VARS["weights_version"]]).fetchall() == [(25,)]
    assert rescored.result.customers == con.execute("select count(*) from dbt.marts.fct_account_health"
                                                    ).fetchall()[0][0]


def test_a_rescore_never_touches_the_snapshots(rescored, fresh_warehouse):
    con = _attached(rescored=rescored.warehouse, before=fresh_warehouse.path)
    snapshots = [f"snapshots.{name}" for (name,) in con.execute(
        "select table_name from information_schema.tables where table_catalog = 'before' and table_schema = 'snapshots'"
    ).fetchall()]
    assert {"snapshots.snap_account_health", "snapshots.snap_account_health_nights"} <= set(snapshots)
    assert not any(relation.startswith("snapshots.") for relation in _planned(rescored))
    for relation in snapshots:
        assert con.execute(f"select count(*) from (from rescored.{relation} except all from before.{relation})"
                           ).fetchall()[0][0] == 0, relation
        assert con.execute(f"select count(*) from rescored.{relation}").fetchall() == \
            con.execute(f"select count(*) from before.{relation}").fetchall(), relation


def test_a_dashboard_open_before_the_rescore_shows_the_new_scores_on_its_next_page_load(rescored):
    published = rescored.result.publication.database
    con = _attached(rescored=rescored.warehouse, published=published)
    assert _differing_rows(con, "rescored", "published", "marts.fct_account_health") == 0
    average = con.execute("select average_health_score from published.marts.fct_health_score_summary "
                          "where segment = 'all' and score_band = 'all'").fetchall()[0][0]
    _, shown = page_load(rescored.page)
    assert shown == f"{average:.1f}" != rescored.shown_before


def _sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_a_preview_publishes_its_own_copy_and_leaves_the_warehouse_and_the_published_copy_alone(
        setup, fresh_warehouse, rescored):
    warehouse = setup.warehouse(fresh_warehouse, "preview")
    published = warehouse.parent / "published"
    before = {path: _sha256(path) for path in (warehouse, published / DATABASE_NAME)}
    link = os.readlink(published / PARQUET_LINK)

    preview = rescore(preview=True, project_dir=setup.project, warehouse=warehouse, published=published,
                      cache=setup.cache)

    assert preview.publication.database == published / PREVIEW_DIR / DATABASE_NAME
    assert {path: _sha256(path) for path in before} == before
    assert os.readlink(published / PARQUET_LINK) == link
    assert not list(warehouse.parent.glob("*.wal"))
    con = _attached(preview=preview.publication.database, production=published / DATABASE_NAME,
                    rescored=rescored.result.publication.database, warehouse=warehouse)
    for relation in ("marts.fct_account_health", "marts.fct_health_score_summary", "seeds.health_weights"):
        assert _differing_rows(con, "preview", "rescored", relation) == 0, relation  # the same edit, published
    assert _differing_rows(con, "preview", "production", "marts.fct_account_health") > 0
    assert _differing_rows(con, "preview", "warehouse", "snapshots.snap_account_health") == 0
    assert _differing_rows(con, "preview", "warehouse", "marts.fct_quarantined_rows") == 0  # not rescored: as built

    page = dashboard_page(published)
    _, production_average = page_load(page)
    page.query_params[PREVIEW_DIR] = ""
    _, preview_average = page_load(page)
    averages = dict(con.execute("select 'preview', average_health_score from preview.marts.fct_health_score_summary "
                                "where segment = 'all' and score_band = 'all' union all select 'production', "
                                "average_health_score from production.marts.fct_health_score_summary "
                                "where segment = 'all' and score_band = 'all'").fetchall())
    assert (production_average, preview_average) == (f"{averages['production']:.1f}", f"{averages['preview']:.1f}")
    assert any("Preview" in warning.value for warning in page.warning)


def _fingerprint(warehouse: Path) -> dict[str, tuple]:
    """Every table's row count and content hash, in the schemas a rescore or a publish could touch."""
    with duckdb.connect(str(warehouse), read_only=True) as con:
        tables = con.execute("select table_schema || '.' || table_name from information_schema.tables where "
                             "table_type = 'BASE TABLE' and table_schema in ('seeds', 'intermediate', 'marts', "
                             "'snapshots')").fetchall()
        return {table: con.execute(f"select count(*), sum(hash(t)) from {table} as t").fetchall()[0]
                for (table,) in tables}


def _edit_weights(project: Path, edit) -> None:
    path = project / WEIGHTS
    path.write_text(edit(path.read_text()))


BAD_SEEDS = {
    "weights that do not sum to 100": (
        lambda text: text.replace(",usage,25,", ",usage,21,"),
        "test assert_active_health_weights_sum_to_100 failed (1 failing): weights_version=2026.11, total_weight=96.0"),
    "a missing column": (
        lambda text: "\n".join(line.rsplit(",", 1)[0] for line in text.splitlines()) + "\n",
        "seeds/health/health_weights.csv has no column label: expected weights_version,component,weight,label"),
    "a weight that is not a number": (
        lambda text: text.replace(",usage,25,", ",usage,twenty-five,"),
        'seeds/health/health_weights.csv line 3: Error when converting column "weight". '
        'Could not convert string "twenty-five"'),
    "a negative weight": (
        lambda text: text.replace(",usage,25,", ",usage,-5,").replace(",churn_risk,25,", ",churn_risk,55,"),
        "test in_range_health_weights_weight__100__0 failed (1 failing): weight=-5.0"),
}


@pytest.fixture(scope="module")
def cli_warehouse(setup, fresh_warehouse, rescored) -> Path:
    """A copy the command line rescores: at the module's root, so its cache is the module's."""
    path = setup.root / "csi.duckdb"
    shutil.copy(fresh_warehouse.path, path)
    publish(path, setup.root / "published")
    return path


def _csi_rescore(project: Path, warehouse: Path, *args: str) -> subprocess.CompletedProcess:
    env = {**os.environ, "CSI_PROJECT_DIR": str(project), "CSI_WAREHOUSE": str(warehouse),
           "CSI_PUBLISHED_DIR": str(warehouse.parent / "published")}
    return subprocess.run([str(CSI), "rescore", *args], env=env, capture_output=True, text=True, timeout=300)


@pytest.mark.parametrize("bad", list(BAD_SEEDS))
def test_a_bad_seed_is_a_one_line_error_and_changes_and_publishes_nothing(setup, cli_warehouse, bad, tmp_path):
    edit, message = BAD_SEEDS[bad]
    project = Path(shutil.copytree(setup.project, tmp_path / "project"))
    _edit_weights(project, edit)
    published = cli_warehouse.parent / "published" / DATABASE_NAME
    before, published_before = _fingerprint(cli_warehouse), _sha256(published)

    for args in [(), ("--preview",)] if bad == next(iter(BAD_SEEDS)) else [()]:
        result = _csi_rescore(project, cli_warehouse, *args)
        assert result.returncode == 2, result.stderr
        assert result.stderr.count("\n") == 1 and result.stderr.startswith(f"csi: error: {message}"), result.stderr
        assert result.stderr.rstrip().endswith("nothing was changed or published")
    assert _fingerprint(cli_warehouse) == before
    assert _sha256(published) == published_before
    assert not (published.parent / PREVIEW_DIR).exists()


def test_the_command_line_rescores_from_the_cached_plan_and_says_what_it_did(setup, cli_warehouse):
    result = _csi_rescore(setup.project, cli_warehouse)
    assert result.returncode == 0, result.stderr
    last = result.stdout.strip().splitlines()[-1]
    customers = duckdb.connect(str(cli_warehouse), read_only=True).execute(
        "select count(*) from marts.fct_account_health").fetchall()[0][0]
    assert last.startswith(f"rescored {customers:,} customers with weights 2026.11 as of 2026-06-30: 6 seeds, ")
    assert "compiled" not in last and f"published to {cli_warehouse.parent / 'published'}" in last


def test_a_warehouse_another_program_holds_is_a_one_line_error(setup, cli_warehouse):
    holder = subprocess.Popen([sys.executable, "-c", f"import duckdb, time; c = duckdb.connect('{cli_warehouse}'); "
                               "print('open', flush=True); time.sleep(60)"], stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout.readline().strip() == "open"
        result = _csi_rescore(setup.project, cli_warehouse)
    finally:
        holder.kill()
        holder.wait()
    assert result.returncode == 2
    assert result.stderr.count("\n") == 1 and "is open in another program" in result.stderr, result.stderr
    assert f"PID {holder.pid}" in result.stderr


def test_only_the_projects_sql_and_yaml_decide_a_recompile(setup, tmp_path):
    project = copy_project(tmp_path / "project")
    key = source_hash(project, "2026-06-30", "csi")
    _edit_weights(project, lambda text: text.replace(",usage,20,", ",usage,24,"))
    assert source_hash(project, "2026-06-30", "csi") == key  # a seed's values are loaded, not compiled
    assert source_hash(project, "2026-07-01", "csi") != key
    model = project / "models" / "marts" / "customer_health" / "fct_account_health.sql"
    model.write_text(model.read_text() + "\n")
    assert source_hash(project, "2026-06-30", "csi") != key


def test_the_plan_is_every_model_downstream_of_the_scoring_seeds_but_not_only_through_a_snapshot(setup, rescored):
    manifest = json.loads((setup.cache / "target" / "manifest.json").read_text())
    planned = {node.unique_id for node in rescored.result.plan.nodes}
    nodes = manifest["nodes"]
    assert {uid for uid in nodes if nodes[uid]["resource_type"] == "seed"
            and nodes[uid]["original_file_path"].startswith(SCORING_SEEDS)} <= planned
    history = "model.client_success_intelligence.int_alerts__health_versions"  # reads the snapshot alone
    assert set(nodes[history]["depends_on"]["nodes"]) <= {uid for uid in nodes if uid.startswith("snapshot.")}
    assert history not in planned
    assert "model.client_success_intelligence.fct_at_risk_accounts" in planned  # the score and its history

    # a new mart that reads the score is planned, after the score, with its test
    mart = "model.client_success_intelligence.fct_new_mart"
    score = "model.client_success_intelligence.fct_account_health"
    nodes[mart] = {**nodes[score], "unique_id": mart, "name": "fct_new_mart", "alias": "fct_new_mart",
                   "relation_name": '"csi"."marts"."fct_new_mart"', "depends_on": {"nodes": [score], "macros": []}}
    test = "test.client_success_intelligence.not_null_fct_new_mart_account_id"
    nodes[test] = {**nodes[rescored.result.plan.of_kind("test")[0].unique_id],
                   "name": "not_null_fct_new_mart_account_id", "depends_on": {"nodes": [mart], "macros": []}}
    manifest["child_map"][score] = [*manifest["child_map"][score], mart]
    manifest["child_map"][mart] = [test]
    order = [node.unique_id for node in plan_from_manifest(manifest, "2026-06-30").nodes]
    assert order.index(score) < order.index(mart) < order.index(test)
