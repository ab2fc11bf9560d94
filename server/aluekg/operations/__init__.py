"""Running the service in production: health and metrics, the access log, a per-client budget of
query time, reloading the data without downtime, the connection limits of the HTTP server, and
the allocator's settings (memory.py).

Nothing here imports aluekg.web at run time: web/app.py installs these parts into the app."""

from aluekg.operations import install, routes

__all__ = ["install", "routes"]
