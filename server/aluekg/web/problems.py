"""Errors to HTTP: one STATUS table for the user's errors, and every error body text/plain."""

from __future__ import annotations

from collections.abc import Mapping

from fastapi import FastAPI, Request, Response
from fastapi.exceptions import RequestValidationError
from starlette.exceptions import HTTPException

from aluekg import errors
from aluekg.operations.middleware import ERROR

STATUS: dict[type[errors.AluekgError], int] = {
    errors.QueryError: 400,
    errors.NotAnIri: 400,
    # A policy refusal, not a malformed request: the same request would never be answered.
    errors.UpdateRefused: 403,
    errors.RequestRefused: 403,
    errors.ResourceNotFound: 404,
    errors.NoAcceptableFormat: 406,
    errors.TooLarge: 413,
    errors.UnsupportedMediaType: 415,
    # The query may be fine on a quieter day; RFC 9110 has 503 for a temporary overload.
    errors.QueryTimeout: 503,
    # The store behind this service failed: RFC 9110's gateway statuses, so that the user can
    # tell a broken store from a wrong query.
    errors.StoreFailed: 502,
    errors.StoreTimedOut: 504,
    errors.Unavailable: 503,
}


def status_for(exc: errors.AluekgError) -> int:
    """The status for an error, looked up through its classes as Starlette does."""
    for cls in type(exc).__mro__:
        if cls in STATUS:
            return STATUS[cls]
    return 500


def message(status: int, text: str, headers: Mapping[str, str] | None = None) -> Response:
    """A plain-text error response."""
    return Response(
        text + "\n", status_code=status, media_type="text/plain; charset=utf-8", headers=headers
    )


async def _aluekg_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, errors.AluekgError)
    # For the metrics (aluekg.operations.middleware counts timeouts).
    request.scope[ERROR] = exc
    status = status_for(exc)
    return message(status, str(exc), {"Retry-After": "5"} if status == 503 else None)


async def _http_exception(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, HTTPException)
    if exc.status_code == 304:
        return Response(status_code=304, headers=exc.headers)
    return message(exc.status_code, str(exc.detail), exc.headers)


async def _validation_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, RequestValidationError)
    details = "; ".join(
        f"{' '.join(str(part) for part in error.get('loc', ()))}: {error.get('msg', '')}"
        for error in exc.errors()
    )
    return message(400, f"Bad request: {details}")


def install(app: FastAPI) -> None:
    """Register the three handlers; anything else is our bug and a bare 500."""
    app.add_exception_handler(errors.AluekgError, _aluekg_error)
    app.add_exception_handler(HTTPException, _http_exception)
    app.add_exception_handler(RequestValidationError, _validation_error)
