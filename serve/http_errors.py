"""Every failure as one line of JSON, `{"error": ...}`: 400/404/413/422 for bad input, 503 when there is no
index to read, never a traceback."""

from __future__ import annotations

import logging
import os
import re
from pathlib import Path

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException
from starlette.types import ASGIApp, Receive, Scope, Send

from unres.index.errors import IndexOpenError, NotFoundError, QueryError

MAX_BODY_BYTES = 16 * 1024  # the API takes no body; anything larger is refused before it is read
MAX_QUERY_STRING_BYTES = 16 * 1024  # room for a 2,000-character query, percent-encoded, and its filters

log = logging.getLogger("unres.serve")


def error(status: int, message: str) -> JSONResponse:
    return JSONResponse({"error": " ".join(message.split())}, status_code=status)


def install(app: FastAPI, directory: Path) -> None:
    """Map the library's errors and FastAPI's validation errors onto one-line JSON responses, which name
    the served index `the index`, never by its path on the server."""

    paths = sorted({str(directory.resolve()), os.fspath(directory.absolute()), str(directory)}, key=len, reverse=True)
    where = re.compile("|".join(rf"(?<![\w./-]){re.escape(path)}(?![\w.-])" for path in paths))

    def public(exc: Exception) -> str:
        return where.sub("the index", str(exc))

    @app.exception_handler(NotFoundError)
    async def not_found(request: Request, exc: NotFoundError) -> JSONResponse:
        return error(404, public(exc))

    @app.exception_handler(QueryError)
    async def bad_query(request: Request, exc: QueryError) -> JSONResponse:
        return error(400, public(exc))

    @app.exception_handler(IndexOpenError)
    async def unavailable(request: Request, exc: IndexOpenError) -> JSONResponse:
        return error(503, public(exc))

    @app.exception_handler(RequestValidationError)
    async def invalid(request: Request, exc: RequestValidationError) -> JSONResponse:
        return error(422, "; ".join(_describe(e) for e in exc.errors()))

    @app.exception_handler(HTTPException)
    async def http_error(request: Request, exc: HTTPException) -> JSONResponse:
        return error(exc.status_code, f"{exc.detail}: {request.method} {request.url.path}")

    @app.exception_handler(Exception)
    async def internal(request: Request, exc: Exception) -> JSONResponse:
        log.error("%s %s failed: %r", request.method, request.url.path, exc)
        return error(500, "internal error; the server log has the details")


def _describe(problem: dict) -> str:
    """`query parameter k: Input should be less than or equal to 1000`."""
    where = list(problem.get("loc", ()))
    place = f"{where[0]} parameter {'.'.join(str(x) for x in where[1:])}" if len(where) > 1 else ".".join(map(str, where))
    return f"{place}: {problem.get('msg', 'invalid')}"


class SizeLimit:
    """ASGI middleware: a request with a body or query string over the limits gets 413 before any work."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http":
            problem = _too_large(scope)
            if problem:
                await error(413, problem)(scope, receive, send)
                return
        await self.app(scope, receive, send)


def _too_large(scope: Scope) -> str | None:
    if len(scope.get("query_string", b"")) > MAX_QUERY_STRING_BYTES:
        return f"query string over {MAX_QUERY_STRING_BYTES} bytes"
    headers = dict(scope.get("headers", ()))
    length = headers.get(b"content-length")
    if length is not None and (not length.isdigit() or int(length) > MAX_BODY_BYTES):
        return f"request body over {MAX_BODY_BYTES} bytes"
    if b"chunked" in headers.get(b"transfer-encoding", b"").lower():
        return "chunked request bodies are not accepted"
    return None
