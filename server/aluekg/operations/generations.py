"""The data being served, as generations: a backend with its options, how many requests are
using it, and how to close it. A reload makes a new generation current; the old one is closed
once the requests that started on it have finished.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from aluekg.query.backend import Backend

if TYPE_CHECKING:  # web.deps imports this module: only the type, to keep imports one-way
    from aluekg.dataset.dumps import Dumps
    from aluekg.web.deps import ServiceOptions

log = logging.getLogger(__name__)

# Where the access middleware pins a request's generation in its ASGI scope (web/deps.py reads
# it), so that one request sees one version of the data from start to end.
PINNED = "aluekg.generation"


@dataclass(eq=False)
class Generation:
    """One loaded version of the data. in_flight is changed only on the event loop's thread."""

    backend: Backend
    options: ServiceOptions
    close: Callable[[], None] = lambda: None
    quads: int | None = None
    # Made from this generation's own store (None for a remote store, which has none).
    dumps: Dumps | None = None
    in_flight: int = 0

    @property
    def version(self) -> str:
        return self.backend.version


def _counter(backend: object, name: str) -> int:
    """A count a backend or the backend it wraps keeps (AnswerCache.hits, WorkerPool.restarts)."""
    total = 0
    while backend is not None:
        value = getattr(backend, name, 0)
        total += value if isinstance(value, int) else 0
        backend = getattr(backend, "backend", None)
    return total


@dataclass
class Generations:
    """The current generation (None while the first is loading) and the totals of retired ones."""

    current: Generation | None = None
    retired_counts: dict[str, int] = field(default_factory=dict)
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def count(self, name: str) -> int:
        """A counter summed over every generation so far (cache hits, workers restarted)."""
        live = _counter(self.current.backend, name) if self.current else 0
        return self.retired_counts.get(name, 0) + live

    def make_current(self, app: Any, new: Generation) -> Generation | None:
        """Make new current and the app's state its data; return the one it replaces."""
        old = self.swap(new)
        app.state.backend, app.state.options = new.backend, new.options
        # /dumps/ and /.well-known/void list them.
        app.state.dumps = new.dumps
        return old

    def swap(self, new: Generation) -> Generation | None:
        """Make new current; return the one it replaces, for retire()."""
        with self._lock:
            old, self.current = self.current, new
        return old

    def retire(self, old: Generation, *, drain_timeout: float) -> None:
        """Close a replaced generation once its requests have finished (or after drain_timeout
        s, should a request be stuck past every time limit)."""
        deadline = time.monotonic() + drain_timeout
        while old.in_flight > 0 and time.monotonic() < deadline:
            time.sleep(0.02)
        if old.in_flight > 0:
            log.warning("Closing the old data with %d requests still running", old.in_flight)
        for name in ("hits", "restarts"):
            self.retired_counts[name] = self.retired_counts.get(name, 0) + _counter(
                old.backend, name
            )
        old.close()

    def close(self) -> None:
        """Close the current generation (at shutdown)."""
        with self._lock:
            current, self.current = self.current, None
        if current is not None:
            current.close()
