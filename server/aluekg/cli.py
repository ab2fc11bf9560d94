"""The `aluekg` command: validate the data, serve it, load it elsewhere.

Exit codes: 0 success (validation: conforms, warnings allowed), 1 validation violations or a
user error, 2 unusable input or usage (click's own convention).
"""

from __future__ import annotations

import sys
from pathlib import Path

import click

from aluekg import reporting, validation
from aluekg.config import Settings
from aluekg.errors import AluekgError, DataError

UNUSABLE_INPUT = 2


@click.group()
@click.version_option(package_name="aluekg")
def main() -> None:
    """aluekg: the open knowledge graph of Finnish regional development programmes."""


@main.command()
@click.argument("files", nargs=-1, type=click.Path(path_type=Path))
@click.option(
    "--shapes",
    "shape_files",
    multiple=True,
    type=click.Path(path_type=Path),
    help="Validate FILES against these shapes alone, as pySHACL's own command does.",
)
@click.option("--lang", type=click.Choice(reporting.LANGUAGES), default="en", show_default=True)
@click.option(
    "--format",
    "output_format",
    type=click.Choice(reporting.FORMATS),
    default="text",
    show_default=True,
)
def validate(
    files: tuple[Path, ...], shape_files: tuple[Path, ...], lang: str, output_format: str
) -> None:
    """Validate FILES (default: ontology/ and data/) against the SHACL shapes.

    Files are validated in the context of the ontology, code lists and existing data, so a new
    programme may refer to existing areas and organisations.
    """
    settings = _settings()
    try:
        if shape_files:
            report = validation.validate_against(files, shape_files)
        elif files:
            report = validation.validate_files(files, settings)
        else:
            report = validation.validate_repository(settings)
    except DataError as exc:
        click.echo(f"Error: {exc}", err=True)
        sys.exit(UNUSABLE_INPUT)
    except AluekgError as exc:
        raise click.ClickException(str(exc)) from None
    click.echo(reporting.render(report, output_format, lang), nl=False)
    sys.exit(0 if report.conforms else 1)


def _settings() -> Settings:
    try:
        return Settings.from_env()
    except AluekgError as exc:
        raise click.ClickException(str(exc)) from None
