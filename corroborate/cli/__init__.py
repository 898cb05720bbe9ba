"""The `corroborate` command: a thin Typer shell over the library.

This module builds the one app and registers on it the commands of each module of this
package (`ingest`, `articles`, `stories`, `dossier`, `corrections`, `web`, `watch`); those
modules take what they share from `common.py` and `steps.py` and never import this module or
each other (tests/test_cli_package.py checks it). Each command parses options, calls one library
function and formats what it returns. Expected errors print one line and exit non-zero;
tracebacks are for bugs only.
"""

from __future__ import annotations

import logging

import typer

from corroborate.cli import articles, corrections, dossier, export, ingest, stories, watch, web

__all__ = ["app", "main"]

app = typer.Typer(
    name="corroborate",
    help="Multi-source news corroboration: what a story really rests on.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
for module in (ingest, articles, stories, dossier, corrections, export, web, watch):
    app.add_typer(module.commands)


def main() -> None:
    """Console-script entry point."""
    logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(name)s: %(message)s")
    app()
