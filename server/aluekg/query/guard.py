"""What a query would make the server do beyond reading its own store: update, or call a
SERVICE; and which graphs it names with FROM. Found by a lexer that skips strings, comments and
IRIs; no engine involved.

The same lexer finds where the query's WHERE group opens (where_group), for the remote store's
bindings.

pyoxigraph has no algebra API, and its Store.query sends real HTTP requests to any SERVICE
endpoint, so this check runs before a query reaches any backend. Where the lexer and the engine
could disagree it errs towards refusing (a word after "." or "-" still counts as a keyword).
"""

from __future__ import annotations

import functools
import re
from collections.abc import Collection
from dataclasses import dataclass

from aluekg.errors import QueryError, RequestRefused, UpdateRefused

_TOKEN = re.compile(
    r"""
    (?P<space>\s+)
    | (?P<comment>\#[^\n\r]*)
    | (?P<iri><(?:[^<>"{}|^`\\\x00-\x20]|\\u[0-9A-Fa-f]{4}|\\U[0-9A-Fa-f]{8})*>)
    | (?P<string>'''(?:(?:'|'')?(?:[^'\\]|\\.))*'''
        | \"\"\"(?:(?:"|"")?(?:[^"\\]|\\.))*\"\"\"
        | '(?:[^'\\\n\r]|\\.)*'
        | "(?:[^"\\\n\r]|\\.)*")
    | (?P<var>[?$]\w+)
    | (?P<pname>(?:[^\W\d]\w*)?:(?:[\w\-:%]|\\.)*)
    | (?P<word>[^\W\d]\w*)
    | (?P<other>.)
    """,
    re.VERBOSE | re.DOTALL,
)

_QUERY_FORMS = {"SELECT", "CONSTRUCT", "DESCRIBE", "ASK"}
_UPDATE_VERBS = {
    "INSERT",
    "DELETE",
    "LOAD",
    "CLEAR",
    "DROP",
    "CREATE",
    "ADD",
    "MOVE",
    "COPY",
    "WITH",
}
_ABSOLUTE = re.compile(r"[A-Za-z][A-Za-z0-9+.\-]*:")


@dataclass(frozen=True)
class Outline:
    """The parts of a query that reach beyond the store (IRIs as written once prefixes expand),
    and its form (SELECT, ASK… or the update's first verb; None if there is none)."""

    is_update: bool
    services: tuple[str, ...]
    from_graphs: tuple[str, ...]
    from_named_graphs: tuple[str, ...]
    form: str | None = None
    # A store's own extension before the query (Virtuoso's DEFINE pragmas, some of which fetch
    # the graphs a query names from the web).
    pragma: bool = False

    @property
    def names_dataset(self) -> bool:
        """Whether the query chooses its own dataset with FROM or FROM NAMED."""
        return bool(self.from_graphs or self.from_named_graphs)


def outline(query: str) -> Outline:
    """The outline of a query; an unparseable query gets a partial one (the engine rejects it)."""
    # Clients repeat their queries, and tokenising one was about a fifth of the server process's
    # CPU per uncached query (bench/README.md). Only short ones are kept, to bound the memory.
    if len(query) <= _KEPT_LENGTH:
        return _kept_outline(query)
    return _outline(query)


# At most _KEPT_QUERIES times _KEPT_LENGTH characters (16 MiB at four bytes a character).
_KEPT_QUERIES = 1024
_KEPT_LENGTH = 4096


@functools.lru_cache(maxsize=_KEPT_QUERIES)
def _kept_outline(query: str) -> Outline:
    return _outline(query)


def _outline(query: str) -> Outline:
    tokens = [
        (match.lastgroup or "other", match.group())
        for match in _TOKEN.finditer(query)
        if match.lastgroup not in ("space", "comment")
    ]
    prefixes: dict[str, str] = {}
    services: list[str] = []
    graphs: list[str] = []
    named: list[str] = []
    form: str | None = None
    pragma = False
    for i, (kind, text) in enumerate(tokens):
        if kind != "word" or _follows_name(tokens, i):
            continue
        word = text.upper()
        pragma = pragma or (form is None and word == "DEFINE")
        if word == "PREFIX" and [kind for kind, _ in tokens[i + 1 : i + 3]] == ["pname", "iri"]:
            prefixes[tokens[i + 1][1].rstrip(":")] = tokens[i + 2][1][1:-1]
        elif form is None and word in _QUERY_FORMS | _UPDATE_VERBS:
            form = word
        elif word == "SERVICE":
            services.append(_endpoint(tokens, i + 1, prefixes, skip="SILENT"))
        elif word == "FROM":
            if _word_at(tokens, i + 1) == "NAMED":
                named.append(_endpoint(tokens, i + 2, prefixes))
            else:
                graphs.append(_endpoint(tokens, i + 1, prefixes))
    return Outline(
        form in _UPDATE_VERBS, tuple(services), tuple(graphs), tuple(named), form, pragma
    )


def check(query: str, allowlist: Collection[str] = ()) -> Outline:
    """Refuse updates and SERVICE calls off the allowlist.

    FROM and FROM NAMED pass: a graph the store lacks is an empty graph (SPARQL 1.1 Protocol
    §2.1.4: the service may take a graph from its own collection), and neither engine fetches one.
    """
    found = outline(query)
    if found.pragma:
        # The embedded store answers this 400 as a syntax error; a remote store never sees it.
        raise QueryError("DEFINE is not SPARQL 1.1: this service takes standard SPARQL only")
    if found.is_update:
        raise UpdateRefused("This service is read-only: SPARQL updates are refused")
    for endpoint in found.services:
        if endpoint not in allowlist:
            raise RequestRefused(
                f"SERVICE {endpoint} is refused: this service calls only the endpoints on its "
                f"allowlist ({', '.join(sorted(allowlist)) or 'none'})"
            )
    return found


def where_group(query: str) -> int | None:
    """The offset just after the "{" that opens the query's WHERE group, or None if not found.

    That group is the first one at the top level, but for CONSTRUCT's template, unless the
    keyword WHERE comes right before it.
    """
    depth = 0
    form: str | None = None
    groups = 0
    previous = ""
    for match in _TOKEN.finditer(query):
        kind, text = match.lastgroup or "other", match.group()
        if kind in ("space", "comment"):
            continue
        if kind == "word" and form is None and text.upper() in _QUERY_FORMS:
            form = text.upper()
        elif text == "{" and kind == "other":
            if depth == 0 and form is not None:
                groups += 1
                if previous == "WHERE" or form != "CONSTRUCT" or groups == 2:
                    return match.end()
            depth += 1
        elif text == "}" and kind == "other":
            depth -= 1
        previous = text.upper() if kind == "word" else text
    return None


def _follows_name(tokens: list[tuple[str, str]], i: int) -> bool:
    # A word right after "@" is a language tag, not a keyword.
    return i > 0 and tokens[i - 1] == ("other", "@")


def _word_at(tokens: list[tuple[str, str]], i: int) -> str | None:
    if i < len(tokens) and tokens[i][0] == "word":
        return tokens[i][1].upper()
    return None


def _endpoint(
    tokens: list[tuple[str, str]], i: int, prefixes: dict[str, str], skip: str = ""
) -> str:
    """The absolute IRI at tokens[i], or what was written there in angle brackets if it is none."""
    if skip and _word_at(tokens, i) == skip:
        i += 1
    if i >= len(tokens):
        return "<nothing>"
    kind, text = tokens[i]
    iri = None
    if kind == "iri":
        iri = text[1:-1]
    elif kind == "pname":
        prefix, _, local = text.partition(":")
        if prefix in prefixes:
            iri = prefixes[prefix] + re.sub(r"\\(.)", r"\1", local)
    # Relative IRIs and variables are never resolved here, so they never match an allowlist.
    if iri is not None and _ABSOLUTE.match(iri):
        return iri
    return f"<{text}>" if kind != "iri" else text
