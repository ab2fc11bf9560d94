"""/reconcile over HTTP: the Reconciliation Service API 0.2 routes (manifest, query batches by GET
and POST form, preview, suggest, property proposals, data extension), JSONP when `callback=` is
given. CORS headers come from the app's middleware. The index is built at startup (this router's
lifespan) and again whenever the backend's data version changes.
"""

from __future__ import annotations

import contextlib
import json
import re
from collections.abc import AsyncIterator, Mapping
from contextlib import asynccontextmanager
from typing import Any

import anyio.to_thread
from fastapi import APIRouter, FastAPI, Request
from fastapi.responses import HTMLResponse, Response
from starlette.concurrency import run_in_threadpool

from aluekg.errors import AluekgError, UnsupportedMediaType
from aluekg.reconcile import preview, protocol
from aluekg.reconcile.matching import Matcher
from aluekg.reconcile.protocol import BadRequest, Reconciler
from aluekg.web.deps import get_backend

# A JavaScript name (dots allowed for namespaced callbacks), so a callback cannot inject code.
_CALLBACK = re.compile(r"[A-Za-z_$][\w$]*(?:\.[A-Za-z_$][\w$]*)*")
FORM = "application/x-www-form-urlencoded"


@asynccontextmanager
async def _lifespan(app: FastAPI) -> AsyncIterator[None]:
    reconciler = _reconciler(app)
    # On failure the first request builds it again and reports what went wrong; while the data
    # is still loading (no backend yet), so does the first request after it.
    if app.state.backend is not None:
        with contextlib.suppress(AluekgError):
            await anyio.to_thread.run_sync(reconciler.matcher, app.state.backend)
    yield


router = APIRouter(prefix="/reconcile", lifespan=_lifespan)


def _reconciler(app: Any) -> Reconciler:
    state = app.state
    if getattr(state, "reconciler", None) is None:
        state.reconciler = Reconciler()
    reconciler: Reconciler = state.reconciler
    return reconciler


def _matcher(request: Request) -> Matcher:
    """The matcher for the data of the backend serving now (a reload may have replaced it)."""
    return _reconciler(request.app).matcher(get_backend(request))


@router.get("")
def service_get(request: Request) -> Response:
    return _service(request, request.query_params)


@router.post("")
async def service_post(request: Request) -> Response:
    media_type = request.headers.get("content-type", "").partition(";")[0].strip().lower()
    if media_type not in (FORM, "multipart/form-data"):
        raise UnsupportedMediaType(
            f"POST 'queries' or 'extend' as a form ({FORM}), not as {media_type or 'nothing'}"
        )
    form = await request.form()
    fields = {key: value for key, value in form.items() if isinstance(value, str)}
    # A callback in the URL counts too, as OpenRefine's JSONP clients put it there.
    fields.setdefault("callback", request.query_params.get("callback", ""))
    return await run_in_threadpool(_service, request, fields)


def _service(request: Request, fields: Mapping[str, str]) -> Response:
    callback = fields.get("callback") or None
    try:
        if "queries" in fields:
            queries = protocol.parse_queries(protocol.parse_json(fields["queries"], "queries"))
            matcher = _matcher(request)
            return _json(protocol.results(matcher, queries), callback)
        if "extend" in fields:
            wanted = protocol.parse_json(fields["extend"], "extend")
            matcher = _matcher(request)
            return _json(protocol.extend(matcher.index, wanted), callback)
    except BadRequest as exc:
        return _error(str(exc))
    return _json(protocol.manifest(_service_url(request)), callback)


@router.get("/preview")
def preview_card(request: Request, id: str) -> HTMLResponse:
    matcher = _matcher(request)
    return HTMLResponse(preview.render(matcher, id))


@router.get("/suggest/{kind}")
def suggest(
    request: Request,
    kind: str,
    prefix: str = "",
    cursor: int = 0,
    type: str | None = None,
    callback: str | None = None,
) -> Response:
    if cursor < 0:
        return _error("'cursor' must be 0 or more")
    if kind == "entity":
        index = _matcher(request).index
        try:
            types = protocol.parse_types(type, "Suggest")
        except BadRequest as exc:
            return _error(str(exc))
        return _json(protocol.suggest_entities(index, prefix, cursor, types), callback)
    if kind == "type":
        return _json(protocol.suggest_types(prefix), callback)
    if kind == "property":
        return _json(protocol.suggest_properties(prefix), callback)
    return _error(f"Suggest 'entity', 'type' or 'property', not {kind!r}", status=404)


@router.get("/properties")
def properties(
    type: str | None = None, limit: int | None = None, callback: str | None = None
) -> Response:
    if limit is not None and limit < 1:
        return _error("'limit' must be 1 or more")
    try:
        return _json(protocol.propose(type, limit), callback)
    except BadRequest as exc:
        return _error(str(exc))


def _json(body: Any, callback: str | None) -> Response:
    text = json.dumps(body, ensure_ascii=False)
    if callback is None:
        return Response(text, media_type="application/json")
    if not _CALLBACK.fullmatch(callback):
        return _error(f"'callback' must be a JavaScript function name, not {callback!r}")
    return Response(f"{callback}({text});", media_type="application/javascript")


def _error(text: str, status: int = 400) -> Response:
    return Response(text + "\n", status_code=status, media_type="text/plain; charset=utf-8")


def _service_url(request: Request) -> str:
    """The public address of /reconcile: the --base-iri when set, else the request's."""
    base = getattr(request.app.state.options, "base_iri", None) or str(request.base_url)
    return base.rstrip("/") + "/reconcile"
