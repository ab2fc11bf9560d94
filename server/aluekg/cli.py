"""The `aluekg` command: validate the data, serve it, load it elsewhere.

Exit codes: 0 success (validation: conforms, warnings allowed), 1 validation violations or a
user error, 2 unusable input or usage (click's own convention).
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import click

from aluekg.config import Settings
from aluekg.errors import AluekgError, DataError
from aluekg.validation import reporting, stamps

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
    # Here, not at the top: the other commands (serve) need rdflib and pySHACL only to validate.
    from aluekg.validation import locations, pipeline

    settings = _settings()
    try:
        if shape_files:
            report = pipeline.validate_against(files, shape_files)
        elif files:
            report = pipeline.validate_files(files, settings)
        else:
            report = pipeline.validate_repository(settings)
            if report.conforms:
                _stamp(settings)
    except DataError as exc:
        click.echo(f"Error: {exc}", err=True)
        sys.exit(UNUSABLE_INPUT)
    except AluekgError as exc:
        raise click.ClickException(str(exc)) from None
    report = locations.with_lines(report)
    # Colour only on a terminal: a file or a pipe gets plain text.
    colour = sys.stdout.isatty()
    click.echo(reporting.render(report, output_format, lang, colour=colour), nl=False)
    sys.exit(0 if report.conforms else 1)


@main.command()
@click.option("--host", help="Interface to listen on [env ALUEKG_HOST; default 127.0.0.1].")
@click.option("--port", type=int, help="Port [env ALUEKG_PORT; default 8000].")
@click.option(
    "--data",
    "data_files",
    multiple=True,
    type=click.Path(exists=True, path_type=Path),
    help="Serve these RDF files or folders (any syntax) instead of ontology/ and data/.",
)
@click.option("--validate/--no-validate", default=True, help="Refuse to start on invalid data.")
@click.option("--base-iri", help="Public URL of the service [env ALUEKG_BASE_IRI].")
@click.option(
    "--store-dir",
    type=click.Path(path_type=Path),
    help="Unused since the query processes load the files in memory; still accepted.",
)
@click.option(
    "--store-url",
    help="Answer from this SPARQL 1.1 query endpoint instead [env ALUEKG_STORE_URL]; "
    "fill it with `aluekg load`, which validates.",
)
@click.option("--workers", type=click.IntRange(0), help="Query processes; 0: none [default 2].")
@click.option("--query-timeout", type=click.FloatRange(0, min_open=True), help="Seconds [30].")
@click.option("--max-request-bytes", type=click.IntRange(1), help="Largest request body.")
@click.option("--max-result-bytes", type=click.IntRange(1), help="Largest answer.")
@click.option("--worker-memory", type=click.IntRange(1), help="Bytes per query process [4 GiB].")
@click.option("--service-allow", "service_allowlist", multiple=True, help="SERVICE endpoint.")
@click.option("--cache/--no-cache", default=None, help="Cache answers [env ALUEKG_CACHE; on].")
@click.option("--cache-bytes", type=click.IntRange(1), help="Answer cache size in bytes.")
@click.option("--fair-share", type=click.FloatRange(0), help="Seconds per client per window [60].")
@click.option("--fair-window", type=click.FloatRange(0, min_open=True), help="Seconds [60].")
@click.option("--client-header", help="Header a trusted proxy sets to the client's address.")
@click.option("--read-timeout", type=click.FloatRange(0, min_open=True), help="Seconds [60].")
@click.option("--watch", is_flag=True, help="Reload when a served file changes (SIGHUP too).")
def serve(validate: bool, watch: bool, **flags: Any) -> None:
    """Serve the data read-only at /sparql (SPARQL 1.1 Protocol) until interrupted.

    Every flag has an ALUEKG_* environment variable (ALUEKG_QUERY_TIMEOUT, ALUEKG_WORKERS…);
    a flag wins over its variable.
    """
    import dataclasses
    import signal
    import threading

    from aluekg import serving

    given = {name: value for name, value in flags.items() if value not in (None, ())}
    workers = None
    try:
        settings = dataclasses.replace(_settings(), **given)
        # First, so that the query processes load the files while the rest is imported and the
        # files are validated; if they do not validate, the processes end unused.
        workers = serving.start_workers(settings)
        from aluekg.operations import memory

        # Before the server starts a thread of its own (operations.memory says why).
        memory.limit_arenas()
        from aluekg.operations.reload import Reloader
        from aluekg.operations.server import server
        from aluekg.query import remote

        if validate and not settings.store_url:
            _refuse_invalid(settings, "serving")
        backend = (
            remote.connect(
                settings.store_url,
                timeout=settings.query_timeout,
                max_bytes=settings.max_result_bytes,
            )
            if settings.store_url
            else None
        )
        # The port opens at once; /health says 503 and queries wait until the data is loaded.
        service, load_data = serving.build_listening_first(settings, backend, workers)
    except BaseException as exc:
        if workers is not None:
            workers.close()
        if isinstance(exc, AluekgError):
            raise click.ClickException(str(exc)) from None
        raise
    # Its access log is off: the operations middleware writes one line per request.
    running = server(service.app, settings)
    failed: list[AluekgError] = []
    # SIGHUP (and --watch) reload the files: validated, loaded beside, swapped in.
    reloader = Reloader(service.app, settings, serving.load, validate=validate)

    stopped = threading.Event()

    def load_in_background() -> None:
        try:
            load_data()
        except AluekgError as exc:
            failed.append(exc)
            running.should_exit = True
            return
        # Only once uvicorn listens: a port it could not bind ends the server unannounced.
        while not running.started:
            if stopped.wait(0.05):
                return
        # Uvicorn names the address once it is bound (a busy port fails there, with a message).
        source = (
            f"from the store at {settings.store_url}"
            if settings.store_url
            else f"{service.quads} quads from {service.files} files, "
            f"loaded in {service.seconds:.2f} s"
        )
        click.echo(f"Answering at /sparql: {source}", err=True)
        if not settings.store_url:
            reloader.start()

    loading = threading.Thread(target=load_in_background, name="aluekg-load", daemon=True)
    # uvicorn re-raises the signal that stopped it after its graceful shutdown; as SystemExit it
    # lets `finally` stop the workers and remove the store: 143 for SIGTERM, and 0 for Ctrl-C
    # (as a KeyboardInterrupt, click would print "Aborted!" and exit 1).
    signal.signal(signal.SIGTERM, lambda signum, _: sys.exit(128 + signum))
    signal.signal(signal.SIGINT, lambda *_: sys.exit(0))
    if not settings.store_url:
        signal.signal(signal.SIGHUP, lambda *_: reloader.request())
        if watch:
            # From before the load, so that no change made meanwhile is missed.
            reloader.watch()
    try:
        loading.start()
        running.run()
    finally:
        stopped.set()
        loading.join()
        reloader.stop()
        service.close()
    if failed:
        raise click.ClickException(str(failed[0]))


@main.command()
@click.option("--to", "graph_store_url", required=True, help="Graph Store Protocol endpoint URL.")
@click.option(
    "--data",
    "data_files",
    multiple=True,
    type=click.Path(exists=True, path_type=Path),
    help="Load these RDF files or folders instead of ontology/ and data/.",
)
@click.option("--validate/--no-validate", default=True, help="Refuse to load invalid data.")
def load(graph_store_url: str, data_files: tuple[Path, ...], validate: bool) -> None:
    """Validate the data, then put each file into its own named graph at a remote store.

    --to is the store's Graph Store Protocol URL (Oxigraph server: http://HOST:7878/store);
    each file replaces the graph named as `aluekg serve` names it (HTTP PUT ?graph=IRI).
    """
    import dataclasses

    from aluekg import serving
    from aluekg.config import REPOSITORY
    from aluekg.query import loading

    try:
        settings = dataclasses.replace(_settings(), data_files=data_files)
        if validate:
            _refuse_invalid(settings, "loading")
        files = serving.source_files(settings)
        pushed = loading.push_files(graph_store_url, files, REPOSITORY)
    except AluekgError as exc:
        raise click.ClickException(str(exc)) from None
    click.echo(f"Loaded {pushed} files into {graph_store_url}", err=True)


@main.command()
@click.argument("file", type=click.Path(path_type=Path))
@click.option("--column", required=True, help="The column whose values to reconcile.")
@click.option("--type", "types", help="Only entities of these types (comma-separated).")
@click.option("--year", type=int, help="Classification year [default: the newest].")
@click.option("--add", help="Columns to add: code,nuts,wikidata,koodistot,sub-region,region,…")
@click.option("--output", "-o", type=click.File("w", encoding="utf-8"), default="-")
def reconcile(
    file: Path, column: str, types: str | None, year: int | None, add: str | None, output: Any
) -> None:
    """Match FILE's column to the graph and write the CSV with the match and added columns.

    Only a single exact match is taken; ambiguous and unmatched rows are flagged and list their
    candidates. The summary goes to standard error.
    """
    import contextlib

    from aluekg.reconcile import table

    def split(text: str | None) -> list[str]:
        return [part.strip() for part in (text or "").split(",") if part.strip()]

    try:
        job = table.Job.read(file, column, split(types), year, split(add))
        matcher = table.matcher_for(_settings())
        bar = (
            click.progressbar(length=len(job.rows), label="Reconciling", file=sys.stderr)
            if sys.stderr.isatty()
            else contextlib.nullcontext()
        )
        with bar as progress:
            job.run(matcher, output, progress.update if progress is not None else None)
    except AluekgError as exc:
        click.echo(f"Error: {exc}", err=True)
        sys.exit(UNUSABLE_INPUT)
    click.echo(job.summary(), err=True)


@main.command()
@click.argument("directory", type=click.Path(file_okay=False, path_type=Path))
@click.option(
    "--data",
    "data_files",
    multiple=True,
    type=click.Path(exists=True, path_type=Path),
    help="Dump these RDF files or folders instead of ontology/ and data/.",
)
@click.option("--validate/--no-validate", default=True, help="Refuse to dump invalid data.")
def dump(directory: Path, data_files: tuple[Path, ...], validate: bool) -> None:
    """Write the dumps /dumps/ serves into DIRECTORY, with SHA256SUMS, for a release.

    The whole dataset and each named graph (one per file), as Turtle, N-Triples, N-Quads, TriG
    and JSON-LD, gzip-compressed.
    """
    import dataclasses

    from aluekg.dataset import release

    try:
        settings = dataclasses.replace(_settings(), data_files=data_files)
        if validate:
            _refuse_invalid(settings, "dumping")
        written = release.write(settings, directory)
    except AluekgError as exc:
        raise click.ClickException(str(exc)) from None
    click.echo(f"Wrote {len(written)} files to {directory}", err=True)


def _refuse_invalid(settings: Settings, doing: str) -> None:
    """Exit 1 with the report unless the data to serve or load (settings.data_files, else
    ontology/ and data/) conforms; files that conformed before, unchanged, are not read again."""
    if (settings.stamp_dir / stamps.fingerprint(settings, settings.data_files)).exists():
        return
    # Only now: data that validated unchanged before is served without rdflib and pySHACL.
    from aluekg.validation import locations, pipeline

    report = (
        pipeline.validate_files(settings.data_files, settings)
        if settings.data_files
        else pipeline.validate_repository(settings)
    )
    if not report.conforms:
        # As `aluekg validate` reports, with each resource's line; on standard error, where
        # `serve` writes its messages (standard output is the access log).
        report = locations.with_lines(report)
        click.echo(reporting.render(report, "text", "en"), nl=False, err=True)
        click.echo(f"Error: the data does not validate; not {doing} it.", err=True)
        sys.exit(1)
    _stamp(settings)


def _stamp(settings: Settings) -> None:
    """Remember that these exact files conform (a stamp that cannot be written is no error)."""
    stamp = settings.stamp_dir / stamps.fingerprint(settings, settings.data_files)
    try:
        stamp.parent.mkdir(parents=True, exist_ok=True)
        stamp.touch()
    except OSError:
        pass


def _settings() -> Settings:
    try:
        return Settings.from_env()
    except AluekgError as exc:
        raise click.ClickException(str(exc)) from None
