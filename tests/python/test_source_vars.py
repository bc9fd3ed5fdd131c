"""A user points the staging layer at their own warehouse with vars alone: other schema and table
names, and their own names for our custom fields."""

from __future__ import annotations

import os
from pathlib import Path

import duckdb
import pytest

from csi.dbt import DbtProject
from csi.generate import generate
from csi.load import load_directory
from tests.python.warehouse import TODAY

ORG_VARS = {
    "salesforce_schema": "sfdc_prod",
    "salesforce_account_identifier": "sf_account",
    "salesforce_task_identifier": "sf_task",
    "salesforce_custom_fields": {"segment_c": "customer_segment__c", "activity_type_c": "cs_activity_type__c"},
}


@pytest.fixture(scope="module")
def org_warehouse(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Our generated sources, moved to where and how another org's sync lands them."""
    root = tmp_path_factory.mktemp("org")
    warehouse = root / "csi.duckdb"
    os.environ.update(CSI_WAREHOUSE=str(warehouse), DBT_TARGET_PATH=str(root / "target"), DBT_LOG_PATH=str(root / "logs"))
    generate(out_dir=root / "data", accounts=80, seed=3, today=TODAY)
    load_directory(root / "data", warehouse)
    with duckdb.connect(str(warehouse)) as con:
        con.execute("alter table salesforce.account rename column segment_c to customer_segment__c")
        con.execute("alter table salesforce.task rename column activity_type_c to cs_activity_type__c")
        con.execute("alter table salesforce.account rename to sf_account")
        con.execute("alter table salesforce.task rename to sf_task")
        con.execute("create schema sfdc_prod")
        for table in ("sf_account", "sf_task", "contract", "opportunity", "event", "user"):
            con.execute(f'create table sfdc_prod."{table}" as select * from salesforce."{table}"')
        con.execute("drop schema salesforce cascade")
    project = DbtProject(project_vars=ORG_VARS, quiet=True)
    project.invoke(["seed"], TODAY)
    project.invoke(["build", "--select", "path:models/staging/salesforce", "int_activities__classified",
                    "--indirect-selection", "cautious", "--exclude", "resource_type:unit_test"], TODAY)
    return warehouse


def query(warehouse: Path, sql: str) -> list[tuple]:
    with duckdb.connect(str(warehouse), read_only=True) as con:
        return con.execute(sql).fetchall()


def test_renamed_schema_and_tables_are_staged(org_warehouse: Path) -> None:
    raw = query(org_warehouse, "select count(*) from sfdc_prod.sf_account")[0][0]
    staged = query(org_warehouse, "select count(*) from staging.stg_salesforce__accounts")[0][0]
    assert raw == staged > 0


def test_custom_fields_are_read_under_the_org_s_names(org_warehouse: Path) -> None:
    segments = {row[0] for row in query(org_warehouse, "select distinct segment from staging.stg_salesforce__accounts")}
    assert segments == {"enterprise", "mid-market", "smb"}
    types = {row[0] for row in query(org_warehouse, "select distinct activity_type from intermediate.int_activities__classified")}
    assert {"qbr", "onboarding_kickoff", "health_check"} <= types
