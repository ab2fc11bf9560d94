"""Reloading ontology/ and data/ (or the served files) while serving, on SIGHUP or, with
`aluekg serve --watch`, when a file changes.

A reload validates first, in a child process (`aluekg validate`, so that pySHACL's time and
memory stay out of the server); data that does not conform is not loaded, the old data keeps
being served and the report goes to the log. Data that conforms is loaded into a new backend
(store, workers, cache) beside the old one, then swapped in: requests that started on the old
one finish on it, and it is closed once they have. The data version, and with it every ETag,
changes.
"""

from __future__ import annotations

import logging
import os
import subprocess
import sys
import threading
from collections.abc import Callable
from pathlib import Path

import watchfiles
from fastapi import FastAPI

from aluekg.config import Settings
from aluekg.errors import AluekgError
from aluekg.operations import memory
from aluekg.operations.generations import Generation
from aluekg.operations.middleware import Operations
from aluekg.validation import stamps

log = logging.getLogger(__name__)

Load = Callable[[Settings], tuple[Generation, int]]


class Reloader:
    """Reloads an app's data in a thread of its own, one reload at a time; request() asks."""

    def __init__(self, app: FastAPI, settings: Settings, load: Load, *, validate: bool) -> None:
        """load: builds the new data from settings (aluekg.serving.load)."""
        self._app = app
        self._settings = settings
        self._load = load
        self._validate = validate
        self._wanted = threading.Event()
        self._stopping = threading.Event()
        self._threads: list[threading.Thread] = []

    @property
    def _ops(self) -> Operations:
        operations: Operations = self._app.state.operations
        return operations

    def watch(self) -> None:
        """Ask for a reload whenever a served file changes (from now: call before loading)."""
        self._spawn(self._watch, "aluekg-watch")

    def start(self) -> None:
        """Start reloading when asked (once the first data is loaded: a reload replaces it)."""
        self._spawn(self._run, "aluekg-reload")

    def request(self) -> None:
        """Ask for a reload (safe from a signal handler: it only sets an event)."""
        self._wanted.set()

    def stop(self) -> None:
        self._stopping.set()
        self._wanted.set()
        for thread in self._threads:
            thread.join()

    def reload(self) -> str:
        """Validate, load and swap in the data now: 'swapped', 'invalid' or 'failed'."""
        outcome = self._reload()
        self._ops.metrics.reloads.labels(outcome).inc()
        return outcome

    def _reload(self) -> str:
        settings = self._settings
        if self._validate:
            report = self._invalid(settings)
            if report is not None:
                log.error("The changed data does not validate; still serving the old:\n%s", report)
                return "invalid"
        try:
            generation, files = self._load(settings)
        except (AluekgError, OSError, RuntimeError) as exc:
            log.error("Could not load the changed data; still serving the old: %s", exc)
            return "failed"
        old = self._ops.generations.make_current(self._app, generation)
        log.info(
            "Serving %s quads from %s files: version %s",
            generation.quads,
            files,
            generation.version,
        )
        if old is not None:
            longest = max(settings.query_timeout, settings.validate_timeout)
            self._ops.generations.retire(old, drain_timeout=longest + settings.read_timeout)
            # The last reference: its store copy, cache and dumps are freed here, and what the
            # allocator then holds free goes back to the system (operations.memory).
            del old
            memory.trim()
        return "swapped"

    def _invalid(self, settings: Settings) -> str | None:
        """None if the data conforms (or conformed before, unchanged), else the report."""
        stamp = settings.stamp_dir / stamps.fingerprint(settings, settings.data_files)
        if stamp.exists():
            return None
        command = [sys.executable, "-m", "aluekg", "validate", *map(str, settings.data_files)]
        env = {
            **os.environ,
            "ALUEKG_ONTOLOGY_DIR": str(settings.ontology_dir),
            "ALUEKG_DATA_DIR": str(settings.data_dir),
            "ALUEKG_SHAPES_DIR": str(settings.shapes_dir),
            "ALUEKG_STAMP_DIR": str(settings.stamp_dir),
        }
        done = subprocess.run(command, env=env, capture_output=True, text=True, check=False)
        if done.returncode != 0:
            return done.stdout + done.stderr
        try:
            stamp.parent.mkdir(parents=True, exist_ok=True)
            stamp.touch()
        except OSError:
            pass
        return None

    def _run(self) -> None:
        while True:
            self._wanted.wait()
            if self._stopping.is_set():
                return
            self._wanted.clear()
            self.reload()

    def _watch(self) -> None:
        settings = self._settings
        roots: tuple[Path, ...] = settings.data_files or (settings.ontology_dir, settings.data_dir)
        for _changes in watchfiles.watch(
            *[root for root in roots if root.exists()],
            stop_event=self._stopping,
            debounce=500,
            # How often it looks at stop_event: shutdown waits for this thread.
            rust_timeout=1000,
            raise_interrupt=False,
        ):
            log.info("The data changed; reloading")
            self.request()

    def _spawn(self, target: Callable[[], None], name: str) -> None:
        thread = threading.Thread(target=target, name=name, daemon=True)
        thread.start()
        self._threads.append(thread)
