"""Where a resource is described: the line of a file on which its description starts.

RDF parsers keep no positions, so this reads the text: in Turtle the line where the resource
stands as a subject at the start of a line (the house style: one subject per block), resolving
@prefix, @base and relative IRIs (against the file's base, as the parser did); in other formats
the first line that names its IRI. Knows no RDF library.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import urljoin

from aluekg.syntax import EXTENSIONS, base_of

if TYPE_CHECKING:
    # For annotations only: the /validate routes import this module when the server starts,
    # and results imports rdflib.
    from aluekg.validation.results import Report

PREFIX = re.compile(r"^\s*(?:@prefix|PREFIX)\s+([^\s:]*):\s*<([^>]*)>", re.IGNORECASE)
BASE = re.compile(r"^\s*(?:@base|BASE)\s+<([^>]*)>", re.IGNORECASE)
PNAME = re.compile(r"^([^\s:<\[(\"']*):((?:[^\s;,\\]|\\.)*)")
ESCAPE = re.compile(r"\\(.)")
ABSOLUTE = re.compile(r"^[a-zA-Z][\w+.-]*:")
TURTLE = {"text/turtle", "application/trig"}


def with_lines(report: Report, texts: Mapping[str, tuple[bytes, str]] | None = None) -> Report:
    """The report with each result's line filled in where its resource can be found.

    texts gives the body and media type of files that are not on disk (an upload), by name;
    other files are read from disk by the name the result gives. Relative IRIs resolve against
    the report's base for the file, else the file's own IRI.
    """
    found: dict[str, dict[str, int]] = {}
    for name in {result.file for result in report.results if result.file}:
        text = (texts or {}).get(name) or _from_disk(name)
        if text is not None:
            base = report.bases.get(name) or base_of(Path(name))
            found[name] = subject_lines(*text, base=base)
    results = tuple(
        dataclasses.replace(result, line=found.get(result.file or "", {}).get(result.focus))
        if result.line is None
        else result
        for result in report.results
    )
    return dataclasses.replace(report, results=results)


def subject_lines(body: bytes, media_type: str, base: str = "") -> dict[str, int]:
    """For each IRI the file describes or names, the first line (from 1) where it does;
    relative IRIs resolve against base."""
    text = body.decode("utf-8", errors="replace")
    lines = text.splitlines()
    found = _turtle_subjects(lines, base) if media_type in TURTLE else {}
    # Any format: the first line naming the IRI in full, for what the Turtle pass missed.
    for number, line in enumerate(lines, start=1):
        for iri in _full_iris(line):
            found.setdefault(iri, number)
    return found


def _turtle_subjects(lines: Iterable[str], base: str) -> dict[str, int]:
    prefixes: dict[str, str] = {}
    found: dict[str, int] = {}
    in_long_string = False
    for number, line in enumerate(lines, start=1):
        starts_inside = in_long_string
        # A line with an odd number of triple quotes opens or closes a multi-line string.
        if (line.count('"""') + line.count("'''")) % 2:
            in_long_string = not in_long_string
        if starts_inside or not line or line[0] in " \t#":
            continue
        if match := BASE.match(line):
            base = _resolve(base, match.group(1))
        elif match := PREFIX.match(line):
            prefixes[match.group(1)] = _resolve(base, match.group(2))
        elif (iri := _subject(line, base, prefixes)) is not None:
            found.setdefault(iri, number)
    return found


def _subject(line: str, base: str, prefixes: Mapping[str, str]) -> str | None:
    """The IRI a Turtle line starts with, if it starts with an IRI or a prefixed name."""
    if line.startswith("<"):
        end = line.find(">")
        return _resolve(base, line[1:end]) if end > 0 else None
    match = PNAME.match(line)
    if match is None or match.group(1) not in prefixes or match.group(1) == "_":
        return None
    local = ESCAPE.sub(r"\1", match.group(2)).rstrip(".")
    return prefixes[match.group(1)] + local


def _resolve(base: str, iri: str) -> str:
    # urljoin drops an empty fragment ("…/ontology#" → "…/ontology"), so absolute IRIs skip it.
    return iri if ABSOLUTE.match(iri) else urljoin(base, iri)


def _full_iris(line: str) -> Iterable[str]:
    """Absolute IRIs on a line: in <…> (Turtle, N-Triples) or in quotes (RDF/XML, JSON-LD)."""
    for match in re.finditer(r"""[<"']([a-zA-Z][\w+.-]*:[^\s<>"'{}|\\^`]+)[>"']""", line):
        yield match.group(1)


def _from_disk(name: str) -> tuple[bytes, str] | None:
    path = Path(name)
    media_type = EXTENSIONS.get(path.suffix.lower())
    if media_type is None:
        return None
    try:
        return path.read_bytes(), media_type
    except OSError:
        return None
