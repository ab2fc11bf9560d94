"""Where aluekg's CPU goes per request: the server process (HTTP, middleware, the endpoint) and
its query processes (the engine), from /proc, while the mix runs from a few clients.

    .venv/bin/python bench/cpu.py --cache off            # 10^4 triples, 8 s
    .venv/bin/python bench/cpu.py --cache on --profile server.txt

--profile samples the server process (or with --profile-workers, one query process) with py-spy
(`.venv/bin/pip install py-spy`; not a dependency of the project) while the clients run, and
writes its raw collapsed stacks. --copy runs another copy of aluekg instead (a server/ folder,
for instance `git archive BASE server | tar -x -C /tmp/before`). Talks only to 127.0.0.1.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import tempfile
from pathlib import Path

import client
import mix
import servers
import synth

TICKS = os.sysconf("SC_CLK_TCK")


def cpu_seconds(pid: int) -> float:
    """User plus system CPU of one process so far."""
    fields = Path(f"/proc/{pid}/stat").read_text().rpartition(")")[2].split()
    return (int(fields[11]) + int(fields[12])) / TICKS


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", type=int, default=10**4, help="triples (default 10^4)")
    parser.add_argument("--cache", choices=("on", "off"), default="off")
    parser.add_argument("--clients", type=int, default=4)
    parser.add_argument("--seconds", type=float, default=8.0)
    parser.add_argument("--profile", help="write py-spy's raw stacks here")
    parser.add_argument("--profile-workers", action="store_true", help="profile a query process")
    parser.add_argument("--copy", nargs=2, metavar=("NAME", "SERVER_DIR"), help="another aluekg")
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="aluekg-cpu-"))
    try:
        data = synth.generate(args.size, work / "data")
        requests = mix.build(data)
        source = (args.copy[0], Path(args.copy[1])) if args.copy else None
        server = servers.aluekg(data.files, work, args.cache == "on", 300, None, source)
        try:
            _measure(server, requests, args)
        finally:
            server.stop()
    finally:
        shutil.rmtree(work, ignore_errors=True)


def _measure(server: servers.Server, requests: list[mix.Request], args: argparse.Namespace) -> None:
    # One round first, as run.py's answer check does (it fills the cache when it is on).
    client.answers(server.url, requests, 120)
    front = server.process.pid
    workers = servers._tree(front)[1:]
    before = {pid: cpu_seconds(pid) for pid in [front, *workers]}
    profiler = None
    if args.profile:
        target = workers[-1] if args.profile_workers else front
        command = [str(servers.BIN / "py-spy"), "record", "-p", str(target), "--gil"]
        command += ["-d", str(int(args.seconds)), "-f", "raw", "-o", args.profile]
        profiler = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    run = client.run(server.url, requests, args.clients, args.seconds, 120)
    spent = {pid: cpu_seconds(pid) - before[pid] for pid in before}
    if profiler is not None:
        profiler.wait()
    answered = len(run.latencies)
    worker_cpu = sum(spent[pid] for pid in workers)
    print(
        f"{server.name}, {args.size} triples: {run.throughput:.0f} req/s, "
        f"server process {spent[front] / answered * 1000:.3f} ms CPU per request, "
        f"query processes {worker_cpu / answered * 1000:.3f} ms; "
        f"load average {os.getloadavg()[0]:.1f}"
    )


if __name__ == "__main__":
    main()
