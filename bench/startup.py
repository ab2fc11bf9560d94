"""How long `aluekg serve` takes from launch to its first answered query, on the repository's data.

    .venv/bin/python bench/startup.py [--runs 3]

Three cases: validating (no stamp: the data changed since it last validated), stamped (it
validated unchanged before, as on `make run`), and --no-validate. Each is wall time, the CPU
time the server and its query processes had spent by then (steadier on a busy machine), and the
server process's resident memory after that first answer (VmRSS). Talks only to 127.0.0.1.
"""

from __future__ import annotations

import argparse
import os
import signal
import socket
import subprocess
import tempfile
import time
import urllib.request
from pathlib import Path

import servers

ALUEKG_COMMAND = Path(__file__).resolve().parents[1] / ".venv" / "bin" / "aluekg"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


def cpu_seconds(pid: int) -> float:
    """User and system CPU of a process and of its children that have ended."""
    fields = Path(f"/proc/{pid}/stat").read_text().rpartition(")")[2].split()
    return sum(int(tick) for tick in fields[11:15]) / os.sysconf("SC_CLK_TCK")


def resident_mib(pid: int) -> float:
    """A process's resident memory (VmRSS) in MiB."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    raise RuntimeError(f"no VmRSS for process {pid}")


def seconds_to_first_answer(flags: list[str], env: dict[str, str]) -> tuple[float, float, float]:
    port = free_port()
    started = time.perf_counter()
    command = [str(ALUEKG_COMMAND), "serve", "--port", str(port), *flags]
    server = subprocess.Popen(
        command,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    try:
        deadline = started + 60
        while time.perf_counter() < deadline:
            try:
                url = f"http://127.0.0.1:{port}/sparql?query=ASK%7B%7D"
                with urllib.request.urlopen(url, timeout=5) as response:
                    response.read()
                wall = time.perf_counter() - started
                cpu = sum(cpu_seconds(pid) for pid in servers._tree(server.pid))
                return wall, cpu, resident_mib(server.pid)
            except OSError:
                time.sleep(0.02)
        raise RuntimeError("the server did not answer within 60 s")
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=30)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    runs = parser.parse_args().runs
    with tempfile.TemporaryDirectory() as stamps:
        env = {**os.environ, "ALUEKG_STAMP_DIR": stamps}
        cases = {
            "validating": lambda: (_clear(Path(stamps)), seconds_to_first_answer([], env))[1],
            "stamped": lambda: seconds_to_first_answer([], env),
            "--no-validate": lambda: seconds_to_first_answer(["--no-validate"], env),
        }
        for name, run in cases.items():
            figures = sorted(run() for _ in range(runs))
            each = ", ".join(f"{wall:.2f}" for wall, _, _ in figures)
            wall, cpu, _ = figures[len(figures) // 2]
            rss = sorted(mib for _, _, mib in figures)[len(figures) // 2]
            print(
                f"{name:14} median {wall:.2f} s, CPU {cpu:.2f} s, server RSS {rss:.0f} MiB  "
                f"(runs: {each}; load average {os.getloadavg()[0]:.1f})"
            )


def _clear(folder: Path) -> None:
    for stamp in folder.iterdir():
        stamp.unlink()


if __name__ == "__main__":
    main()
