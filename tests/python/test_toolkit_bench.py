"""The toolkit benchmark (a development tool in tests/, not a `csi` command) times `csi toolkit`
against the original scripts on one generated portfolio and checks that both print the same bytes."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.python.toolkit_bench import main, toolkit_timings

from .test_toolkit_oracle import requires_seeds


@requires_seeds
def test_the_benchmark_times_both_on_the_same_portfolio_and_compares_their_output(tmp_path: Path) -> None:
    timings = toolkit_timings(25, tools=("churn",), formats=("text",), workdir=tmp_path)
    (run,) = timings["runs"]
    assert timings["customers"] == 25 and timings["portfolio_bytes"] > 0
    assert run["identical"], "csi toolkit and the original script printed different reports"
    assert run["scripts_seconds"] > 0 and run["csi_seconds"] > 0
    assert run["ratio"] == pytest.approx(run["csi_seconds"] / run["scripts_seconds"], rel=0.1)  # of rounded times


def test_the_benchmark_refuses_a_bad_argument_in_one_line(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exited:
        main(["--customers", "0"])
    assert exited.value.code == 2
    assert "--customers must be at least 1, got 0" in capsys.readouterr().err
