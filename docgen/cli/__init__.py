"""The ``docgen`` command: thin click commands over the library.

Each command parses its options, calls one function, and lets :class:`DocgenError`
become a message per problem and exit code 1.  Anything unexpected is reported on
one line too (with ``DOCGEN_DEBUG=1`` for the traceback): no traceback for bad input.
The commands live one group to a module beside this one and are registered here.
"""
from __future__ import annotations

import logging
import os
import sys
from pathlib import Path

import click

from docgen import __version__
from docgen.cli import batch, checks, documents, init, plan, templates
from docgen.cli.common import Session
from docgen.errors import DocgenError


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.option("-w", "--workspace", "root", type=click.Path(file_okay=False, path_type=Path),
              help="The workspace folder (default: the nearest folder with docgen.yaml).")
@click.version_option(__version__, prog_name="docgen")
@click.pass_context
def cli(ctx: click.Context, root: Path | None) -> None:
    """Turn sales plan data into its standard documents (Word, PDF, HTML)."""
    logging.getLogger("weasyprint").setLevel(logging.ERROR)
    logging.getLogger("fontTools").setLevel(logging.ERROR)
    ctx.obj = Session(root)


for command in (documents.render, documents.preview, documents.list_, checks.validate, checks.schema,
                checks.doctor, templates.templates, init.init, plan.plan_group, batch.build, batch.month_end):
    cli.add_command(command)


def main() -> None:
    """Entry point: run the CLI, turning any unexpected failure into one line."""
    try:
        cli.main(standalone_mode=False)
    except DocgenError as e:
        e.show()
        sys.exit(e.exit_code)
    except click.exceptions.Abort:
        click.echo("aborted", err=True)
        sys.exit(130)
    except click.ClickException as e:
        e.show()
        sys.exit(e.exit_code)
    except KeyboardInterrupt:
        click.echo("interrupted", err=True)
        sys.exit(130)
    except Exception as e:  # the last line of defence: never a traceback for a user
        if os.environ.get("DOCGEN_DEBUG"):
            raise
        click.echo(f"docgen: internal error: {type(e).__name__}: {e} (set DOCGEN_DEBUG=1 for details)",
                   err=True)
        sys.exit(2)
