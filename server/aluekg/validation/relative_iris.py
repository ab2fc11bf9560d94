"""Relative IRIs in data: each source that uses one gets a violation (issue 12).

Relative IRIs resolve against each source's base (a file's file: IRI, an upload's upload_base),
so they name nothing others can use; data must write IRIs in full. The rule is checked while
the sources are read (aluekg.validation.graphs), not by a shape, and its violations are added
to pySHACL's report here.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from dataclasses import dataclass

from rdflib import BNode, Literal, URIRef
from rdflib.namespace import RDF, SH

from aluekg import syntax
from aluekg.validation.results import Report, Result


@dataclass(frozen=True)
class Relative:
    """A source that uses a relative IRI, and where it first does."""

    name: str
    base: str
    where: syntax.RelativeIri


def with_relative_iris(report: Report, found: Sequence[Relative]) -> Report:
    """The report with a violation for each source that uses a relative IRI, in its results and
    in its graph (with no sh:sourceShape: the rule is checked while reading, not by a shape)."""
    if not found:
        return report
    results = [_relative_result(each) for each in found]
    graph = report.graph
    node = graph.value(predicate=RDF.type, object=SH.ValidationReport)
    assert node is not None, "pyshacl's report graph has its report node"
    graph.set((node, SH.conforms, Literal(False)))
    for result in results:
        added = BNode()
        graph.add((node, SH.result, added))
        graph.add((added, RDF.type, SH.ValidationResult))
        graph.add((added, SH.focusNode, URIRef(result.focus)))
        graph.add((added, SH.resultSeverity, SH.Violation))
        if result.value is not None:
            graph.add((added, SH.value, Literal(result.value)))
        for lang, message in result.messages.items():
            graph.add((added, SH.resultMessage, Literal(message, lang=lang)))
    return dataclasses.replace(
        report, conforms=False, results=(*report.results, *results), graph=graph
    )


def _relative_result(found: Relative) -> Result:
    written = found.where.written or "a relative IRI"
    messages = {
        "en": f"{written} is a relative IRI: it resolves against <{found.base}>, where this file "
        "happens to be, so it names nothing others can use; write it in full "
        "(https://w3id.org/aluekg/id/…)",
        "fi": f"{written} on suhteellinen IRI: se tulkitaan tämän tiedoston sijainnin "
        f"<{found.base}> mukaan, eikä se nimeä mitään, mihin muut voisivat viitata; kirjoita "
        "se kokonaan (https://w3id.org/aluekg/id/…)",
    }
    return Result(
        focus=found.base,
        path=None,
        value=found.where.written,
        severity="Violation",
        shape="",
        component="",
        messages=messages,
        file=found.name,
        line=found.where.line,
    )
