"""A Virtuoso 7 server for the remote-store tests: Debian's virtuoso-opensource (installed by
.ci/setup-virtuoso), started from a temporary ini and database on free loopback ports, with its
Graph Store endpoint open for `aluekg load`, and stopped afterwards."""

from __future__ import annotations

import shutil
import socket
import subprocess
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

VIRTUOSO = shutil.which("virtuoso-t")
ISQL = shutil.which("isql-vt")
# A fresh database's administrator; the server listens on loopback only and lives for one test
# module, so its default password is no risk.
DBA = ("dba", "dba")
INI = """\
[Database]
DatabaseFile = {folder}/virtuoso.db
ErrorLogFile = {folder}/virtuoso.log
LockFile = {folder}/virtuoso.lck
TransactionFile = {folder}/virtuoso.trx
xa_persistent_file = {folder}/virtuoso.pxa

[TempDatabase]
DatabaseFile = {folder}/virtuoso-temp.db
TransactionFile = {folder}/virtuoso-temp.trx

[Parameters]
ServerPort = 127.0.0.1:{sql_port}
NumberOfBuffers = 10000
MaxDirtyBuffers = 6000
DirsAllowed = {folder}

[HTTPServer]
ServerPort = 127.0.0.1:{http_port}
ServerRoot = {folder}
MaxClientConnections = 4

[SPARQL]
ResultSetMaxRows = 1000000
"""
# Lets the anonymous SPARQL user write through /sparql-graph-crud, as `aluekg load` sends no
# credentials (Virtuoso's own endpoint for that needs digest authentication).
OPEN_GRAPH_STORE = (
    "GRANT SPARQL_UPDATE TO \"SPARQL\"; DB.DBA.RDF_DEFAULT_USER_PERMS_SET ('nobody', 7);"
)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


@contextmanager
def virtuoso_server(folder: Path) -> Iterator[str]:
    """Virtuoso's base URL (its query endpoint is /sparql, its Graph Store /sparql-graph-crud)."""
    assert VIRTUOSO is not None, "Virtuoso is not installed"
    assert ISQL is not None, "Virtuoso's isql-vt is not installed"
    sql_port, http_port = free_port(), free_port()
    ini = folder / "virtuoso.ini"
    ini.write_text(INI.format(folder=folder, sql_port=sql_port, http_port=http_port))
    url = f"http://127.0.0.1:{http_port}"
    process = subprocess.Popen(
        [VIRTUOSO, "+foreground", "+configfile", str(ini)],
        cwd=folder,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                with urllib.request.urlopen(url + "/sparql?query=ASK%7B%7D", timeout=2):
                    break
            except OSError:
                assert process.poll() is None, (folder / "virtuoso.log").read_text()
                assert time.monotonic() < deadline, "Virtuoso did not start in 60 s"
                time.sleep(0.1)
        subprocess.run(
            [ISQL, str(sql_port), *DBA, f"exec={OPEN_GRAPH_STORE}"],
            check=True,
            capture_output=True,
            timeout=30,
        )
        yield url
    finally:
        process.terminate()
        try:
            process.wait(10)
        except subprocess.TimeoutExpired:
            # Still at the runaway query of the time-limit test: its database is thrown away.
            process.kill()
            process.wait(10)
