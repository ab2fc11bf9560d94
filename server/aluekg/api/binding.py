"""A named query's parameters, from the strings of a request to the values bound to its
variables: checked by kind, typed as its comment says, and never spliced into its text.
Knows nothing of HTTP; a wrong or missing parameter is a QueryError naming it."""

from __future__ import annotations

import re
import urllib.parse
from collections.abc import Callable, Mapping, Sequence

from aluekg.api.catalogue import XSD, NamedQuery, Parameter
from aluekg.errors import QueryError
from aluekg.query.backend import LiteralValue

# Parameters every endpoint takes besides the query's own (content negotiation).
GENERAL = frozenset({"format"})
# RDF 1.1 IRIREF excludes these; an IRI with them could not be a resource of the graph.
_NOT_IN_IRI = re.compile(r'[\x00-\x20<>"{}|^`\\]')
_WRITTEN = re.compile(r'"(.*)"\^\^(?:<([^<>"\s]+)>|([A-Za-z][\w-]*):([\w-]+))', re.DOTALL)

Bindings = tuple[dict[str, str], dict[str, LiteralValue]]


def bind(
    query: NamedQuery,
    given: Mapping[str, Sequence[str]],
    patterns: Callable[[str], Sequence[str]],
) -> Bindings:
    """The IRIs and literals to bind, one per documented parameter.

    patterns(datatype) gives the xsd:pattern facets the ontology sets for a datatype, which a
    typed value must match.
    """
    known = {parameter.name for parameter in query.parameters}
    for name in sorted(set(given) - known - GENERAL):
        raise QueryError(f"Unknown parameter {name!r}: {query.name} takes {_names(query)}")
    iris: dict[str, str] = {}
    literals: dict[str, LiteralValue] = {}
    for parameter in query.parameters:
        values = given.get(parameter.name, [])
        if len(values) != 1:
            raise QueryError(
                f"Give the parameter {parameter.name!r} exactly once, not {len(values)} times: "
                f"{parameter.description}"
            )
        if parameter.kind == "iri":
            iris[parameter.name] = _iri(parameter, values[0])
        else:
            literals[parameter.name] = _literal(query, parameter, values[0], patterns)
    return iris, literals


def _names(query: NamedQuery) -> str:
    return ", ".join(parameter.name for parameter in query.parameters)


def _iri(parameter: Parameter, value: str) -> str:
    if not _is_iri(value):
        raise QueryError(_wrong(parameter, value, "an absolute IRI"))
    return value


def _is_iri(value: str) -> bool:
    parts = urllib.parse.urlsplit(value)
    return bool(parts.scheme and (parts.netloc or parts.path) and not _NOT_IN_IRI.search(value))


def _literal(
    query: NamedQuery,
    parameter: Parameter,
    value: str,
    patterns: Callable[[str], Sequence[str]],
) -> LiteralValue:
    if parameter.kind == "integer":
        if not re.fullmatch(r"[+-]?[0-9]+", value):
            raise QueryError(_wrong(parameter, value, "an integer"))
        return LiteralValue(str(int(value)), XSD + "integer")
    if parameter.kind == "typed":
        assert parameter.datatype is not None
        return _checked(parameter, LiteralValue(value, parameter.datatype), patterns)
    written = _WRITTEN.fullmatch(value)
    if written is None:
        return LiteralValue(value)
    lexical, iri, prefix, local = written.groups()
    if iri is None:
        if prefix not in query.prefixes:
            raise QueryError(
                _wrong(
                    parameter,
                    value,
                    f"a literal whose datatype prefix is one of the "
                    f"query's ({', '.join(sorted(query.prefixes))})",
                )
            )
        iri = query.prefixes[prefix] + local
    elif not _is_iri(iri):
        raise QueryError(_wrong(parameter, value, "a literal whose datatype is an absolute IRI"))
    return _checked(parameter, LiteralValue(lexical, iri), patterns)


def _checked(
    parameter: Parameter, literal: LiteralValue, patterns: Callable[[str], Sequence[str]]
) -> LiteralValue:
    assert literal.datatype is not None
    for pattern in patterns(literal.datatype):
        try:
            # XSD patterns match the whole value, as fullmatch does; a pattern Python cannot
            # read is left to the data's own validation.
            matches = re.fullmatch(pattern, literal.lexical) is not None
        except re.error:
            continue
        if not matches:
            raise QueryError(
                _wrong(parameter, literal.lexical, f"a value matching the pattern {pattern}")
            )
    return literal


def _wrong(parameter: Parameter, value: str, wanted: str) -> str:
    example = f" (e.g. {parameter.example})" if parameter.example else ""
    return f"The parameter {parameter.name!r} must be {wanted}{example}, not {value!r}"
