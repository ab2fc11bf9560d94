"""Reconciling a CSV file for `aluekg reconcile`: read the rows, match one column's values with
the same matcher the service uses (its index built in-process from the repository's files), and
write the rows back with the match, its status and the columns asked for.

A row is `matched` only when one candidate is exact and unambiguous; `ambiguous` rows (candidates,
none certain) and `unmatched` rows (none) keep their cells empty, listing the candidates instead,
so that nothing is guessed.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TextIO

from aluekg import syntax
from aluekg.config import REPOSITORY, Settings
from aluekg.errors import DataError
from aluekg.query.store import Store
from aluekg.reconcile import extension, index
from aluekg.reconcile.index import ID_BASE, TYPES
from aluekg.reconcile.matching import Matcher, Query

PREFIX = "aluekg_"
RESULT_COLUMNS = ("iri", "label", "score", "status", "candidates")
STATUSES = ("matched", "ambiguous", "unmatched")
CANDIDATES_SHOWN = 3


def matcher_for(settings: Settings) -> Matcher:
    """A matcher over the files the server serves by default: those of ontology/ and data/."""
    # Not serving.source_files: that module brings in the web layer, a second of startup.
    files = [
        path
        for root in (settings.ontology_dir, settings.data_dir)
        for path in (syntax.rdf_files(root) if root.is_dir() else [])
    ]
    store = Store()
    store.load(files, REPOSITORY)
    return Matcher(index.build(store))


@dataclass
class Job:
    """One file to reconcile: its rows and what to do with them, checked before any matching."""

    path: Path
    column: str
    header: list[str]
    rows: list[dict[str, str]]
    dialect: type[csv.Dialect] | csv.Dialect
    types: tuple[str, ...] = ()
    year: int | None = None
    add: tuple[str, ...] = ()
    counts: dict[str, int] = field(default_factory=lambda: dict.fromkeys(STATUSES, 0))

    @classmethod
    def read(
        cls,
        path: Path,
        column: str,
        types: Sequence[str] = (),
        year: int | None = None,
        add: Sequence[str] = (),
    ) -> Job:
        """Read a CSV file (UTF-8, comma, semicolon or tab separated); DataError names the file
        and what is wrong: no such file, not UTF-8, no header, no such column, a bad option."""
        try:
            text = path.read_text(encoding="utf-8-sig")
        except FileNotFoundError:
            raise DataError(f"{path}: no such file") from None
        except UnicodeDecodeError as exc:
            raise DataError(
                f"{path}: not UTF-8 text (byte {exc.start}); save it as UTF-8"
            ) from None
        except OSError as exc:
            raise DataError(f"{path}: cannot read it: {exc.strerror}") from None
        if not text.strip():
            raise DataError(f"{path}: the file is empty; it needs a header row")
        try:
            dialect: type[csv.Dialect] | csv.Dialect = csv.Sniffer().sniff(
                text[:10_000], delimiters=",;\t"
            )
        except csv.Error:
            dialect = csv.excel
        reader = csv.DictReader(io.StringIO(text, newline=""), dialect=dialect)
        header = list(reader.fieldnames or [])
        if column not in header:
            raise DataError(
                f"{path}: no column {column!r}; its columns are {', '.join(map(repr, header))}"
            )
        unknown_types = [kind for kind in types if kind not in TYPES]
        if unknown_types:
            raise DataError(f"--type: unknown {unknown_types[0]!r}; use {', '.join(TYPES)}")
        unknown = [name for name in add if name not in extension.PROPERTIES]
        if unknown:
            choices = ", ".join(extension.PROPERTIES)
            raise DataError(f"--add: unknown column {unknown[0]!r}; choose from {choices}")
        taken = [name for name in header if name.startswith(PREFIX)]
        if taken:
            raise DataError(f"{path}: already has the column {taken[0]!r}; was it reconciled?")
        try:
            rows = [{key: value or "" for key, value in row.items()} for row in reader]
        except csv.Error as exc:
            raise DataError(f"{path}: line {reader.line_num}: {exc}") from None
        return cls(path, column, header, rows, dialect, tuple(types), year, tuple(add))

    def run(
        self, matcher: Matcher, out: TextIO, progress: Callable[[int], None] | None = None
    ) -> None:
        """Write every row, reconciled, to out; progress(1) after each row."""
        added = [PREFIX + name for name in (*RESULT_COLUMNS, *self.add)]
        writer = csv.DictWriter(out, [*self.header, *added], dialect=self.dialect)
        writer.writeheader()
        for row in self.rows:
            writer.writerow({**row, **self._reconcile(matcher, row[self.column])})
            if progress is not None:
                progress(1)

    def _reconcile(self, matcher: Matcher, value: str) -> dict[str, str]:
        cells = dict.fromkeys((PREFIX + name for name in (*RESULT_COLUMNS, *self.add)), "")
        candidates = (
            matcher.match(Query(value, self.types, CANDIDATES_SHOWN, self.year))
            if value.strip()
            else []
        )
        status = (
            "matched"
            if candidates and candidates[0].match
            else ("ambiguous" if candidates else "unmatched")
        )
        self.counts[status] += 1
        cells[PREFIX + "status"] = status
        if status != "matched":
            cells[PREFIX + "candidates"] = "; ".join(
                f"{c.entity.id} {c.entity.label()} ({c.score})" for c in candidates
            )
            return cells
        best = candidates[0]
        cells[PREFIX + "iri"] = ID_BASE + best.entity.id
        cells[PREFIX + "label"] = best.entity.label()
        cells[PREFIX + "score"] = str(best.score)
        values = extension.extend(
            matcher.index, [best.entity.id], [(name, self.year) for name in self.add]
        )[best.entity.id]
        for name, found in values.items():
            cells[PREFIX + name] = "|".join(
                cell.get("str") or cell.get("name", "") for cell in found
            )
        return cells

    def summary(self) -> str:
        return (
            f"{self.path}: {len(self.rows)} rows: {self.counts['matched']} matched, "
            f"{self.counts['ambiguous']} ambiguous, {self.counts['unmatched']} unmatched"
        )
