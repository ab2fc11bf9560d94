"""Validation reports as the maintainer reads them: text grouped by resource, JSON, or the graph.

Knows nothing of the terminal: the caller says whether to colour (aluekg.cli, on a tty only).
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Sequence
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    # For annotations only: the CLI imports this module (its options) before anything is
    # validated, and results imports rdflib.
    from aluekg.validation.results import Report, Result

FORMATS = ("text", "turtle", "json-ld", "json")
LANGUAGES = ("fi", "en")
SEVERITIES = ("Violation", "Warning", "Info")

# Prefixes for properties and resources in text output, so lines stay readable.
PREFIXES = {
    "https://w3id.org/aluekg/ontology#": "alue:",
    "https://w3id.org/aluekg/shapes#": "alush:",
    "http://www.w3.org/2004/02/skos/core#": "skos:",
    "http://purl.org/dc/terms/": "dcterms:",
    "http://www.w3.org/ns/dcat#": "dcat:",
    "http://www.w3.org/ns/prov#": "prov:",
    "http://www.w3.org/ns/org#": "org:",
    "http://data.europa.eu/m8g/": "m8g:",
    "http://www.w3.org/ns/locn#": "locn:",
    "http://www.w3.org/ns/adms#": "adms:",
    "http://www.w3.org/2006/vcard/ns#": "vcard:",
    "https://schema.org/": "schema:",
    "http://xmlns.com/foaf/0.1/": "foaf:",
    "http://www.w3.org/2002/07/owl#": "owl:",
    "http://www.w3.org/2000/01/rdf-schema#": "rdfs:",
    "http://www.w3.org/1999/02/22-rdf-syntax-ns#": "rdf:",
}

# The summary's words, singular and plural, and each severity as a word, in each language.
COUNTS = {
    "en": {
        "Violation": ("violation", "violations"),
        "Warning": ("warning", "warnings"),
        "Info": ("info", "infos"),
    },
    "fi": {
        "Violation": ("virhe", "virhettä"),
        "Warning": ("varoitus", "varoitusta"),
        "Info": ("huomautus", "huomautusta"),
    },
}
VALUE = {"en": "value", "fi": "arvo"}
# ANSI colours (SGR) for the severity word, used only on a terminal.
COLOURS = {"Violation": "31", "Warning": "33", "Info": "36"}


def render(report: Report, output_format: str, lang: str, colour: bool = False) -> str:
    """The report as 'text', 'turtle', 'json-ld' or 'json', messages in lang ('fi' or 'en')."""
    if output_format in ("turtle", "json-ld"):
        return report.serialise(output_format)
    if output_format == "json":
        return json.dumps(as_json(report, lang), ensure_ascii=False, indent=2) + "\n"
    return "".join(f"{line}\n" for line in text_lines(report, lang, colour))


def severity_word(severity: str, lang: str) -> str:
    """The severity as a word in lang: 'violation', 'virhe' …"""
    return COUNTS[lang][severity][0] if severity in SEVERITIES else severity


def text_lines(report: Report, lang: str, colour: bool = False) -> Iterator[str]:
    """One line per result, `file:line: resource (label): property: message [severity; value]`,
    a resource's results together, then a summary:

    data/programme/x.ttl:21: <https://w3id.org/aluekg/id/programme/x/period> (2027-2024): -: \
Loppuvuosi 2024 on ennen alkuvuotta. [virhe; arvo: 2024]
    """
    for result in ordered(report.results):
        word = severity_word(result.severity, lang)
        if colour:
            word = f"\x1b[{COLOURS[result.severity]}m{word}\x1b[0m"
        value = f"; {VALUE[lang]}: {value_text(result.value)}" if result.value is not None else ""
        prop = path_text(result.path) if result.path else "-"
        yield f"{heading(result, lang)}: {prop}: {result.message(lang)} [{word}{value}]"
    yield summary(report, lang)


def ordered(results: Sequence[Result]) -> list[Result]:
    """By file, by where the resource is in it, then violations before warnings before infos."""
    return sorted(
        results,
        key=lambda r: (
            r.file or "~",
            r.line or 0,
            r.focus,
            _rank(r.severity),
            r.path or "",
            r.value or "",
        ),
    )


def heading(result: Result, lang: str) -> str:
    """`file:line: <resource> (label)`: where a resource is described, and what it is called."""
    where = result.file or "-"
    if result.line is not None:
        where += f":{result.line}"
    label = label_in(result, lang)
    return f"{where}: {compact(result.focus)}" + (f" ({label})" if label else "")


def label_in(result: Result, lang: str) -> str:
    """The resource's label in lang, else in Finnish, else any."""
    labels = result.label
    return labels.get(lang) or labels.get("fi") or next(iter(labels.values()), "")


def summary(report: Report, lang: str) -> str:
    """`1 violation, 2 warnings, 0 infos`, in lang."""
    counts = []
    for severity in SEVERITIES:
        n = report.count(severity)
        singular, plural = COUNTS[lang][severity]
        counts.append(f"{n} {singular if n == 1 else plural}")
    return ", ".join(counts)


def as_json(report: Report, lang: str) -> dict[str, object]:
    """A summary a script can read: the verdict, the counts, the IRI each validated file's
    relative IRIs resolved against (by name), and each result in lang."""
    return {
        "conforms": report.conforms,
        "bases": dict(report.bases),
        "violations": report.count("Violation"),
        "warnings": report.count("Warning"),
        "infos": report.count("Info"),
        "results": [
            {
                "file": result.file,
                "line": result.line,
                "focus": result.focus,
                "label": label_in(result, lang) or None,
                "path": result.path,
                "value": result.value,
                "severity": result.severity,
                "shape": result.shape,
                "message": result.message(lang),
            }
            for result in ordered(report.results)
        ],
    }


def compact(iri: str) -> str:
    """A prefixed name where a known prefix fits, else the IRI in angle brackets."""
    for namespace, prefix in PREFIXES.items():
        if iri.startswith(namespace) and "/" not in iri[len(namespace) :]:
            return prefix + iri[len(namespace) :]
    return iri if iri.startswith("_:") else f"<{iri}>"


def path_text(path: str) -> str:
    """A result's path, compacted; an inverse path arrives as ^<iri>, a complex one as a blank
    node, which has no name to show."""
    if path.startswith("^<") and path.endswith(">"):
        return "^" + compact(path[2:-1])
    return "(path)" if path.startswith("_:") else compact(path)


def value_text(value: str) -> str:
    """A result's value: IRIs compacted, literals as they are (results carry both as text)."""
    if value.startswith(("http://", "https://", "urn:")) and " " not in value:
        return compact(value)
    return value


def _rank(severity: str) -> int:
    return SEVERITIES.index(severity) if severity in SEVERITIES else len(SEVERITIES)
