"""A pool of worker processes answering queries from one in-memory copy of the store, shared by
forking them from a process that loaded it (aluekg.query.zygote), so that a query past its time
limit is stopped by ending its process.

pyoxigraph can neither time out nor cancel a query (oxigraph/oxigraph#1926), and a thread cannot
be stopped, so a runaway query would keep a CPU busy long after its client had been answered.
A process can be killed: its CPU is freed at once, a replacement is forked at once, and the
other workers keep answering meanwhile.
"""

from __future__ import annotations

import asyncio
import logging
import os
import queue
import signal
import threading
import time
from collections import deque
from collections.abc import Sequence
from pathlib import Path

from aluekg.errors import AluekgError, QueryTimeout, TooLarge, Unavailable
from aluekg.query.backend import Accepts, Answer, Dataset, LiteralValue
from aluekg.query.processes import Worker, Zygote

log = logging.getLogger(__name__)

Job = tuple[
    str, Accepts, "Dataset | None", "dict[str, str] | None", "dict[str, LiteralValue] | None"
]


class WorkerPool:
    """A Backend that runs each query in one of `size` worker processes, for at most `timeout` s.

    The zygote starts at once and load() has it load the files, so that both go on while the
    caller does other things (imports, validation); open() then waits and forks the workers.
    """

    def __init__(
        self,
        *,
        size: int = 2,
        timeout: float = 30.0,
        max_result_bytes: int | None = None,
        max_memory: int | None = None,
    ) -> None:
        """max_memory: the address space of each worker, in bytes (None: unlimited)."""
        self._version = ""
        self.graphs: frozenset[str] = frozenset()
        self.quads = 0
        self._timeout = timeout
        self._limits = (max_result_bytes, max_memory)
        self._idle: queue.Queue[Worker] = queue.Queue()
        # Requests waiting on the event loop for a worker (answer_async): a freed worker goes to
        # the first of them before the queue, which threads in answer() wait on.
        self._waiters: deque[asyncio.Future[Worker]] = deque()
        self._lock = threading.Lock()
        self._workers: set[Worker] = set()
        self._closed = False
        # Workers replaced so far (timeouts and deaths), for the metrics.
        self.restarts = 0
        self._size = size
        self._zygote = Zygote(self._limits)

    def load(self, files: Sequence[Path], root: Path) -> WorkerPool:
        """Start loading the files, once, as Store.load does; returns at once."""
        self._zygote.load(files, root)
        return self

    def open(self) -> WorkerPool:
        """Wait for the files load() started, and fork the workers from the store."""
        self._version, graphs, self.quads = self._zygote.open()
        self.graphs = frozenset(graphs)
        for _ in range(self._size):
            self._add(self._zygote.fork())
        return self

    def dump(self, path: Path) -> None:
        """Write the store the workers answer from to path as N-Quads, for Store.restore()."""
        self._zygote.dump(path)

    @property
    def version(self) -> str:
        return self._version

    @property
    def pids(self) -> list[int]:
        """The process ids of the workers now running (for tests and monitoring)."""
        with self._lock:
            return [worker.pid for worker in self._workers]

    def answer(
        self,
        query: str,
        accepts: Accepts,
        dataset: Dataset | None = None,
        iris: dict[str, str] | None = None,
        literals: dict[str, LiteralValue] | None = None,
    ) -> Answer:
        """Answer in a worker; raise QueryTimeout after `timeout` s, having ended that worker.

        The time limit counts from the request, waiting for a free worker included, so that no
        client waits longer than it.
        """
        deadline = time.monotonic() + self._timeout
        while True:
            try:
                worker = self._idle.get(timeout=max(0.0, deadline - time.monotonic()))
            except queue.Empty:
                raise QueryTimeout(
                    f"Every query worker stayed busy for {self._timeout:g} s; try again later"
                ) from None
            # One that died while idle is replaced, and this query goes to another.
            if worker.alive():
                break
            self._replace(worker)
        job: Job = (query, accepts, dataset, iris, literals)
        try:
            worker.conn.send(job)
            ready = worker.conn.poll(max(0.0, deadline - time.monotonic()))
            reply = worker.conn.recv() if ready else None
        except (EOFError, OSError):
            raise self._lost(worker) from None
        return self._answer_from(worker, reply)

    async def answer_async(
        self,
        query: str,
        accepts: Accepts,
        dataset: Dataset | None = None,
        iris: dict[str, str] | None = None,
        literals: dict[str, LiteralValue] | None = None,
    ) -> Answer:
        """answer() for an event loop: waits for a worker and for its reply without a thread."""
        deadline = time.monotonic() + self._timeout
        worker = await self._acquire(deadline)
        loop = asyncio.get_running_loop()
        # True once the reply is readable, False at the deadline. A future and a timer, not
        # asyncio.wait(), whose tasks and callbacks were a tenth of the server's CPU per query.
        readable: asyncio.Future[bool] = loop.create_future()
        job: Job = (query, accepts, dataset, iris, literals)
        try:
            worker.conn.send(job)
            loop.add_reader(worker.conn.fileno(), _settle, readable, True)
            timer = loop.call_at(_loop_time(loop, deadline), _settle, readable, False)
            try:
                ready = await readable
            finally:
                timer.cancel()
                loop.remove_reader(worker.conn.fileno())
                # uvloop makes a watched socket non-blocking; recv() needs it blocking again.
                os.set_blocking(worker.conn.fileno(), True)
            # The worker sends its reply in one piece, so the rest follows at once.
            reply = worker.conn.recv() if ready else None
        except (EOFError, OSError):
            raise self._lost(worker) from None
        except asyncio.CancelledError:
            # Its reply would reach the next request: this worker cannot be trusted again.
            self._replace(worker)
            raise
        return self._answer_from(worker, reply)

    async def _acquire(self, deadline: float) -> Worker:
        while True:
            worker = await self._next_free(deadline)
            # One that died while idle is replaced, and this query goes to another.
            if worker.alive():
                return worker
            self._replace(worker)

    async def _next_free(self, deadline: float) -> Worker:
        loop = asyncio.get_running_loop()
        waiter: asyncio.Future[Worker] = loop.create_future()
        with self._lock:
            try:
                return self._idle.get_nowait()
            except queue.Empty:
                self._waiters.append(waiter)
        busy = QueryTimeout(
            f"Every query worker stayed busy for {self._timeout:g} s; try again later"
        )
        timer = loop.call_at(_loop_time(loop, deadline), _fail, waiter, busy)
        try:
            return await waiter
        except asyncio.CancelledError:
            self._give_back(waiter)
            raise
        finally:
            timer.cancel()

    def _release(self, worker: Worker) -> None:
        """A worker is free: to the first request waiting on an event loop, else to the queue."""
        with self._lock:
            while self._waiters:
                waiter = self._waiters.popleft()
                if not waiter.done():
                    loop = waiter.get_loop()
                    # On the loop's own thread no wake-up through its self-pipe is needed.
                    if _running_loop() is loop:
                        loop.call_soon(self._hand, waiter, worker)
                    else:
                        loop.call_soon_threadsafe(self._hand, waiter, worker)
                    return
            self._idle.put(worker)

    def _give_back(self, waiter: asyncio.Future[Worker]) -> None:
        """A request stops waiting: a worker already handed to it goes to the next one; a worker
        handed over later finds the waiter cancelled and goes back too (_hand)."""
        if not waiter.done():
            waiter.cancel()
        elif not waiter.cancelled() and waiter.exception() is None:
            self._release(waiter.result())

    def _hand(self, waiter: asyncio.Future[Worker], worker: Worker) -> None:
        if waiter.done():
            self._release(worker)
        else:
            waiter.set_result(worker)

    def _lost(self, worker: Worker) -> Exception:
        """The error to raise for a worker that died under a query, having replaced it."""
        self._replace(worker)
        if worker.returncode == -signal.SIGABRT and self._limits[1] is not None:
            return TooLarge(
                "The query needed more memory than this service allows "
                f"({self._limits[1] // 2**20} MiB) and was stopped"
            )
        # Not the client's fault, and a retry meets a fresh worker: 503, not 500.
        return Unavailable("The process answering this query ended unexpectedly; try again")

    def _answer_from(self, worker: Worker, reply: tuple[str, object] | None) -> Answer:
        if reply is None:
            self._replace(worker)
            raise QueryTimeout(
                f"The query ran longer than this service's limit of {self._timeout:g} s "
                "and was stopped"
            )
        self._release(worker)
        kind, value = reply
        if kind == "answer" and isinstance(value, Answer):
            return value
        if kind == "error" and isinstance(value, AluekgError):
            raise value
        raise RuntimeError(f"A query worker failed: {value}")

    def close(self) -> None:
        """End every worker."""
        with self._lock:
            self._closed = True
            workers, self._workers = self._workers, set()
        for worker in workers:
            worker.stop()
        self._zygote.stop()

    def _add(self, worker: Worker) -> None:
        with self._lock:
            if self._closed:
                worker.stop()
                return
            self._workers.add(worker)
        self._release(worker)

    def _replace(self, worker: Worker) -> None:
        # Kill first, so the CPU is free before the client hears of the timeout.
        with self._lock:
            self._workers.discard(worker)
            self.restarts += 1
        worker.stop()
        threading.Thread(target=self._restart, name="aluekg-worker-restart", daemon=True).start()

    def _restart(self) -> None:
        started = time.monotonic()
        try:
            self._add(self._zygote.fork())
        except (OSError, EOFError, RuntimeError):
            # Also when the pool closed (and stopped the zygote) while this one was starting.
            if not self._closed:
                log.exception("Could not start a replacement query worker")
            return
        log.info("Started a replacement query worker in %.2f s", time.monotonic() - started)


def _settle(future: asyncio.Future[bool], value: bool) -> None:
    if not future.done():
        future.set_result(value)


def _fail(future: asyncio.Future[Worker], error: Exception) -> None:
    if not future.done():
        future.set_exception(error)


def _loop_time(loop: asyncio.AbstractEventLoop, deadline: float) -> float:
    """A time.monotonic() deadline on the loop's own clock."""
    return loop.time() + max(0.0, deadline - time.monotonic())


def _running_loop() -> asyncio.AbstractEventLoop | None:
    try:
        return asyncio.get_running_loop()
    except RuntimeError:
        return None
