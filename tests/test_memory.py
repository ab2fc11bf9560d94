"""The allocator's settings (aluekg.operations.memory): `aluekg serve` keeps to two glibc arenas
however many threads answer at once, and trim() gives freed memory back to the system.

Both are read from outside, in /proc: the arenas other than the main one are the 64 MiB heaps
glibc maps for them (HEAP_MAX_SIZE on 64-bit), each at an address aligned to its size.
"""

from __future__ import annotations

import os
import platform
import signal
import subprocess
import sys
import threading
from pathlib import Path

import httpx2
import pytest

from tests.operations_service import repository, serve

HEAP = 64 * 2**20

pytestmark = pytest.mark.skipif(platform.libc_ver()[0] != "glibc", reason="glibc only")


def heaps(pid: int) -> int:
    """How many glibc heaps (arenas besides the main one, or their extensions) pid has mapped.

    A heap is mapped as HEAP bytes at a HEAP-aligned address: its used part read-write, the rest
    without access, in one or two lines of /proc/PID/maps."""
    regions: list[tuple[int, int, str]] = []
    for line in Path(f"/proc/{pid}/maps").read_text().splitlines():
        fields = line.split()
        start, end = (int(part, 16) for part in fields[0].split("-"))
        anonymous = len(fields) < 6
        regions.append((start, end, fields[1] if anonymous else "file"))
    count = 0
    for number, (start, end, mode) in enumerate(regions):
        if mode != "rw-p" or start % HEAP:
            continue
        following = regions[number + 1] if number + 1 < len(regions) else None
        if end - start == HEAP or (
            following is not None
            and following[0] == end
            and following[2] == "---p"
            and following[1] - start == HEAP
        ):
            count += 1
    return count


def test_serve_keeps_to_two_arenas_when_many_threads_answer(tmp_path: Path) -> None:
    env = {**os.environ, **repository(tmp_path)}
    server, url = serve(["--no-validate", "--workers", "0", "--no-cache"], env)
    try:
        # Distinct queries at once: FastAPI's thread pool answers them in threads of its own,
        # each of which would get an arena of its own (up to eight per core) without the limit.
        def ask(number: int) -> None:
            with httpx2.Client(timeout=30) as client:
                for repeat in range(20):
                    query = f"SELECT * {{ ?s ?p ?o }} LIMIT {100 + number * 20 + repeat}"
                    assert client.get(url + "/sparql", params={"query": query}).is_success

        threads = [threading.Thread(target=ask, args=(number,)) for number in range(16)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        # Two arenas: the main one (not a heap) and at most one more, which with the fixtures'
        # data fills less than one heap.
        assert heaps(server.pid) <= 1
    finally:
        server.send_signal(signal.SIGTERM)
        server.wait(timeout=30)
        assert server.stderr is not None
        server.stderr.close()


TRIMMED = """
import sys, threading
from aluekg.operations import memory

blocks = []
def fill():
    blocks.extend(bytes(4000) for _ in range(25_000))  # 100 MB in malloc's chunks
thread = threading.Thread(target=fill)  # in an arena of its own, as a request's thread would
thread.start()
thread.join()
keep = blocks[-1]
blocks.clear()
print(rss(), memory.trim(), rss())
"""


def test_trim_gives_freed_memory_back() -> None:
    rss = (
        "def rss():\n"
        "    for line in open('/proc/self/status'):\n"
        "        if line.startswith('VmRSS:'):\n"
        "            return int(line.split()[1]) * 1024\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", rss + TRIMMED], capture_output=True, text=True, check=True
    )
    before, trimmed, after = done.stdout.split()
    assert trimmed == "True"
    assert int(before) - int(after) > 50 * 2**20
