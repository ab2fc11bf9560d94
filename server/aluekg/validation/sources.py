"""The RDF texts a validation reads: each a Source with the name results call it by and the IRI
its relative IRIs resolve against (a file's file: IRI, an upload's upload_base).

Knows no RDF library: `aluekg serve` checks its validation stamp with this module alone
(aluekg.validation.stamps), before anything is validated.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote

from aluekg import syntax
from aluekg.errors import DataError

# Uploads and pasted text have no address of their own; their relative IRIs resolve against this
# followed by the name they are reported by (documented in README, named in the report).
UPLOAD_BASE = "https://w3id.org/aluekg/upload/"


@dataclass(frozen=True)
class Source:
    """RDF text to validate, the name errors and results call it by, and the IRI its relative
    IRIs resolve against."""

    name: str
    body: bytes
    media_type: str
    base: str


def read(paths: Iterable[Path]) -> list[Source]:
    """Read files (and the RDF files of folders) as Sources; DataError naming an unreadable one."""
    sources = []
    for path in expand(paths):
        try:
            body = path.read_bytes()
        except OSError as exc:
            raise DataError(f"{path}: cannot read: {exc.strerror}") from None
        sources.append(
            Source(_display(path), body, syntax.media_type_of(path), syntax.base_of(path))
        )
    return sources


def expand(paths: Iterable[Path]) -> list[Path]:
    """The paths, each folder replaced by its RDF files."""
    return [
        found for path in paths for found in (syntax.rdf_files(path) if path.is_dir() else [path])
    ]


def upload_base(name: str) -> str:
    """The IRI that an upload's relative IRIs resolve against.

    >>> upload_base("my programme.ttl")
    'https://w3id.org/aluekg/upload/my%20programme.ttl'
    """
    return UPLOAD_BASE + quote(name, safe="")


def _display(path: Path) -> str:
    """A path as the user knows it: relative to the working directory when it is below it."""
    try:
        return str(path.resolve().relative_to(Path.cwd()))
    except ValueError:
        return str(path)
