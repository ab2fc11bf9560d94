"""The query path: the embedded store, its worker processes (forked from a zygote), a remote
store and how `aluekg load` fills one, the answer cache, the guard that refuses what a read-only
public endpoint must not run, and the Backend seam they share (aluekg.query.backend). Knows
nothing of HTTP."""
