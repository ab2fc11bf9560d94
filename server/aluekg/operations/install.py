"""install(app): put the operations parts into an app built by aluekg.web.create_app."""

from __future__ import annotations

from fastapi import FastAPI

from aluekg.config import Settings
from aluekg.operations.fairness import Budget
from aluekg.operations.generations import Generation, Generations
from aluekg.operations.metrics import Metrics
from aluekg.operations.middleware import AccessMiddleware, Operations


def install(app: FastAPI, settings: Settings) -> None:
    """Make the app's backend its first generation and wrap the app in the access middleware
    (call last, so that it sees every request and every status). The app includes
    aluekg.operations.routes.router itself, before any catch-all route."""
    generations = Generations()
    if app.state.backend is not None:
        generations.current = Generation(app.state.backend, app.state.options)
    header = settings.client_header.lower().encode("latin-1") if settings.client_header else None
    app.state.operations = Operations(
        generations=generations,
        metrics=Metrics(generations),
        budget=Budget(settings.fair_share, settings.fair_window),
        client_header=header,
        loading_wait=settings.query_timeout,
    )
    app.add_middleware(AccessMiddleware, operations=app.state.operations)


def generations_of(app: FastAPI) -> Generations:
    """The generations of data an app installed with install() serves."""
    operations: Operations = app.state.operations
    return operations.generations
