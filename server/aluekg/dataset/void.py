"""The VoID and DCAT description of the dataset, as JSON-LD: what the data says about itself
(title, licence, example resources…) and what the store counts (triples, class and property
partitions, one linkset per registry, each graph), with the SPARQL endpoint and the dumps.
Every count is a query in queries/, answered by the backend. Knows nothing of HTTP."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from aluekg.dataset.dumps import Dump
from aluekg.dataset.queries import Row, Term, number, select
from aluekg.query.backend import Backend

IANA = "http://www.iana.org/assignments/media-types/"
XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"
CONTEXT = {
    "dcat": "http://www.w3.org/ns/dcat#",
    "dcterms": "http://purl.org/dc/terms/",
    "void": "http://rdfs.org/ns/void#",
}
# For Turtle and RDF/XML: the context's prefixes and those of the values most statements have.
PREFIXES = {
    **CONTEXT,
    "alue": "https://w3id.org/aluekg/ontology#",
    "rdf": "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
    "skos": "http://www.w3.org/2004/02/skos/core#",
    "xsd": "http://www.w3.org/2001/XMLSchema#",
}
# The registries linksets.rq counts links to, by the key it gives them.
REGISTRIES = {
    "koodistot": "koodistot.suomi.fi: Statistics Finland's classifications as code lists",
    "nuts": "Eurostat NUTS regions",
    "wikidata": "Wikidata",
    "yso": "YSO, the General Finnish Ontology (places and topics)",
}

Node = dict[str, Any]


def describe(backend: Backend, root: str, dumps: Sequence[Dump] = ()) -> Node:
    """The description as a JSON-LD document; root is the service's URL, ending in "/"."""
    document = root + ".well-known/void"
    found = select(backend, "dataset")
    dataset = found[0]["dataset"]["value"] if found else document + "#dataset"
    node: Node = {"@id": dataset, "@type": ["void:Dataset", "dcat:Dataset"]}
    node |= _copied(select(backend, "description", {"dataset": dataset}))
    node |= _statistics(select(backend, "statistics")[0])
    node |= _service(root, dataset)
    node["void:classPartition"] = [
        {"void:class": {"@id": row["class"]["value"]}, "void:entities": number(row, "entities")}
        for row in select(backend, "class-partitions")
    ]
    node["void:propertyPartition"] = [
        {"void:property": {"@id": row["property"]["value"]}, "void:triples": number(row, "triples")}
        for row in select(backend, "property-partitions")
    ]
    whole = [dump for dump in dumps if dump.graph is None]
    node["void:dataDump"] = [{"@id": root + "dumps/" + dump.name} for dump in whole]
    node["dcat:distribution"] = [_distribution(root, dump) for dump in whole]
    subsets = _linksets(select(backend, "linksets"), dataset, document)
    subsets += _graphs(select(backend, "graphs"), root, dumps)
    node["void:subset"] = [*node.get("void:subset", []), *subsets]
    return {"@context": CONTEXT, "@graph": [node]}


def _copied(rows: Sequence[Row]) -> Node:
    """The data's own statements about the dataset, as JSON-LD properties."""
    copied: Node = {}
    for row in rows:
        copied.setdefault(row["property"]["value"], []).append(_value(row["value"]))
    # JSON-LD keeps "void:subset" and the full IRI apart; the counted subsets join the data's.
    subset = copied.pop(CONTEXT["void"] + "subset", [])
    return {**copied, "void:subset": subset} if subset else copied


def _value(term: Term) -> Node:
    """A SPARQL JSON term as a JSON-LD value."""
    if term["type"] == "uri":
        return {"@id": term["value"]}
    if term["type"] == "bnode":
        return {"@id": "_:" + term["value"]}
    if "xml:lang" in term:
        return {"@value": term["value"], "@language": term["xml:lang"]}
    if term.get("datatype", XSD_STRING) != XSD_STRING:
        return {"@value": term["value"], "@type": term["datatype"]}
    return {"@value": term["value"]}


def _statistics(row: Row) -> Node:
    names = ("triples", "distinctSubjects", "distinctObjects", "properties", "classes")
    return {f"void:{name}": number(row, name) for name in names}


def _service(root: str, dataset: str) -> Node:
    endpoint = {"@id": root + "sparql"}
    return {
        "void:sparqlEndpoint": endpoint,
        "dcat:accessService": {
            "@type": "dcat:DataService",
            "dcat:endpointURL": endpoint,
            # GET /sparql without a query answers with the SPARQL Service Description.
            "dcat:endpointDescription": endpoint,
            "dcat:servesDataset": {"@id": dataset},
        },
    }


def _distribution(root: str, dump: Dump) -> Node:
    url = {"@id": root + "dumps/" + dump.name}
    return {
        **url,
        "@type": "dcat:Distribution",
        "dcat:downloadURL": url,
        "dcat:mediaType": {"@id": IANA + dump.media_type},
        "dcat:compressFormat": {"@id": IANA + "application/gzip"},
    }


def _linksets(rows: Sequence[Row], dataset: str, document: str) -> list[Node]:
    """One void:Linkset per registry: its link properties and the links of all of them."""
    linksets: dict[str, Node] = {}
    for row in rows:
        key, namespace = row["registry"]["value"], row["namespace"]["value"]
        linkset = linksets.setdefault(
            key,
            {
                "@id": f"{document}#linkset-{key}",
                "@type": "void:Linkset",
                "dcterms:title": REGISTRIES[key],
                "void:target": [
                    {"@id": dataset},
                    {
                        "@type": "void:Dataset",
                        "dcterms:title": REGISTRIES[key],
                        "void:uriSpace": namespace,
                    },
                ],
                "void:linkPredicate": [],
                "void:triples": 0,
            },
        )
        linkset["void:linkPredicate"].append({"@id": row["property"]["value"]})
        linkset["void:triples"] += number(row, "links")
    return list(linksets.values())


def _graphs(rows: Sequence[Row], root: str, dumps: Sequence[Dump]) -> list[Node]:
    """Each named graph (one per source file) as a subset, with its size and its dumps."""
    by_graph: dict[str | None, list[Node]] = {}
    for dump in dumps:
        by_graph.setdefault(dump.graph, []).append({"@id": root + "dumps/" + dump.name})
    return [
        {
            "@id": row["graph"]["value"],
            "@type": "void:Dataset",
            "void:triples": number(row, "triples"),
            "void:dataDump": by_graph.get(row["graph"]["value"], []),
        }
        for row in rows
    ]
