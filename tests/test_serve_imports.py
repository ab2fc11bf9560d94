"""`aluekg serve` with data whose validation stamp matches imports neither rdflib nor pySHACL
until something is validated: they are for validation alone, and cost its start memory and time
(bench/README.md, "Startup")."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

from aluekg.config import Settings
from aluekg.validation import stamps
from tests.operations_service import repository

VALIDATION_PACKAGES = {"rdflib", "pyshacl"}
# A label for the area of the fixtures' data (tests/fixtures/validation/data/areas.ttl): conforms.
UPLOAD = b'<https://example.org/area/1> <http://www.w3.org/2000/01/rdf-schema#label> "Area" .\n'


def imported(log: str) -> set[str]:
    """The top-level packages `python -X importtime` reports importing."""
    found = re.findall(r"^import time:[^|]*\|[^|]*\|\s*([\w.]+)\s*$", log, flags=re.MULTILINE)
    return {name.split(".")[0] for name in found}


# What the server process imports at start, and the modules of the validation package that
# it uses before anything is validated (to check a stamp, to offer /validate).
SERVING = (
    "aluekg.cli",
    "aluekg.serving",
    "aluekg.web.app",
    "aluekg.operations.reload",
    "aluekg.operations.server",
    "aluekg.query.remote",
    "aluekg.dataset.dumps",
    "aluekg.validation.stamps",
    "aluekg.validation.reporting",
    "aluekg.validation.locations",
)


def test_the_modules_serve_imports_import_no_validation_library() -> None:
    script = "import importlib, sys\n"
    script += "".join(f"importlib.import_module({name!r})\n" for name in SERVING)
    script += "print(sorted(set(sys.modules) & {'rdflib', 'pyshacl'}))"
    done = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, timeout=60, check=True
    )
    assert done.stdout == "[]\n"


def test_serve_imports_no_validation_library_until_something_is_validated(
    tmp_path: Path,
) -> None:
    env = {**os.environ, **repository(tmp_path), "ALUEKG_STAMP_DIR": str(tmp_path / "stamps")}
    # The data validated unchanged before, as on `make run` after a first start.
    stamp = tmp_path / "stamps" / stamps.fingerprint(Settings.from_env(env))
    stamp.parent.mkdir()
    stamp.touch()
    log = tmp_path / "stderr"
    command = [sys.executable, "-X", "importtime", "-m", "aluekg", "serve", "--port", "0"]
    with log.open("w") as stderr:
        server = subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL, stderr=stderr)
    try:
        url = _announced_url(server, log)
        with urllib.request.urlopen(f"{url}/sparql?query=ASK%7B%7D", timeout=30) as response:
            assert json.loads(response.read())["boolean"] is True
        # Everything imported before the first answer is in the log by now.
        started = log.read_text()
        assert imported(started) & VALIDATION_PACKAGES == set()
        upload = urllib.request.Request(
            f"{url}/validate",
            data=UPLOAD,
            headers={"Content-Type": "text/turtle", "Accept": "application/json"},
        )
        with urllib.request.urlopen(upload, timeout=60) as response:
            assert json.loads(response.read())["conforms"] is True
        # The first upload imported them: the log would have shown them at start.
        assert imported(log.read_text()) >= VALIDATION_PACKAGES
    finally:
        server.terminate()
        server.wait(timeout=30)


def _announced_url(server: subprocess.Popen[bytes], log: Path) -> str:
    """The address uvicorn says it listens on (port 0 lets the system choose one)."""
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        found = re.search(r"Uvicorn running on (http://[0-9.:]+)", log.read_text())
        if found:
            return found.group(1)
        assert server.poll() is None, log.read_text()[-2000:]
        time.sleep(0.05)
    raise AssertionError("aluekg serve did not start")
