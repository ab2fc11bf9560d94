"""The server's handles on its query processes: the zygote, a fresh interpreter running
aluekg.query.zygote that loads the store once, and each worker forked from it; the pool
(aluekg.query.workers) hands them queries."""

from __future__ import annotations

import contextlib
import os
import select
import signal
import socket
import subprocess
import sys
import threading
from collections.abc import Sequence
from multiprocessing import reduction
from multiprocessing.connection import Connection
from pathlib import Path

from aluekg.errors import AluekgError


class Zygote:
    """The process the workers are forked from: a fresh interpreter running aluekg.query.zygote,
    talking over a socket pair.

    Not multiprocessing's Process: forking a threaded server can copy a held lock into the
    child, and "spawn" re-imports the __main__ module, which for `python -m aluekg` is the CLI.
    """

    def __init__(self, limits: tuple[int | None, int | None]) -> None:
        ours, theirs = socket.socketpair()
        arguments = [str(theirs.fileno())]
        arguments += [str(limit) if limit is not None else "-" for limit in limits]
        self.process = subprocess.Popen(
            [sys.executable, "-m", "aluekg.query.zygote", *arguments],
            pass_fds=[theirs.fileno()],
            stdin=subprocess.DEVNULL,
            # A query that runs out of memory aborts its worker: one log line, not a backtrace.
            # glibc reserves 64 MiB of address space per thread arena, which would count
            # against the worker's memory limit without being used.
            env={**os.environ, "RUST_BACKTRACE": "0", "MALLOC_ARENA_MAX": "2"},
        )
        theirs.close()
        self.conn = Connection(ours.detach())
        # One request at a time: the pool forks and reaps from several threads.
        self.lock = threading.Lock()

    def load(self, files: Sequence[Path], root: Path) -> None:
        """Have it start loading the files, as Store.load does; open() waits for it."""
        self.conn.send(([str(path) for path in files], str(root)))

    def open(self) -> tuple[str, list[str], int]:
        """The loaded files' version, graphs and quads; raises DataError for a file that does
        not load."""
        reply = self.conn.recv()
        if reply[0] == "error" and isinstance(reply[1], AluekgError):
            raise reply[1]
        if reply[0] != "ready":
            raise RuntimeError("The query processes did not start")
        _, version, graphs, quads = reply
        return version, graphs, quads

    def dump(self, path: Path) -> None:
        """Have it write its store to path as N-Quads (Store.dump)."""
        with self.lock:
            self.conn.send(("dump", str(path)))
            reply = self.conn.recv()
        if reply != "dumped":
            raise RuntimeError(f"The query processes could not write {path}: {reply}")

    def fork(self) -> Worker:
        with self.lock:
            self.conn.send("fork")
            pid = self.conn.recv()
            handle = reduction.recv_handle(self.conn)
        return Worker(self, pid, Connection(handle))

    def reap(self, pid: int) -> int | None:
        """Wait for a worker to end; its exit code (-N: killed by signal N), None if unknown."""
        try:
            with self.lock:
                self.conn.send(("reap", pid))
                code: int = self.conn.recv()
                return code
        except (EOFError, OSError):
            return None

    def stop(self) -> None:
        self.process.kill()
        self.process.wait()
        self.conn.close()


class Worker:
    """One worker forked from the zygote, and the pool's end of its socket pair."""

    def __init__(self, zygote: Zygote, pid: int, conn: Connection) -> None:
        self.zygote, self.pid, self.conn = zygote, pid, conn
        self.returncode: int | None = None
        # Asked before every query: one poll() call, where Connection.poll builds a selector.
        self._ended = select.poll()
        self._ended.register(conn.fileno(), select.POLLIN | select.POLLHUP)

    def alive(self) -> bool:
        """False once the process has ended: an idle worker's socket is readable only then
        (end of file), since it sends nothing unasked."""
        try:
            return not self._ended.poll(0)
        except OSError:
            return False

    def stop(self) -> None:
        with contextlib.suppress(ProcessLookupError):
            os.kill(self.pid, signal.SIGKILL)
        self.returncode = self.zygote.reap(self.pid)
        self.conn.close()
