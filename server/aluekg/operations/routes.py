"""GET /health for load balancers and orchestrators, GET /metrics for Prometheus."""

from __future__ import annotations

import json

from fastapi import APIRouter, Request, Response

from aluekg.operations.metrics import CONTENT_TYPE
from aluekg.operations.middleware import Operations

router = APIRouter()


def operations(request: Request) -> Operations:
    ops: Operations = request.app.state.operations
    return ops


@router.get("/health", include_in_schema=False)
def health(request: Request) -> Response:
    """200 with the data version (the ETags' prefix) once data is loaded; 503 until then."""
    current = operations(request).generations.current
    if current is None:
        loading = json.dumps({"status": "loading"})
        return Response(loading, 503, {"Retry-After": "5"}, "application/json")
    body = json.dumps({"status": "ok", "version": current.version, "quads": current.quads})
    return Response(body, 200, {"Cache-Control": "no-store"}, "application/json")


@router.get("/metrics", include_in_schema=False)
def metrics(request: Request) -> Response:
    return Response(operations(request).metrics.exposition(), media_type=CONTENT_TYPE)
