"""Errors a user can cause, each with a message that says what to fix, and a remote store's
failures, each with a message that names the store.

AluekgError
├── ConfigError           a setting or an ALUEKG_* environment variable has a bad value
├── DataError             an RDF file cannot be read or does not parse (names the file)
├── QueryError            a SPARQL query does not parse or cannot be evaluated
│   ├── QueryTimeout      the query ran past the time limit and was stopped
│   ├── UpdateRefused     a SPARQL update was sent to the read-only service
│   └── RequestRefused    the query would make the server fetch a URL it may not
├── NotAnIri              a value that should be an IRI is not one
├── NoAcceptableFormat    the client accepts no format for this kind of result
├── TooLarge              a request or a result is over its size limit
├── UnsupportedMediaType  a body is in a format the service does not read
├── ResourceNotFound      nothing is known about an IRI
├── StoreFailed           the remote store failed or cannot be reached: not the user's fault
│   └── StoreTimedOut     the remote store did not take the request within the time limit
└── Unavailable           the service cannot answer now (a query process died); try again

These know nothing of HTTP: aluekg.web.problems maps them to status codes,
aluekg.cli to exit codes.
"""

from __future__ import annotations


class AluekgError(Exception):
    """Base of every error a user can cause; str(error) is the message they read."""


class ConfigError(AluekgError):
    pass


class DataError(AluekgError):
    pass


class QueryError(AluekgError):
    pass


class QueryTimeout(QueryError):
    pass


class UpdateRefused(QueryError):
    pass


class RequestRefused(QueryError):
    pass


class NotAnIri(AluekgError):
    pass


class NoAcceptableFormat(AluekgError):
    pass


class TooLarge(AluekgError):
    pass


class UnsupportedMediaType(AluekgError):
    pass


class ResourceNotFound(AluekgError):
    pass


class StoreFailed(AluekgError):
    pass


class StoreTimedOut(StoreFailed):
    pass


class Unavailable(AluekgError):
    pass
