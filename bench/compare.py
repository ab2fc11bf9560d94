"""Compare copies of aluekg (answer cache off) side by side with Oxigraph in memory, in one run.

For tuning: each copy is a server/ folder put first on PYTHONPATH, for instance the last commit's:

    git archive HEAD server | tar -x -C /tmp/before
    .venv/bin/python bench/compare.py --sizes 100000 --copy before /tmp/before/server

This checkout's aluekg always runs too, as "aluekg cache off". The data, the mix, the clients,
the slices and the tables are run.py's.
"""

from __future__ import annotations

import argparse
import shutil
import tempfile
from pathlib import Path

import client
import mix
import run
import servers
import synth


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--sizes", type=int, nargs="+", default=[10**5], help="triples")
    parser.add_argument(
        "--copy",
        nargs=2,
        action="append",
        default=[],
        metavar=("NAME", "SERVER_DIR"),
        help="another copy of aluekg to run (repeatable)",
    )
    parser.add_argument("--workers", type=int, help="query processes of every copy")
    parser.add_argument("--clients", type=int, default=4)
    parser.add_argument("--slices", type=int, default=3)
    parser.add_argument("--seconds", type=float, default=30.0, help="per server (default 30)")
    parser.add_argument("--timeout", type=float, default=120.0, help="per request, seconds")
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="aluekg-compare-"))
    try:
        for size in args.sizes:
            _compare(size, work / str(size), args)
    finally:
        shutil.rmtree(work, ignore_errors=True)


def _compare(size: int, work: Path, args: argparse.Namespace) -> None:
    data = synth.generate(size, work / "data")
    requests = mix.build(data)
    copies: list[tuple[str, Path] | None] = [None]
    copies += [(name, Path(folder)) for name, folder in args.copy]
    started: list[tuple[servers.Server, str]] = []
    try:
        reference = servers.oxigraph_memory(data.files, work, 900)
        started.append((reference, "n/a"))
        expected = client.answers(reference.url, requests, args.timeout)
        for source in copies:
            server = servers.aluekg(data.files, work, False, 900, args.workers, source)
            found = client.answers(server.url, requests, args.timeout)
            started.append((server, run._agreement(found, expected, requests)))
        rows = run._timed(size, started, requests, args)
    finally:
        for server, _ in started:
            server.stop()
    run._print(size, data.triples, rows, args)


if __name__ == "__main__":
    main()
