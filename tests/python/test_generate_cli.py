"""`csi generate`: the same seed gives the same data, another seed other data, and bad arguments
end in one line on stderr, not a traceback."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING

import pyarrow.parquet as pq
import pytest

from csi.cli import main
from csi.sources import raw_tables

if TYPE_CHECKING:
    from tests.python.conftest import Generated


def run_cli(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], *args: str
) -> tuple[int, str, str]:
    monkeypatch.setattr(sys, "argv", ["csi", *args])
    with pytest.raises(SystemExit) as exit_:
        main()
    out, err = capsys.readouterr()
    return exit_.value.code, out, err


def tables(data_dir: Path) -> dict[str, object]:
    return {t.qualified_name: pq.read_table(data_dir / t.source / f"{t.name}.parquet") for t in raw_tables()}


def test_same_seed_gives_identical_tables_and_another_seed_differs(
    generated: Generated, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    common = ["--accounts", "1000", "--today", generated.today.isoformat()]
    code, out, err = run_cli(monkeypatch, capsys, "generate", "--out", str(tmp_path / "again"), *common)
    assert (code, err) == (0, "") and "1,000 accounts" in out
    original, again = tables(generated.data_dir), tables(tmp_path / "again")
    assert all(original[name].equals(again[name]) for name in original)
    history = pq.read_table(generated.data_dir / "_history" / "salesforce.account.parquet")
    assert history.equals(pq.read_table(tmp_path / "again" / "_history" / "salesforce.account.parquet"))

    run_cli(monkeypatch, capsys, "generate", "--out", str(tmp_path / "other"), "--seed", "7", *common)
    other = tables(tmp_path / "other")
    assert all(not original[name].equals(other[name]) for name in original)


@pytest.mark.parametrize(
    "args, message",
    [
        (["--accounts", "-5"], "--accounts must be between 1 and"),
        (["--accounts", "0"], "--accounts must be between 1 and"),
        (["--dirty", "0.7"], "--dirty must be a share between 0 and 0.5"),
        (["--dirty", "-0.1"], "--dirty must be a share between 0 and 0.5"),
        (["--today", "2024-13-45"], "--today must be a date as YYYY-MM-DD"),
        (["--today", "yesterday"], "--today must be a date as YYYY-MM-DD"),
        (["--years", "1"], "--years must be between 2 and 10"),
        (["--seed", "-1"], "--seed must be zero or positive"),
        (["--accounts", "many"], "Invalid value for '--accounts'"),
    ],
)
def test_bad_arguments_end_in_one_line(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    args: list[str],
    message: str,
) -> None:
    code, out, err = run_cli(monkeypatch, capsys, "generate", "--out", str(tmp_path / "data"), *args)
    assert code == 2 and out == ""
    assert len(err.strip().splitlines()) == 1 and message in err
    assert not (tmp_path / "data").exists()


def test_an_output_path_that_is_a_file_is_refused(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    target = tmp_path / "a_file"
    target.write_text("not a folder")
    code, _, err = run_cli(monkeypatch, capsys, "generate", "--out", str(target), "--accounts", "10")
    assert (
        code == 2
        and err.strip()
        == f"csi: error: --out {target} is a file; give a directory (it is created if missing)"
    )
    assert target.read_text() == "not a folder"


def test_a_new_generation_replaces_only_its_own_files(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    keep = tmp_path / "notes.txt"
    keep.write_text("mine")
    for dirty in ("0.05", "0"):
        code, _, _ = run_cli(
            monkeypatch,
            capsys,
            "generate",
            "--out",
            str(tmp_path),
            "--accounts",
            "30",
            "--today",
            "2025-06-01",
            "--dirty",
            dirty,
        )
        assert code == 0
    assert keep.read_text() == "mine"
    assert pq.read_table(tmp_path / "_manifest" / "dirty.parquet").num_rows == 0
    assert not list(tmp_path.glob(".partial*"))
