"""The data API's routes called in this process, as an ASGI server would call them (no network,
no Streamlit): :func:`call` gives ``(status, headers, body)``."""

from __future__ import annotations

from functools import cache

from starlette.applications import Starlette

from geo.api import routes
from geo.bench.client import run_async
from geo.data.dataset import load_dataset
from geo.query.view import DatasetIndex

from testdata import SAMPLE


@cache
def sample_index() -> DatasetIndex:
    return DatasetIndex.build(load_dataset(SAMPLE))


@cache
def sample_app() -> Starlette:
    return Starlette(routes=routes.routes(sample_index))


def call(
    path: str, query: bytes | str = b"", method: str = "GET", headers: dict[str, str] | None = None, app=None
) -> tuple[int, dict[str, str], bytes]:
    """One request to ``app`` (default: the API over the sample data)."""
    raw = query.encode("utf-8") if isinstance(query, str) else query
    scope = {
        "type": "http",
        "asgi": {"version": "3.0"},
        "http_version": "1.1",
        "method": method,
        "scheme": "http",
        "path": path,
        "raw_path": path.encode("ascii"),
        "root_path": "",
        "query_string": raw,
        "headers": [(k.lower().encode("latin-1"), v.encode("latin-1")) for k, v in (headers or {}).items()],
        "client": ("127.0.0.1", 1),
        "server": ("127.0.0.1", 80),
    }
    sent: list[dict] = []

    async def receive() -> dict:
        return {"type": "http.request", "body": b"", "more_body": False}

    async def send(message: dict) -> None:
        sent.append(message)

    run_async(lambda: (app or sample_app())(scope, receive, send))
    start = next(m for m in sent if m["type"] == "http.response.start")
    body = b"".join(m.get("body", b"") for m in sent if m["type"] == "http.response.body")
    found = {k.decode("latin-1").lower(): v.decode("latin-1") for k, v in start["headers"]}
    return start["status"], found, body
