"""Typed access to what create_app put on app.state: the backend and the service's options."""

from __future__ import annotations

from collections.abc import Set
from dataclasses import dataclass, field

from fastapi import Request
from starlette.types import Scope

from aluekg.operations.generations import PINNED
from aluekg.query.backend import Backend


@dataclass(frozen=True)
class ServiceOptions:
    """What the HTTP layer needs besides the backend.

    base_iri: the public URL the service is published under, for its service description (None:
    taken from each request).
    """

    service_allowlist: Set[str] = field(default_factory=frozenset)
    max_request_bytes: int = 1_000_000
    base_iri: str | None = None


# Each request reads the generation of data it was pinned to on arrival (aluekg.operations), so
# that a reload while it runs leaves it whole on the old data.
def get_backend(request: Request) -> Backend:
    return backend_of(request.scope)


def get_options(request: Request) -> ServiceOptions:
    return options_of(request.scope)


def backend_of(scope: Scope) -> Backend:
    """get_backend() from the ASGI scope, for middleware (web/fast.py)."""
    pinned = scope.get(PINNED)
    backend: Backend = pinned.backend if pinned is not None else scope["app"].state.backend
    return backend


def options_of(scope: Scope) -> ServiceOptions:
    """get_options() from the ASGI scope."""
    pinned = scope.get(PINNED)
    options: ServiceOptions = pinned.options if pinned is not None else scope["app"].state.options
    return options
