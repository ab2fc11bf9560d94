"""How the pages read the graph: the `.rq` files of linkeddata/queries/, evaluated through the
Backend seam with IRIs bound (never spliced), and SPARQL JSON results parsed into Terms."""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from aluekg.query.backend import Accepts, Answer, Backend

QUERIES = Path(__file__).resolve().parent / "queries"
JSON = "application/sparql-results+json"


@dataclass(frozen=True)
class Term:
    """One RDF term of a result: its value, kind (uri, literal, bnode), language and datatype."""

    value: str
    kind: str
    lang: str = ""
    datatype: str = ""

    @property
    def is_iri(self) -> bool:
        return self.kind == "uri"


Row = dict[str, Term]


@cache
def query(name: str) -> str:
    """The text of linkeddata/queries/{name}.rq."""
    return (QUERIES / f"{name}.rq").read_text(encoding="utf-8")


def select(backend: Backend, name: str, **iris: str) -> list[Row]:
    """The rows of a SELECT query, each a dict of its bound variables."""
    answer = backend.answer(query(name), Accepts(solutions=JSON, graph=None), iris=iris or None)
    return parse(answer.body)


def construct(backend: Backend, name: str, media_type: str, **iris: str) -> Answer:
    """A CONSTRUCT query's graph, serialised as media_type; only the variables the query uses
    are bound (pyoxigraph refuses a binding for a variable the query does not have)."""
    text = query(name)
    used = {variable: iri for variable, iri in iris.items() if f"?{variable}" in text}
    return backend.answer(text, Accepts(solutions=None, graph=media_type), iris=used)


def parse(body: bytes) -> list[Row]:
    """SPARQL 1.1 JSON results as rows.

    >>> parse(b'{"head": {"vars": ["x"]}, "results": {"bindings": [{"x": '
    ...       b'{"type": "literal", "value": "Perho", "xml:lang": "fi"}}]}}')
    [{'x': Term(value='Perho', kind='literal', lang='fi', datatype='')}]
    """
    document = json.loads(body)
    return [
        {
            name: Term(
                value=term["value"],
                # SPARQL 1.0 JSON wrote "typed-literal"; both are literals.
                kind="literal" if term["type"] == "typed-literal" else term["type"],
                lang=term.get("xml:lang", ""),
                datatype=term.get("datatype", ""),
            )
            for name, term in binding.items()
        }
        for binding in document["results"]["bindings"]
    ]
