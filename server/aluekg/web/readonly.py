"""The service is read-only: writes to any URL without a route of its own are refused, and a
read of such a URL is a 404 that names the service's addresses."""

from __future__ import annotations

from fastapi import APIRouter

from aluekg.errors import ResourceNotFound, UpdateRefused

router = APIRouter()


# Registered after every other router, so it sees only requests no route takes (POST /update,
# PUT /sparql, DELETE /data …): a SPARQL update or a Graph Store write, wherever it is sent.
@router.api_route("/{path:path}", methods=["POST", "PUT", "DELETE", "PATCH"])
def write_refused(path: str) -> None:
    raise UpdateRefused(
        f"This service is read-only: it takes no SPARQL updates or uploads (at /{path})"
    )


# Without this, the route above would make every unknown URL a 405 for GET.
@router.get("/{path:path}", include_in_schema=False)
def unknown_get(path: str) -> None:
    raise ResourceNotFound(f"Nothing at /{path}: the service answers at /sparql and /validate")
