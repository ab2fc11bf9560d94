"""How fast reconciliation is: batches of 100 queries to /reconcile, and `aluekg reconcile` on a
10,000-row CSV file; and how good, as precision and recall on the test table of names.

    .venv/bin/python bench/reconcile.py [--batches 20] [--rows 10000]

The queries are made from the registry's own names (data/registry/source/geofi_municipality_key_
2025.csv): Finnish, Swedish and English names of municipalities, sub-regions and regions, folded
to lower case without accents, with a letter dropped (a typo), and codes with and without leading
zeros. Every batch differs from the others, so the matcher's memory of earlier queries does not
flatter the figures. The server is `aluekg serve --no-validate` as deployed (two workers, answer
cache on), on 127.0.0.1, stopped by this script.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import random
import signal
import statistics
import subprocess
import sys
import tempfile
import time
import unicodedata
import urllib.parse
import urllib.request
from pathlib import Path

REPOSITORY = Path(__file__).resolve().parents[1]
ALUEKG = REPOSITORY / ".venv" / "bin" / "aluekg"
KEY = REPOSITORY / "data" / "registry" / "source" / "geofi_municipality_key_2025.csv"
sys.path.insert(0, str(REPOSITORY))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from startup import free_port  # noqa: E402


def names() -> list[str]:
    """Every name and code of the 2025 key's municipalities, sub-regions and regions."""
    found: set[str] = set()
    with KEY.open(encoding="utf-8") as file:
        for row in csv.DictReader(file):
            for level in ("municipality", "seutukunta", "maakunta"):
                for lang in ("fi", "sv", "en"):
                    name = row.get(f"{level}_name_{lang}", "").strip()
                    if name:
                        found.add(name)
            for code in ("kunta", "seutukunta_code", "maakunta_code"):
                found.add(row[code])
                found.add(row[code].zfill(3 if code != "maakunta_code" else 2))
    return sorted(found)


def variants(name: str, chance: random.Random) -> str:
    """The name as a spreadsheet may hold it: as is, folded, or with one letter dropped."""
    if name.isdigit():
        return name
    choice = chance.randrange(3)
    if choice == 1:
        decomposed = unicodedata.normalize("NFKD", name.lower())
        return "".join(char for char in decomposed if not unicodedata.combining(char))
    if choice == 2 and len(name) > 5:
        cut = chance.randrange(1, len(name) - 1)
        return name[:cut] + name[cut + 1 :]
    return name


def batches(count: int, size: int, chance: random.Random) -> list[dict[str, dict[str, str]]]:
    pool = names()
    made = []
    seen: set[str] = set()
    for _ in range(count):
        batch: dict[str, dict[str, str]] = {}
        while len(batch) < size:
            text = variants(chance.choice(pool), chance)
            if text in seen and len(seen) < len(pool) * 2:
                continue
            seen.add(text)
            batch[f"q{len(batch)}"] = {"query": text}
        made.append(batch)
    return made


def post(url: str, batch: dict[str, dict[str, str]]) -> float:
    data = urllib.parse.urlencode({"queries": json.dumps(batch)}).encode()
    started = time.perf_counter()
    with urllib.request.urlopen(url, data=data, timeout=60) as response:
        answer = json.loads(response.read())
    elapsed = time.perf_counter() - started
    assert len(answer) == len(batch)
    return elapsed


def serve() -> tuple[subprocess.Popen[bytes], str]:
    port = free_port()
    server = subprocess.Popen(
        [str(ALUEKG), "serve", "--no-validate", "--port", str(port)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    url = f"http://127.0.0.1:{port}/reconcile"
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(url, timeout=5) as response:
                response.read()
            return server, url
        except OSError:
            time.sleep(0.1)
    os.killpg(server.pid, signal.SIGTERM)
    raise SystemExit("the server did not answer within 60 s")


def bench_service(count: int) -> None:
    chance = random.Random(2026)
    server, url = serve()
    try:
        times = [post(url, batch) for batch in batches(count, 100, chance)]
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=30)
    print(
        f"| /reconcile, batch of 100 (POST form), {count} distinct batches | "
        f"first {times[0] * 1000:.0f} ms, median {statistics.median(times) * 1000:.0f} ms, "
        f"max {max(times) * 1000:.0f} ms |"
    )


def bench_cli(rows: int) -> None:
    chance = random.Random(2027)
    pool = names()
    with tempfile.TemporaryDirectory(prefix="aluekg-reconcile-") as work:
        path = Path(work) / "rows.csv"
        with path.open("w", encoding="utf-8", newline="") as file:
            writer = csv.writer(file)
            writer.writerow(["row", "place"])
            for number in range(rows):
                writer.writerow([number, variants(chance.choice(pool), chance)])
        started = time.perf_counter()
        done = subprocess.run(
            [str(ALUEKG), "reconcile", str(path), "--column", "place", "--add", "code,region"],
            capture_output=True,
            text=True,
            check=True,
            timeout=300,
        )
        elapsed = time.perf_counter() - started
    summary = done.stderr.strip().splitlines()[-1].split(": ", 1)[1]
    print(f"| `aluekg reconcile`, {rows} rows, --add code,region | {elapsed:.2f} s ({summary}) |")


def quality() -> None:
    from tests.test_reconcile_matching import measure

    from aluekg.config import Settings
    from aluekg.reconcile import table

    found, wrong = measure(table.matcher_for(Settings()))
    print(f"| quality on tests/test_reconcile_matching.py's table | {found} |")
    for line in wrong:
        print(f"  wrong: {line}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--batches", type=int, default=20, help="batches of 100 queries")
    parser.add_argument("--rows", type=int, default=10_000, help="rows of the CSV file")
    args = parser.parse_args()
    print("| what | figure |\n|---|---|")
    bench_service(args.batches)
    bench_cli(args.rows)
    quality()


if __name__ == "__main__":
    main()
