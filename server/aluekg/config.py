"""Settings: a frozen dataclass built from defaults and ALUEKG_* variables; the only reader of
the environment."""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from aluekg.errors import ConfigError

# server/aluekg/config.py → the repository root (the package is installed editable from it).
REPOSITORY = Path(__file__).resolve().parents[2]


@dataclass(frozen=True)
class Settings:
    ontology_dir: Path = REPOSITORY / "ontology"
    data_dir: Path = REPOSITORY / "data"
    shapes_dir: Path = REPOSITORY / "shapes"
    host: str = "127.0.0.1"
    port: int = 8000
    # POST /validate: the largest body it reads, and how long pyshacl may take (issue 5).
    validate_max_bytes: int = 5 * 1024 * 1024
    validate_timeout: float = 30.0
    # `aluekg serve` (issue 4). data_files: serve these files or folders instead of ontology/
    # and data/. store_dir: where the on-disk store is built (None: a temporary folder).
    # workers: query processes; 0 answers in the server process, where no timeout can apply.
    data_files: tuple[Path, ...] = ()
    base_iri: str | None = None
    store_dir: Path | None = None
    workers: int = 2
    query_timeout: float = 30.0
    max_request_bytes: int = 1024 * 1024
    max_result_bytes: int = 64 * 1024 * 1024
    # Address space of each query worker: a query past it is stopped (413), not the machine.
    worker_memory: int = 4 * 1024**3
    service_allowlist: tuple[str, ...] = ()
    cache: bool = True
    cache_bytes: int = 64 * 1024 * 1024
    # Answer from this SPARQL 1.1 query endpoint instead of an embedded store (issue 4.6).
    store_url: str | None = None
    # Fairness (aluekg.operations.fairness): each client may spend fair_share seconds of the
    # service's time in any fair_window seconds, as the Wikidata Query Service allows; 0 turns
    # it off. The client is the peer address, or the last entry of client_header when a trusted
    # proxy in front sets that header (X-Forwarded-For, say); never set it without such a proxy,
    # or any client can name itself anew with each request.
    fair_share: float = 60.0
    fair_window: float = 60.0
    client_header: str | None = None
    # A client must send a request's head and body within this many seconds (slow-loris).
    read_timeout: float = 60.0
    # Where a successful validation leaves a stamp, so that serving the same files again need
    # not validate them again (see aluekg.validation.stamps.fingerprint).
    stamp_dir: Path = Path.home() / ".cache" / "aluekg" / "validated"

    @classmethod
    def from_env(cls, environ: Mapping[str, str] = os.environ) -> Settings:
        """Build settings from ALUEKG_* variables; unset ones keep their defaults."""
        defaults = cls()
        return cls(
            ontology_dir=Path(environ.get("ALUEKG_ONTOLOGY_DIR", defaults.ontology_dir)),
            data_dir=Path(environ.get("ALUEKG_DATA_DIR", defaults.data_dir)),
            shapes_dir=Path(environ.get("ALUEKG_SHAPES_DIR", defaults.shapes_dir)),
            host=environ.get("ALUEKG_HOST", defaults.host),
            port=port_number("ALUEKG_PORT", environ.get("ALUEKG_PORT", str(defaults.port))),
            validate_max_bytes=int(
                positive("ALUEKG_VALIDATE_MAX_BYTES", environ, defaults.validate_max_bytes)
            ),
            validate_timeout=positive(
                "ALUEKG_VALIDATE_TIMEOUT", environ, defaults.validate_timeout
            ),
            **serve_settings(environ),
        )


def port_number(name: str, text: str) -> int:
    """A TCP port from text, or ConfigError naming the setting."""
    try:
        port = int(text)
    except ValueError:
        raise ConfigError(f"{name} must be a port number, not {text!r}") from None
    if not 0 <= port <= 65535:
        raise ConfigError(f"{name} must be a port number from 0 to 65535, not {port}")
    return port


def positive(name: str, environ: Mapping[str, str], default: float) -> float:
    """A positive number from the variable name, or its default; ConfigError naming it."""
    text = environ.get(name)
    if text is None:
        return default
    try:
        number = float(text)
    except ValueError:
        raise ConfigError(f"{name} must be a positive number, not {text!r}") from None
    if not number > 0:
        raise ConfigError(f"{name} must be a positive number, not {text!r}")
    return number


def serve_settings(environ: Mapping[str, str]) -> dict[str, Any]:
    """The settings of `aluekg serve` that the environment sets; unset ones are left out."""
    found: dict[str, Any] = {}
    if "ALUEKG_DATA" in environ:
        found["data_files"] = tuple(Path(p) for p in environ["ALUEKG_DATA"].split(os.pathsep) if p)
    if environ.get("ALUEKG_BASE_IRI"):
        found["base_iri"] = environ["ALUEKG_BASE_IRI"]
    if environ.get("ALUEKG_STAMP_DIR"):
        found["stamp_dir"] = Path(environ["ALUEKG_STAMP_DIR"])
    if environ.get("ALUEKG_STORE_URL"):
        found["store_url"] = environ["ALUEKG_STORE_URL"]
    if environ.get("ALUEKG_CLIENT_HEADER"):
        found["client_header"] = environ["ALUEKG_CLIENT_HEADER"]
    if environ.get("ALUEKG_STORE_DIR"):
        found["store_dir"] = Path(environ["ALUEKG_STORE_DIR"])
    for name, field, parse in (
        ("ALUEKG_WORKERS", "workers", count),
        ("ALUEKG_QUERY_TIMEOUT", "query_timeout", lambda n, t: positive(n, {n: t}, 0)),
        ("ALUEKG_MAX_REQUEST_BYTES", "max_request_bytes", size),
        ("ALUEKG_MAX_RESULT_BYTES", "max_result_bytes", size),
        ("ALUEKG_WORKER_MEMORY", "worker_memory", size),
        ("ALUEKG_CACHE", "cache", switch),
        ("ALUEKG_CACHE_BYTES", "cache_bytes", size),
        ("ALUEKG_FAIR_SHARE", "fair_share", seconds),
        ("ALUEKG_FAIR_WINDOW", "fair_window", lambda n, t: positive(n, {n: t}, 0)),
        ("ALUEKG_READ_TIMEOUT", "read_timeout", lambda n, t: positive(n, {n: t}, 0)),
    ):
        if name in environ:
            found[field] = parse(name, environ[name])
    if "ALUEKG_SERVICE_ALLOWLIST" in environ:
        found["service_allowlist"] = tuple(environ["ALUEKG_SERVICE_ALLOWLIST"].split())
    return found


def count(name: str, text: str) -> int:
    """A whole number of at least 0, or ConfigError naming the setting."""
    if not text.strip().isdigit():
        raise ConfigError(f"{name} must be a whole number of 0 or more, not {text!r}")
    return int(text)


def seconds(name: str, text: str) -> float:
    """A number of seconds of at least 0, or ConfigError naming the setting."""
    try:
        number = float(text)
    except ValueError:
        number = -1.0
    if not number >= 0:
        raise ConfigError(f"{name} must be a number of seconds (0 or more), not {text!r}")
    return number


def size(name: str, text: str) -> int:
    """A size in bytes of at least 1, or ConfigError naming the setting."""
    if not text.strip().isdigit() or int(text) < 1:
        raise ConfigError(f"{name} must be a number of bytes (1 or more), not {text!r}")
    return int(text)


def switch(name: str, text: str) -> bool:
    """on/off, true/false, yes/no or 1/0, or ConfigError naming the setting."""
    value = text.strip().lower()
    if value in ("1", "true", "yes", "on"):
        return True
    if value in ("0", "false", "no", "off"):
        return False
    raise ConfigError(f"{name} must be on or off (or true/false, yes/no, 1/0), not {text!r}")
