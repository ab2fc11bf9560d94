"""A per-client budget of query time, as the Wikidata Query Service has: each client may spend
`share` seconds of the service's time in any `window` seconds; past that it is refused until
enough time has passed. Knows nothing of HTTP: the access middleware asks and charges.

A token bucket per client: it holds up to `share` seconds, refills at share/window seconds per
second, and each finished request takes its duration out. A request is let in while the bucket
is not empty. With share equal to window (the default), a client that asks one query at a time
is never refused (it cannot spend more than the time that passes); one that runs many at once,
more than one query's worth at a time, is.
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable

# Past this many clients, full buckets (clients who spent nothing lately) are forgotten.
TRACKED = 10_000


class Budget:
    """Seconds of service time per client per window; share <= 0 turns the budget off."""

    def __init__(
        self, share: float, window: float, clock: Callable[[], float] = time.monotonic
    ) -> None:
        self.share = share
        self.window = window
        self._rate = share / window if window > 0 else 0.0
        self._clock = clock
        # client -> (seconds left, when that was computed)
        self._buckets: dict[str, tuple[float, float]] = {}

    @property
    def enabled(self) -> bool:
        return self.share > 0 and self.window > 0

    def retry_after(self, client: str) -> int:
        """0 if the client may start a request now, else the whole seconds until it may."""
        if not self.enabled:
            return 0
        left = self._left(client, self._clock())
        return 0 if left > 0 else max(1, math.ceil(-left / self._rate))

    def charge(self, client: str, seconds: float) -> None:
        """Take a finished request's duration out of the client's bucket."""
        if not self.enabled:
            return
        now = self._clock()
        self._buckets[client] = (self._left(client, now) - seconds, now)
        if len(self._buckets) > TRACKED:
            self._forget_full(now)

    def _left(self, client: str, now: float) -> float:
        left, then = self._buckets.get(client, (self.share, now))
        return min(self.share, left + (now - then) * self._rate)

    def _forget_full(self, now: float) -> None:
        full = [client for client in self._buckets if self._left(client, now) >= self.share]
        for client in full:
            del self._buckets[client]
