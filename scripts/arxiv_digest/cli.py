"""The ``arxiv-digest`` command line: thin commands that compose the pipeline's steps."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from . import __version__
from .config import Settings, load_settings
from .errors import DigestError


def _settings(docs_dir: Path | None) -> Settings:
    return load_settings(docs_dir=docs_dir)


docs_dir_option = click.option(
    "--docs-dir",
    type=click.Path(file_okay=False, path_type=Path),
    default=None,
    help="MkDocs docs dir holding papers/ and days/ (default: docs, or DIGEST_DOCS_DIR).",
)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="arxiv-digest")
def cli() -> None:
    """A daily digest of arXiv papers on efficient deep learning, written as MkDocs pages."""


def main() -> None:
    """Entry point: expected failures become one line on stderr and exit status 1."""
    try:
        cli.main(standalone_mode=False)
    except DigestError as err:
        click.echo(f"arxiv-digest: error: {err}", err=True)
        sys.exit(1)
    except click.exceptions.Abort:
        click.echo("arxiv-digest: aborted", err=True)
        sys.exit(130)
    except click.ClickException as err:
        err.show()
        sys.exit(err.exit_code)
    except click.exceptions.Exit as err:
        sys.exit(err.exit_code)


# Commands are defined below, one block per command, each calling into its own module.
