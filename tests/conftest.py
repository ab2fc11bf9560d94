"""Settings every test shares: validation stamps go to the test's own folder, never ~/.cache."""

from __future__ import annotations

from pathlib import Path

import pytest


@pytest.fixture(autouse=True)
def stamp_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Where `aluekg` leaves validation stamps in this test (subprocesses inherit it)."""
    folder = tmp_path / "stamps"
    monkeypatch.setenv("ALUEKG_STAMP_DIR", str(folder))
    return folder
