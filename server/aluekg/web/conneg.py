"""Content negotiation: the only reader of Accept and of the `format` parameter.

python-mimeparse picks the media type (q-values, type/*, */*), pyoxigraph later maps it to a
format; nothing here parses media types by hand.
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import lru_cache

import mimeparse
from fastapi import HTTPException

from aluekg.query.backend import Accepts
from aluekg.query.formats import BOOLEAN, GRAPH, SHORT_NAMES, SOLUTIONS

# The longest Accept whose reading is remembered (accepts_for_query).
REMEMBERED = 1024


def negotiate(accept: str | None, offers: Sequence[str]) -> str:
    """The offer the client prefers (offers[0] if it has no preference), else 406."""
    chosen = _best(accept, offers)
    if chosen is None:
        raise HTTPException(406, f"Can answer only as {', '.join(offers)}, not {accept!r}")
    return chosen


def accepts_for_query(accept: str | None) -> Accepts:
    """What the client takes for each kind of result; which kind a query returns comes later.

    A client that takes none of them gets 406 at once, whatever its query.
    """
    # Clients send the same few Accept headers again and again, and parsing one with mimeparse
    # was about a tenth of the server's CPU for a small query (bench/README.md). Only short ones
    # are remembered: `format` parameters can make one as long as a request.
    if accept is not None and len(accept) > REMEMBERED:
        return _accepts(accept)
    return _remembered(accept)


def _accepts(accept: str | None) -> Accepts:
    accepts = Accepts(
        solutions=_best(accept, SOLUTIONS),
        graph=_best(accept, GRAPH),
        boolean=_best(accept, BOOLEAN),
    )
    if accepts.solutions is None and accepts.graph is None:
        every = dict.fromkeys((*SOLUTIONS, *GRAPH))
        raise HTTPException(406, f"Can answer only as {', '.join(every)}, not {accept!r}")
    return accepts


# A refusal is not kept: lru_cache keeps only what returns.
_remembered = lru_cache(maxsize=256)(_accepts)


def accept_header(accept: str | None, format_parameters: Sequence[str]) -> str | None:
    """The Accept header to negotiate with: `format` parameters, when given, replace it.

    Each is a short name (json, ttl…) or media types; SPARQLWrapper sends several that agree
    (format=tsv&format=text/tab-separated-values), so they are joined into one Accept.
    """
    if not format_parameters:
        return accept
    return ", ".join(dict.fromkeys(_accept_for(name.strip()) for name in format_parameters))


def _accept_for(name: str) -> str:
    if name.lower() in SHORT_NAMES:
        return SHORT_NAMES[name.lower()]
    if "/" in name:
        return name
    raise HTTPException(
        400,
        f"Unknown format {name!r}: use one of {', '.join(SHORT_NAMES)} or a media type "
        f"({', '.join(dict.fromkeys((*SOLUTIONS, *GRAPH)))})",
    )


def _best(accept: str | None, offers: Sequence[str]) -> str | None:
    if not accept or not accept.strip():
        return offers[0]
    try:
        # mimeparse breaks ties in favour of the last offer, so it gets them reversed.
        return str(mimeparse.best_match(list(reversed(offers)), accept)) or None
    except mimeparse.MimeTypeParseException:
        raise HTTPException(400, f"Malformed Accept header: {accept!r}") from None
