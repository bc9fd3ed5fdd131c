"""The `csi` command line: it parses arguments and calls the module that does the job."""

from __future__ import annotations

import click
import typer

from csi.errors import UserError

app = typer.Typer(
    help="Client Success Intelligence: generate, load, build, replay, publish and serve the customer health marts.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    add_completion=False,
)

def main() -> None:
    """Entry point: bad arguments and user errors end with one line on stderr and exit code 2."""
    try:
        exit_code = app(standalone_mode=False)
    except click.UsageError as error:
        command = error.ctx.command_path if error.ctx else "csi"
        typer.echo(f"{command}: error: {error.format_message()}", err=True)
        raise SystemExit(2) from None
    except click.Abort:
        typer.echo("csi: aborted", err=True)
        raise SystemExit(130) from None
    except UserError as error:
        typer.echo(f"csi: error: {error}", err=True)
        raise SystemExit(2) from None
    raise SystemExit(exit_code or 0)
