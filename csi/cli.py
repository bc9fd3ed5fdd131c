"""The `csi` command line: it parses arguments and calls the module that does the job."""

from __future__ import annotations

import typer

app = typer.Typer(
    help="Client Success Intelligence: generate, load, build, replay, publish and serve the customer health marts.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    add_completion=False,
)


class UserError(Exception):
    """A problem the user can fix (bad argument, missing file): shown as one line, never a traceback."""


def main() -> None:
    try:
        app()
    except UserError as error:
        typer.echo(f"csi: error: {error}", err=True)
        raise SystemExit(2) from None
