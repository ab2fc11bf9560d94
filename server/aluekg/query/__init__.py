"""The query path: the embedded store, its worker processes, a remote store, the answer cache,
the guard that refuses what a read-only public endpoint must not run, and the Backend seam they
share (aluekg.query.backend). Knows nothing of HTTP."""
