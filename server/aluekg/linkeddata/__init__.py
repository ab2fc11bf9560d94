"""Linked-data publishing (issue 8): every IRI under the base resolves, for people (HTML pages)
and for machines (Turtle, N-Triples, JSON-LD, RDF/XML), read through the Backend seam only."""

from aluekg.linkeddata.routes import router

__all__ = ["router"]
