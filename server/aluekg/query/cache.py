"""An answer cache: a Backend that keeps the serialised answers of another, least recently used
first out, within a byte budget. Keyed by the data version too, so new data never meets old
answers. It also keeps what its callers hand it under keys of their own (keep/recall: the web
layer's finished responses), in the same budget. Knows nothing of HTTP or of any engine.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Hashable

from aluekg.query.backend import Accepts, Answer, Backend, Dataset, LiteralValue

# What one kept entry costs besides the bytes of its key and value (the dict's node, the tuples
# and objects that hold them), roughly: a flood of tiny answers is bounded too.
ENTRY_BYTES = 512


def _bytes_in(key: object) -> int:
    """The bytes of the strings in a key (a tuple of strings, bytes and tuples of them)."""
    if isinstance(key, str | bytes):
        return len(key)
    if isinstance(key, tuple):
        return sum(_bytes_in(part) for part in key)
    return 0


class AnswerCache:
    """Wraps a Backend; answers above an eighth of max_bytes are passed through uncached."""

    def __init__(self, backend: Backend, max_bytes: int = 64 * 2**20) -> None:
        self.backend = backend
        self._max_bytes = max_bytes
        self._size = 0
        # key -> (value, its size in bytes)
        self._kept: OrderedDict[Hashable, tuple[object, int]] = OrderedDict()
        self._lock = threading.Lock()
        self.hits = 0

    @property
    def version(self) -> str:
        return self.backend.version

    def answer(
        self,
        query: str,
        accepts: Accepts,
        dataset: Dataset | None = None,
        iris: dict[str, str] | None = None,
        literals: dict[str, LiteralValue] | None = None,
    ) -> Answer:
        cached = self.cached(query, accepts, dataset, iris, literals)
        if cached is not None:
            return cached
        # Two clients asking the same new query may both compute it; that is cheaper than
        # making every client wait behind one lock.
        answer = self.backend.answer(query, accepts, dataset, iris, literals)
        self.remember(answer, query, accepts, dataset, iris, literals)
        return answer

    def cached(
        self,
        query: str,
        accepts: Accepts,
        dataset: Dataset | None = None,
        iris: dict[str, str] | None = None,
        literals: dict[str, LiteralValue] | None = None,
    ) -> Answer | None:
        """The kept answer to this query, or None (then ask the backend and remember())."""
        found = self.recall(self._key(query, accepts, dataset, iris, literals))
        return found if isinstance(found, Answer) else None

    def remember(
        self,
        answer: Answer,
        query: str,
        accepts: Accepts,
        dataset: Dataset | None = None,
        iris: dict[str, str] | None = None,
        literals: dict[str, LiteralValue] | None = None,
    ) -> None:
        """Keep the backend's answer to this query."""
        self.keep(self._key(query, accepts, dataset, iris, literals), answer, len(answer.body))

    def _key(
        self,
        query: str,
        accepts: Accepts,
        dataset: Dataset | None,
        iris: dict[str, str] | None,
        literals: dict[str, LiteralValue] | None,
    ) -> Hashable:
        return (
            query,
            accepts,
            tuple(dataset.default_graph_uris) if dataset else (),
            tuple(dataset.named_graph_uris) if dataset else (),
            dataset.base_iri if dataset else None,
            tuple(sorted((iris or {}).items())),
            tuple(sorted((literals or {}).items())),
            self.backend.version,
        )

    def recall(self, key: Hashable) -> object | None:
        """What keep() kept under key (counted as a hit), or None."""
        with self._lock:
            found = self._kept.get(key)
            if found is None:
                return None
            self._kept.move_to_end(key)
            self.hits += 1
            return found[0]

    def keep(self, key: Hashable, value: object, size: int) -> None:
        """Keep value (of size bytes) under key, dropping the least recently used past the
        budget; one above an eighth of the budget is not kept. Callers put the data version in
        their keys. The key is counted in the budget too: a query of a megabyte may have an
        answer of a few bytes."""
        size += ENTRY_BYTES + _bytes_in(key)
        if size > self._max_bytes // 8:
            return
        with self._lock:
            if key in self._kept:
                return
            self._kept[key] = (value, size)
            self._size += size
            while self._size > self._max_bytes:
                _, (_, dropped) = self._kept.popitem(last=False)
                self._size -= dropped
