"""Named selections (selectors.yml). A plain `dbt build`, nothing selected or excluded, builds what
production builds (the default selector `nightly`): it passes on a freshly generated and loaded
warehouse, runs no unit test and nothing that needs a `csi toolkit` run; `ci` adds every unit test;
`dbt ls --selector <name>` lists for each name what its description says, computed here from dbt's
graph of the project."""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass

import duckdb
import pytest

from csi.dbt import DbtProject
from csi.generate import STATE_TABLES
from tests.python.warehouse import BuiltWarehouse, use_warehouse

PORTFOLIO_SOURCE = "toolkit"
LISTED_TYPES = {"model", "seed", "snapshot", "test", "source", "exposure", "unit_test", "semantic_model", "metric"}
# The base models staging the raw tables a sync overwrites (csi.generate.STATE_TABLES).
STAGED_STATE_TABLES = {"salesforce.account": "base_salesforce__accounts",
                       "salesforce.opportunity": "base_salesforce__opportunities",
                       "ml.churn_prediction": "base_ml__churn_predictions"}


@dataclass(frozen=True)
class PlainBuild:
    warehouse: BuiltWarehouse
    project: DbtProject
    manifest: dict

    def graph(self, direction: str, start: Iterable[str]) -> set[str]:
        """Every node reachable from `start` through dbt's child_map or parent_map, start included."""
        edges = self.manifest[direction]
        found, pending = set(start), list(start)
        while pending:
            for node in edges.get(pending.pop(), []):
                if node not in found:
                    found.add(node)
                    pending.append(node)
        return found

    def of_type(self, *resource_types: str) -> set[str]:
        return {uid for uid in self.every_node() if uid.split(".")[0] in resource_types}

    def every_node(self) -> set[str]:
        """What `dbt ls` can list (not the on-run-start hook)."""
        nodes = {*self.manifest["nodes"], *self.manifest["sources"], *self.manifest["exposures"],
                 *self.manifest["unit_tests"], *self.manifest["semantic_models"], *self.manifest["metrics"]}
        return {uid for uid in nodes if uid.split(".")[0] in LISTED_TYPES}

    def listed(self, *args: str) -> set[str]:
        lines = self.project.invoke(["ls", *args, "--output", "json", "--output-keys", "unique_id"])
        return {json.loads(line)["unique_id"] for line in lines}

    def portfolio(self) -> set[str]:
        """The toolkit portfolio source and everything that reads it."""
        return self.graph("child_map", {uid for uid, source in self.manifest["sources"].items()
                                        if source["source_name"] == PORTFOLIO_SOURCE})


@pytest.fixture(scope="module")
def plain(fresh_warehouse: BuiltWarehouse) -> PlainBuild:
    """The fresh warehouse's plain build, and its project for `dbt ls` (parsed again from the
    build's partial-parse file)."""
    root = use_warehouse(fresh_warehouse.path.parent).parent
    manifest = json.loads((root / "target" / "manifest.json").read_text())
    return PlainBuild(fresh_warehouse, DbtProject(quiet=True), manifest)


def test_a_plain_dbt_build_passes_on_a_fresh_warehouse_without_unit_tests_or_the_portfolio(plain: PlainBuild) -> None:
    ran = plain.warehouse.statuses
    assert not {uid: status for uid, status in ran.items() if status not in ("success", "pass", "warn", "no-op")}
    assert not {uid for uid in ran if uid.startswith("unit_test.")}
    assert not set(ran) & plain.portfolio()
    assert {"model.client_success_intelligence.fct_account_health",
            "snapshot.client_success_intelligence.snap_account_health"} <= set(ran)
    with duckdb.connect(str(plain.warehouse.path), read_only=True) as con:
        schemas = {row[0] for row in con.execute("select distinct table_schema from information_schema.tables").fetchall()}
        toolkit_scores = {row[0] for row in con.execute(
            "select table_name from information_schema.tables where table_schema = 'toolkit_scores'").fetchall()}
    assert toolkit_scores == {"fct_toolkit_health", "fct_toolkit_churn_risk", "fct_toolkit_expansion"}
    assert PORTFOLIO_SOURCE not in schemas


def test_nightly_is_the_default_everything_but_the_portfolio_and_the_unit_tests(plain: PlainBuild) -> None:
    nightly = plain.every_node() - plain.portfolio() - plain.of_type("unit_test")
    assert plain.listed("--selector", "nightly") == nightly
    assert plain.listed() == nightly  # no selection: the default selector
    assert plain.listed("--selector", "ci") == nightly | plain.of_type("unit_test")


def test_every_source_a_default_build_reads_has_a_freshness_rule(plain: PlainBuild) -> None:
    sources = plain.listed("--resource-type", "source")
    assert sources == plain.of_type("source") - plain.portfolio()
    for uid in sources:
        freshness = plain.manifest["sources"][uid]["freshness"] or {}
        assert any((freshness.get(level) or {}).get("count") for level in ("warn_after", "error_after")), uid
    # `dbt source freshness` uses the default selector too: every synced source, not the portfolio
    # (the generated data is stale by the wall clock: which sources it checked is the point here).
    checked = plain.project.invoke(["source", "freshness"], check=False)
    assert {result.node.unique_id for result in checked.results if result.node.resource_type == "source"} == sources


def test_toolkit_portfolio_is_the_portfolio_models_and_what_they_read_besides_the_file(plain: PlainBuild) -> None:
    portfolio = plain.portfolio()
    expected = plain.graph("parent_map", portfolio)
    tested = {uid for uid in plain.of_type("test") if set(plain.manifest["parent_map"][uid]) & expected}
    assert plain.listed("--selector", "toolkit_portfolio") == expected | tested
    shared = {plain.manifest["nodes"][uid]["name"] for uid in expected - portfolio if uid.startswith("model.")}
    assert shared == {"int_toolkit__parameters"}  # and the toolkit's seeds: no warehouse model is read
    assert not {uid for uid in expected if uid.startswith("source.")} - portfolio


def test_replay_night_rebuilds_the_tables_between_the_staged_overwritten_tables_and_the_snapshots(
    plain: PlainBuild,
) -> None:
    models = {node["name"]: uid for uid, node in plain.manifest["nodes"].items() if uid.startswith("model.")}
    sources = {f"{source['source_name']}.{source['name']}": uid for uid, source in plain.manifest["sources"].items()}
    assert set(STAGED_STATE_TABLES) == set(STATE_TABLES)
    for table, base_model in STAGED_STATE_TABLES.items():
        assert sources[table] in plain.manifest["parent_map"][models[base_model]]
    snapshots = plain.of_type("snapshot")
    staged = plain.graph("child_map", {models[base_model] for base_model in STAGED_STATE_TABLES.values()})
    tables = {uid for uid in plain.graph("parent_map", snapshots) & staged
              if plain.manifest["nodes"][uid]["config"]["materialized"] == "table"}
    assert plain.listed("--selector", "replay_night") == tables | snapshots
    assert {plain.manifest["nodes"][uid]["name"] for uid in tables} >= {
        "base_salesforce__accounts", "int_accounts__customers", "int_identity__hubspot_companies", "int_health__components"}


def test_replay_setup_builds_everything_the_snapshots_read_without_tests(plain: PlainBuild) -> None:
    snapshots = plain.of_type("snapshot")
    upstream = plain.graph("parent_map", snapshots) - snapshots
    assert plain.listed("--selector", "replay_setup") == upstream


def test_backtest_rebuilds_the_validation_models_of_the_score_history(plain: PlainBuild) -> None:
    history = {uid for uid, node in plain.manifest["nodes"].items() if node["name"] == "int_validation__score_history"}
    downstream = plain.graph("child_map", history)
    listed = plain.listed("--selector", "backtest")
    assert listed == downstream - plain.of_type("unit_test")
    assert "model.client_success_intelligence.fct_score_validation" in listed
