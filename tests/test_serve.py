"""`aluekg serve`: it refuses data that does not validate, and serves any RDF files it is given."""

from __future__ import annotations

import json
import re
import socket
import subprocess
import sys
import time
import urllib.parse
import urllib.request
from pathlib import Path

from click.testing import CliRunner

from aluekg.cli import main
from tests.sparql_service import FIXTURES

INVALID = FIXTURES.parent / "sparql-invalid" / "programme.ttl"
SYNTAXES = FIXTURES.parent / "sparql-syntaxes"


def test_serve_refuses_data_that_does_not_validate(tmp_path: Path) -> None:
    # An empty data folder as the context, so that only the given file is validated.
    result = CliRunner().invoke(
        main, ["serve", "--data", str(INVALID)], env={"ALUEKG_DATA_DIR": str(tmp_path)}
    )
    assert result.exit_code == 1
    # As `aluekg validate` reports it: the resource is on line 4 of the file. All on standard
    # error; standard output is the access log's.
    line = f"{INVALID.name}:4: <https://w3id.org/aluekg/id/programme/nothing-known>: "
    assert line in result.stderr
    assert result.stderr.endswith("Error: the data does not validate; not serving it.\n")
    assert result.stdout == ""


def test_serve_rejects_a_bad_setting_by_name() -> None:
    result = CliRunner().invoke(main, ["serve"], env={"ALUEKG_QUERY_TIMEOUT": "soon"})
    assert result.exit_code == 1
    assert result.output == "Error: ALUEKG_QUERY_TIMEOUT must be a positive number, not 'soon'\n"


def test_serve_without_validation_serves_any_rdf_syntax(tmp_path: Path) -> None:
    command = [sys.executable, "-m", "aluekg", "serve", "--no-validate", "--port", "0"]
    command += ["--data", str(SYNTAXES), "--store-dir", str(tmp_path), "--workers", "1"]
    server = subprocess.Popen(command, stderr=subprocess.PIPE, text=True)
    try:
        url = _announced_url(server)
        query = urllib.parse.quote("SELECT (COUNT(*) AS ?n) { ?s ?p ?o }")
        with urllib.request.urlopen(f"{url}/sparql?query={query}", timeout=10) as response:
            body = json.loads(response.read())
        assert body["results"]["bindings"][0]["n"]["value"] == "7"
    finally:
        server.terminate()
        server.wait(timeout=10)
        assert server.stderr is not None
        server.stderr.close()
    # The store it built is removed when it stops.
    assert list(tmp_path.iterdir()) == []


def test_a_port_in_use_is_an_error_and_nothing_is_announced(tmp_path: Path) -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        command = [sys.executable, "-m", "aluekg", "serve", "--no-validate", "--workers", "1"]
        command += ["--port", str(port), "--data", str(SYNTAXES), "--store-dir", str(tmp_path)]
        done = subprocess.run(command, capture_output=True, text=True, timeout=60)
    assert done.returncode != 0
    assert "address already in use" in done.stderr.lower()
    assert "Answering at" not in done.stderr
    assert "Traceback" not in done.stderr


def _announced_url(server: subprocess.Popen[str]) -> str:
    """The address uvicorn says it listens on (port 0 lets the system choose one)."""
    assert server.stderr is not None
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:
        line = server.stderr.readline()
        found = re.search(r"Uvicorn running on (http://[0-9.:]+)", line)
        if found:
            return found.group(1)
        assert line or server.poll() is None, "aluekg serve exited before serving"
    raise AssertionError("aluekg serve did not start within 20 s")
