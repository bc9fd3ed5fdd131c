"""The floor a build cannot beat: the models' own compiled SQL run straight in DuckDB, without dbt,
and a single scan of every raw table the build reads."""

from __future__ import annotations

from graphlib import TopologicalSorter
from pathlib import Path

import duckdb

CREATES = {"view": "view", "table": "table", "incremental": "table"}


def ordered_models(manifest: dict, built: set[str]) -> list[dict]:
    """The models the build built (ephemeral ones are inlined), parents first."""
    models = {uid: node for uid, node in manifest["nodes"].items()
              if uid in built and node["config"]["materialized"] in CREATES and node.get("compiled_code")}
    graph = {uid: [p for p in node["depends_on"]["nodes"] if p in models] for uid, node in models.items()}
    return [models[uid] for uid in TopologicalSorter(graph).static_order()]


def connect(warehouse: Path, database: str) -> duckdb.DuckDBPyConnection:
    """The warehouse attached under the database name the compiled SQL refers to."""
    con = duckdb.connect()
    con.execute(f'attach ? as "{database}"', [str(warehouse)])
    con.execute(f'use "{database}"')
    return con


def run_models(warehouse: Path, manifest: dict, built: set[str]) -> int:
    models = ordered_models(manifest, built)
    con = connect(warehouse, models[0]["database"])
    for node in models:
        relation = f'"{node["database"]}"."{node["schema"]}"."{node["alias"]}"'
        con.execute(f'create schema if not exists "{node["schema"]}"')
        kind = CREATES[node["config"]["materialized"]]
        existing = con.execute("select table_type from information_schema.tables where table_catalog = ? "
                               "and table_schema = ? and table_name = ?",
                               [node["database"], node["schema"], node["alias"]]).fetchall()
        if existing and (existing[0][0] == "VIEW") != (kind == "view"):
            con.execute(f"drop {'view' if existing[0][0] == 'VIEW' else 'table'} {relation}")
        con.execute(f"create or replace {kind} {relation} as {node['compiled_code']}")
    return len(models)


def scan_sources(warehouse: Path, manifest: dict) -> int:
    """Read every column of every raw table once."""
    sources = [s for s in manifest["sources"].values() if s["source_name"] != "toolkit"]
    con = connect(warehouse, sources[0]["database"])
    for source in sources:
        con.execute(f'select sum(hash(columns(*))) from "{source["schema"]}"."{source["identifier"]}"').fetchall()
    return len(sources)
