"""What a SPARQL backend takes and gives: the seam between the HTTP layer and a store.

The embedded store (aluekg.query.store) and a remote SPARQL service (aluekg.query.remote) both
implement Backend, so the web layer answers the same way from either.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Protocol


@dataclass(frozen=True)
class Accepts:
    """The media type the client takes for each kind of result (None: it takes none)."""

    solutions: str | None
    graph: str | None
    boolean: str | None = None


@dataclass(frozen=True)
class Dataset:
    """The SPARQL protocol's default-graph-uri and named-graph-uri parameters, and the base IRI
    the service resolves a query's relative IRIs against (the protocol leaves it to the service;
    a remote store uses its own, as the protocol has no parameter for it)."""

    default_graph_uris: Sequence[str] = field(default_factory=tuple)
    named_graph_uris: Sequence[str] = field(default_factory=tuple)
    base_iri: str | None = None


@dataclass(frozen=True)
class LiteralValue:
    """A literal to bind to a query variable: its lexical form and its datatype or language."""

    lexical: str
    datatype: str | None = None
    language: str | None = None


@dataclass(frozen=True)
class Answer:
    """A serialised result: its bytes, their media type, and how many triples a graph had."""

    body: bytes
    media_type: str
    triples: int | None = None


class Backend(Protocol):
    def answer(
        self,
        query: str,
        accepts: Accepts,
        dataset: Dataset | None = None,
        iris: dict[str, str] | None = None,
        literals: dict[str, LiteralValue] | None = None,
    ) -> Answer:
        """Evaluate a read-only query, each variable in iris and literals bound to its value;
        raise aluekg.errors.QueryError and friends."""
        ...

    @property
    def version(self) -> str:
        """A tag that changes whenever the data changes (for ETags)."""
        ...
