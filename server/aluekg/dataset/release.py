"""`aluekg dump`: the files serve would load, loaded into a store and written out as dumps."""

from __future__ import annotations

from pathlib import Path

from aluekg import serving
from aluekg.config import REPOSITORY, Settings
from aluekg.dataset import dumps
from aluekg.errors import DataError
from aluekg.query.store import Store


def write(settings: Settings, directory: Path) -> list[Path]:
    """Load what `aluekg serve` would serve and write its dumps and SHA256SUMS into directory.

    DataError names a file that does not parse, or a directory that cannot be written.
    """
    store = Store()
    store.load(serving.source_files(settings), REPOSITORY)
    try:
        directory.mkdir(parents=True, exist_ok=True)
        return dumps.write(store, directory)
    except OSError as exc:
        raise DataError(f"{directory}: cannot write the dumps: {exc.strerror}") from None
