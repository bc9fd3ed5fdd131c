"""The toolkit's three scores for every customer account of the warehouse (fct_toolkit_health,
fct_toolkit_churn_risk, fct_toolkit_expansion) are the toolkit's own numbers: the accounts, shaped
into the toolkit's fields by int_toolkit__warehouse_customers and written out as a portfolio file,
score the same through `csi toolkit` (and through the original scripts, when the seeds are here).
Read from the shared demo-in-small warehouse; the portfolio runs in memory."""

from __future__ import annotations

import json
from pathlib import Path

import duckdb
import pytest

from csi.toolkit import load, models
from csi.toolkit.run import reports
from tests.python.toolkit_oracle import build_oracle
from tests.python.warehouse import BuiltWarehouse

from .test_toolkit_oracle import requires_seeds

MARTS = ("fct_toolkit_health", "fct_toolkit_churn_risk", "fct_toolkit_expansion")
REPORTS = [("health", "json"), ("churn", "json"), ("expansion", "json")]


@pytest.fixture(scope="module")
def wh(history_warehouse: BuiltWarehouse) -> BuiltWarehouse:
    return history_warehouse


def rows(wh: BuiltWarehouse, sql: str) -> list[dict]:
    with duckdb.connect(str(wh.path), read_only=True) as con:
        result = con.execute(sql)
        names = [column[0] for column in result.description]
        return [dict(zip(names, row, strict=True)) for row in result.fetchall()]


def portfolio(customers: list[dict]) -> dict:
    """The portfolio file the toolkit's scripts would read for these rows of
    int_toolkit__warehouse_customers: every field that is not MISSING, as its JSON text says."""
    columns = list(customers[0])
    named = [c.removesuffix("_type") for c in columns if c.endswith("_type")]
    # a container has fields <container>__<leaf>; a field has a value or a JSON column (its value
    # column may itself end in _type: commercial_factors__contract_type is not a type column)
    containers = [name for name in named if any(c.startswith(f"{name}__") for c in columns)]
    fields = [name for name in named if name in columns or f"{name}_json" in columns]
    documents = []
    for row in customers:
        document: dict = {name: {} for name in containers if row[f"{name}_type"] != "MISSING"}
        for name in fields:
            if row[f"{name}_type"] == "MISSING":
                continue
            value = json.loads(row[f"{name}_json"]) if f"{name}_json" in row else bool(row[name])
            container, _, leaf = name.partition("__")
            if leaf:
                document[container][leaf] = value
            else:
                document[name] = value
        documents.append(document)
    return {"customers": documents}


@pytest.fixture(scope="module")
def portfolio_file(wh: BuiltWarehouse, tmp_path_factory: pytest.TempPathFactory) -> Path:
    customers = rows(wh, "select * from intermediate.int_toolkit__warehouse_customers order by customer_index")
    path = tmp_path_factory.mktemp("toolkit_warehouse") / "portfolio.json"
    path.write_text(json.dumps(portfolio(customers), indent=2))
    return path


@pytest.fixture(scope="module")
def toolkit_reports(portfolio_file: Path, wh: BuiltWarehouse) -> dict[str, dict[str, dict]]:
    """`csi toolkit <tool> --format json` on the file, per tool: customer_id -> its result."""
    texts = reports(portfolio_file, wh.today, REPORTS)
    return {tool: {c["customer_id"]: c for c in json.loads(texts[(tool, "json")])["customers"]} for tool, _ in REPORTS}


def test_one_row_per_customer_account(wh: BuiltWarehouse) -> None:
    customers = wh.query("select count(*) from intermediate.int_accounts__customers")[0][0]
    assert customers > 100
    for mart in MARTS:
        count, accounts, dated = wh.query(
            f"select count(*), count(distinct account_id), count(*) filter (where as_of_date = date '{wh.today}') "
            f"from toolkit_scores.{mart}")[0]
        assert count == accounts == dated == customers, mart


def test_scores_are_in_range_and_spread(wh: BuiltWarehouse) -> None:
    health = rows(wh, "select * from toolkit_scores.fct_toolkit_health")
    scores = [h[f"{d}_score"] for h in health for d in ("overall", "usage", "engagement", "support", "relationship")]
    assert all(0 <= score <= 100 for score in scores)
    assert {h["classification"] for h in health} >= {"green", "yellow"}
    assert {h["trend"] for h in health} >= {"improving", "stable", "declining"}
    churn = rows(wh, "select * from toolkit_scores.fct_toolkit_churn_risk")
    assert all(0 <= c["risk_score"] <= 100 and c["risk_tier"] in ("critical", "high", "medium", "low") for c in churn)
    assert any(c["warnings_count"] > 0 for c in churn)
    expansion = rows(wh, "select * from toolkit_scores.fct_toolkit_expansion")
    assert all(e["total_estimated_revenue"] >= 0 for e in expansion)
    assert {e["top_opportunity_category"] for e in expansion} >= {"seat_expansion", "tier_upgrade"}


def test_warehouse_customers_have_the_portfolio_columns(wh: BuiltWarehouse, portfolio_file: Path) -> None:
    """int_toolkit__warehouse_customers has exactly the columns int_toolkit_portfolio__customers unpacks from a
    file (the JSON-valued ones as JSON text)."""
    nodes = models.needed_for(models.compiled_nodes(), ["int_toolkit_portfolio__customers"])
    con = models.connect()
    load.load_portfolio(con, portfolio_file, wh.today, database=models.DATABASE)
    models.run_models(con, nodes)
    ours = [row[0] for row in con.execute(f"describe {nodes[-1].relation}").fetchall()]
    with duckdb.connect(str(wh.path), read_only=True) as warehouse:
        theirs = [row[0] for row in warehouse.execute("describe intermediate.int_toolkit__warehouse_customers").fetchall()]
    assert theirs == ours


def test_health_mart_is_what_the_toolkit_computes(wh: BuiltWarehouse, toolkit_reports: dict) -> None:
    health = rows(wh, "select * from toolkit_scores.fct_toolkit_health")
    assert len(health) == len(toolkit_reports["health"])
    for mart in health:
        report = toolkit_reports["health"][mart["account_id"]]
        assert mart["overall_score"] == report["overall_score"], mart["account_id"]
        assert mart["classification"] == report["classification"]
        assert mart["trend"] == report["trends"]["overall"]
        for dimension, result in report["dimensions"].items():
            assert mart[f"{dimension}_score"] == result["score"]
            assert mart[f"{dimension}_classification"] == result["classification"]
            assert mart[f"{dimension}_trend"] == report["trends"][dimension]


def test_churn_mart_is_what_the_toolkit_computes(wh: BuiltWarehouse, toolkit_reports: dict) -> None:
    churn = rows(wh, "select * from toolkit_scores.fct_toolkit_churn_risk")
    assert len(churn) == len(toolkit_reports["churn"])
    for mart in churn:
        report = toolkit_reports["churn"][mart["account_id"]]
        for column in ("risk_score", "raw_score", "risk_tier", "risk_label", "urgency_multiplier", "days_to_renewal"):
            assert mart[column] == report[column], (mart["account_id"], column)
        for group, result in report["signal_scores"].items():
            assert mart[f"{group}_score"] == result["score"]
        warnings = report["warning_signals"]
        assert mart["warnings_count"] == len(warnings)
        assert (mart["top_warning_severity"], mart["top_warning"]) == (
            (warnings[0]["severity"], warnings[0]["signal"]) if warnings else (None, None))


def test_expansion_mart_is_what_the_toolkit_computes(wh: BuiltWarehouse, toolkit_reports: dict) -> None:
    expansion = rows(wh, "select * from toolkit_scores.fct_toolkit_expansion")
    assert len(expansion) == len(toolkit_reports["expansion"])
    for mart in expansion:
        report = toolkit_reports["expansion"][mart["account_id"]]
        assert mart["total_estimated_revenue"] == report["total_estimated_revenue"], mart["account_id"]
        assert mart["opportunity_count"] == report["opportunity_count"]
        assert mart["seat_utilisation"] == report["adoption_summary"]["seat_utilisation"]
        assert mart["current_tier"] == report["adoption_summary"]["current_tier"]
        top = report["opportunities"][0] if report["opportunities"] else {}
        assert mart["top_opportunity_category"] == top.get("category")
        assert mart["top_opportunity_revenue"] == top.get("estimated_revenue")
        assert mart["top_opportunity_priority"] == top.get("priority_score")
        assert mart["top_opportunity_rationale"] == top.get("rationale")


@requires_seeds
def test_the_original_scripts_print_the_same_for_the_accounts(
    wh: BuiltWarehouse, portfolio_file: Path, tmp_path: Path
) -> None:
    """The accounts' portfolio file through the original scripts (rebuilt from seed 002) and through
    `csi toolkit`: byte for byte, so the warehouse's numbers are the toolkit's."""
    oracle = build_oracle(tmp_path / "oracle")
    ours = reports(portfolio_file, wh.today, REPORTS)
    for tool, output_format in REPORTS:
        assert ours[(tool, output_format)] == oracle.report(tool, portfolio_file, output_format, wh.today.isoformat()), tool


def test_portfolio_keeps_only_present_fields() -> None:
    row = {"customer_index": 1, "customer_id_type": "VARCHAR", "customer_id": "A", "customer_id_json": '"A"',
           "usage_type": "OBJECT", "usage__login_frequency_type": "DOUBLE", "usage__login_frequency": 50.0,
           "usage__login_frequency_text": "50.0", "usage__login_frequency_json": "50.0",
           "usage__dau_mau_ratio_type": "MISSING", "usage__dau_mau_ratio": None, "usage__dau_mau_ratio_text": None,
           "usage__dau_mau_ratio_json": None, "relationship_signals_type": "MISSING",
           "relationship_signals__champion_left_type": "MISSING", "relationship_signals__champion_left": False,
           "product_usage_type": "MISSING", "product_usage_json": None, "customer_position": 1}
    assert portfolio([row]) == {"customers": [{"customer_id": "A", "usage": {"login_frequency": 50.0}}]}
