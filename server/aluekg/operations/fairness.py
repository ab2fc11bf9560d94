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

# At most this many clients are remembered: past it, the one charged least recently (whose
# bucket has had the longest to refill) is forgotten. Clients are addresses, and a crawler or an
# attacker has many; without a bound the table would grow with each new one.
TRACKED = 10_000


class Budget:
    """Seconds of service time per client per window; share <= 0 turns the budget off."""

    def __init__(
        self,
        share: float,
        window: float,
        clock: Callable[[], float] = time.monotonic,
        tracked: int = TRACKED,
    ) -> None:
        self.share = share
        self.window = window
        self._rate = share / window if window > 0 else 0.0
        self._clock = clock
        self._tracked = tracked
        # client -> (seconds left, when that was computed), the least recently charged first
        self._buckets: dict[str, tuple[float, float]] = {}

    @property
    def enabled(self) -> bool:
        return self.share > 0 and self.window > 0

    @property
    def clients(self) -> int:
        """How many clients' buckets are remembered."""
        return len(self._buckets)

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
        left = self._left(client, now) - seconds
        # Taken out and put back: the dict's order is then the order of the last charges.
        self._buckets.pop(client, None)
        self._buckets[client] = (left, now)
        while len(self._buckets) > self._tracked:
            del self._buckets[next(iter(self._buckets))]

    def _left(self, client: str, now: float) -> float:
        left, then = self._buckets.get(client, (self.share, now))
        return min(self.share, left + (now - then) * self._rate)
