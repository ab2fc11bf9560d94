"""The Jinja2 templates of linkeddata/templates/ and what every page gets: its language, the
page words, the search box and the language switcher's links."""

from __future__ import annotations

from pathlib import Path
from typing import Any
from urllib.parse import urlencode

from fastapi import Request, Response
from fastapi.templating import Jinja2Templates

from aluekg.linkeddata.lang import LANGUAGES
from aluekg.linkeddata.texts import texts

# Jinja2Templates autoescapes .html templates, so labels from the data are safe in them.
templates = Jinja2Templates(directory=Path(__file__).resolve().parent / "templates")


def page(
    request: Request,
    template: str,
    lang: str,
    context: dict[str, Any],
    status: int = 200,
    headers: dict[str, str] | None = None,
) -> Response:
    """An HTML page in lang."""
    switch = {
        other: request.url.path + "?" + urlencode({**request.query_params, "lang": other})
        for other in LANGUAGES
    }
    full = {"lang": lang, "t": texts(lang), "switch": switch, "lang_query": _lang_query(lang)}
    return templates.TemplateResponse(
        request, template, {**full, **context}, status_code=status, headers=headers
    )


def _lang_query(lang: str) -> str:
    """What links append to keep the page's language (nothing for the default, Finnish)."""
    return "" if lang == "fi" else "?lang=" + lang
