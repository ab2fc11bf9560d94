"""The named queries in queries/: each file's name, its header comment, and the parameters the
comment documents (`# ?year: the year, as xsd:integer (e.g. 2023).`), each with its kind.
Knows nothing of HTTP."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from aluekg.config import REPOSITORY

QUERIES_DIR = REPOSITORY / "queries"
XSD = "http://www.w3.org/2001/XMLSchema#"

_PARAMETER = re.compile(r"#\s*\?(\w+):\s*(.*)")
_PREFIX = re.compile(r"PREFIX\s+([\w-]*):\s*<([^>]*)>", re.IGNORECASE)
# "as xsd:integer", "as alue:kuntakoodi": the datatype the value is bound with.
_TYPED = re.compile(r"\bas ([A-Za-z][\w-]*):(\w+)")
_EXAMPLE = re.compile(r"\(e\.g\. (.*?)(?:,| or |\))")


class NotDocumented(ValueError):
    """A query's header documents a parameter in a way /api/ cannot read (our bug, not a user's)."""


@dataclass(frozen=True)
class Parameter:
    """A variable the caller binds: "iri", "integer", "typed" (a literal of datatype), or
    "literal" (a plain string, or written as "lexical"^^prefix:name)."""

    name: str
    description: str
    kind: str
    datatype: str | None = None
    example: str | None = None


@dataclass(frozen=True)
class NamedQuery:
    name: str
    summary: str
    description: str
    text: str
    parameters: tuple[Parameter, ...]
    prefixes: dict[str, str]


def load(directory: Path = QUERIES_DIR) -> dict[str, NamedQuery]:
    """Every .rq file in directory by its name without .rq; {} if there is none."""
    if not directory.is_dir():
        return {}
    return {path.stem: read(path) for path in sorted(directory.glob("*.rq"))}


def read(path: Path) -> NamedQuery:
    """One query file; NotDocumented if a parameter's kind cannot be told from its comment."""
    text = path.read_text(encoding="utf-8")
    header = []
    for line in text.splitlines():
        if not line.startswith("#"):
            break
        header.append(line)
    prefixes = {prefix: iri for prefix, iri in _PREFIX.findall(text)}
    prose = [line.lstrip("#").strip() for line in header if not _PARAMETER.match(line)]
    description = " ".join(prose)
    parameters = tuple(
        _parameter(path, found.group(1), found.group(2), prefixes)
        for line in header
        if (found := _PARAMETER.match(line))
    )
    summary = description.split(": ", 1)[0].split(". ", 1)[0].rstrip(".")
    return NamedQuery(path.stem, summary, description, text, parameters, prefixes)


def _parameter(path: Path, name: str, description: str, prefixes: dict[str, str]) -> Parameter:
    example = _EXAMPLE.search(description)
    shown = example.group(1).strip() if example else None
    typed = _TYPED.search(description)
    if typed:
        prefix, local = typed.groups()
        if prefix not in prefixes:
            raise NotDocumented(
                f"{path.name}: ?{name} is typed {prefix}:{local}, an unknown prefix"
            )
        datatype = prefixes[prefix] + local
        kind = "integer" if datatype == XSD + "integer" else "typed"
        # The example as a caller writes it: the lexical form alone.
        if shown and shown.startswith('"'):
            shown = shown[1:].split('"', 1)[0]
        return Parameter(name, description, kind, datatype, shown)
    if re.search(r"\bIRI\b", description):
        return Parameter(name, description, "iri", None, shown.strip("<>") if shown else None)
    if re.search(r"\bliteral\b", description):
        return Parameter(name, description, "literal", None, shown)
    raise NotDocumented(
        f"{path.name}: ?{name}: say whether it is an IRI, a literal or a value 'as prefix:type'"
    )
