"""The dashboard's downloads made within limits and served by a route of the app's own.

The downloads are deferred (``st.download_button(data=recipe)``, a
:class:`~geo.downloads.store.Recipe`): a click asks the server over the websocket to make the
file, the answer names a URL, and the browser fetches it. Streamlit 1.67 would make the file every
time it is asked (one websocket asking fifty times made fifty files), keep it in its media store
until two script runs of any session had ended, and tell a reader only "Failed to generate file
for download".

:func:`install` puts :func:`handle` in front of Streamlit's deferred-file handler: for a recipe it
asks :data:`FILES` (:class:`~geo.downloads.store.MadeFiles`, which applies
:data:`geo.downloads.limits.LIMITS`) for the file and answers with its URL under :data:`ROUTE`, or
with the reason it was not made in the reader's language (Streamlit shows that text under the
button). Any other deferred callable goes to Streamlit's own handler. :func:`routes` serves the
made files (``serve.py`` gives it to ``st.App``); :func:`start_sweeper` lets the files of ended
sessions and expired ones go. No file of ours enters Streamlit's media store.

The handler is the one place this reaches into Streamlit (no option or API does it): it checks
the internals it needs and changes nothing when they are not as expected, so a Streamlit that
changes them falls back to its own behaviour (the recipe is still a callable that makes the
file; ``tests/test_made_downloads_served.py`` would then fail).
"""

from __future__ import annotations

import asyncio
import functools
import logging
import threading
import time
from typing import Any
from urllib.parse import quote

from starlette.requests import Request
from starlette.responses import PlainTextResponse, Response
from starlette.routing import Route
from streamlit.proto.ForwardMsg_pb2 import BackendOperationResponse, DeferredFileResponsePayload
from streamlit.runtime.backend_operation_handler import DeferredFileHandler

from geo.downloads.store import Made, MadeFiles, Recipe, Refused
from geo.i18n import LANGUAGES
from geo.views.download_notes import gone_text, refusal_text

_LOG = logging.getLogger(__name__)
#: The made files of this process.
FILES = MadeFiles()
#: Where a made file is served: ``/made-files/<language>/<token>`` (after ``server.baseUrlPath``).
ROUTE = "made-files"
_sweeper_started = threading.Event()


def base_path() -> str:
    from streamlit import config  # noqa: PLC0415

    base = (config.get_option("server.baseUrlPath") or "").strip("/")
    return f"/{base}" if base else ""


def url_of(made: Made) -> str:
    return f"{base_path()}/{ROUTE}/{made.lang}/{made.token}"


def _recipe_of(manager: Any, file_id: str, session_id: str) -> Recipe | None:
    """The recipe behind ``file_id`` when that session registered it, else None."""
    with manager._lock:
        entry = manager._deferred_callables.get(file_id)
    if not isinstance(entry, dict) or entry.get("session_id") != session_id:
        return None
    made = entry.get("callable")
    return made if isinstance(made, Recipe) else None


def answer(request_id: str, outcome: Made | Refused, lang: str) -> BackendOperationResponse:
    if isinstance(outcome, Made):
        return BackendOperationResponse(
            request_id=request_id, deferred_file=DeferredFileResponsePayload(url=url_of(outcome))
        )
    return BackendOperationResponse(request_id=request_id, error_msg=refusal_text(outcome, lang))


def install() -> bool:
    """Put :func:`handle` in front of Streamlit's deferred-file handler (once per process).
    Returns whether it is in place."""
    plain = DeferredFileHandler.handle
    if getattr(plain, "makes_within_limits", False):
        return True
    if "_get_media_file_mgr" not in DeferredFileHandler.__init__.__code__.co_names or not all(
        name in _manager_names() for name in ("_deferred_callables", "_lock")
    ):
        _LOG.warning("Streamlit's deferred downloads have changed: files are made as Streamlit makes them")
        return False

    @functools.wraps(plain)
    async def handle(self: Any, request: Any, session_id: str) -> BackendOperationResponse:
        recipe = _recipe_of(self._get_media_file_mgr(), request.deferred_file.file_id, session_id)
        if recipe is None:
            return await plain(self, request, session_id)
        outcome = await asyncio.to_thread(FILES.get_or_make, session_id, recipe)
        return answer(request.request_id, outcome, recipe.lang)

    handle.makes_within_limits = True  # type: ignore[attr-defined]
    DeferredFileHandler.handle = handle  # type: ignore[method-assign]
    return True


def _manager_names() -> tuple[str, ...]:
    from streamlit.runtime.media_file_manager import MediaFileManager  # noqa: PLC0415

    return MediaFileManager.__init__.__code__.co_names


def content_disposition(file_name: str) -> str:
    """``attachment`` with the name, percent-encoded (RFC 5987) unless it is plain ASCII."""
    if file_name.isascii() and file_name.isprintable() and not set(file_name) & set('"\\;'):
        return f'attachment; filename="{file_name}"'
    return f"attachment; filename*=utf-8''{quote(file_name, safe='')}"


async def serve_made(request: Request) -> Response:
    lang = request.path_params["lang"]
    made = FILES.file(request.path_params["token"])
    if made is None:
        text = gone_text(lang if lang in LANGUAGES else "en")
        return PlainTextResponse(text + "\n", status_code=404, headers={"Cache-Control": "no-store"})
    return Response(
        made.data,
        media_type=made.mime,
        headers={
            "Content-Disposition": content_disposition(made.file_name),
            "Cache-Control": "no-store",
            "X-Content-Type-Options": "nosniff",
        },
    )


def routes() -> list[Route]:
    """The route that serves made files, for ``st.App(routes=…)``."""
    return [Route(f"{base_path()}/{ROUTE}/{{lang}}/{{token}}", serve_made, methods=["GET", "HEAD"])]


def _alive(session_id: str) -> bool:
    from streamlit import runtime  # noqa: PLC0415

    return runtime.exists() and runtime.get_instance().is_active_session(session_id)


def start_sweeper() -> None:
    """Every ``sweep_seconds``: let go of expired files and those of sessions that ended."""
    if _sweeper_started.is_set():
        return
    _sweeper_started.set()

    def sweep() -> None:
        while True:
            time.sleep(FILES.limits.sweep_seconds)
            try:
                FILES.sweep(_alive)
            except Exception:  # a sweep that fails must not end the sweeping
                _LOG.exception("made files: a sweep failed")

    threading.Thread(target=sweep, name="made-files-sweeper", daemon=True).start()
