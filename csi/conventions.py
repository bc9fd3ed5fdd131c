"""The project's own conventions (docs/style.md), checked on dbt's parsed manifest.

Every model has a description and a primary-key test (unique + not_null on one column, or a
unique_combination test; base_ models, every raw row as landed, have none); only models under
models/staging read a source (every other layer reads staging); every public mart (models/marts/**)
enforces its contract; every source is declared in models/staging and every source table has a
freshness rule (unless its meta says loaded_on_demand); a table with an enforced contract declares a
column's not-null rule, range or allowed values as constraints, which the warehouse enforces as it
writes the table, not as tests (a primary key there is its unique test and its not_null
constraint); names carry their layer's prefix and fit PostgreSQL's 63 characters; models build into
their layer's schema (the toolkit's folders into their own); each folder keeps its models in one
YAML named after the folder. `check` returns one line per breach.
"""

from __future__ import annotations

import json
import re
from collections import defaultdict
from pathlib import Path, PurePosixPath
from typing import Any

PROJECT = "client_success_intelligence"

# models/<layer>/<folder>/<name>.sql: the name pattern per layer ({folder} is the model's folder).
NAME_PATTERNS = {
    "staging": r"(stg|base)_{folder}__[a-z0-9_]+",
    "intermediate": r"int_{folder}__[a-z0-9_]+",
    "marts": r"(fct|dim)_[a-z0-9_]+",
}
# Folders whose names say more than their layer's pattern: the portfolio marts `csi toolkit` reads.
FOLDER_NAME_PATTERNS = {("marts", "toolkit_portfolio"): r"fct_toolkit_portfolio_[a-z0-9_]+"}
# The schema each layer builds into, and the folders that build elsewhere: the toolkit's nightly
# scores apart from the product's marts (one health score, one churn risk there), and a toolkit
# portfolio's models beside the portfolio `csi toolkit` loads into schema `toolkit`.
LAYER_SCHEMAS = {"staging": "staging", "intermediate": "intermediate", "marts": "marts"}
FOLDER_SCHEMAS = {
    ("marts", "toolkit"): "toolkit_scores",
    ("intermediate", "toolkit_portfolio"): "toolkit",
    ("marts", "toolkit_portfolio"): "toolkit",
}
# The one models YAML of a folder, per layer.
YAML_PATTERNS = {
    "staging": "_{folder}__models.yml",
    "intermediate": "_int_{folder}__models.yml",
    "marts": "_{folder}__models.yml",
}
# PostgreSQL truncates (and dbt refuses) identifiers longer than this.
MAX_NAME_LENGTH = 63
PRIMARY_KEY_TESTS = {"unique_combination", "unique_combination_of_columns"}


def _own(nodes: dict[str, Any], resource_type: str) -> list[dict[str, Any]]:
    return [
        node
        for node in nodes.values()
        if node["resource_type"] == resource_type and node["package_name"] == PROJECT
    ]


def _contracted_table(model: dict[str, Any]) -> bool:
    """A table whose contract is enforced: DuckDB and PostgreSQL enforce its constraints."""
    return bool(model["config"].get("contract", {}).get("enforced")) and model["config"].get("materialized") in (
        "table", "incremental")


def _primary_keyed(manifest: dict[str, Any]) -> set[str]:
    """Models with unique + not_null on the same column (on a contracted table, the not_null is its
    constraint), or a unique-combination test."""
    column_tests: dict[tuple[str, str], set[str]] = defaultdict(set)
    keyed: set[str] = set()
    for model in _own(manifest["nodes"], "model"):
        if _contracted_table(model):
            for name, column in model["columns"].items():
                if any(constraint["type"] == "not_null" for constraint in column.get("constraints", [])):
                    column_tests[(model["unique_id"], name)].add("not_null")
    for test in _own(manifest["nodes"], "test"):
        metadata = test.get("test_metadata") or {}
        model = test.get("attached_node")
        if not model or not metadata:
            continue
        if metadata["name"] in PRIMARY_KEY_TESTS:
            keyed.add(model)
        elif metadata["name"] in ("unique", "not_null") and test.get("column_name"):
            column_tests[(model, test["column_name"])].add(metadata["name"])
    keyed |= {model for (model, _), names in column_tests.items() if names >= {"unique", "not_null"}}
    return keyed


def _model_breaches(model: dict[str, Any], keyed: set[str]) -> list[str]:
    path = PurePosixPath(model["original_file_path"])
    where = f"{model['name']} ({path})"
    breaches = []
    if not model["description"].strip():
        breaches.append(f"{where}: no description")
    # base_ models keep every raw row as landed, duplicates included: they have no key by design
    # (their stg_ model has it).
    if model["unique_id"] not in keyed and not model["name"].startswith("base_"):
        breaches.append(f"{where}: no primary-key test (unique + not_null on a column, or unique_combination)")
    sources = sorted(node.split(".", 2)[2] for node in model["depends_on"]["nodes"] if node.startswith("source."))
    if sources and path.parts[1:2] != ("staging",):
        breaches.append(f"{where}: reads source {', '.join(sources)} outside models/staging (read its stg_ model)")
    parts = path.parts  # models/<layer>/<folder>/<file>
    layer = parts[1] if len(parts) > 2 else ""
    folder = parts[2] if len(parts) > 3 else ""
    if layer not in NAME_PATTERNS or len(parts) != 4:
        breaches.append(f"{where}: not under models/<staging|intermediate|marts>/<folder>/")
        return breaches
    pattern = FOLDER_NAME_PATTERNS.get((layer, folder), NAME_PATTERNS[layer].format(folder=folder))
    if not re.fullmatch(pattern, model["name"]):
        breaches.append(f"{where}: name does not match {pattern}")
    schema = FOLDER_SCHEMAS.get((layer, folder), LAYER_SCHEMAS[layer])
    if model["schema"] != schema:
        breaches.append(f"{where}: builds into schema {model['schema']}, expected {schema}")
    expected_yaml = str(path.parent / YAML_PATTERNS[layer].format(folder=folder))
    patch = (model.get("patch_path") or "").split("://")[-1]
    if patch != expected_yaml:
        breaches.append(f"{where}: documented in {patch or 'no YAML'}, expected {expected_yaml}")
    if layer == "marts" and not model["config"].get("contract", {}).get("enforced"):
        breaches.append(f"{where}: public mart without an enforced contract (config: contract: {{enforced: true}})")
    return breaches


def _source_breaches(manifest: dict[str, Any]) -> list[str]:
    breaches = []
    for source in _own(manifest["sources"], "source"):
        if not source["original_file_path"].startswith("models/staging/"):
            breaches.append(f"source {source['source_name']}.{source['name']}: declared in "
                            f"{source['original_file_path']}, outside models/staging")
        if source["config"].get("meta", {}).get("loaded_on_demand"):
            continue  # a file a command loads when asked (the toolkit portfolio): nothing to be late
        freshness = source.get("freshness") or {}
        if not any((freshness.get(level) or {}).get("count") for level in ("warn_after", "error_after")):
            breaches.append(f"source {source['source_name']}.{source['name']}: no freshness rule")
        if not source.get("loaded_at_field") and not source.get("loaded_at_query"):
            breaches.append(f"source {source['source_name']}.{source['name']}: no loaded_at_field for freshness")
    return breaches


def _yaml_layout_breaches(project_dir: Path) -> list[str]:
    """At most one models YAML per folder (and a sources YAML only in staging)."""
    breaches = []
    for folder in sorted({path.parent for path in (project_dir / "models").rglob("*.yml")}):
        names = sorted(path.name for path in folder.glob("*.yml"))
        models_yaml = [name for name in names if name.endswith("__models.yml")]
        others = [name for name in names if name not in models_yaml and not name.endswith("__sources.yml")]
        relative = folder.relative_to(project_dir)
        if len(models_yaml) > 1:
            breaches.append(f"{relative}: more than one models YAML ({', '.join(models_yaml)})")
        if others:
            breaches.append(f"{relative}: YAML not named _<folder>__models.yml or _<source>__sources.yml ({', '.join(others)})")
    return breaches


def _long_name_breaches(manifest: dict[str, Any]) -> list[str]:
    """Relation names PostgreSQL would refuse (dbt names a unit test's temp relation after it)."""
    named = [*_own(manifest["nodes"], "model"), *_own(manifest["nodes"], "seed"),
             *_own(manifest["nodes"], "snapshot"), *_own(manifest.get("unit_tests", {}), "unit_test")]
    return [
        f"{node['name']} ({node['original_file_path']}): name longer than {MAX_NAME_LENGTH} characters"
        for node in named
        if len(node["name"]) > MAX_NAME_LENGTH
    ]


# Tests a contracted table declares as constraints instead, which DuckDB and PostgreSQL enforce as
# dbt writes the table: not_null as {type: not_null}, a range or a list of values as {type: check}.
CONSTRAINT_TESTS = {"not_null": "constraints: [{type: not_null}]",
                    "in_range": "a check constraint", "accepted_values": "a check constraint"}


def _constraint_test_breaches(manifest: dict[str, Any]) -> list[str]:
    """Tests on a column of a table whose contract is enforced that its contract declares instead (one
    test node fewer per column in every build; a not_null test beside the constraint cannot fail)."""
    nodes = manifest["nodes"]
    breaches = []
    for test in _own(nodes, "test"):
        name = (test.get("test_metadata") or {}).get("name")
        model = nodes.get(test.get("attached_node"))
        if name in CONSTRAINT_TESTS and test.get("column_name") and model and _contracted_table(model) \
                and not _value_test_kept(test, model):
            breaches.append(f"{model['name']} ({model['original_file_path']}): column {test['column_name']} is "
                            f"tested with {name}; declare it in the enforced contract instead: {CONSTRAINT_TESTS[name]}")
    return sorted(breaches)


def _value_test_kept(test: dict[str, Any], model: dict[str, Any]) -> bool:
    """A range or values test that stays a test: its arguments read a var (the manifest keeps them
    unrendered), or it is on a quality mart, whose rows must land to show what the input broke."""
    return test["test_metadata"]["name"] != "not_null" and (
        "{{" in json.dumps(test["test_metadata"].get("kwargs", {}))
        or PurePosixPath(model["original_file_path"]).parts[1:3] == ("marts", "quality"))


def check(manifest: dict[str, Any], project_dir: Path) -> list[str]:
    """Every breach of the conventions, one line each (empty when the project conforms)."""
    keyed = _primary_keyed(manifest)
    breaches = _long_name_breaches(manifest) + _constraint_test_breaches(manifest)
    for model in sorted(_own(manifest["nodes"], "model"), key=lambda node: node["original_file_path"]):
        breaches += _model_breaches(model, keyed)
    return breaches + _source_breaches(manifest) + _yaml_layout_breaches(project_dir)


def check_manifest_file(manifest_path: Path, project_dir: Path) -> list[str]:
    return check(json.loads(manifest_path.read_text()), project_dir)
