"""The floor a build cannot beat: the models' own compiled SQL run straight in DuckDB, without dbt,
and a single scan of every raw table the build reads."""

from __future__ import annotations

from graphlib import TopologicalSorter
from pathlib import Path

import duckdb

CREATES = {"view": "view", "table": "table", "incremental": "table"}


def ordered_models(manifest: dict) -> list[dict]:
    """The project's models that build a relation, parents first (ephemeral ones are inlined)."""
    models = {uid: node for uid, node in manifest["nodes"].items()
              if node["resource_type"] == "model" and node["config"]["materialized"] in CREATES
              and node.get("compiled_code")}
    graph = {uid: [p for p in node["depends_on"]["nodes"] if p in models] for uid, node in models.items()}
    return [models[uid] for uid in TopologicalSorter(graph).static_order()]


def connect(warehouse: Path, database: str) -> duckdb.DuckDBPyConnection:
    """The warehouse attached under the database name the compiled SQL refers to."""
    con = duckdb.connect()
    con.execute(f"attach '{warehouse}' as \"{database}\"")
    con.execute(f'use "{database}"')
    return con


def run_models(warehouse: Path, manifest: dict) -> int:
    models = ordered_models(manifest)
    con = connect(warehouse, models[0]["database"])
    for node in models:
        relation = f'"{node["database"]}"."{node["schema"]}"."{node["alias"]}"'
        con.execute(f'create schema if not exists "{node["schema"]}"')
        kind = CREATES[node["config"]["materialized"]]
        other = "table" if kind == "view" else "view"
        con.execute(f"drop {other} if exists {relation}")
        con.execute(f"create or replace {kind} {relation} as {node['compiled_code']}")
    return len(models)


def scan_sources(warehouse: Path, manifest: dict) -> int:
    """Read every column of every raw table once."""
    sources = [s for s in manifest["sources"].values() if s["source_name"] != "toolkit"]
    con = connect(warehouse, sources[0]["database"])
    for source in sources:
        con.execute(f'select sum(hash(columns(*))) from "{source["schema"]}"."{source["identifier"]}"').fetchall()
    return len(sources)
