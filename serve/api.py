"""The FastAPI application: JSON endpoints over one shared `Searcher`, the web page, and local API docs.

Every call into a `Searcher` runs on a worker thread (`LiveIndex`, live.py), one search per worker at
a time, while the event loop goes on parsing, validating and encoding other requests.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import asdict
from pathlib import Path
from typing import Annotated, Any, TypeVar

from fastapi import FastAPI, Query
from fastapi.openapi.docs import get_swagger_ui_html
from fastapi.responses import FileResponse, HTMLResponse, Response
from fastapi.staticfiles import StaticFiles

from unres import __version__
from unres.index.filters import KINDS, Body, ExportFormat, Filters, Kind, Mode, Period, Sort
from unres.search import Searcher
from unres.search.export import MEDIA_TYPES, export
from unres.search.query import MAX_K as MAX_HITS
from unres.search.query import MAX_QUERY_CHARS

from . import http_errors, models
from .headers import SecurityHeaders, inline_script_policy
from .hosts import LOOPBACK_NAMES, HostCheck, header_host
from .live import LiveIndex

STATIC = Path(__file__).with_name("static")
MAX_K = 1000
DATE = r"^\d{4}(-\d{2}(-\d{2})?)?$"  # the shape; the calendar (no 30 February) is checked by `Filters`
MAX_VALUES = 100  # repeated filter values (verbs, sessions, symbols) per request

ID_ENCODING = (
    "Paragraph ids contain `/` and `#`: send `#` as `%23` (a bare `#` starts the URL's fragment and never "
    "reaches the server); `/` may be sent as is or as `%2F`. `/paragraphs/A/RES/58/220%239` and "
    "`/paragraphs/A%2FRES%2F58%2F220%239` name the same paragraph."
)
ERRORS = {code: {"model": models.Error, "description": text} for code, text in (
    (400, "A query or filter that cannot be answered (empty query, unknown verb, bad date)"),
    (404, "No such paragraph id or resolution symbol in the index"),
    (413, "Query string or body over the size limit"),
    (422, "A parameter of the wrong type or out of range (k over 1000, unknown mode or kind)"),
    (503, "No index to read at the served path (deleted, being rebuilt, damaged)"),
)}
UNAVAILABLE = {503: ERRORS[503]}
T = TypeVar("T")


def create_app(searcher: Searcher, allowed_hosts: Iterable[str] = LOOPBACK_NAMES, workers: int = 1) -> FastAPI:
    """The whole HTTP surface over one open `Searcher`, for requests whose `Host` is one of `allowed_hosts`,
    answering `workers` searches at once (open the searcher with `live.searcher_options(workers)`).

    The app takes the searcher over and closes it if the index directory at its path is replaced, then
    answers from the new one.
    """
    index = LiveIndex(searcher, workers)

    async def on_searcher(call: Callable[[Searcher], T]) -> T:
        return await index.run(call)

    app = FastAPI(
        title="unres",
        version=__version__,
        summary="Semantic search over UN resolutions, one operative paragraph at a time.",
        description=ID_ENCODING,
        docs_url=None,
        redoc_url=None,
    )
    app.add_middleware(http_errors.SizeLimit)
    app.add_middleware(HostCheck, names=frozenset(header_host(name) for name in allowed_hosts))
    app.add_middleware(SecurityHeaders)
    http_errors.install(app, searcher.directory)

    exported = {200: {"content": {f"{media}; charset=utf-8": {"schema": {"type": "string"}} for media in MEDIA_TYPES.values()}}}

    @app.get("/search", response_model=models.SearchResults, responses={**ERRORS, **exported}, tags=["search"])
    async def search(
        q: Annotated[str, Query(min_length=1, max_length=MAX_QUERY_CHARS, description="What to look for, in your own words.")],
        k: Annotated[int, Query(ge=1, le=MAX_K, description="How many paragraphs.")] = 10,
        mode: Annotated[Mode, Query(description="dense (vectors), lexical (BM25) or hybrid (both, fused).")] = Mode.hybrid,
        verb: Annotated[list[str], Query(max_length=MAX_VALUES, description="Only paragraphs with this verb (repeatable).")] = [],  # noqa: B006
        body: Annotated[Body | None, Query(description="GA or SC.")] = None,
        session: Annotated[list[int], Query(max_length=MAX_VALUES, description="GA session (repeatable).")] = [],  # noqa: B006
        adopted_from: Annotated[str | None, Query(alias="from", pattern=DATE, description="Adopted on or after (YYYY[-MM[-DD]]).")] = None,
        adopted_to: Annotated[str | None, Query(alias="to", pattern=DATE, description="Adopted on or before (YYYY[-MM[-DD]]).")] = None,
        kind: Annotated[list[Kind], Query(max_length=len(KINDS), description="Paragraph kind (repeatable; default operative).")] = [],  # noqa: B006
        symbol: Annotated[list[str], Query(max_length=MAX_VALUES, description="Only this resolution (repeatable).")] = [],  # noqa: B006
        sort: Annotated[Sort, Query(description="relevance, or date: the paragraphs holding every word, latest first.")] = Sort.relevance,
        offset: Annotated[int, Query(ge=0, le=MAX_HITS, description="Skip this many hits (the next page); offset + k is at most 10000.")] = 0,
        format: Annotated[ExportFormat | None, Query(
            description="Instead of JSON, the hits as a file: csv, jsonl, ris (reference managers) or line (id<TAB>text).",
        )] = None,
    ) -> Any:
        """Ranked paragraphs for a query, with resolution, verb and footnotes, how many paragraphs hold every word
        and how they divide (facets); filters apply before ranking."""
        filters = Filters.of(
            kinds=kind, verbs=verb, body=body, sessions=session, adopted_from=adopted_from, adopted_to=adopted_to, symbols=symbol,
        )
        result = await on_searcher(lambda current: current.search(q, k, filters=filters, mode=mode.value, offset=offset, sort=sort.value))
        if format is None:
            return result.to_dict()
        return Response(export(result.hits, format.value), media_type=MEDIA_TYPES[format.value] + "; charset=utf-8",
                        headers={"Content-Disposition": f'attachment; filename="unres-search.{format.value}"'})

    @app.get("/paragraphs/{paragraph_id:path}/lineage", response_model=models.Lineage, responses=ERRORS, tags=["links"],
             description=ID_ENCODING)
    async def lineage(paragraph_id: str) -> dict:
        """How a paragraph read over the years: its versions in the item's resolutions by date, with word diffs."""
        return (await on_searcher(lambda current: current.lineage(paragraph_id))).to_dict()

    @app.get("/resolutions/{symbol:path}/cited-by", response_model=models.CitedBy, responses=ERRORS, tags=["links"])
    async def cited_by(symbol: str) -> dict:
        """Every paragraph citing a resolution, in its text or a footnote, grouped by citing resolution."""
        return (await on_searcher(lambda current: current.cited_by(symbol))).to_dict()

    @app.get("/resolutions/{symbol:path}/items", response_model=models.Items, responses=ERRORS, tags=["links"])
    async def items_of(symbol: str) -> dict:
        """The resolutions on this one's item and how each was paired (same title, renamed, cited)."""
        return {"items": [asdict(link) for link in await on_searcher(lambda current: current.items(symbol))]}

    @app.get("/items", response_model=models.Items, responses=UNAVAILABLE, tags=["links"])
    async def items() -> dict:
        """Every pairing of resolutions into items (`unres lineage --items`), by date."""
        return {"items": [asdict(link) for link in await on_searcher(lambda current: current.items())]}

    @app.get("/paragraphs/{paragraph_id:path}/similar", response_model=models.SimilarResults, responses=ERRORS,
             tags=["paragraphs"], description=ID_ENCODING)
    async def similar(
        paragraph_id: str,
        k: Annotated[int, Query(ge=1, le=MAX_K, description="How many paragraphs.")] = 10,
        kind: Annotated[list[Kind], Query(max_length=len(KINDS), description="Kinds to search (default: the paragraph's own).")] = [],  # noqa: B006
    ) -> dict:
        """Paragraphs closest to a given one: the same paragraph in other years, related language elsewhere."""
        kinds = tuple(x.value for x in kind) or None
        hits = await on_searcher(lambda current: current.similar(paragraph_id, k, kinds=kinds))
        return {"id": paragraph_id, "hits": [hit.to_dict() for hit in hits]}

    @app.get("/paragraphs/{paragraph_id:path}", response_model=models.Hit, responses=ERRORS, tags=["paragraphs"],
             description=ID_ENCODING)
    async def paragraph(paragraph_id: str) -> dict:
        """One paragraph in its resolution's context (rank and score 0)."""
        return (await on_searcher(lambda current: current.paragraph(paragraph_id))).to_dict()

    @app.get("/resolutions/{symbol:path}", response_model=models.Resolution, responses=ERRORS, tags=["resolutions"])
    async def resolution(symbol: str) -> dict:
        """A whole resolution with its structure: preamble, operative part, annexes, footnotes."""
        data = (await on_searcher(lambda current: current.resolution(symbol))).to_dict()
        return data | {"source": Path(data["source"]).name}  # the file's name, not where it lies on the server

    @app.get("/trend", response_model=models.Trend, responses=ERRORS, tags=["links"])
    async def trend(
        q: Annotated[str, Query(min_length=1, max_length=MAX_QUERY_CHARS, description="Words every counted paragraph holds.")],
        verb: Annotated[list[str], Query(max_length=MAX_VALUES, description="Only paragraphs with this verb (repeatable).")] = [],  # noqa: B006
        by: Annotated[Period, Query(description="Count per year or per GA session.")] = Period.year,
        body: Annotated[Body | None, Query(description="Only GA or only SC.")] = None,
        adopted_from: Annotated[str | None, Query(alias="from", pattern=DATE, description="Adopted on or after (YYYY[-MM[-DD]]).")] = None,
        adopted_to: Annotated[str | None, Query(alias="to", pattern=DATE, description="Adopted on or before (YYYY[-MM[-DD]]).")] = None,
    ) -> dict:
        """Operative paragraphs holding every word of the query ("a phrase" as one, -word excluded), per year (or session) and body."""
        return (await on_searcher(lambda current: current.trend(
            q, verbs=tuple(verb), by=by.value, body=body.value if body else None, adopted_from=adopted_from, adopted_to=adopted_to,
        ))).to_dict()

    @app.get("/graph", response_model=models.Graph, responses=UNAVAILABLE, tags=["links"])
    async def graph() -> dict:
        """Every citation and lineage edge of the index (`unres export-graph`)."""
        return asdict(await on_searcher(lambda current: current.graph()))

    @app.get("/verbs", response_model=models.Verbs, responses=UNAVAILABLE, tags=["index"])
    async def verbs(
        kind: Annotated[list[Kind], Query(max_length=len(KINDS), description="Only paragraphs of this kind (repeatable; default every kind).")] = [],  # noqa: B006
    ) -> dict:
        """Every verb of paragraphs of these kinds with its number of paragraphs, most frequent first."""
        kinds = tuple(k.value for k in kind) or KINDS
        counts = await on_searcher(lambda current: current.verbs(kinds))
        return {"verbs": [{"verb": verb, "paragraphs": n} for verb, n in counts.items()]}

    @app.get("/stats", response_model=models.Stats, responses=UNAVAILABLE, tags=["index"])
    async def stats() -> dict:
        """Documents and paragraphs by body and kind, model and sizes on disk."""
        data = (await on_searcher(lambda current: current.stats())).to_dict()
        return data | {"index": Path(data["index"]).resolve().name}  # its folder's name, not where it lies on the server

    @app.get("/healthz", response_model=models.Health, responses=UNAVAILABLE, tags=["index"])
    async def healthz() -> dict:
        """`ok` while the index at the served path is open (the model loads before the first request)."""
        await on_searcher(lambda current: None)
        return {"status": "ok"}

    _page(app)
    return app


def _page(app: FastAPI) -> None:
    """The web page at `/` and Swagger UI at `/docs`, every file served from this process (no CDN)."""
    import fastapi_offline  # ships Swagger UI 5 (OpenAPI 3.1) as files; only those are used

    app.mount("/static", StaticFiles(directory=STATIC), name="static")
    app.mount("/docs-assets", StaticFiles(directory=Path(fastapi_offline.__file__).with_name("static")), name="docs-assets")

    docs_page = get_swagger_ui_html(
        openapi_url="/openapi.json", title="unres API", swagger_js_url="/docs-assets/swagger-ui-bundle.js",
        swagger_css_url="/docs-assets/swagger-ui.css", swagger_favicon_url="/static/favicon.svg",
    ).body.decode()
    docs_policy = inline_script_policy(docs_page)

    @app.get("/", include_in_schema=False)
    def page() -> FileResponse:
        return FileResponse(STATIC / "index.html")

    @app.get("/docs", include_in_schema=False)
    def docs() -> HTMLResponse:
        return HTMLResponse(docs_page, headers={"Content-Security-Policy": docs_policy})
