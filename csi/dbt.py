"""Run dbt in-process through its programmatic runner, parsing the project once per process."""

from __future__ import annotations

import json
import logging
import os
from collections.abc import Callable, Collection
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

import duckdb
import yaml

from csi.errors import UserError, locked_file
from csi.paths import PROJECT_DIR, warehouse_path


def project_config(project_dir: Path = PROJECT_DIR) -> dict[str, Any]:
    with open(project_dir / "dbt_project.yml") as project:
        return yaml.safe_load(project)


def health_components() -> list[str]:
    """The health components the project scores (var health_components), in its order."""
    return list(project_config()["vars"]["health_components"])


def project_files(project_dir: Path, suffixes: Collection[str], model_suffixes: Collection[str] = ()) -> list[Path]:
    """A dbt project's files with these suffixes, in order: its own YAML (dbt_project.yml,
    profiles.yml, selectors.yml) and what lies under the folders dbt_project.yml names (dbt's
    defaults otherwise); `model_suffixes` count in the model folders only (a Python model: under
    tests/, Python is pytest's)."""
    config = project_config(project_dir)
    found = list(project_dir.glob("*.yml"))
    for key, default in _PROJECT_FOLDERS.items():
        wanted = {*suffixes, *(model_suffixes if key == "model-paths" else ())}
        for folder in config.get(key, default):
            found += [path for path in (project_dir / folder).rglob("*") if path.suffix in wanted]
    return sorted(found)


class DbtFailure(UserError):
    """dbt ran but a model, test, seed or snapshot failed."""


@dataclass
class DbtProject:
    """One dbt project bound to one warehouse; keeps the parsed manifest so repeated runs skip parsing.

    vars that change the parse (enable flags, identifiers) go in `project_vars`; the as-of date is
    passed per run and does not force a re-parse."""

    project_vars: dict[str, Any] = field(default_factory=dict)
    quiet: bool = False
    project_dir: Path = PROJECT_DIR
    _manifest: Any = None

    def __post_init__(self) -> None:
        os.environ.setdefault("DBT_PROFILES_DIR", str(PROJECT_DIR))
        os.environ["CSI_WAREHOUSE"] = str(warehouse_path())
        warehouse_path().parent.mkdir(parents=True, exist_ok=True)
        # When another program holds the warehouse, dbt-duckdb fails again in its rollback and dbt
        # prints the error with three tracebacks (some 230 lines); `invoke` says it in one line
        # instead. dbt's console log is the Python logger "stdout_log", which keeps its filters from
        # one run to the next; dbt's file log keeps the whole story.
        logging.getLogger("stdout_log").addFilter(_not_about_a_locked_file)

    def _args(self, command: list[str], as_of: date | None, extra_vars: dict[str, Any] | None = None) -> list[str]:
        run_vars = {**self.project_vars, **(extra_vars or {})}
        if as_of is not None:
            run_vars["as_of_date"] = as_of.isoformat()
        args = [*command, "--project-dir", str(self.project_dir), "--profiles-dir", os.environ["DBT_PROFILES_DIR"]]
        if run_vars:
            args += ["--vars", json.dumps(run_vars, sort_keys=True)]
        if self.quiet:
            args += ["--quiet"]
        return args

    def _runner(self, callbacks: list[Callable[[Any], None]] | None = None):
        from dbt.cli.main import dbtRunner  # imported lazily: dbt's import alone costs seconds

        return dbtRunner(manifest=self._manifest, callbacks=callbacks)

    def parse(self) -> None:
        key = self._parse_key()
        if key in _PARSED:
            self._manifest = _PARSED[key] = _PARSED.pop(key)  # the most recently used last
            return
        result = self._runner().invoke(self._args(["parse"], None))
        if not result.success:
            raise DbtFailure(f"dbt could not parse the project: {result.exception}")
        self._manifest = _PARSED[key] = result.result
        while len(_PARSED) > _PARSED_KEPT:  # a manifest holds tens of MB
            del _PARSED[next(iter(_PARSED))]

    def _parse_key(self) -> tuple:
        """What a parse reads: the project's files, its parse-time vars, the target and the
        environment the project's YAML renders. The warehouse counts by its name alone: DuckDB names
        the database after the file, and the rest of its path is read when dbt connects, not when it
        parses. So a second warehouse in one process (the tests, a bench) skips the parse (7-10 s)."""
        files = []
        for path in project_files(self.project_dir, _PARSED_SUFFIXES, model_suffixes={".py"}):
            stat = path.stat()
            files.append((str(path.relative_to(self.project_dir)), stat.st_mtime_ns, stat.st_size))
        environment = sorted((name, value) for name, value in os.environ.items()
                             if name.startswith(("CSI_", "DBT_")) and name not in _RUN_TIME_ENVIRONMENT)
        return (str(self.project_dir), json.dumps(self.project_vars, sort_keys=True), warehouse_path().name,
                tuple(environment), tuple(files))

    def invoke(
        self, command: list[str], as_of: date | None = None, extra_vars: dict[str, Any] | None = None,
        callbacks: list[Callable[[Any], None]] | None = None, check: bool = True,
    ) -> Any:
        """Run one dbt command (with `extra_vars`, read at run time, for this run only; `callbacks`
        receive every event dbt fires); raise DbtFailure naming what failed, unless `check` is false
        (the caller reads the results)."""
        if self._manifest is None and command[0] not in ("deps", "debug", "parse"):
            check_warehouse_free()  # before seconds of parsing
            self.parse()
        try:
            result = self._runner(callbacks).invoke(self._args(command, as_of, extra_vars))
        finally:
            release_warehouse()
        if result.exception is not None:
            raise locked_file(result.exception) or DbtFailure(f"dbt {command[0]} failed: {result.exception}")
        if check and not result.success:
            raise DbtFailure(f"dbt {' '.join(command)} failed: {', '.join(failed_nodes(result.result)) or 'see the log above'}")
        return result.result

    def operation(self, macro: str, as_of: date | None = None, args: dict[str, Any] | None = None) -> list[str]:
        """Run a macro of the project (`dbt run-operation`) and return the messages it logged. It
        writes no artifacts: target/ keeps the last build's run results and manifest (writing them
        costs more than most operations)."""
        logged: list[str] = []

        def collect(event: Any) -> None:
            if event.info.name in ("JinjaLogDebug", "JinjaLogInfo"):
                logged.append(event.data.msg)

        self.invoke(["run-operation", macro, "--no-write-json", *(["--args", json.dumps(args)] if args else [])], as_of,
                    callbacks=[collect])
        return logged


# Parsed manifests of this process, by DbtProject._parse_key: the few used last.
_PARSED: dict[tuple, Any] = {}
_PARSED_KEPT = 4
# dbt_project.yml's folders, with dbt's defaults.
_PROJECT_FOLDERS = {
    "model-paths": ["models"], "seed-paths": ["seeds"], "snapshot-paths": ["snapshots"], "macro-paths": ["macros"],
    "test-paths": ["tests"], "analysis-paths": ["analyses"], "docs-paths": [],
}
# What a parse reads there.
_PARSED_SUFFIXES = {".sql", ".yml", ".yaml", ".csv", ".md"}
# Read when dbt runs, not when it parses: a warehouse's place, where dbt writes, the session's limits,
# which tests a selection takes along.
_RUN_TIME_ENVIRONMENT = {"CSI_WAREHOUSE", "CSI_DUCKDB_TEMP_DIR", "CSI_DUCKDB_MEMORY_LIMIT", "CSI_PUBLISHED_DIR",
                         "DBT_TARGET_PATH", "DBT_LOG_PATH", "DBT_INDIRECT_SELECTION"}


def _not_about_a_locked_file(record: logging.LogRecord) -> bool:
    return locked_file(record.getMessage()) is None


def check_warehouse_free() -> None:
    """Fail in one line when another program holds the warehouse."""
    try:
        duckdb.connect(str(warehouse_path())).close()
    except duckdb.IOException as error:
        if (locked := locked_file(error)) is None:
            raise
        raise locked from None


def release_warehouse() -> None:
    """Close the DuckDB instance dbt-duckdb keeps open in this process, so the loader, the
    publisher and tests can open the warehouse file between dbt commands."""
    from dbt.adapters.duckdb.connections import DuckDBConnectionManager

    with DuckDBConnectionManager._LOCK:
        if DuckDBConnectionManager._ENV is not None:
            DuckDBConnectionManager._ENV.close()
            DuckDBConnectionManager._ENV = None


def failed_nodes(run_result: Any) -> list[str]:
    names = []
    for node_result in getattr(run_result, "results", []) or []:
        if str(node_result.status) in ("error", "fail", "runtime error"):
            names.append(f"{node_result.node.name} ({node_result.status}: {(node_result.message or '').strip()[:200]})")
    return names
