"""Which language a page speaks: `?lang=`, else the Accept-Language header, else Finnish; and
which of a resource's labels to show in it, falling back to the languages that exist."""

from __future__ import annotations

from collections.abc import Iterable

from aluekg.errors import QueryError
from aluekg.linkeddata.reading import Term

LANGUAGES = ("fi", "sv", "en")
DEFAULT = "fi"


def choose(parameter: str | None, accept_language: str | None) -> str:
    """The page language.

    >>> choose(None, "en-GB,en;q=0.9,fi;q=0.8")
    'en'
    >>> choose(None, "de, sv;q=0.5")
    'sv'
    >>> choose("sv", "en")
    'sv'
    """
    if parameter is not None:
        if parameter not in LANGUAGES:
            raise QueryError(f"Unknown language {parameter!r}: use lang=fi, lang=sv or lang=en")
        return parameter
    return _from_header(accept_language or "") or DEFAULT


def _from_header(header: str) -> str | None:
    # No library among our dependencies reads Accept-Language (mimeparse reads media types
    # only), and its grammar is a comma list of tag;q=value (RFC 9110 §12.5.4).
    ranked: list[tuple[float, int, str]] = []
    for position, item in enumerate(header.split(",")):
        tag, _, params = item.strip().partition(";")
        quality = 1.0
        name, _, value = params.strip().partition("=")
        if name.strip() == "q":
            try:
                quality = float(value)
            except ValueError:
                quality = 0.0
        primary = tag.strip().lower().split("-")[0]
        if primary in LANGUAGES and quality > 0:
            ranked.append((-quality, position, primary))
    return min(ranked)[2] if ranked else None


def pick(terms: Iterable[Term], lang: str) -> Term | None:
    """The term in lang, else in Finnish, English or Swedish, else one without a language tag."""
    by_lang: dict[str, Term] = {}
    for term in terms:
        by_lang.setdefault(term.lang, term)
    for wanted in (lang, *LANGUAGES, ""):
        if wanted in by_lang:
            return by_lang[wanted]
    return next(iter(by_lang.values()), None)
