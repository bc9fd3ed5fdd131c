"""Run the toolkit's dbt models fast: compile them once with dbt, then execute the compiled SQL.

`dbt compile` (through dbtRunner) turns the toolkit's models, seeds and macros into plain SQL; the
result is cached under a hash of every file that shapes it, so a change to a model, seed or macro
recompiles. Each run then creates the seeds and the models, in dependency order, in an in-memory
DuckDB attached under the database name dbt compiled against: the SQL that runs is exactly what
dbt compiled, without dbt's start-up cost.
"""

from __future__ import annotations

import contextlib
import csv
import hashlib
import json
import os
import shutil
import sys
import tempfile
import weakref
from dataclasses import dataclass
from pathlib import Path
from unittest import mock

import duckdb

from csi.paths import PROJECT_DIR

DATABASE = "csi_toolkit"
# The portfolio models and what they read besides the loaded file (the toolkit's seeds and
# parameters): selectors.yml names them. The warehouse's nightly toolkit scores (fct_toolkit_health,
# ...) share the scoring macros but read the warehouse, so they are not part of it.
SELECTOR = "toolkit_portfolio"
# What the compiled SQL is made of: the portfolio models, the toolkit's shared parameters, seeds and
# macros, and the few project files that shape them (other files change without touching it, and
# need no recompile).
SOURCES = ["models/staging/toolkit", "models/intermediate/toolkit_portfolio", "models/marts/toolkit_portfolio",
           "models/intermediate/toolkit/int_toolkit__parameters.sql", "seeds/toolkit", "macros/toolkit",
           "macros/cross_database", "macros/generate_schema_name.sql", "dbt_project.yml", "selectors.yml"]


@dataclass(frozen=True)
class Node:
    unique_id: str
    resource_type: str  # "seed" or "model"
    schema: str
    identifier: str
    sql: str = ""
    seed_file: str = ""  # relative to the project, so the cache serves any clone of it
    column_types: tuple[tuple[str, str], ...] = ()
    depends_on: tuple[str, ...] = ()

    @property
    def relation(self) -> str:
        return f'"{DATABASE}"."{self.schema}"."{self.identifier}"'


def cache_dir() -> Path:
    base = os.environ.get("CSI_TOOLKIT_CACHE") or os.path.join(
        os.environ.get("XDG_CACHE_HOME", os.path.expanduser("~/.cache")), "csi", "toolkit"
    )
    return Path(base)


def source_hash(project_dir: Path = PROJECT_DIR) -> str:
    digest = hashlib.sha256(Path(__file__).read_bytes())  # the bundle's format is this module's
    for entry in SOURCES:
        root = project_dir / entry
        files = [root] if root.is_file() else sorted(p for p in root.rglob("*") if p.is_file())
        for file in files:
            digest.update(str(file.relative_to(project_dir)).encode())
            digest.update(file.read_bytes())
    return digest.hexdigest()[:16]


def compiled_nodes(project_dir: Path = PROJECT_DIR) -> list[Node]:
    """The toolkit's seeds and models in dependency order, compiled (from the cache when current)."""
    bundle = cache_dir() / f"compiled-{source_hash(project_dir)}.json"
    if not bundle.exists():
        _compile(project_dir, bundle)
    return [Node(**{**n, "column_types": tuple(tuple(c) for c in n["column_types"]),
                    "depends_on": tuple(n["depends_on"])})
            for n in json.loads(bundle.read_text())]


def needed_for(nodes: list[Node], targets: list[str]) -> list[Node]:
    """The nodes (in their dependency order) the relations named in `targets` are built from."""
    by_id = {node.unique_id: node for node in nodes}
    wanted = {node.unique_id for node in nodes if node.identifier in targets}
    missing = set(targets) - {by_id[unique_id].identifier for unique_id in wanted}
    if missing:
        raise KeyError(f"not among the toolkit's compiled models: {sorted(missing)}")
    pending = list(wanted)
    while pending:
        for parent in by_id[pending.pop()].depends_on:
            if parent in by_id and parent not in wanted:
                wanted.add(parent)
                pending.append(parent)
    return [node for node in nodes if node.unique_id in wanted]


def _compile(project_dir: Path, bundle: Path) -> None:
    """Compile into a private work directory and publish the bundle by an atomic rename, so runs
    that start together each compile (or find the finished bundle) and never read half a file."""
    from dbt.cli.main import dbtRunner  # imported here: dbt costs seconds to import

    bundle.parent.mkdir(parents=True, exist_ok=True)
    work = Path(tempfile.mkdtemp(prefix=f"work-{bundle.stem}-", dir=bundle.parent))
    overrides = {
        "CSI_WAREHOUSE": str(work / f"{DATABASE}.duckdb"),
        "CSI_TARGET": "duckdb",
        "DBT_PROFILES_DIR": str(project_dir),
        "CSI_DUCKDB_TEMP_DIR": str(work / "tmp"),
    }
    with mock.patch.dict(os.environ, overrides), contextlib.redirect_stdout(sys.stderr):
        result = dbtRunner().invoke([
            "compile", "--selector", SELECTOR, "--project-dir", str(project_dir),
            "--profiles-dir", str(project_dir), "--target-path", str(work / "target"),
            "--log-path", str(work / "logs"), "--quiet", "--no-use-colors",
        ])
    if not result.success:
        from csi.errors import UserError

        raise UserError(
            f"dbt could not compile the toolkit models ({result.exception or 'see the log'}): "
            f"fix the model and run again; dbt's log is in {work / 'logs'}"
        )
    manifest = json.loads((work / "target" / "manifest.json").read_text())
    compiled = {result["unique_id"] for result in
                json.loads((work / "target" / "run_results.json").read_text())["results"]}
    staged = work / bundle.name
    staged.write_text(json.dumps([n.__dict__ for n in _ordered_nodes(manifest, compiled)]))
    os.replace(staged, bundle)
    shutil.rmtree(work, ignore_errors=True)


def _ordered_nodes(manifest: dict, compiled: set[str]) -> list[Node]:
    # An ephemeral model is compiled into the models that read it: nothing of its own to create.
    selected = {unique_id: node for unique_id in compiled
                if (node := manifest["nodes"].get(unique_id, {})).get("resource_type") == "model"
                and node["config"]["materialized"] != "ephemeral"}
    for node in list(selected.values()):
        for parent in node["depends_on"]["nodes"]:
            if manifest["nodes"].get(parent, {}).get("resource_type") == "seed":
                selected[parent] = manifest["nodes"][parent]
    ordered: list[Node] = []
    done: set[str] = set()

    def visit(unique_id: str) -> None:
        if unique_id in done or unique_id not in selected:
            return
        done.add(unique_id)
        node = selected[unique_id]
        for parent in node["depends_on"].get("nodes", []):
            visit(parent)
        if node["resource_type"] == "seed":
            types = node["config"].get("column_types") or {}
            ordered.append(Node(unique_id, "seed", node["schema"], node["alias"] or node["name"],
                                seed_file=node["original_file_path"],
                                column_types=tuple(types.items())))
        else:
            ordered.append(Node(unique_id, "model", node["schema"], node["alias"] or node["name"],
                                sql=node["compiled_code"], depends_on=tuple(node["depends_on"]["nodes"])))

    for unique_id in sorted(selected):
        visit(unique_id)
    return ordered


# DuckDB gives each row group (122,880 rows by default) of a table to one thread, and an in-memory
# database keeps that size: a portfolio of 100,000 customers would be scored on one core. A scratch
# database file in RAM (/dev/shm where there is one) takes small row groups, left uncompressed since
# it is read once and thrown away.
SCRATCH_ROW_GROUP_SIZE = 8192


def connect() -> duckdb.DuckDBPyConnection:
    """A scratch DuckDB with the database name the compiled SQL refers to, removed with the connection."""
    shared_memory = Path("/dev/shm")
    scratch = Path(tempfile.mkdtemp(prefix="csi-toolkit-",
                                    dir=shared_memory if os.access(shared_memory, os.W_OK) else None))
    con = duckdb.connect()
    weakref.finalize(con, shutil.rmtree, scratch, True)
    con.execute("set enable_progress_bar = false")
    con.execute("set force_compression = 'uncompressed'")
    con.execute(f"attach ? as {DATABASE} (row_group_size {SCRATCH_ROW_GROUP_SIZE})", [f"{scratch / DATABASE}.duckdb"])
    con.execute(f"use {DATABASE}")
    return con


def run_models(con: duckdb.DuckDBPyConnection, nodes: list[Node]) -> None:
    """Create every seed and model of the toolkit in `con`, in dependency order."""
    for schema in sorted({node.schema for node in nodes}):
        con.execute(f'create schema if not exists "{DATABASE}"."{schema}"')
    for node in nodes:
        if node.resource_type == "seed":
            _load_seed(con, node)
        else:
            con.execute(f"create or replace table {node.relation} as {node.sql}")


def _load_seed(con: duckdb.DuckDBPyConnection, node: Node) -> None:
    with open(PROJECT_DIR / node.seed_file, newline="", encoding="utf-8") as handle:
        rows = list(csv.reader(handle))
    header, body = rows[0], rows[1:]
    types = dict(node.column_types)
    columns = ", ".join(f'"{name}" {types.get(name, "varchar")}' for name in header)
    con.execute(f"create or replace table {node.relation} ({columns})")
    if body:
        placeholders = ", ".join("?" for _ in header)
        con.executemany(f"insert into {node.relation} values ({placeholders})",
                        [[value if value != "" else None for value in row] for row in body])
