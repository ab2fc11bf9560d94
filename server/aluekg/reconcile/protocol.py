"""The Reconciliation Service API 0.2 as data: the manifest, query batches in, result batches out,
suggest answers, extension requests, and the Reconciler that keeps the matcher in step with the
data. No HTTP here (routes.py speaks it); malformed input raises
BadRequest with a message that names the field at fault.
"""

from __future__ import annotations

import json
import threading
from typing import Any

from aluekg.errors import AluekgError
from aluekg.query.backend import Backend
from aluekg.reconcile import extension, index
from aluekg.reconcile.index import ID_BASE, TYPES, Entity, Index
from aluekg.reconcile.matching import Candidate, Matcher, Query, tokens

MAX_QUERIES = 1000
DEFAULT_LIMIT = 10


class BadRequest(AluekgError):
    """A reconciliation request that does not follow the API."""


class Reconciler:
    """The matcher for a backend's data version, built when first asked for that version (and
    at startup, by the router's lifespan).

    The backend comes with each call, not once: a reload swaps in a new one while serving. The
    last two versions' matchers are kept, so that requests still finishing on the old backend
    do not make the new one's matcher be built again.
    """

    KEPT = 2

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._matchers: dict[str, Matcher] = {}
        # The data version of the index built last (None: none built yet).
        self.version: str | None = None

    def matcher(self, backend: Backend) -> Matcher:
        version = backend.version
        with self._lock:
            found = self._matchers.get(version)
            if found is None:
                found = self._matchers[version] = Matcher(index.build(backend))
                self.version = found.index.version
                for old in list(self._matchers)[: -self.KEPT]:
                    del self._matchers[old]
            return found


def manifest(service_url: str) -> dict[str, Any]:
    """The service manifest, with every URL under service_url (…/reconcile)."""
    return {
        "versions": ["0.2"],
        "name": "aluekg: Finnish regions, programmes and organisations",
        "identifierSpace": ID_BASE,
        "schemaSpace": "https://w3id.org/aluekg/ontology#",
        "view": {"url": ID_BASE + "{{id}}"},
        "preview": {"url": service_url + "/preview?id={{id}}", "width": 400, "height": 200},
        "defaultTypes": [{"id": kind.id, "name": kind.name} for kind in TYPES.values()],
        "suggest": {
            kind: {"service_url": service_url, "service_path": f"/suggest/{kind}"}
            for kind in ("entity", "type", "property")
        },
        "extend": {
            "propose_properties": {"service_url": service_url, "service_path": "/properties"},
            "property_settings": [
                {
                    "type": "number",
                    "name": "year",
                    "label": "Year",
                    "help_text": "Read codes, parent areas and programmes in this year's "
                    "classification (default: the newest)",
                }
            ],
        },
    }


def parse_json(text: str, field: str) -> Any:
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        raise BadRequest(f"'{field}' is not JSON: {exc}") from None
    except RecursionError:  # the json module's parser recurses once per level of nesting
        raise BadRequest(f"'{field}' is nested too deeply to read") from None


def parse_queries(batch: Any) -> dict[str, Query]:
    """A query batch ({"q0": {"query": ..., "type": ..., "properties": [...]}, ...})."""
    if not isinstance(batch, dict):
        raise BadRequest("'queries' must be a JSON object of queries keyed by an id")
    if len(batch) > MAX_QUERIES:
        raise BadRequest(f"Send at most {MAX_QUERIES} queries at once, not {len(batch)}")
    return {str(key): parse_query(key, value) for key, value in batch.items()}


def parse_query(key: str, value: Any) -> Query:
    if not isinstance(value, dict):
        raise BadRequest(f"Query {key!r} must be a JSON object")
    text = value.get("query", "")
    if not isinstance(text, str):
        raise BadRequest(f"Query {key!r}: 'query' must be a string")
    limit = value.get("limit", DEFAULT_LIMIT)
    if not isinstance(limit, int | float) or isinstance(limit, bool) or not 1 <= limit < 1e9:
        raise BadRequest(f"Query {key!r}: 'limit' must be a positive number")
    found: dict[str, str] = {}
    given = value.get("properties") or []
    if not isinstance(given, list):
        raise BadRequest(f"Query {key!r}: 'properties' must be a list")
    for prop in given:
        if not isinstance(prop, dict) or "pid" not in prop or "v" not in prop:
            raise BadRequest(f"Query {key!r}: each property needs 'pid' and 'v'")
        found[str(prop["pid"])] = _property_value(key, prop["v"])
    year = _year(found.get("year"), f"Query {key!r}")
    if not text and not found:
        raise BadRequest(f"Query {key!r} has neither 'query' nor 'properties'")
    return Query(
        text=text,
        types=parse_types(value.get("type"), f"Query {key!r}"),
        limit=int(limit),
        year=year,
        region=found.get("region") or None,
        level=found.get("level") or None,
    )


def parse_types(value: Any, where: str) -> tuple[str, ...]:
    """Type ids or class IRIs (a string or a list) as the service's type ids."""
    given = [value] if isinstance(value, str) else value or []
    if not isinstance(given, list):
        raise BadRequest(f"{where}: 'type' must be a string or a list of strings")
    by_iri = {kind.iri: kind.id for kind in TYPES.values()}
    types = []
    for name in given:
        if not isinstance(name, str):
            raise BadRequest(f"{where}: 'type' must be a string or a list of strings")
        kind = by_iri.get(name, name)
        if kind not in TYPES:
            raise BadRequest(f"{where}: unknown type {name!r}; use one of {', '.join(TYPES)}")
        types.append(kind)
    return tuple(types)


def _year(value: Any, where: str) -> int | None:
    """A year given as a number or text ("2022", 2022.0); None when not given."""
    if value in (None, ""):
        return None
    try:
        year = float(value)
    except (TypeError, ValueError):
        year = float("nan")
    if not (year.is_integer() and 1 <= year <= 9999):
        raise BadRequest(f"{where}: 'year' must be a year, not {value!r}")
    return int(year)


def _property_value(key: str, value: Any) -> str:
    if isinstance(value, list):
        value = value[0] if value else ""
    if isinstance(value, dict):
        value = value.get("id", "")
    if isinstance(value, bool) or not isinstance(value, str | int | float):
        raise BadRequest(f"Query {key!r}: a property value must be a string, number or entity")
    return str(value).strip().removeprefix(ID_BASE)


def results(matcher: Matcher, queries: dict[str, Query]) -> dict[str, Any]:
    """The result batch for a query batch."""
    return {key: {"result": [_result(c) for c in matcher.match(q)]} for key, q in queries.items()}


def _result(candidate: Candidate) -> dict[str, Any]:
    kind = TYPES[candidate.entity.type]
    return {
        "id": candidate.entity.id,
        "name": candidate.entity.label(),
        "description": candidate.description,
        "score": candidate.score,
        "match": candidate.match,
        "type": [{"id": kind.id, "name": kind.name}],
    }


def suggest_entities(
    index: Index, prefix: str, cursor: int, types: tuple[str, ...] = (), limit: int = 10
) -> dict[str, Any]:
    """Entities (of the types, if given) with a name in any language whose folded words start
    with the prefix."""
    wanted = tokens(prefix)
    found: list[Entity] = []
    for entity in sorted(index.entities.values(), key=lambda e: (e.label(), e.iri)):
        if types and entity.type not in types:
            continue
        if any(_starts(tokens(name), wanted) for name, _ in entity.names):
            found.append(entity)
    return {
        "result": [
            {
                "id": entity.id,
                "name": entity.label(),
                "notable": [{"id": entity.type, "name": TYPES[entity.type].name}],
            }
            for entity in found[cursor : cursor + limit]
        ]
    }


def suggest_types(prefix: str) -> dict[str, Any]:
    return {
        "result": [
            {"id": kind.id, "name": kind.name}
            for kind in TYPES.values()
            if _starts(tokens(f"{kind.id} {kind.name}"), tokens(prefix))
        ]
    }


def suggest_properties(prefix: str) -> dict[str, Any]:
    return {
        "result": [
            {"id": prop.id, "name": prop.name, "description": prop.description}
            for prop in extension.PROPERTIES.values()
            if _starts(tokens(f"{prop.id} {prop.name}"), tokens(prefix))
        ]
    }


def _starts(words: list[str], prefix: list[str]) -> bool:
    """Whether the words, from some word on, begin with the prefix's words (the last one may be
    cut short): "etela p" finds "Etelä-Pohjanmaa", "savo" finds "Etelä-Savo"."""
    if not prefix:
        return True
    for start in range(len(words) - len(prefix) + 1):
        window = words[start : start + len(prefix)]
        if window[:-1] == prefix[:-1] and window[-1].startswith(prefix[-1]):
            return True
    return False


def propose(type_id: str | None, limit: int | None) -> dict[str, Any]:
    """The property proposal for a type."""
    kind = parse_types(type_id, "Property proposal")[0] if type_id else None
    chosen = extension.proposals(kind)[: limit or None]
    answer: dict[str, Any] = {"properties": [{"id": prop.id, "name": prop.name} for prop in chosen]}
    if type_id:
        answer["type"] = type_id
    if limit:
        answer["limit"] = limit
    return answer


def extend(index: Index, request: Any) -> dict[str, Any]:
    """The data extension response for {"ids": [...], "properties": [{"id", "settings"}]}."""
    if not isinstance(request, dict) or not isinstance(request.get("ids"), list):
        raise BadRequest("'extend' must be a JSON object with 'ids' and 'properties' lists")
    requested: list[tuple[str, int | None]] = []
    given = request.get("properties")
    if not isinstance(given, list):
        raise BadRequest("'extend' must be a JSON object with 'ids' and 'properties' lists")
    for prop in given:
        prop_id = prop.get("id") if isinstance(prop, dict) else None
        # A string first: a list as the id cannot even be looked up (it was a 500).
        if not isinstance(prop_id, str) or prop_id not in extension.PROPERTIES:
            known = ", ".join(extension.PROPERTIES)
            raise BadRequest(f"Unknown property {prop!r} in 'extend'; this service has {known}")
        settings = prop.get("settings") or {}
        if not isinstance(settings, dict):
            raise BadRequest(f"Property {prop['id']!r}: 'settings' must be a JSON object")
        requested.append((prop["id"], _year(settings.get("year"), f"Property {prop['id']!r}")))
    ids = request["ids"]
    # As for queries: one request may not keep a worker thread busy for seconds.
    if len(ids) > MAX_QUERIES:
        raise BadRequest(f"Extend at most {MAX_QUERIES} ids at once, not {len(ids)}")
    if not all(isinstance(identifier, str) for identifier in ids):
        raise BadRequest(f"'ids' must be a list of entity ids (strings), not {ids!r}")
    return {
        "meta": [{"id": prop, "name": extension.PROPERTIES[prop].name} for prop, _ in requested],
        "rows": extension.extend(index, ids, requested),
    }
