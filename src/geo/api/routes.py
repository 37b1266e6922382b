"""The data API's routes on the dashboard's own server (``serve.py`` gives them to ``st.App``).

``/api/v1/<endpoint>.csv`` and ``.json`` for each of :data:`geo.api.tables.ENDPOINTS`, and
``/api/v1/openapi.json``. Read-only: GET and HEAD are answered, an OPTIONS preflight is granted
for GET from any origin, every other method gets 405; every answer, an error too, carries the CORS
headers (the data is public; no cookie or credential is read). The rows are computed in a worker
thread, at most :data:`AT_ONCE` per process at a time, so that the sessions' reruns go on beside
them. nginx gives ``/api/`` a rate limit of its own (:mod:`geo.serving`).
"""

from __future__ import annotations

import asyncio
import json
import weakref
from collections.abc import Callable
from typing import Any
from urllib.parse import urlencode

import anyio
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from geo.api import openapi, params, tables
from geo.api.params import ApiError
from geo.downloads.limits import LIMITS
from geo.i18n import N_, translation
from geo.query.view import DatasetIndex
from geo.views import citation, notes
from geo.views.download_notes import too_many_rows

PREFIX = "/api/v1"
#: Requests whose rows are being made at once in one process; the others wait their turn in the
#: event loop, holding no thread (Streamlit serves its static files from the same thread pool).
AT_ONCE = 2
_TURNS: weakref.WeakKeyDictionary[asyncio.AbstractEventLoop, anyio.CapacityLimiter] = weakref.WeakKeyDictionary()
METHODS = "GET, HEAD, OPTIONS"
CORS = {
    "Access-Control-Allow-Origin": "*",
    "Access-Control-Allow-Methods": METHODS,
    "Access-Control-Expose-Headers": "Link, X-Total-Count, Content-Language",
}
#: A preflight's answer is kept this long by the browser (seconds).
PREFLIGHT_MAX_AGE = 86400
CACHE = "public, max-age=60"
#: The methods the routes take in, to answer every one but GET, HEAD and OPTIONS with 405 and CORS.
EVERY_METHOD = ["GET", "HEAD", "OPTIONS", "POST", "PUT", "PATCH", "DELETE", "TRACE", "CONNECT"]
MEDIA = {"csv": "text/csv; charset=utf-8", "json": "application/json"}

ONLY_GET = N_("The data API only reads: {method} is not allowed, use GET.")
NO_SUCH_ADDRESS = N_("No such address in the data API. The addresses are: {paths}.")
PAGE_BY_PAGE = N_("Ask for the rows a page at a time, with limit and offset.")


def _turns() -> anyio.CapacityLimiter:
    """This event loop's limiter (a server runs one loop; each test call its own)."""
    loop = asyncio.get_running_loop()
    if loop not in _TURNS:
        _TURNS[loop] = anyio.CapacityLimiter(AT_ONCE)
    return _TURNS[loop]


def paths() -> list[str]:
    return [f"{PREFIX}/{e}.{f}" for e in tables.ENDPOINTS for f in ("csv", "json")] + [f"{PREFIX}/openapi.json"]


def _error(error: ApiError, fmt: str) -> Response:
    headers = {**CORS, "Content-Language": error.lang, "Cache-Control": "no-store"}
    if fmt == "json":
        body = {"error": {"status": error.status, "parameter": error.parameter, "message": error.message}}
        return Response(json.dumps(body, ensure_ascii=False) + "\n", error.status, headers, MEDIA["json"])
    return Response(error.message + "\n", error.status, headers, "text/plain; charset=utf-8")


def _lang_hint(request: Request) -> str:
    """The language of an answer that cannot read the query (a wrong method, a wrong address)."""
    try:
        return params.language(params.decode(request.scope.get("query_string", b"")))
    except ApiError:
        return "en"


def preflight() -> Response:
    return Response(
        None,
        204,
        {
            **CORS,
            "Access-Control-Allow-Headers": "Accept, Accept-Language",
            "Access-Control-Max-Age": str(PREFLIGHT_MAX_AGE),
        },
    )


def not_allowed(request: Request, fmt: str) -> Response:
    lang = _lang_hint(request)
    message = translation(lang).gettext(ONLY_GET).format(method=request.method[:20])
    response = _error(ApiError(405, message, None, lang), fmt)
    response.headers["Allow"] = METHODS
    return response


def next_link(path: str, q: params.Query, shown: int, total: int) -> str | None:
    """The address of the page after this one, None on the last page."""
    if q.limit is None or q.offset + shown >= total:
        return None
    kept = [(k, v) for k, v in q.pairs if k not in params.PAGING]
    return f"{path}?{urlencode([*kept, ('limit', str(q.limit)), ('offset', str(q.offset + q.limit))])}"


def answer(endpoint: str, fmt: str, raw_query: bytes, index: DatasetIndex, path: str) -> Response:
    """The whole answer to one request (run in a worker thread)."""
    if fmt == "csv":
        q = params.read(raw_query, index, default_limit=None, max_limit=params.MAX_LIMIT)
    else:
        q = params.read(raw_query, index, default_limit=params.DEFAULT_LIMIT, max_limit=params.MAX_JSON_LIMIT)
    v = index.view(q.filters, q.lang)
    found = tables.rows(endpoint, v, q)
    total = len(found.frame)
    if q.limit is None and (limit := LIMITS.row_limit("csv", total)) is not None:
        tr = translation(q.lang)
        raise ApiError(400, f"{too_many_rows(total, limit, q.lang)} {tr.gettext(PAGE_BY_PAGE)}", "limit", q.lang)
    stop = None if q.limit is None else q.offset + q.limit
    part = found.frame.iloc[q.offset : stop]
    following = next_link(path, q, len(part), total)
    headers = {**CORS, "Content-Language": q.lang, "Cache-Control": CACHE, "X-Total-Count": str(total)}
    if following:
        headers["Link"] = f'<{following}>; rel="next"'
    if fmt == "csv":
        return Response(tables.csv_bytes(endpoint, v, found, part), 200, headers, MEDIA["csv"])
    p = index.provenance
    body: dict[str, Any] = {
        "endpoint": endpoint,
        "dataset": {
            "title": p.title,
            "version": p.version,
            "licence": p.licence,
            "licence_url": p.licence_url,
            "citation": citation.citation_text(p),
        },
        "lang": q.lang,
        "filter": found.description,
        "rows_note": found.rows_note,
        "order": found.order,
        "total": total,
        "offset": q.offset,
        "limit": q.limit,
        "count": len(part),
        "next": following,
        "fields": [{"name": name, "type": kind} for name, kind in found.fields],
        "rows": tables.json_rows(found, part),
    }
    return Response(json.dumps(body, ensure_ascii=False) + "\n", 200, headers, MEDIA["json"])


def endpoint_route(endpoint: str, fmt: str, current: Callable[[], DatasetIndex | None], base: str) -> Route:
    path = f"{base}{PREFIX}/{endpoint}.{fmt}"

    async def handle(request: Request) -> Response:
        if request.method == "OPTIONS":
            return preflight()
        if request.method not in ("GET", "HEAD"):
            return not_allowed(request, fmt)
        raw = request.scope.get("query_string", b"")

        def made() -> Response:
            index = current()
            if index is None:
                lang = _lang_hint(request)
                raise ApiError(503, translation(lang).gettext(notes.DATA_UNAVAILABLE), None, lang)
            return answer(endpoint, fmt, raw, index, path)

        try:
            return await anyio.to_thread.run_sync(made, limiter=_turns())
        except ApiError as error:
            return _error(error, fmt)

    return Route(path, handle, methods=EVERY_METHOD, name=f"api-{endpoint}-{fmt}")


def routes(current: Callable[[], DatasetIndex | None], base: str = "") -> list[Route]:
    """The API's routes under ``base`` (``server.baseUrlPath``, as ``/x``); ``current`` gives the
    dataset index the dashboard serves now (None when no version of the data validated)."""

    async def describe(request: Request) -> Response:
        if request.method == "OPTIONS":
            return preflight()
        if request.method not in ("GET", "HEAD"):
            return not_allowed(request, "json")
        body = json.dumps(openapi.document(base), ensure_ascii=False, indent=1) + "\n"
        return Response(body, 200, {**CORS, "Cache-Control": CACHE}, MEDIA["json"])

    async def nowhere(request: Request) -> Response:
        if request.method == "OPTIONS":
            return preflight()
        lang = _lang_hint(request)
        message = translation(lang).gettext(NO_SUCH_ADDRESS).format(paths=", ".join(base + p for p in paths()))
        return _error(ApiError(404, message, None, lang), "json")

    found = [endpoint_route(e, f, current, base) for e in tables.ENDPOINTS for f in ("csv", "json")]
    return [
        *found,
        Route(f"{base}{PREFIX}/openapi.json", describe, methods=EVERY_METHOD, name="api-openapi"),
        Route(f"{base}/api/{{rest:path}}", nowhere, methods=EVERY_METHOD, name="api-nowhere"),
    ]
