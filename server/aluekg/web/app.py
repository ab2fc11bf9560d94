"""create_app(backend): the FastAPI application, its routers, middleware and error handlers."""

from __future__ import annotations

from fastapi import APIRouter, FastAPI
from fastapi.routing import APIRoute
from starlette.middleware.cors import CORSMiddleware
from starlette.types import ASGIApp

from aluekg import linkeddata, operations
from aluekg.api import routes as api_routes
from aluekg.config import Settings
from aluekg.dataset import routes as dataset_routes
from aluekg.query.backend import Backend
from aluekg.reconcile import routes as reconcile
from aluekg.web import page, problems, readonly, sparql, validate
from aluekg.web.compression import ContentCodings
from aluekg.web.deps import ServiceOptions
from aluekg.web.fast import SparqlFastPath


class Service(FastAPI):
    """FastAPI with the middleware added to it outside FastAPI's own layers (its error page,
    telemetry and body-limit middleware), not inside them, so that /sparql's fast path
    (web/fast.py) answers without passing through them; and without FastAPI's OpenTelemetry
    (aluekg.operations has its own metrics). A route's errors, 500s included, become responses
    with CORS headers, and every status is logged; an exception escaping the fast path itself
    would be uvicorn's own plain 500."""

    def __init__(self, **options: object) -> None:
        telemetry = {"tracing": False, "metrics": False, "logs": False}
        super().__init__(telemetry=telemetry, **options)  # type: ignore[arg-type]

    def build_middleware_stack(self) -> ASGIApp:
        ours, self.user_middleware = self.user_middleware, []
        try:
            app = super().build_middleware_stack()
        finally:
            self.user_middleware = ours
        for cls, args, kwargs in reversed(ours):
            app = cls(app, *args, **kwargs)
        return app


def _head_wherever_get(router: APIRouter) -> APIRouter:
    """The router, with HEAD on each of its routes that takes GET (RFC 9110 §9.1), as
    Starlette's own routes have: FastAPI takes only the methods it is given, so the read-only
    catch-all answered HEAD /sparql and HEAD /health with 404."""
    for route in router.routes:
        if isinstance(route, APIRoute) and route.methods and "GET" in route.methods:
            route.methods.add("HEAD")
    return router


def create_app(
    backend: Backend | None,
    options: ServiceOptions | None = None,
    settings: Settings | None = None,
) -> FastAPI:
    """The read-only SPARQL service over a backend; reads no environment.

    backend None: the data is still loading (aluekg.serving.build_listening_first).
    settings: what POST /validate validates against (its defaults when None).
    """
    # No generated OpenAPI pages: the SPARQL 1.1 Protocol is described at GET /sparql, and
    # /openapi.json is aluekg.api's, built from the named queries.
    app = Service(title="aluekg", docs_url=None, redoc_url=None, openapi_url=None)
    app.state.backend = backend
    app.state.options = options or ServiceOptions()
    app.state.settings = settings or Settings()
    problems.install(app)
    app.include_router(_head_wherever_get(sparql.router))
    app.include_router(_head_wherever_get(validate.router))
    app.include_router(_head_wherever_get(reconcile.router))
    app.include_router(_head_wherever_get(dataset_routes.router))
    app.include_router(_head_wherever_get(api_routes.router))
    app.include_router(_head_wherever_get(operations.routes.router))
    page.mount_static(app)
    app.include_router(_head_wherever_get(linkeddata.router))
    # Last: it refuses writes to every URL the routers above do not take.
    app.include_router(readonly.router)
    # Innermost: /sparql's answers pass every other middleware as any answer does.
    app.add_middleware(SparqlFastPath)
    app.add_middleware(ContentCodings, minimum_size=1000)
    # Outermost, so that errors carry CORS headers too and browsers can read their messages.
    app.add_middleware(
        CORSMiddleware,
        allow_origins=["*"],
        allow_methods=["GET", "POST"],
        allow_headers=["*"],
        expose_headers=["ETag", "Link", "Content-Location"],
        max_age=86400,
    )
    # Outside even CORS: the access log and the metrics see every request (aluekg.operations).
    operations.install.install(app, app.state.settings)
    return app
