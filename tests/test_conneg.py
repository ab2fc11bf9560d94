"""Content negotiation: python-mimeparse's behaviours we rely on, and the `format` parameter."""

from __future__ import annotations

import pytest
from fastapi import HTTPException

from aluekg.query.backend import Accepts
from aluekg.web import conneg
from aluekg.web.conneg import accept_header, accepts_for_query, negotiate

GRAPH_OFFERS = ("text/turtle", "application/ld+json")


@pytest.mark.parametrize(
    ("accept", "chosen"),
    [
        pytest.param(None, "text/turtle", id="no header: the default"),
        pytest.param("", "text/turtle", id="empty header: the default"),
        pytest.param("*/*", "text/turtle", id="anything: the default, not the last offer"),
        pytest.param("text/*", "text/turtle", id="type wildcard"),
        pytest.param("application/ld+json", "application/ld+json", id="exact"),
        pytest.param(
            "text/turtle;q=0.5, application/ld+json", "application/ld+json", id="q-values"
        ),
        pytest.param(
            "text/turtle;q=abc, application/ld+json;q=0.9", "text/turtle", id="bad q is 1"
        ),
        pytest.param("text/html, */*;q=0.1", "text/turtle", id="browser-like"),
    ],
)
def test_negotiate_picks_the_preferred_offer(accept: str | None, chosen: str) -> None:
    assert negotiate(accept, GRAPH_OFFERS) == chosen


def test_negotiate_refuses_with_406_naming_the_offers() -> None:
    with pytest.raises(HTTPException) as caught:
        negotiate("text/turtle;q=0, image/png", GRAPH_OFFERS)
    assert caught.value.status_code == 406
    assert caught.value.detail == (
        "Can answer only as text/turtle, application/ld+json, not 'text/turtle;q=0, image/png'"
    )


def test_malformed_accept_is_400() -> None:
    with pytest.raises(HTTPException) as caught:
        negotiate("garbage", GRAPH_OFFERS)
    assert caught.value.status_code == 400
    assert caught.value.detail == "Malformed Accept header: 'garbage'"


def test_accepts_for_query_keeps_each_kind() -> None:
    assert accepts_for_query("text/csv, text/turtle;q=0.5") == Accepts(
        solutions="text/csv", graph="text/turtle", boolean="text/csv"
    )


def test_accepts_for_query_defaults_to_json_and_turtle() -> None:
    assert accepts_for_query(None) == Accepts(
        "application/sparql-results+json", "text/turtle", "application/sparql-results+json"
    )


def test_accepts_for_query_refuses_what_takes_no_result_at_all() -> None:
    with pytest.raises(HTTPException) as caught:
        accepts_for_query("image/png")
    assert caught.value.status_code == 406
    assert str(caught.value.detail).startswith(
        "Can answer only as application/sparql-results+json, application/sparql-results+xml"
    )


@pytest.mark.parametrize(
    ("formats", "accept"),
    [
        pytest.param([], "text/csv", id="no format: the header"),
        pytest.param(["csv"], "text/csv", id="csv"),
        pytest.param(["TTL"], "text/turtle", id="case-insensitive"),
        pytest.param(["nt"], "application/n-triples", id="nt"),
        pytest.param(["application/rdf+xml"], "application/rdf+xml", id="a media type"),
        pytest.param(["tsv", "text/tab-separated-values"], "text/tab-separated-values", id="agree"),
        pytest.param(["csv", "tsv"], "text/csv, text/tab-separated-values", id="several"),
    ],
)
def test_format_parameter_replaces_accept(formats: list[str], accept: str) -> None:
    assert accept_header("text/csv", formats) == accept


def test_json_format_covers_solutions_and_graphs() -> None:
    accepts = accepts_for_query(accept_header(None, ["json"]))
    assert (accepts.solutions, accepts.graph) == (
        "application/sparql-results+json",
        "application/ld+json",
    )


@pytest.mark.parametrize(
    ("formats", "message"),
    [
        pytest.param(["png"], "Unknown format 'png': use one of json, xml", id="unknown"),
        pytest.param(["csv", "ntriples", "png"], "Unknown format 'png'", id="one of several"),
    ],
)
def test_bad_format_parameter_is_400(formats: list[str], message: str) -> None:
    with pytest.raises(HTTPException) as caught:
        accept_header(None, formats)
    assert caught.value.status_code == 400
    assert str(caught.value.detail).startswith(message)


def test_short_accept_headers_are_remembered_and_long_ones_read_each_time() -> None:
    short = "application/sparql-results+xml, text/turtle;q=0.9"
    # A `format` parameter can make an Accept as long as the request itself.
    long = ", ".join(["text/x-unknown;q=0.1"] * 60 + ["application/sparql-results+json"])
    assert len(long) > conneg.REMEMBERED
    accepts_for_query(short)
    before = conneg._remembered.cache_info()
    assert accepts_for_query(short) == accepts_for_query(short)
    for _ in range(2):
        assert accepts_for_query(long).solutions == "application/sparql-results+json"
    after = conneg._remembered.cache_info()
    assert (after.hits - before.hits, after.misses - before.misses) == (2, 0)
