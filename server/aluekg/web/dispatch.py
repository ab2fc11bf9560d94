"""How /sparql hands a query to its backend from the event loop: the worker pool is waited on
there without a thread, a kept answer is returned at once, and any other backend (a store in this
process, a remote store) blocks in a thread of the pool Starlette keeps for that."""

from __future__ import annotations

from starlette.concurrency import run_in_threadpool

from aluekg.query.backend import Accepts, Answer, Backend, Dataset
from aluekg.query.cache import AnswerCache
from aluekg.query.workers import WorkerPool


async def answer_soon(backend: Backend, query: str, accepts: Accepts, dataset: Dataset) -> Answer:
    """backend.answer(query, accepts, dataset) without blocking the event loop."""
    if isinstance(backend, AnswerCache):
        cached = backend.cached(query, accepts, dataset)
        if cached is not None:
            return cached
        answer = await answer_soon(backend.backend, query, accepts, dataset)
        backend.remember(answer, query, accepts, dataset)
        return answer
    if isinstance(backend, WorkerPool):
        # A thread hop per query cost about a third of the server process's CPU (bench/README).
        return await backend.answer_async(query, accepts, dataset)
    return await run_in_threadpool(backend.answer, query, accepts, dataset)
