"""An answer cache: a Backend that keeps the serialised answers of another, least recently used
first out, within a byte budget. Keyed by the data version too, so new data never meets old
answers. Knows nothing of HTTP or of any engine.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Hashable

from aluekg.query.backend import Accepts, Answer, Backend, Dataset, LiteralValue


class AnswerCache:
    """Wraps a Backend; answers above an eighth of max_bytes are passed through uncached."""

    def __init__(self, backend: Backend, max_bytes: int = 64 * 2**20) -> None:
        self.backend = backend
        self._max_bytes = max_bytes
        self._size = 0
        self._answers: OrderedDict[Hashable, Answer] = OrderedDict()
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
        key = (
            query,
            accepts,
            tuple(dataset.default_graph_uris) if dataset else (),
            tuple(dataset.named_graph_uris) if dataset else (),
            dataset.base_iri if dataset else None,
            tuple(sorted((iris or {}).items())),
            tuple(sorted((literals or {}).items())),
            self.backend.version,
        )
        with self._lock:
            cached = self._answers.get(key)
            if cached is not None:
                self._answers.move_to_end(key)
                self.hits += 1
                return cached
        # Two clients asking the same new query may both compute it; that is cheaper than
        # making every client wait behind one lock.
        answer = self.backend.answer(query, accepts, dataset, iris, literals)
        if len(answer.body) <= self._max_bytes // 8:
            self._keep(key, answer)
        return answer

    def _keep(self, key: Hashable, answer: Answer) -> None:
        with self._lock:
            if key in self._answers:
                return
            self._answers[key] = answer
            self._size += len(answer.body)
            while self._size > self._max_bytes:
                _, dropped = self._answers.popitem(last=False)
                self._size -= len(dropped.body)
