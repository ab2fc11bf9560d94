"""Running the service in production: health and metrics, the access log, a per-client budget of
query time, reloading the data without downtime, the connection limits of the HTTP server, and
the allocator's settings.

Nothing here imports aluekg.web at run time: web/app.py installs these parts into the app. This
file imports nothing, so that `aluekg serve` can set up the allocator (memory.py) before FastAPI
is imported."""
