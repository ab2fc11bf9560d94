"""The fast path for repeated queries (aluekg.web.fast) over real HTTP: a kept answer is the
first answer's bytes and ETag, honours If-None-Match, passes the middleware around it, follows a
new generation of the data made current (as a reload does), and keeps no errors."""

from __future__ import annotations

import gzip
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterator

import pytest
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from aluekg import serving
from aluekg.operations.install import generations_of
from aluekg.query.cache import AnswerCache
from aluekg.web import App
from tests.sparql_service import EX, FIXTURES, live, service, settings

SELECT = f"SELECT ?s WHERE {{ ?s a <{EX}Programme> }} ORDER BY ?s"
ROWS = f"s\r\n{EX}programme-1\r\n{EX}programme-2\r\n".encode()


@pytest.fixture(scope="module")
def served() -> Iterator[tuple[App, str]]:
    with service(workers=1, cache=True) as built, live(built.app) as url:
        yield built.app, url


def ask(url: str, body: bytes, headers: dict[str, str]) -> tuple[int, dict[str, str], bytes]:
    request = urllib.request.Request(url + "/sparql", data=body, headers=headers)
    try:
        with urllib.request.urlopen(request) as response:
            return response.status, _lower(response.headers.items()), response.read()
    except urllib.error.HTTPError as error:
        with error:
            return error.code, _lower(error.headers.items()), error.read()


def _lower(headers: list[tuple[str, str]]) -> dict[str, str]:
    return {name.lower(): value for name, value in headers}


QUERY = {"Content-Type": "application/sparql-query", "Accept": "text/csv"}


def test_a_repeated_query_is_the_first_answer_with_its_etag(served: tuple[App, str]) -> None:
    app, url = served
    cache = app.state.backend
    assert isinstance(cache, AnswerCache)
    first = ask(url, SELECT.encode(), QUERY)
    hits = cache.hits
    second = ask(url, SELECT.encode(), QUERY)
    assert first[0] == second[0] == 200
    assert first[2] == second[2] == ROWS
    assert first[1]["etag"] == second[1]["etag"]
    assert second[1]["content-type"].startswith("text/csv")
    assert cache.hits == hits + 1


def test_a_kept_answer_honours_if_none_match(served: tuple[App, str]) -> None:
    _, url = served
    _, headers, _ = ask(url, SELECT.encode(), QUERY)
    status, again, body = ask(url, SELECT.encode(), {**QUERY, "If-None-Match": headers["etag"]})
    assert (status, body) == (304, b"")
    assert again["etag"] == headers["etag"]
    other = ask(url, SELECT.encode(), {**QUERY, "If-None-Match": '"another"'})
    assert (other[0], other[2]) == (200, ROWS)


def test_a_kept_answer_gets_cors_and_gzip(served: tuple[App, str]) -> None:
    _, url = served
    form = urllib.parse.urlencode({"query": SELECT + " LIMIT 10"}).encode()
    headers = {
        "Content-Type": "application/x-www-form-urlencoded",
        "Accept": "text/csv",
        "Accept-Encoding": "gzip",
        "Origin": "https://example.org",
    }
    answers = [ask(url, form, headers) for _ in range(2)]
    for status, found, body in answers:
        assert status == 200
        assert found["access-control-allow-origin"] == "*"
        # Under gzip's 1,000-byte threshold, so sent as it is.
        assert "content-encoding" not in found
        assert body == ROWS


def test_another_accept_is_another_answer(served: tuple[App, str]) -> None:
    _, url = served
    csv = ask(url, SELECT.encode(), QUERY)
    json = ask(url, SELECT.encode(), {**QUERY, "Accept": "application/sparql-results+json"})
    assert json[1]["content-type"].startswith("application/sparql-results+json")
    assert json[1]["etag"] != csv[1]["etag"]
    assert f"{EX}programme-2".encode() in json[2]


def test_errors_are_not_kept(served: tuple[App, str]) -> None:
    _, url = served
    for _ in range(2):
        status, _, body = ask(url, b"SELECT WHERE", QUERY)
        assert status == 400
        assert body.startswith(b"Syntax error at line 1")


def test_a_large_kept_answer_is_gzipped_on_request() -> None:
    numbers = " ".join(str(n) for n in range(300))
    query = f"SELECT ?s ?n WHERE {{ ?s a <{EX}Programme> VALUES ?n {{ {numbers} }} }}"
    with service(workers=0, cache=True) as built, live(built.app) as url:
        headers = {**QUERY, "Accept-Encoding": "gzip"}
        answers = [ask(url, query.encode(), headers) for _ in range(2)]
    plain = [gzip.decompress(body) for _, found, body in answers if found["content-encoding"]]
    assert len(plain) == 2
    assert plain[0] == plain[1]
    assert plain[0].count(b"\r\n") == 601


def test_a_swapped_backend_is_answered_at_once() -> None:
    with service(workers=0, cache=True) as built, live(built.app) as url:
        before = ask(url, SELECT.encode(), QUERY)
        # The swap as a reload makes it: a new generation of the data made current.
        generation, _ = serving.load(settings(workers=0, data_files=(FIXTURES / "regions.nt",)))
        old = generations_of(built.app).make_current(built.app, generation)
        assert old is not None
        old.close()
        after = ask(url, SELECT.encode(), QUERY)
    assert before[2] == ROWS
    assert after[2] == b"s\r\n"
    assert after[1]["etag"] != before[1]["etag"]


class Counting:
    """An outer middleware, as an access log is: counts the answers it sees go out."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app
        self.statuses: list[int] = []

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        async def counting(message: Message) -> None:
            if message["type"] == "http.response.start":
                self.statuses.append(message["status"])
            await send(message)

        await self.app(scope, receive, counting)


def test_an_outer_middleware_sees_kept_answers() -> None:
    with service(workers=0, cache=True) as built:
        counting: list[Counting] = []

        def make(app: ASGIApp) -> Counting:
            counting.append(Counting(app))
            return counting[0]

        built.app.add_middleware(make)
        with live(built.app) as url:
            for _ in range(3):
                assert ask(url, SELECT.encode(), QUERY)[2] == ROWS
        assert isinstance(built.app.state.backend, AnswerCache)
        assert built.app.state.backend.hits >= 2
    assert counting[0].statuses == [200, 200, 200]


def test_answers_without_gzip_still_vary_by_accept_encoding(served: tuple[App, str]) -> None:
    _, url = served
    status, headers, body = ask(url, SELECT.encode(), QUERY)
    assert (status, body) == (200, ROWS)
    assert "content-encoding" not in headers
    assert {"Accept", "Accept-Encoding"} <= {v.strip() for v in headers["vary"].split(",")}


def test_answers_come_from_the_pinned_generation_not_app_state() -> None:
    """The operations middleware pins each request to the current generation of the data; a
    backend put in app.state alone, as no reload does, is not what the fast path answers from."""
    with (
        service(workers=0, cache=True) as built,
        service(workers=0, cache=True, data_files=(FIXTURES / "regions.nt",)) as regions,
        live(built.app) as url,
        live(regions.app) as regions_url,
    ):
        # The other backend keeps its own answer to the query, which must not be sent.
        assert ask(regions_url, SELECT.encode(), QUERY)[2] == b"s\r\n"
        built.app.state.backend = regions.app.state.backend
        # The first is computed, the second is the kept answer.
        answers = [ask(url, SELECT.encode(), QUERY) for _ in range(2)]
    assert [(status, body) for status, _, body in answers] == [(200, ROWS), (200, ROWS)]
