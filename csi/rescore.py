"""`csi rescore`: new health scores on the dashboard seconds after an edit to the scoring seeds.

After an edit to a seed under seeds/health/ (weights, bands, scoring grid, risk levels, sentiment
overrides), the score and every model that reads it must be rebuilt. `dbt build` would take tens of
seconds, most of it dbt's own start-up and per-node cost, so this runs dbt's compiled SQL straight
in DuckDB, as the toolkit does:

- The plan comes from dbt's manifest: the scoring seeds, every model downstream of them but not
  only through a snapshot (what reads the score history is rebuilt from the history as it stands;
  the snapshots belong to the nightly run and are never touched), and every data test of those
  nodes. A new component or mart is in the plan as soon as it reads them.
- It is compiled once (`dbt compile` as of the warehouse's as-of date, with --full-refresh so an
  incremental model compiles to its full rebuild) and cached beside the warehouse, keyed by every
  file that shapes the SQL, the as-of date and the warehouse's name. Editing a seed's values does
  not recompile; editing a model, a macro, a YAML file or dbt_project.yml does, once.
- A run opens one DuckDB connection and one transaction: it loads the seed files into the seed
  tables as dbt seeds them (the tables keep their types, the file is copied in), runs the seeds'
  data tests, creates each model in dependency order as dbt materialises it (a view, a table, a
  contracted table with the contract's column types), runs the models' data tests and commits only
  when every test with error severity passed. Anything else rolls back: nothing is written, and
  nothing is published.
- Then it publishes (csi.publish).

A preview (`--preview`) never writes the warehouse: it opens it read-only and builds the same plan
in a scratch database attached beside it (the compiled SQL's references to the rebuilt relations
point there), publishes the warehouse with the preview's tables in their place to
`<published>/preview/`, and deletes the scratch database. The dashboard shows that copy at
`?preview`; everyone else's dashboard keeps the published scores.
"""

from __future__ import annotations

import csv
import hashlib
import json
import os
import re
import shutil
import tempfile
import time
from dataclasses import asdict, dataclass
from datetime import date
from graphlib import TopologicalSorter
from pathlib import Path

import duckdb

from csi.dbt import project_files
from csi.errors import UserError, locked_file
from csi.paths import PROJECT_DIR, published_dir, warehouse_path
from csi.publish import PREVIEW_DIR, Publication, publish

SCORING_SEEDS = "seeds/health/"
# What shapes the compiled SQL: the dbt project's SQL and YAML (the seeds' values do not).
COMPILED_SUFFIXES = (".sql", ".yml", ".yaml")
SELECTION = ["--select", f"path:{SCORING_SEEDS}+", "--exclude", "resource_type:snapshot", "resource_type:analysis"]
# The fact the as-of date of the last build is read from (one as-of date per build).
SCORE_MART = ("marts", "fct_account_health")


@dataclass(frozen=True)
class Node:
    """One step of a rescore: load a seed, create a view or a table, or run a data test."""

    unique_id: str
    kind: str  # "seed", "view", "table" or "test"
    name: str
    relation: str = ""  # as the compiled SQL names it: "database"."schema"."identifier"
    schema: str = ""
    identifier: str = ""
    sql: str = ""  # a model's or a test's compiled SQL
    seed_file: str = ""  # relative to the project
    delimiter: str = ","
    # A contracted table: its columns' DDL as dbt renders it, and their names in order.
    contract: tuple[str, ...] = ()
    contract_columns: tuple[str, ...] = ()
    # A test: dbt's failure calculation and thresholds.
    severity: str = "error"
    fail_calc: str = "count(*)"
    warn_if: str = "!= 0"
    error_if: str = "!= 0"
    limit: int | None = None
    reads_only_seeds: bool = False  # a test of the seeds (reading no rebuilt model) runs before any model is built


@dataclass(frozen=True)
class Plan:
    database: str
    as_of: str
    nodes: tuple[Node, ...]

    def of_kind(self, *kinds: str) -> list[Node]:
        return [node for node in self.nodes if node.kind in kinds]


@dataclass(frozen=True)
class Rescore:
    plan: Plan
    compiled: bool  # False when the compiled plan came from the cache
    warnings: list[str]
    seconds: float
    publication: Publication
    customers: int
    weights_version: str


def source_hash(project_dir: Path, as_of: str, database: str) -> str:
    """What the compiled SQL is made of: the project's SQL and YAML, the as-of date, the database name
    the SQL refers to (the warehouse file's name) and the profile's target."""
    digest = hashlib.sha256(Path(__file__).read_bytes())  # the cached plan's format is this module's
    digest.update(f"{as_of}|{database}|{os.environ.get('CSI_TARGET', 'duckdb')}".encode())
    for file in project_files(project_dir, COMPILED_SUFFIXES):
        digest.update(str(file.relative_to(project_dir)).encode())
        digest.update(file.read_bytes())
    return digest.hexdigest()[:16]


def last_as_of(warehouse: Path) -> str:
    """The as-of date the warehouse was last built for (a rescore scores as of that date)."""
    if not warehouse.is_file():
        raise UserError(f"no warehouse at {warehouse}: run `csi build` (or `make demo`) first")
    schema, table = SCORE_MART
    with _connected(warehouse, read_only=True) as con:
        try:
            dates = con.execute(f'select distinct as_of_date from "{schema}"."{table}"').fetchall()
        except duckdb.CatalogException:
            raise UserError(f"{warehouse} has no {schema}.{table}: run `csi build` first") from None
    if len(dates) != 1:
        raise UserError(f"{schema}.{table} in {warehouse} holds no score (or several as-of dates): run `csi build`")
    return dates[0][0].isoformat()


def compiled_plan(project_dir: Path, warehouse: Path, as_of: str, cache: Path) -> tuple[Plan, bool]:
    """The plan for this project and warehouse as of `as_of`, and whether it had to be compiled
    (the compiled plan is kept in `cache`)."""
    bundle = cache / f"{warehouse.stem}-{source_hash(project_dir, as_of, warehouse.stem)}.json"
    compiled = not bundle.exists()
    if compiled:
        manifest = _compile(project_dir, cache, as_of)
        staged = cache / f".{bundle.name}.{os.getpid()}"
        staged.write_text(json.dumps(asdict(plan_from_manifest(manifest, as_of))))
        for stale in cache.glob(f"{warehouse.stem}-*.json"):
            stale.unlink()
        os.replace(staged, bundle)
    raw = json.loads(bundle.read_text())
    nodes = tuple(Node(**{**node, "contract": tuple(node["contract"]),
                          "contract_columns": tuple(node["contract_columns"])}) for node in raw["nodes"])
    return Plan(raw["database"], raw["as_of"], nodes), compiled


def _compile(project_dir: Path, cache: Path, as_of: str) -> dict:
    from csi.dbt import DbtProject

    target = cache / "target"
    DbtProject(quiet=True, project_dir=project_dir).invoke(
        ["compile", *SELECTION, "--full-refresh", "--target-path", str(target)], date.fromisoformat(as_of))
    return json.loads((target / "manifest.json").read_text())


def plan_from_manifest(manifest: dict, as_of: str) -> Plan:
    """The scoring seeds, the models downstream of them (not only through a snapshot) in dependency
    order, and the data tests of both; tests of the seeds alone first."""
    from dbt.adapters.duckdb.impl import DuckDBAdapter  # loaded already: this runs after dbt compile

    nodes = manifest["nodes"]
    seeds = {uid for uid, node in nodes.items()
             if node["resource_type"] == "seed" and node["original_file_path"].startswith(SCORING_SEEDS)}
    if not seeds:
        raise UserError(f"the project has no seeds under {SCORING_SEEDS}")
    models: set[str] = set()
    pending = list(seeds)
    while pending:
        for child in manifest["child_map"].get(pending.pop(), []):
            if child not in models and nodes.get(child, {}).get("resource_type") == "model":
                models.add(child)
                pending.append(child)
    graph = {uid: [p for p in nodes[uid]["depends_on"].get("nodes", []) if p in models | seeds] for uid in models | seeds}
    planned: list[Node] = []
    for uid in TopologicalSorter(graph).static_order():
        node = nodes[uid]
        config = node["config"]
        if node["resource_type"] == "seed":
            planned.append(Node(uid, "seed", node["name"], node["relation_name"], node["schema"], node["alias"],
                                seed_file=node["original_file_path"], delimiter=config.get("delimiter") or ","))
            continue
        materialized = config["materialized"]
        if materialized == "ephemeral":  # compiled into the models that read it
            continue
        if config.get("pre-hook") or config.get("post-hook"):
            raise UserError(f"{node['name']} runs hooks, which a rescore cannot: use `csi build`")
        contract = config.get("contract", {}).get("enforced") and materialized != "view"
        planned.append(Node(
            uid, "view" if materialized == "view" else "table", node["name"], node["relation_name"], node["schema"],
            node["alias"], sql=node["compiled_code"],
            contract=tuple(DuckDBAdapter.render_raw_columns_constraints(node["columns"])
                           + DuckDBAdapter.render_raw_model_constraints(node["constraints"])) if contract else (),
            contract_columns=tuple(DuckDBAdapter.quote(c["name"]) if c.get("quote") else c["name"]
                                   for c in node["columns"].values()) if contract else ()))
    tests = sorted((uid for uid, node in nodes.items() if node["resource_type"] == "test"
                    and set(node["depends_on"]["nodes"]) & (models | seeds)),
                   key=lambda uid: (bool(set(nodes[uid]["depends_on"]["nodes"]) & models), uid))
    for uid in tests:
        node, config = nodes[uid], nodes[uid]["config"]
        planned.append(Node(uid, "test", node["name"], sql=node["compiled_code"], severity=config["severity"].lower(),
                            fail_calc=config["fail_calc"], warn_if=config["warn_if"], error_if=config["error_if"],
                            limit=config.get("limit"),
                            reads_only_seeds=not set(node["depends_on"]["nodes"]) & models))
    database = next(nodes[uid]["database"] for uid in seeds)
    return Plan(database, as_of, tuple(planned))


class _connected:
    """A DuckDB connection to the warehouse; a warehouse another program holds is a one-line error."""

    def __init__(self, warehouse: Path, read_only: bool = False):
        try:
            self.con = duckdb.connect(str(warehouse), read_only=read_only, config={
                "memory_limit": os.environ.get("CSI_DUCKDB_MEMORY_LIMIT", "6GB")})
        except duckdb.IOException as error:
            raise (locked_file(error) or error) from None

    def __enter__(self) -> duckdb.DuckDBPyConnection:
        return self.con

    def __exit__(self, *_: object) -> None:
        self.con.close()


def rescore(preview: bool = False, project_dir: Path = PROJECT_DIR, warehouse: Path | None = None,
            published: Path | None = None, cache: Path | None = None) -> Rescore:
    """Rebuild the score and what reads it from the seed files, and publish (`preview`: to the
    preview copy, leaving the warehouse and the published copy as they are). The compiled plan is
    cached in `cache` (default: .rescore/ beside the warehouse)."""
    started = time.perf_counter()
    warehouse = warehouse or warehouse_path()
    published = published or published_dir()
    cache = cache or warehouse.parent / ".rescore"
    cache.mkdir(parents=True, exist_ok=True)
    plan, compiled = compiled_plan(project_dir, warehouse, last_as_of(warehouse), cache)
    if preview:
        scratch = Path(tempfile.mkdtemp(prefix="preview-", dir=cache))
        try:
            database = scratch / f"{plan.database}_{PREVIEW_DIR}.duckdb"
            with _connected(database) as con:
                con.execute(f"attach ? as {_quote(plan.database)} (read_only)", [str(warehouse)])
                warnings, customers, version = _run(con, plan, project_dir, f"{plan.database}_{PREVIEW_DIR}")
            publication = publish(warehouse, published / PREVIEW_DIR, replaced_by=database)
        finally:
            shutil.rmtree(scratch, ignore_errors=True)
    else:
        with _connected(warehouse) as con:
            warnings, customers, version = _run(con, plan, project_dir, None)
        publication = publish(warehouse, published)
    return Rescore(plan, compiled, warnings, round(time.perf_counter() - started, 2), publication, customers, version)


def _quote(identifier: str) -> str:
    return '"' + identifier.replace('"', '""') + '"'


def _run(con: duckdb.DuckDBPyConnection, plan: Plan, project_dir: Path, into: str | None) -> tuple[list[str], int, str]:
    """Load the seeds, build the models and run the tests of `plan` in one transaction, committed
    only if every test passes; into a scratch database named `into` rather than the warehouse when
    given. Returns the tests' warnings, the customers scored and the weights version."""
    built = {node.relation: node for node in plan.of_kind("seed", "view", "table")}
    target = {relation: _relation(into, node) if into else relation for relation, node in built.items()}

    def sql_of(node: Node) -> str:
        text = node.sql
        if into:
            for relation, replacement in target.items():
                text = text.replace(relation, replacement)
        return text

    con.execute("set enable_progress_bar = false")
    existing = dict(((schema, name), kind) for schema, name, kind in con.execute(
        "select table_schema, table_name, table_type from information_schema.tables where table_catalog = ?",
        [into or plan.database]).fetchall())
    warnings: list[str] = []
    con.execute("begin transaction")
    try:
        for schema in sorted({node.schema for node in built.values()}):
            con.execute(f"create schema if not exists {_quote(into or plan.database)}.{_quote(schema)}")
        for node in plan.of_kind("seed"):
            _load_seed(con, node, project_dir, target[node.relation], plan.database)
        for node in plan.of_kind("test"):
            if node.reads_only_seeds:
                _test(con, node, sql_of(node), warnings)
        for node in plan.of_kind("view", "table"):
            _create(con, node, sql_of(node), target[node.relation], existing.get((node.schema, node.identifier)))
        for node in plan.of_kind("test"):
            if not node.reads_only_seeds:
                _test(con, node, sql_of(node), warnings)
        score = next(target[n.relation] for n in plan.of_kind("table") if (n.schema, n.identifier) == SCORE_MART)
        customers, version = con.execute(f"select count(*), max(weights_version) from {score}").fetchall()[0]
        con.execute("commit")
    except BaseException:
        con.execute("rollback")
        raise
    return warnings, customers, version or ""


def _relation(database: str, node: Node) -> str:
    return f"{_quote(database)}.{_quote(node.schema)}.{_quote(node.identifier)}"


def _load_seed(con: duckdb.DuckDBPyConnection, node: Node, project_dir: Path, relation: str, database: str) -> None:
    """The seed file into its table as `dbt seed` loads it into an existing one: the table keeps its
    column types and the file is copied in. The file must have the table's columns, in order (dbt's
    copy reads them by position)."""
    path = project_dir / node.seed_file
    columns = [name for (name,) in con.execute(
        "select column_name from information_schema.columns where table_catalog = ? and table_schema = ? "
        "and table_name = ? order by ordinal_position", [database, node.schema, node.identifier]).fetchall()]
    if not columns:
        raise UserError(f"the warehouse has no {node.schema}.{node.identifier}: run `csi build` first")
    try:
        with path.open(newline="", encoding="utf-8-sig") as file:
            header = next(csv.reader(file, delimiter=node.delimiter), [])
    except (OSError, UnicodeDecodeError, csv.Error) as error:
        raise UserError(f"{node.seed_file}: cannot read it ({error})") from None
    if header != columns:
        missing = [c for c in columns if c not in header]
        extra = [c for c in header if c not in columns]
        problem = (f"has no column {', '.join(missing)}" if missing else
                   f"has a column {', '.join(extra)} the seed table lacks (a new column needs `csi build`)" if extra else
                   "has its columns in another order")
        raise UserError(f"{node.seed_file} {problem}: expected {node.delimiter.join(columns)}; "
                        "nothing was changed or published")
    if relation != node.relation:  # a preview: an empty copy of the seed table
        con.execute(f"create table {relation} as select * from {node.relation} limit 0")
    con.execute(f"delete from {relation}")
    try:
        con.execute(f"copy {relation} from ? (format csv, header true, delimiter ?)", [str(path), node.delimiter])
    except duckdb.Error as error:
        raise UserError(f"{node.seed_file}{_csv_problem(error)}; nothing was changed or published") from None


def _csv_problem(error: duckdb.Error) -> str:
    """DuckDB's many-line CSV error in a few words: where, and what did not parse."""
    lines = [line.strip() for line in str(error).splitlines() if line.strip()] or [type(error).__name__]
    where = re.search(r"CSV Error on Line: (\d+)", lines[0])
    what = next((line for line in lines if line.startswith("Error when converting")), lines[0])
    return f" line {where[1]}: {what}" if where else f": {what}"


def _create(con: duckdb.DuckDBPyConnection, node: Node, sql: str, relation: str, existing: str | None) -> None:
    """The model as dbt materialises it: a view; a table; a contracted table created with the
    contract's columns, then filled."""
    if existing and (existing == "VIEW") != (node.kind == "view"):  # the project changed its materialisation
        con.execute(f"drop {'view' if existing == 'VIEW' else 'table'} {relation}")
    if node.kind == "view":
        con.execute(f"create or replace view {relation} as (\n{sql}\n)")
    elif node.contract:
        columns = ", ".join(node.contract_columns)
        con.execute(f"create or replace table {relation} ({', '.join(node.contract)})")
        con.execute(f"insert into {relation} ({columns}) select {columns} from (\n{sql}\n) as model_subq")
    else:
        con.execute(f"create or replace table {relation} as (\n{sql}\n)")


def _test(con: duckdb.DuckDBPyConnection, node: Node, sql: str, warnings: list[str]) -> None:
    """A data test as dbt runs it: fails on an error-severity test past its threshold, warns otherwise."""
    limit = f"limit {node.limit}" if node.limit is not None else ""
    failures, should_warn, should_error = con.execute(
        f"select {node.fail_calc} as failures, {node.fail_calc} {node.warn_if} as should_warn, "
        f"{node.fail_calc} {node.error_if} as should_error from (\n{sql}\n{limit}\n) dbt_internal_test").fetchall()[0]
    if node.severity == "error" and should_error:
        first = con.execute(f"select * from (\n{sql}\n) as failing limit 1").fetchall()
        names = [column[0] for column in con.description]
        example = ", ".join(f"{name}={value}" for name, value in zip(names, first[0], strict=True)) if first else ""
        raise UserError(f"test {node.name} failed ({failures} failing){': ' + example if example else ''}; "
                        "nothing was changed or published")
    if should_warn:
        warnings.append(f"test {node.name} warns: {failures} failing")
