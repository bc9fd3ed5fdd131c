"""CI gates beyond dbt's own tests: the project's conventions on the parsed manifest, and the Great
Expectations checkpoint on the public marts (Data Docs under build/gx/)."""

from __future__ import annotations

import copy
import json
import shutil
from pathlib import Path

import duckdb
import pytest

from csi.conventions import check
from csi.dbt import health_components
from csi.paths import PROJECT_DIR
from csi.quality import run_checkpoint

DOCS_DIR = PROJECT_DIR / "build" / "gx"


@pytest.fixture(scope="module")
def manifest(history_warehouse) -> dict:
    """The project as the shared history warehouse's build parsed it (the manifest.json it wrote)."""
    return json.loads((history_warehouse.path.parent / "target" / "manifest.json").read_text())


def test_project_follows_its_conventions(manifest: dict) -> None:
    breaches = check(manifest, PROJECT_DIR)
    assert not breaches, "conventions broken:\n" + "\n".join(breaches)


def _model(manifest: dict, name: str) -> dict:
    return next(node for node in manifest["nodes"].values() if node["resource_type"] == "model" and node["name"] == name)


def test_conventions_name_each_breach(manifest: dict, tmp_path: Path) -> None:
    broken = copy.deepcopy(manifest)
    health = _model(broken, "fct_account_health")
    health["description"] = ""
    health["config"]["contract"]["enforced"] = False
    health["name"] = "account_health"
    health["depends_on"]["nodes"].append("source.client_success_intelligence.salesforce.account")
    scores = _model(broken, "int_health__account_scores")
    broken["nodes"] = {
        uid: node for uid, node in broken["nodes"].items()
        if not (node["resource_type"] == "test" and node.get("attached_node") == scores["unique_id"])
    }
    source = next(iter(broken["sources"].values()))
    source["freshness"] = {"warn_after": {"count": None}, "error_after": {"count": None}}
    source["config"]["meta"] = {}
    source["original_file_path"] = "models/intermediate/toolkit/_int_toolkit__models.yml"
    _model(broken, "fct_toolkit_health")["schema"] = "marts"
    alerts = _model(broken, "fct_health_alerts")
    key_test = next(node for node in broken["nodes"].values() if (node.get("test_metadata") or {}).get("name") == "unique"
                    and node.get("attached_node") == alerts["unique_id"])
    broken["nodes"]["test.not_null_severity"] = {**key_test, "unique_id": "test.not_null_severity", "column_name": "severity",
                                                 "test_metadata": {"name": "not_null", "kwargs": {}}}
    broken["nodes"]["test.in_range_score"] = {**key_test, "unique_id": "test.in_range_score", "column_name": "score",
                                              "test_metadata": {"name": "in_range", "kwargs": {"min_value": 0}}}
    (tmp_path / "models" / "marts").mkdir(parents=True)
    (tmp_path / "models" / "marts" / "_marts__models.yml").touch()
    (tmp_path / "models" / "marts" / "_more__models.yml").touch()

    breaches = "\n".join(check(broken, tmp_path))

    assert "account_health (models/marts/customer_health/fct_account_health.sql): no description" in breaches
    assert "account_health (models/marts/customer_health/fct_account_health.sql): name does not match (fct|dim)_" in breaches
    assert "account_health (models/marts/customer_health/fct_account_health.sql): public mart without an enforced contract" in breaches
    assert ("account_health (models/marts/customer_health/fct_account_health.sql): reads source salesforce.account "
            "outside models/staging (read its stg_ model)") in breaches
    assert "int_health__account_scores (models/intermediate/health/int_health__account_scores.sql): no primary-key test" in breaches
    assert f"source {source['source_name']}.{source['name']}: no freshness rule" in breaches
    assert (f"source {source['source_name']}.{source['name']}: declared in "
            "models/intermediate/toolkit/_int_toolkit__models.yml, outside models/staging") in breaches
    assert ("fct_toolkit_health (models/marts/toolkit/fct_toolkit_health.sql): builds into schema marts, "
            "expected toolkit_scores") in breaches
    assert ("fct_health_alerts (models/marts/alerts/fct_health_alerts.sql): column severity is tested "
            "with not_null; declare it in the enforced contract instead: constraints: [{type: not_null}]") in breaches
    assert ("fct_health_alerts (models/marts/alerts/fct_health_alerts.sql): column score is tested "
            "with in_range; declare it in the enforced contract instead: a check constraint") in breaches
    assert "models/marts: more than one models YAML (_marts__models.yml, _more__models.yml)" in breaches


def test_the_score_history_versions_on_every_components_score_with_no_list_of_its_own(manifest: dict) -> None:
    """snap_account_health's check_cols follow var health_components: a component added there (and to
    the contract of fct_account_health) records a version when its score alone changes."""
    snapshot = next(node for node in manifest["nodes"].values() if node["name"] == "snap_account_health")
    scores = [f"{component}_score" for component in health_components()]
    assert "support_score" in scores
    assert snapshot["config"]["check_cols"][-len(scores):] == scores
    assert set(scores) <= set(_model(manifest, "fct_account_health")["columns"])


def test_the_ci_selector_runs_every_unit_test(manifest: dict, history_warehouse) -> None:
    """The suite's shared warehouse is built with `dbt build --selector ci` (csi build --unit-tests)."""
    unit_tests = {uid: status for uid, status in history_warehouse.statuses.items() if uid.startswith("unit_test.")}
    assert unit_tests == dict.fromkeys(manifest["unit_tests"], "pass")


def test_gx_checkpoint_passes_on_the_marts(history_warehouse) -> None:
    failures = run_checkpoint(history_warehouse.path, DOCS_DIR)
    assert not failures, "expectations failed:\n" + "\n".join(map(str, failures))
    assert (DOCS_DIR / "index.html").is_file()
    assert list(DOCS_DIR.glob("validations/**/*.html"))


def test_gx_checkpoint_reports_broken_marts(history_warehouse, tmp_path: Path) -> None:
    warehouse = tmp_path / "broken.duckdb"
    shutil.copy(history_warehouse.path, warehouse)
    with duckdb.connect(str(warehouse)) as con:
        # The warehouse refuses a score over 100 and a NULL band: the mart's contract declares them.
        for change in ("health_score = 120", "score_band = NULL"):
            with pytest.raises(duckdb.ConstraintException, match="CHECK constraint failed|NOT NULL constraint failed"):
                con.execute(f"update marts.fct_account_health set {change}")
        # The checkpoint then reads a copy without them, as a warehouse that does not enforce them holds it.
        con.execute("create or replace table marts.fct_account_health as select * from marts.fct_account_health")
        con.execute("update marts.fct_account_health set score_band = 'Critical', health_score = 120 "
                    "where account_id in (select account_id from marts.fct_account_health limit 3)")
        con.execute("update marts.fct_account_health set computed_band = 'Healthy' where score_band <> 'Critical'")
        con.execute("delete from marts.dim_accounts where account_id in "
                    "(select account_id from marts.dim_accounts where is_customer limit 1)")

    failures = [str(failure) for failure in run_checkpoint(warehouse, tmp_path / "docs")]

    assert any(f.startswith("fct_account_health: expect_column_values_to_be_between({'column': 'health_score'") for f in failures)
    assert any(f.startswith("fct_account_health__band_shares: expect_column_values_to_be_between({'column': 'share'")
               for f in failures)
    assert any(f.startswith("fct_account_health: expect_table_row_count_to_equal") for f in failures)
