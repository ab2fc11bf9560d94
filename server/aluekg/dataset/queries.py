"""The dataset description's SPARQL: the .rq files beside this module, run as SELECTs through a
Backend, their solutions read from SPARQL JSON results."""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path

from aluekg.query.backend import Accepts, Backend

HERE = Path(__file__).resolve().parent / "queries"
JSON_RESULTS = "application/sparql-results+json"

# A solution: each bound variable to its SPARQL JSON term ({"type": "uri", "value": ...}).
Term = dict[str, str]
Row = dict[str, Term]


@cache
def load(name: str) -> str:
    """The text of queries/{name}.rq."""
    return (HERE / f"{name}.rq").read_text(encoding="utf-8")


def select(backend: Backend, name: str, iris: dict[str, str] | None = None) -> list[Row]:
    """The solutions of queries/{name}.rq, with iris bound."""
    return solutions(backend, load(name), iris)


def solutions(backend: Backend, query: str, iris: dict[str, str] | None = None) -> list[Row]:
    """The solutions of a SELECT query, with iris bound."""
    answer = backend.answer(query, Accepts(solutions=JSON_RESULTS, graph=None), None, iris)
    rows: list[Row] = json.loads(answer.body)["results"]["bindings"]
    return rows


def number(row: Row, variable: str) -> int:
    """A count in a solution, as an int."""
    return int(row[variable]["value"])
