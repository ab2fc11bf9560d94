"""Validation reports as the maintainer reads them: text lines, JSON, or the SHACL graph."""

from __future__ import annotations

import json

from aluekg.validation import Report, Result

FORMATS = ("text", "turtle", "json")
LANGUAGES = ("fi", "en")

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

SUMMARY = {
    "en": "{v} violations, {w} warnings, {i} infos",
    "fi": "{v} rikettä, {w} varoitusta, {i} huomautusta",
}


def render(report: Report, output_format: str, lang: str) -> str:
    """The report in 'text', 'turtle' or 'json', messages in lang ('fi' or 'en')."""
    if output_format == "turtle":
        return report.serialise("turtle")
    if output_format == "json":
        return json.dumps(as_json(report, lang), ensure_ascii=False, indent=2) + "\n"
    lines = [line(result, lang) for result in report.results]
    return "\n".join([*lines, summary(report, lang)]) + "\n"


def line(result: Result, lang: str) -> str:
    """`file: resource: property: message`, the shape of a compiler's error line."""
    where = result.file or "-"
    prop = compact(result.path) if result.path else "-"
    return f"{where}: {compact(result.focus)}: {prop}: {result.message(lang)}"


def summary(report: Report, lang: str) -> str:
    return SUMMARY[lang].format(
        v=report.count("Violation"), w=report.count("Warning"), i=report.count("Info")
    )


def as_json(report: Report, lang: str) -> dict[str, object]:
    return {
        "conforms": report.conforms,
        "violations": report.count("Violation"),
        "warnings": report.count("Warning"),
        "infos": report.count("Info"),
        "results": [
            {
                "file": result.file,
                "line": result.line,
                "focus": result.focus,
                "label": result.label.get(lang) or result.label.get("fi"),
                "path": result.path,
                "value": result.value,
                "severity": result.severity,
                "shape": result.shape,
                "message": result.message(lang),
            }
            for result in report.results
        ],
    }


def compact(iri: str) -> str:
    """A prefixed name where a known prefix fits, else the IRI in angle brackets."""
    for namespace, prefix in PREFIXES.items():
        if iri.startswith(namespace) and "/" not in iri[len(namespace) :]:
            return prefix + iri[len(namespace) :]
    return iri if iri.startswith("_:") else f"<{iri}>"
