"""What runs in the query processes: one parent (the zygote) that loads the store's dump once and
forks each worker from itself, so that the workers share one copy of the store, and each worker's
loop answering the queries it is sent.

    python -m aluekg.query.zygote FD MAX_RESULT_BYTES MAX_MEMORY   ("-" for no limit)

The zygote stays single-threaded, so that forking it copies no lock held by another thread
(pyoxigraph loads and queries an in-memory store on the calling thread). Its requests, over the
socket FD from aluekg.query.processes: (files, root) to load as Store.load does (answer ("ready",
version, graphs, quads), or ("error", DataError)), "fork" (answer the new worker's pid, then pass
its end of a fresh socket pair), ("reap", pid) (wait for that worker to end and answer its
exit code), and ("dump", path) (write the store there as N-Quads, for the dumps; answer
"dumped" or the error's message).
"""

from __future__ import annotations

import logging
import os
import resource
import signal
import socket
import sys
from multiprocessing import reduction
from multiprocessing.connection import Connection
from pathlib import Path
from typing import TYPE_CHECKING

from aluekg.errors import AluekgError

if TYPE_CHECKING:
    from aluekg.query.store import Store

log = logging.getLogger(__name__)


def serve(control: Connection, max_result_bytes: int | None, max_memory: int | None) -> None:
    """The zygote's loop, until the pool closes its socket."""
    # Imported here, so that the server process itself never loads the engine for the workers.
    from aluekg.query.store import Store

    # Ctrl-C reaches the whole process group; the server shuts its workers down itself.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    try:
        files, root = control.recv()
    except EOFError:
        return
    store = Store(max_bytes=max_result_bytes)
    try:
        store.load([Path(path) for path in files], Path(root))
    except AluekgError as exc:
        control.send(("error", exc))
        return
    control.send(("ready", store.version, sorted(store.graphs), store.quads))
    while True:
        try:
            request = control.recv()
        except EOFError:
            return
        if request == "fork":
            _fork(control, store, max_memory)
        elif request[0] == "dump":
            _dump(control, store, Path(request[1]))
        else:
            _, pid = request
            _, status = os.waitpid(pid, 0)
            control.send(os.waitstatus_to_exitcode(status))


def _fork(control: Connection, store: Store, max_memory: int | None) -> None:
    ours, theirs = socket.socketpair()
    pid = os.fork()
    if pid == 0:
        control.close()
        ours.close()
        code = 0
        try:
            _answer_queries(Connection(theirs.detach()), store, max_memory)
        except BaseException:
            log.exception("A query worker failed")
            code = 1
        finally:
            # Not the zygote's own exit: nothing of it is to be cleaned up twice.
            os._exit(code)
    theirs.close()
    control.send(pid)
    reduction.send_handle(control, ours.fileno(), pid)
    ours.close()


def _dump(control: Connection, store: Store, path: Path) -> None:
    try:
        store.dump(path)
    except OSError as exc:
        control.send(str(exc))
        return
    control.send("dumped")


def _answer_queries(conn: Connection, store: Store, max_memory: int | None) -> None:
    """A worker's loop: answer each job until the pool closes the socket."""
    if max_memory is not None:
        # Past this, the engine's allocation fails and the worker aborts, not the machine.
        resource.setrlimit(resource.RLIMIT_AS, (max_memory, max_memory))
    while True:
        try:
            query, accepts, dataset, iris, literals = conn.recv()
        except EOFError:
            return
        try:
            reply: tuple[str, object] = (
                "answer",
                store.answer(query, accepts, dataset, iris, literals),
            )
        except AluekgError as exc:
            reply = ("error", exc)
        except Exception as exc:  # our bug: report it to the server's log rather than die
            log.exception("Query worker failed")
            reply = ("bug", repr(exc))
        conn.send(reply)


if __name__ == "__main__":
    limits = [None if limit == "-" else int(limit) for limit in sys.argv[2:4]]
    serve(Connection(int(sys.argv[1])), limits[0], limits[1])
