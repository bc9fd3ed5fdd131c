"""csi runs dbt in-process and parses the project once per process: a second warehouse reuses the
parse, and anything a parse reads (a project file, a var, the target) parses again."""

from __future__ import annotations

import shutil
from pathlib import Path
from types import SimpleNamespace

import pytest

from csi import dbt
from csi.dbt import DbtProject
from csi.paths import PROJECT_DIR


@pytest.fixture
def project_copy(tmp_path: Path) -> Path:
    copy = tmp_path / "project"
    shutil.copytree(PROJECT_DIR, copy, ignore=shutil.ignore_patterns(".*", "target", "logs", "warehouse", "data",
                                                                      "build", "python", "bench", "docs", "csi"))
    return copy


@pytest.fixture
def parses(monkeypatch: pytest.MonkeyPatch) -> list[Path]:
    """Stand in for dbt's parse (seconds): record each project parsed, return a new manifest."""
    parsed: list[Path] = []
    monkeypatch.setattr(dbt, "_PARSED", {})

    class Runner:
        def __init__(self, project: DbtProject) -> None:
            self.project = project

        def invoke(self, args: list[str]) -> SimpleNamespace:
            parsed.append(self.project.project_dir)
            return SimpleNamespace(success=True, result=object(), exception=None)

    monkeypatch.setattr(DbtProject, "_runner", lambda self, callbacks=None: Runner(self))
    return parsed


def warehouse(monkeypatch: pytest.MonkeyPatch, path: Path) -> None:
    monkeypatch.setenv("CSI_WAREHOUSE", str(path))
    monkeypatch.setenv("DBT_TARGET_PATH", str(path.parent / "target"))


def test_a_second_warehouse_of_the_same_name_reuses_the_parse(
    project_copy: Path, parses: list[Path], monkeypatch: pytest.MonkeyPatch, tmp_path: Path,
) -> None:
    warehouse(monkeypatch, tmp_path / "a" / "csi.duckdb")
    first = DbtProject(quiet=True, project_dir=project_copy)
    first.parse()
    warehouse(monkeypatch, tmp_path / "b" / "csi.duckdb")
    second = DbtProject(quiet=True, project_dir=project_copy)
    second.parse()
    assert len(parses) == 1
    assert second._manifest is first._manifest


@pytest.mark.parametrize("change", ["model edited", "model added", "Python model added", "seed edited", "var", "target",
                                    "database name"])
def test_what_a_parse_reads_parses_again(
    change: str, project_copy: Path, parses: list[Path], monkeypatch: pytest.MonkeyPatch, tmp_path: Path,
) -> None:
    warehouse(monkeypatch, tmp_path / "a" / "csi.duckdb")
    DbtProject(quiet=True, project_dir=project_copy).parse()
    project_vars = {}
    if change == "model edited":
        model = next((project_copy / "models").rglob("fct_account_health.sql"))
        model.write_text(model.read_text() + "\n-- edited\n")
    elif change == "model added":
        (project_copy / "models" / "marts" / "fct_new.sql").write_text("select 1 as id\n")
    elif change == "Python model added":
        (project_copy / "models" / "marts" / "fct_new.py").write_text("def model(dbt, session):\n    return None\n")
    elif change == "seed edited":
        seed = next((project_copy / "seeds").rglob("health_weights.csv"))
        seed.write_text(seed.read_text() + "\n")
    elif change == "var":
        project_vars = {"health_components": ["product_usage"]}
    elif change == "target":
        monkeypatch.setenv("CSI_TARGET", "postgres")
    else:
        warehouse(monkeypatch, tmp_path / "b" / "other.duckdb")
    DbtProject(project_vars=project_vars, quiet=True, project_dir=project_copy).parse()
    assert len(parses) == 2


def test_python_tests_and_their_caches_are_not_parsed(
    project_copy: Path, parses: list[Path], monkeypatch: pytest.MonkeyPatch, tmp_path: Path,
) -> None:
    warehouse(monkeypatch, tmp_path / "a" / "csi.duckdb")
    DbtProject(quiet=True, project_dir=project_copy).parse()
    (project_copy / "tests" / "python").mkdir(exist_ok=True)
    (project_copy / "tests" / "python" / "test_new.py").write_text("def test(): pass\n")
    DbtProject(quiet=True, project_dir=project_copy).parse()
    assert len(parses) == 1


def test_the_process_keeps_the_few_parses_used_last(
    project_copy: Path, parses: list[Path], monkeypatch: pytest.MonkeyPatch, tmp_path: Path,
) -> None:
    warehouse(monkeypatch, tmp_path / "a" / "csi.duckdb")
    for version in range(dbt._PARSED_KEPT + 1):
        DbtProject(project_vars={"version": version}, quiet=True, project_dir=project_copy).parse()
    DbtProject(project_vars={"version": dbt._PARSED_KEPT}, quiet=True, project_dir=project_copy).parse()
    assert len(parses) == dbt._PARSED_KEPT + 1 and len(dbt._PARSED) == dbt._PARSED_KEPT
    DbtProject(project_vars={"version": 0}, quiet=True, project_dir=project_copy).parse()  # the oldest went
    assert len(parses) == dbt._PARSED_KEPT + 2


def test_a_model_folder_the_project_names_is_parsed(
    project_copy: Path, parses: list[Path], monkeypatch: pytest.MonkeyPatch, tmp_path: Path,
) -> None:
    config = project_copy / "dbt_project.yml"
    config.write_text(config.read_text().replace('model-paths: ["models"]', 'model-paths: ["models", "org_models"]'))
    (project_copy / "org_models").mkdir()
    warehouse(monkeypatch, tmp_path / "a" / "csi.duckdb")
    DbtProject(quiet=True, project_dir=project_copy).parse()
    (project_copy / "org_models" / "fct_org.sql").write_text("select 1 as id\n")
    DbtProject(quiet=True, project_dir=project_copy).parse()
    assert len(parses) == 2
