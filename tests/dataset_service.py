"""A live service over the repository's own ontology/ and data/, for the dataset and /api tests,
and reading /sparql's answers as numbers and quads."""

from __future__ import annotations

import json
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import replace
from email.message import Message
from typing import Any

import pyoxigraph

from aluekg import serving
from aluekg.config import Settings
from tests.sparql_service import live


@contextmanager
def repository_service(**changes: Any) -> Iterator[str]:
    """The URL of a live server over ontology/ and data/ (no worker processes unless changed)."""
    built = serving.build(replace(Settings(), **{"workers": 0, **changes}))
    try:
        with live(built.app) as url:
            yield url
    finally:
        built.close()


def get(
    url: str, accept: str = "*/*", method: str = "GET", **headers: str
) -> tuple[int, Message, bytes]:
    """Status, headers (case-insensitive) and body of a request, errors included."""
    request = urllib.request.Request(url, headers={"Accept": accept, **headers}, method=method)
    try:
        with urllib.request.urlopen(request) as response:
            return response.status, response.headers, response.read()
    except urllib.error.HTTPError as error:
        try:
            return error.code, error.headers, error.read()
        finally:
            error.close()


def solutions(url: str, query: str) -> list[dict[str, dict[str, str]]]:
    """The rows /sparql answers for a SELECT query, as SPARQL JSON terms."""
    status, _, body = get(
        url + "/sparql?" + urllib.parse.urlencode({"query": query}),
        "application/sparql-results+json",
    )
    assert status == 200, body
    rows: list[dict[str, dict[str, str]]] = json.loads(body)["results"]["bindings"]
    return rows


def term(value: dict[str, str]) -> pyoxigraph.NamedNode | pyoxigraph.BlankNode | pyoxigraph.Literal:
    """A SPARQL JSON term as a pyoxigraph term (blank nodes keep the store's labels)."""
    if value["type"] == "uri":
        return pyoxigraph.NamedNode(value["value"])
    if value["type"] == "bnode":
        return pyoxigraph.BlankNode(value["value"])
    if "xml:lang" in value:
        return pyoxigraph.Literal(value["value"], language=value["xml:lang"])
    datatype = value.get("datatype")
    if datatype:
        return pyoxigraph.Literal(value["value"], datatype=pyoxigraph.NamedNode(datatype))
    return pyoxigraph.Literal(value["value"])
