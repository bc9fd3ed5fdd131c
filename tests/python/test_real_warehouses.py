"""A plain `dbt build` passes on warehouses our generator did not shape, and missing data is not
scored as bad data: raw Salesforce tables without any of our custom fields, and Salesforce and
HubSpot tables with Fivetran's own column sets (tests/python/fivetran_columns.py), whose activity
subjects say nothing our activity map recognises, beside a product source without the optional
user-level export (product.user_activity_daily).

Each warehouse is generated and loaded as usual, reshaped the way that org's sync would land it,
then built with `dbt build` and nothing else (dbt's default selection, no seeds loaded first)."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from pathlib import Path

import duckdb
import pytest

from csi.dbt import DbtProject
from csi.generate import generate
from csi.load import load_directory
from tests.python.fivetran_columns import FIVETRAN_COLUMNS
from tests.python.warehouse import TODAY, BuiltWarehouse, use_warehouse

# Our custom fields' landed names, by Salesforce table.
CUSTOM_FIELDS = {
    "account": ["segment_c", "is_insider_c", "csm_sentiment_c", "account_status_c", "arr_c"],
    "contract": ["arr_c", "licensed_seats_c", "product_tier_c"],
    "opportunity": ["contract_id_c"],
    "task": ["activity_type_c", "health_check_type_c"],
    "event": ["activity_type_c", "health_check_type_c"],
}
# Where Fivetran lands under another name what our generator lands.
FIVETRAN_NAMES = {"hubspot.company": {"is_deleted": "_fivetran_deleted"}}
# What each component needs that neither warehouse has (seeds/health/health_component_requirements.csv).
UNMEASURABLE_WITHOUT_CUSTOM_FIELDS = {"insider_calls", "pipeline"}
UNMEASURABLE_WITHOUT_CLASSIFICATION = {"health_check_cadence", "onboarding", "qbr_cadence"}


@dataclass(frozen=True)
class Built:
    warehouse: BuiltWarehouse
    statuses: Counter  # dbt status -> nodes
    warnings: dict[str, int]  # warning test -> failing rows


def build_reshaped(root: Path, reshape) -> Built:
    """Generate and load 150 accounts, let `reshape(con)` land them as another org's sync would,
    then run a plain `dbt build` as of TODAY."""
    data_dir, path = root / "data", use_warehouse(root)
    generate(out_dir=data_dir, accounts=150, seed=5, today=TODAY)
    load_directory(data_dir, path)
    with duckdb.connect(str(path)) as con:
        reshape(con)
    results = DbtProject(quiet=True).invoke(["build"], TODAY).results
    return Built(
        BuiltWarehouse(data_dir, path, TODAY),
        Counter(str(result.status) for result in results),
        {result.node.name: result.failures for result in results if str(result.status) == "warn"},
    )


def drop_custom_fields(con: duckdb.DuckDBPyConnection) -> None:
    for table, columns in CUSTOM_FIELDS.items():
        for column in columns:
            con.execute(f'alter table salesforce."{table}" drop column {column}')


def land_fivetran_columns(con: duckdb.DuckDBPyConnection) -> None:
    """Every Salesforce and HubSpot table with exactly Fivetran's columns and types: ours where the
    names agree, NULL where Fivetran has a column we do not generate; activity subjects opaque, as in
    Fivetran's own sample data. No user-level product export: an optional table."""
    con.execute("drop table product.user_activity_daily")
    for table, columns in FIVETRAN_COLUMNS.items():
        ours = {name for (name,) in con.execute(
            "select column_name from information_schema.columns where table_schema || '.' || table_name = ?",
            [table]).fetchall()}
        renamed = FIVETRAN_NAMES.get(table, {})
        selected = []
        for name, data_type in columns.items():
            landed = renamed.get(name, name)
            value = f'"{landed}"' if landed in ours else "null"
            if name == "subject":
                value = "md5(subject)"
            selected.append(f'cast({value} as {data_type}) as "{name}"')
        schema, name = table.split(".")
        con.execute(f'create table {schema}."{name}__fivetran" as select {", ".join(selected)} from {schema}."{name}"')
        con.execute(f'drop table {schema}."{name}"')
        con.execute(f'alter table {schema}."{name}__fivetran" rename to "{name}"')


@pytest.fixture(scope="module")
def without_custom_fields(tmp_path_factory: pytest.TempPathFactory) -> Built:
    return build_reshaped(tmp_path_factory.mktemp("no_custom_fields"), drop_custom_fields)


@pytest.fixture(scope="module")
def fivetran(tmp_path_factory: pytest.TempPathFactory) -> Built:
    return build_reshaped(tmp_path_factory.mktemp("fivetran"), land_fivetran_columns)


def components(built: Built) -> dict[str, tuple[int, int, set[str]]]:
    """component -> (customers, customers scored, reasons given where not scored)."""
    rows = built.warehouse.query(
        "select component, count(*), count(score), list(distinct not_applicable_reason) filter (where score is null) "
        "from marts.fct_account_health_components group by component")
    return {component: (total, scored, set(reasons or [])) for component, total, scored, reasons in rows}


@pytest.mark.parametrize("kind", ["without_custom_fields", "fivetran"])
def test_plain_dbt_build_passes_with_nothing_excluded(kind: str, request: pytest.FixtureRequest) -> None:
    built: Built = request.getfixturevalue(kind)
    assert built.statuses["error"] == built.statuses["fail"] == built.statuses["skipped"] == 0
    assert built.statuses["pass"] + built.statuses["success"] > 500


def test_a_warning_counts_the_rows_lacking_each_custom_field(without_custom_fields: Built) -> None:
    (accounts,) = without_custom_fields.warehouse.query("select count(*) from staging.stg_salesforce__accounts")[0]
    (contracts,) = without_custom_fields.warehouse.query("select count(*) from staging.stg_salesforce__contracts")[0]
    warned = without_custom_fields.warnings
    assert warned["custom_field__salesforce_account__segment_c"] == accounts
    assert warned["custom_field__salesforce_contract__licensed_seats_c"] == contracts
    assert {name for name in warned if name.startswith("custom_field__")} == {
        f"custom_field__salesforce_{table}__{column}" for table, columns in CUSTOM_FIELDS.items() for column in columns}


def test_every_customer_is_scored_in_the_default_segment(without_custom_fields: Built) -> None:
    rows = without_custom_fields.warehouse.query(
        "select segment, count(*), count(health_score), min(components_applied) from marts.fct_account_health group by 1")
    assert [(segment, count == scored, applied >= 4) for segment, count, scored, applied in rows] == [("smb", True, True)]


def test_components_needing_a_missing_field_are_not_applicable_and_say_why(without_custom_fields: Built) -> None:
    found = components(without_custom_fields)
    for component in UNMEASURABLE_WITHOUT_CUSTOM_FIELDS:
        total, scored, reasons = found[component]
        assert total > 100 and scored == 0
        assert len(reasons) == 1 and next(iter(reasons)).startswith("this org's data cannot measure it: missing ")
    assert "is_insider_c" in next(iter(found["insider_calls"][2]))
    assert "arr_c" in next(iter(found["pipeline"][2])) and "contract_id_c" in next(iter(found["pipeline"][2]))
    # Activity subjects still classify health checks and QBRs: those components are measured.
    for component in UNMEASURABLE_WITHOUT_CLASSIFICATION | {"churn_risk", "usage", "tenure"}:
        total, scored, _ = found[component]
        assert scored > 0, component


def test_without_an_activity_classification_cadences_are_not_applicable(fivetran: Built) -> None:
    found = components(fivetran)
    for component in UNMEASURABLE_WITHOUT_CLASSIFICATION | UNMEASURABLE_WITHOUT_CUSTOM_FIELDS:
        total, scored, reasons = found[component]
        assert total > 100 and scored == 0, component
        assert len(reasons) == 1 and "cannot measure" in next(iter(reasons)), component
    assert "classified as a health check" in next(iter(found["health_check_cadence"][2]))
    # What the org's data does measure still scores every customer, renormalised over it.
    assert found["churn_risk"][1] == found["churn_risk"][0] and found["tenure"][1] == found["tenure"][0]
    rows = fivetran.warehouse.query("select count(*), count(health_score) from marts.fct_account_health")
    assert rows[0][0] == rows[0][1] > 100


def test_missing_arr_leaves_revenue_null_not_zero(without_custom_fields: Built) -> None:
    (customers, with_arr, with_revenue_at_risk) = without_custom_fields.warehouse.query(
        "select count(*), count(arr), count(revenue_at_risk) from marts.fct_account_health")[0]
    assert customers > 100 and with_arr == with_revenue_at_risk == 0


def test_without_the_user_level_export_its_measures_are_null_and_a_warning_names_it(fivetran: Built) -> None:
    assert fivetran.warnings["optional_table__product__user_activity_daily"] == 1
    (customers, users, dormant, logins, average_users) = fivetran.warehouse.query(
        "select count(*), count(monthly_active_users), count(dormant_seats), count(days_since_last_login), "
        "count(average_daily_active_users) from marts.fct_account_usage")[0]
    assert customers > 100 and users == dormant == 0
    assert logins > 0 and average_users == customers
    (raw_rows, staged_rows) = fivetran.warehouse.query(
        "select raw_rows, staged_rows from marts.fct_source_reconciliation "
        "where source_table = 'product.user_activity_daily'")[0]
    assert raw_rows == staged_rows == 0


@pytest.mark.parametrize("kind", ["without_custom_fields", "fivetran"])
def test_a_full_refresh_build_passes_with_nothing_excluded(kind: str, request: pytest.FixtureRequest) -> None:
    """`dbt build --full-refresh` on the built warehouse: every incremental model rebuilt from scratch
    (last in the module: the tests above read the first build)."""
    built: Built = request.getfixturevalue(kind)
    use_warehouse(built.warehouse.path.parent)
    results = DbtProject(quiet=True).invoke(["build", "--full-refresh"], TODAY).results
    statuses = Counter(str(result.status) for result in results)
    assert statuses["error"] == statuses["fail"] == statuses["skipped"] == 0
    assert statuses["pass"] + statuses["success"] > 500
