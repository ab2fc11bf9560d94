"""Conditional requests (RFC 9110 §13): whether a request's If-None-Match matches an ETag.

Shared by the routers whose answers carry an ETag; /sparql keeps its own rule (no "*").
"""

from __future__ import annotations


def none_match(if_none_match: str | None, etag: str) -> bool:
    """Whether If-None-Match names the ETag or is "*", so that a GET may answer 304.

    Compared weakly (§13.1.2), as If-None-Match must be: W/ on either side is ignored.

    >>> none_match('W/"a", "b"', '"a"'), none_match('"a"', 'W/"a"'), none_match('"c"', '"a"')
    (True, True, False)
    """
    if not if_none_match:
        return False
    tags = {tag.strip().removeprefix("W/") for tag in if_none_match.split(",")}
    return "*" in tags or etag.removeprefix("W/") in tags
