"""The fingerprint a validation stamp is named by: a digest of everything a validation of the
files depends on, so that files which conformed before, unchanged, are not validated again.

Knows no RDF library: `aluekg serve` with data whose stamp matches starts without rdflib and
pySHACL (rdflib cost its server process about 5 MiB and 0.05 s; bench/README.md, "Startup").
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from importlib.metadata import version
from pathlib import Path

from aluekg import __version__, syntax
from aluekg.config import Settings
from aluekg.validation.sources import expand, read


def fingerprint(settings: Settings, files: Sequence[Path] = ()) -> str:
    """A digest of everything a validation of files (default: ontology/ and data/) depends on:
    the shapes, ontology and data files' paths and bytes, and the aluekg and pyshacl versions."""
    inputs = [
        *expand(files),
        *(
            path
            for folder in (settings.shapes_dir, settings.ontology_dir, settings.data_dir)
            for path in syntax.rdf_files(folder)
        ),
    ]
    digest = hashlib.sha256(f"aluekg {__version__} pyshacl {version('pyshacl')}".encode())
    for source in read(inputs):
        digest.update(b"\0" + source.name.encode() + b"\0" + source.body)
    return digest.hexdigest()
