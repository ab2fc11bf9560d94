"""`aluekg load`: the files pushed to a SPARQL 1.1 Graph Store, one named graph each, with the
union graph and the catalog that aluekg.query.remote names as its dataset."""

from __future__ import annotations

import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Sequence
from pathlib import Path

from aluekg import syntax
from aluekg.errors import DataError
from aluekg.query import remote, store

QUAD_TYPES = ("application/trig", "application/n-quads")


def push_files(graph_store_url: str, files: Sequence[Path], root: Path) -> int:
    """Push each file into its own named graph, named as the embedded store names it; then the
    union of their triples into the UNION graph, and the list of their graphs into CATALOG
    (which RemoteStore reads to name its dataset).

    Returns how many files were pushed; DataError names the first that could not be read or
    that the store refused. Quad files (TriG, N-Quads) keep their own graphs. A file with
    relative IRIs goes with them resolved against its file: IRI, as `aluekg serve` resolves them,
    not left to the store (Oxigraph server would resolve them against the graph's name).
    """
    for path in files:
        try:
            body = path.read_bytes()
        except OSError as exc:
            raise DataError(f"{path}: cannot read: {exc.strerror}") from None
        body, media_type = syntax.absolute(
            body, syntax.media_type_of(path), str(path), syntax.base_of(path)
        )
        push(graph_store_url, store.graph_name(path, root), body, media_type)
    # The embedded store's graphs and union default graph, as the files give them.
    local = store.Store()
    local.load(files, root)
    push(graph_store_url, store.UNION, local.union(), "application/n-triples")
    push(
        graph_store_url, store.CATALOG, store.catalog(sorted(local.graphs)), "application/n-triples"
    )
    return len(files)


def push(
    graph_store_url: str, graph: str, body: bytes, media_type: str, timeout: float = 60.0
) -> None:
    """Replace one named graph at a Graph Store Protocol endpoint (HTTP PUT ?graph=…).

    A dataset format has graphs of its own, which PUT to one graph cannot hold; it is POSTed to
    the store itself, which Oxigraph and Fuseki read as adding to the dataset.
    """
    is_dataset = media_type in QUAD_TYPES
    separator = "&" if "?" in graph_store_url else "?"
    target = graph_store_url + separator + urllib.parse.urlencode({"graph": graph})
    request = urllib.request.Request(
        graph_store_url if is_dataset else target,
        data=body,
        headers={"Content-Type": media_type},
        method="POST" if is_dataset else "PUT",
    )
    try:
        with urllib.request.urlopen(request, timeout=timeout):
            return
    except urllib.error.HTTPError as exc:
        message = remote.error_message(exc) or exc.reason
        raise DataError(f"{graph_store_url} refused <{graph}> ({exc.code}): {message}") from None
    except (urllib.error.URLError, TimeoutError) as exc:
        reason = exc.reason if isinstance(exc, urllib.error.URLError) else "timed out"
        raise DataError(f"Cannot reach the graph store at {graph_store_url}: {reason}") from None
