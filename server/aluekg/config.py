"""Settings: a frozen dataclass built from defaults and ALUEKG_* variables; the only reader of
the environment."""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

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
