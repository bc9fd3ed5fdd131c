"""Start Streamlit on the dashboard page, reading a published folder (the process becomes Streamlit)."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import typer

from csi.paths import published_dir
from csi.publish import DATABASE_NAME

APP = Path(__file__).with_name("app.py")


def streamlit_command(host: str, port: int) -> list[str]:
    return [
        sys.executable, "-m", "streamlit", "run", str(APP),
        "--server.address", host,
        "--server.port", str(port),
        "--server.headless", "true",
        "--server.fileWatcherType", "none",
        "--browser.gatherUsageStats", "false",
        "--client.toolbarMode", "viewer",
    ]  # fmt: skip


def serve(host: str, port: int, published: Path | None = None) -> None:
    folder = (published or published_dir()).resolve()
    if not (folder / DATABASE_NAME).exists():
        typer.echo(f"csi: nothing published at {folder} yet: run `csi build` or `csi publish` (the page says so too)",
                   err=True)
    typer.echo(f"Client Success Intelligence dashboard on http://{host}:{port} (reading {folder}); Ctrl+C stops it")
    env = {**os.environ, "CSI_PUBLISHED_DIR": str(folder)}
    command = streamlit_command(host, port)
    os.execve(command[0], command, env)
