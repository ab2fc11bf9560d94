"""The query page: YASGUI served from the package itself, preloaded with the queries in queries/.

Nothing here reaches a CDN, so the page works offline and behind firewalls; the vendored files
and their licence are in web/static/yasgui/.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from fastapi import FastAPI, Request
from fastapi.responses import Response
from fastapi.staticfiles import StaticFiles
from fastapi.templating import Jinja2Templates

from aluekg.config import REPOSITORY

HERE = Path(__file__).resolve().parent
STATIC_DIR = HERE / "static"
QUERIES_DIR = REPOSITORY / "queries"
# Tabs sit side by side, so a long first line is cut at its first ": " or, failing that, to
# NAME_LENGTH characters at a word boundary.
NAME_LENGTH = 64
# A tab for an empty queries/ folder, so the page never opens without an editor.
FALLBACK = "SELECT ?subject ?predicate ?object\nWHERE { ?subject ?predicate ?object }\nLIMIT 10\n"

# Jinja2Templates autoescapes .html templates (select_autoescape), so query text is safe in them.
templates = Jinja2Templates(directory=HERE / "templates")


@dataclass(frozen=True)
class Tab:
    """An example query as a YASGUI tab: a name from its first comment line, and its text."""

    name: str
    query: str


def mount_static(app: FastAPI) -> None:
    """Serve the vendored YASGUI files at /static (the query page refers to them relatively)."""
    app.mount("/static", StaticFiles(directory=STATIC_DIR), name="static")


def query_page(request: Request) -> Response:
    """The HTML query page; the caller decides that the client wants text/html."""
    tabs = example_tabs(QUERIES_DIR) or [Tab("Query", FALLBACK)]
    context = {"tabs": [{"name": tab.name, "query": tab.query} for tab in tabs]}
    return templates.TemplateResponse(request, "query.html", context)


def example_tabs(directory: Path) -> list[Tab]:
    """A tab for each .rq file in directory, sorted by file name; [] if there are none."""
    if not directory.is_dir():
        return []
    return [_tab(path) for path in sorted(directory.glob("*.rq"))]


def _tab(path: Path) -> Tab:
    text = path.read_text(encoding="utf-8")
    first = text.lstrip().splitlines()[0] if text.strip() else ""
    name = first.lstrip("#").strip() if first.startswith("#") else ""
    return Tab(short_name(name) or path.stem, text)


def short_name(line: str) -> str:
    """A tab name from a comment line.

    >>> short_name("Registry links of one area: its codes in each classification version")
    'Registry links of one area'
    >>> short_name("Programmes in force in a given year whose area contains a given municipality")
    'Programmes in force in a given year whose area contains a given…'
    """
    head = line.split(": ", 1)[0].strip()
    if len(head) <= NAME_LENGTH:
        return head
    return head[: NAME_LENGTH + 1].rsplit(" ", 1)[0].rstrip(",;.") + "…"
