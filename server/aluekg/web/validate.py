"""POST /validate and the /validate page: a maintainer's RDF checked against the shapes.

The upload is validated in the context of the ontology, code lists and existing data, which
aluekg.validation.uploads reads from the files once (not from the SPARQL store, which an upload
never reaches). Its relative IRIs resolve against aluekg.validation.sources.upload_base(its
name), which the JSON summary ("bases") and the page name.

Uploads are checked against the project's shapes only: a `shapes` part is not offered, because
SHACL-SPARQL shapes from a client would run the client's SPARQL on the server, and rdflib's
engine follows SERVICE to any URL (`aluekg validate --shapes` does that on one's own machine).
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Annotated
from urllib.parse import quote

import anyio
import anyio.to_thread
from fastapi import APIRouter, Depends, HTTPException, Request
from fastapi.responses import Response
from fastapi.templating import Jinja2Templates
from starlette.datastructures import UploadFile
from starlette.types import Message

from aluekg import syntax
from aluekg.config import Settings
from aluekg.errors import DataError, TooLarge, UnsupportedMediaType
from aluekg.validation import locations, reporting
from aluekg.web.conneg import negotiate

if TYPE_CHECKING:
    # For annotations only: rdflib and pySHACL are imported by the first upload (_validate).
    from aluekg.validation.results import Report

router = APIRouter()
templates = Jinja2Templates(directory=Path(__file__).resolve().parent / "templates")

# What a body may be; the page's file input accepts the same by file ending.
RDF_TYPES = ("text/turtle", "application/ld+json", "application/rdf+xml", "application/n-triples")
# The file endings aluekg reads (aluekg.syntax), for the types an upload may have.
SUFFIXES = {ending: kind for ending, kind in syntax.EXTENSIONS.items() if kind in RDF_TYPES}
# The answers, default first: the SHACL report graph, a JSON summary, or the page.
OFFERS = ("text/turtle", "application/ld+json", "application/json", "text/html")
LANGUAGES = ("fi", "en")
MULTIPART = "multipart/form-data"
# Validations at once; one that overruns its time keeps its slot until it ends, so a flood of
# slow uploads is answered 503 instead of piling up threads.
SLOTS = anyio.CapacityLimiter(2)


@dataclass(frozen=True)
class Upload:
    """What to validate: its bytes, media type, the name results call it by, and the language."""

    body: bytes
    media_type: str
    name: str
    lang: str


@dataclass(frozen=True)
class Row:
    """One result as the page's table shows it."""

    path: str
    value: str
    severity: str
    severities: Mapping[str, str]
    shape: str
    messages: Mapping[str, str]


@dataclass(frozen=True)
class Resource:
    """A resource with results: its labels by language, where it is described, its rows."""

    focus: str
    labels: Mapping[str, str]
    file: str | None
    line: int | None
    rows: list[Row]


def get_settings(request: Request) -> Settings:
    """The app's settings (create_app puts them on app.state), else the defaults."""
    settings = getattr(request.app.state, "settings", None)
    return settings if isinstance(settings, Settings) else Settings()


SettingsDep = Annotated[Settings, Depends(get_settings)]


@router.get("/validate")
def validate_get(request: Request, lang: str = "fi") -> Response:
    """The page: paste or upload RDF, see the report as a table, download it."""
    return _page(request, _language(lang), None, None)


@router.post("/validate")
async def validate_post(request: Request, settings: SettingsDep, lang: str = "fi") -> Response:
    """Validate the body or the page's upload; answer with the report as the client asks."""
    wanted = negotiate(request.headers.get("accept"), OFFERS)
    upload = await _upload(request, settings.validate_max_bytes, _language(lang))
    try:
        report = await _validate_in_time(upload, settings)
    except DataError as exc:
        # A syntax error names the line and column; the page shows it beside the form.
        if wanted == "text/html":
            return _page(request, upload.lang, None, str(exc), status_code=400)
        raise HTTPException(400, str(exc)) from None
    if wanted == "text/html":
        return _page(request, upload.lang, report, None, base=report.bases[upload.name])
    if wanted == "application/json":
        return _response(_json(report, upload.lang), wanted)
    return _response(report.serialise("turtle" if wanted == "text/turtle" else "json-ld"), wanted)


async def _validate_in_time(upload: Upload, settings: Settings) -> Report:
    """Run pyshacl in a worker thread; 503 when it runs past the time limit or all slots are busy.

    The thread cannot be stopped, so it is abandoned: it ends on its own and frees its slot.
    """
    limit = settings.validate_timeout
    try:
        with anyio.fail_after(limit):
            return await anyio.to_thread.run_sync(
                _validate, upload, settings, abandon_on_cancel=True, limiter=SLOTS
            )
    except TimeoutError:
        raise HTTPException(
            503,
            f"Validation did not finish within {limit:g} s; try again with a smaller file",
            headers={"Retry-After": "5"},
        ) from None


def _validate(upload: Upload, settings: Settings) -> Report:
    # Here, not at the top: a server that is never sent an upload never needs rdflib or pySHACL.
    from aluekg.validation import uploads

    report = uploads.validate_upload(upload.body, upload.media_type, settings, upload.name)
    return locations.with_lines(report, {upload.name: (upload.body, upload.media_type)})


async def _upload(request: Request, limit: int, lang: str) -> Upload:
    """The RDF to validate from the body or from the page's form, at most limit bytes."""
    content_type = request.headers.get("content-type", "")
    media_type = content_type.partition(";")[0].strip().lower()
    if media_type not in (*RDF_TYPES, MULTIPART):
        raise UnsupportedMediaType(_unsupported(content_type or "no Content-Type"))
    body = await _read(request, limit)
    if media_type != MULTIPART:
        return Upload(body, media_type, "upload", lang)
    return await _from_form(request, body, limit, lang)


async def _read(request: Request, limit: int) -> bytes:
    """The body, refused with 413 as soon as it is known to be over limit bytes."""
    declared = request.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > limit:
        raise TooLarge(_too_large(limit))
    chunks: list[bytes] = []
    size = 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > limit:
            raise TooLarge(_too_large(limit))
        chunks.append(chunk)
    return b"".join(chunks)


async def _from_form(request: Request, body: bytes, limit: int, lang: str) -> Upload:
    """The page's form: a file, or pasted text with its format; lang from the form if given."""
    sent = False

    async def replay() -> Message:
        # The body was read (and size-checked) already; the form parser reads it again from here.
        nonlocal sent
        if sent:
            return {"type": "http.disconnect"}
        sent = True
        return {"type": "http.request", "body": body, "more_body": False}

    form = await Request(request.scope, replay).form(max_files=1, max_part_size=limit)
    try:
        lang = _language(_field(form, "lang") or lang)
        file = form.get("file")
        if isinstance(file, UploadFile) and file.filename:
            data = await file.read()
            return Upload(data, _type_of_file(file), file.filename, lang)
        text = _field(form, "text")
        if not text.strip():
            raise HTTPException(400, "Choose a file or paste RDF text to validate")
        media_type = _field(form, "format") or "text/turtle"
        if media_type not in RDF_TYPES:
            raise UnsupportedMediaType(_unsupported(media_type))
        return Upload(text.encode("utf-8"), media_type, "pasted", lang)
    finally:
        await form.close()


def _field(form: Mapping[str, object], name: str) -> str:
    value = form.get(name)
    return value if isinstance(value, str) else ""


def _type_of_file(file: UploadFile) -> str:
    """A file's media type by its ending (browsers send .ttl as octet-stream), else as sent."""
    by_suffix = SUFFIXES.get(Path(file.filename or "").suffix.lower())
    sent = (file.content_type or "").partition(";")[0].strip().lower()
    media_type = by_suffix or (sent if sent in RDF_TYPES else None)
    if media_type is None:
        endings = ", ".join(SUFFIXES)
        raise UnsupportedMediaType(f"{file.filename}: not an RDF file we read (endings: {endings})")
    return media_type


def _page(
    request: Request,
    lang: str,
    report: Report | None,
    error: str | None,
    status_code: int = 200,
    base: str = "",
) -> Response:
    context: dict[str, object] = {"lang": lang, "error": error, "report": None}
    if report is not None:
        context["report"] = {
            "conforms": report.conforms,
            "base": base,
            "summary": {each: reporting.summary(report, each) for each in LANGUAGES},
            "resources": _by_resource(report),
        }
        context["downloads"] = {
            "turtle": _data_uri("text/turtle", report.serialise("turtle")),
            "json": _data_uri("application/json", _json(report, lang)),
        }
    response = templates.TemplateResponse(request, "validate.html", context, status_code)
    response.headers["Vary"] = "Accept"
    return response


def _by_resource(report: Report) -> list[Resource]:
    """The results grouped by resource, with every language's text for the page's switch."""
    resources: dict[str, Resource] = {}
    for result in reporting.ordered(report.results):
        labels = {each: reporting.label_in(result, each) for each in LANGUAGES}
        resource = resources.setdefault(
            result.focus, Resource(result.focus, labels, result.file, result.line, [])
        )
        resource.rows.append(
            Row(
                path=reporting.path_text(result.path) if result.path else "",
                value=reporting.value_text(result.value) if result.value is not None else "",
                severity=result.severity,
                severities={
                    each: reporting.severity_word(result.severity, each) for each in LANGUAGES
                },
                shape=reporting.compact(result.shape) if result.shape else "",
                messages={each: result.message(each) for each in LANGUAGES},
            )
        )
    return list(resources.values())


def _json(report: Report, lang: str) -> str:
    return json.dumps(reporting.as_json(report, lang), ensure_ascii=False, indent=2) + "\n"


def _response(body: str, media_type: str) -> Response:
    return Response(body, media_type=media_type, headers={"Vary": "Accept"})


def _data_uri(media_type: str, text: str) -> str:
    """The report as a link target, so a download needs no second request (nothing is kept)."""
    return f"data:{media_type};charset=utf-8,{quote(text)}"


def _language(lang: str) -> str:
    return lang if lang in LANGUAGES else LANGUAGES[0]


def _unsupported(content_type: str) -> str:
    return f"Send RDF as {', '.join(RDF_TYPES)} or a form upload, not {content_type!r}"


def _too_large(limit: int) -> str:
    return f"The data is over the limit of {limit:,} bytes; validate it in smaller files"
