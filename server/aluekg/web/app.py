"""create_app(backend): the FastAPI application, its routers, middleware and error handlers."""

from __future__ import annotations

from fastapi import FastAPI
from starlette.middleware.cors import CORSMiddleware

from aluekg.config import Settings
from aluekg.query.backend import Backend
from aluekg.web import page, problems, readonly, sparql, validate
from aluekg.web.compression import GzipWhenAsked
from aluekg.web.deps import ServiceOptions
from aluekg.web.fast import SparqlFastPath


def create_app(
    backend: Backend, options: ServiceOptions | None = None, settings: Settings | None = None
) -> FastAPI:
    """The read-only SPARQL service over a backend; reads no environment.

    settings: what POST /validate validates against (its defaults when None).
    """
    # No OpenAPI pages: the interface is the SPARQL 1.1 Protocol, described at GET /sparql.
    app = FastAPI(title="aluekg", docs_url=None, redoc_url=None, openapi_url=None)
    app.state.backend = backend
    app.state.options = options or ServiceOptions()
    app.state.settings = settings or Settings()
    problems.install(app)
    app.include_router(sparql.router)
    app.include_router(validate.router)
    page.mount_static(app)
    # Last: it refuses writes to every URL the routers above do not take.
    app.include_router(readonly.router)
    # Innermost: /sparql's answers pass every other middleware as any answer does.
    app.add_middleware(SparqlFastPath)
    app.add_middleware(GzipWhenAsked, minimum_size=1000)
    # Outermost, so that errors carry CORS headers too and browsers can read their messages.
    app.add_middleware(
        CORSMiddleware,
        allow_origins=["*"],
        allow_methods=["GET", "POST"],
        allow_headers=["*"],
        expose_headers=["ETag"],
        max_age=86400,
    )
    return app
