"""Every part of Streamlit the project relies on that is not its public, documented API.

Streamlit is pinned to one minor version (pyproject.toml). Before moving the pin, run
``tests/test_streamlit_compat.py``: it checks that each internal below still exists in the
installed Streamlit, and, while the installed version differs from :data:`CHECKED_WITH`, fails
with the list of what to re-check by hand (each entry's ``recheck``). Set :data:`CHECKED_WITH`
once that is done.

Kinds of entry:

``python``
    ``target`` is ``module:attribute.attribute`` and must resolve after import.
``code``
    ``target`` is ``module:Class.method=name,name``: that function's code must still use those names
    (the private attributes a patch reads).
``option``
    ``target`` is a config option that must still exist.
``frontend``
    ``target`` is a string (a ``data-testid``, a class, an attribute) that must still occur in
    Streamlit's browser bundle (``streamlit/static``); CSS and browser tests select by it.
``route``
    ``target`` is a path that Streamlit's web server modules must still name (a textual check: the
    served tests exercise the routes themselves).
"""

from __future__ import annotations

import functools
import importlib
import re
from dataclasses import dataclass
from pathlib import Path

import streamlit
import streamlit.web.server
from streamlit import config

#: The Streamlit version the entries below were last checked against, by hand, for their behaviour.
CHECKED_WITH = "1.67.0"


@dataclass(frozen=True)
class Internal:
    name: str
    kind: str
    target: str
    used_in: tuple[str, ...]
    recheck: str


_MEDIA = "geo/dashboard/made_downloads.py"
_PRINT = "geo/dashboard/print.css"
_LOADING = "geo/dashboard/loading.py"
_MAP_FRAME = "geo/dashboard/map_frame.js"
_ACCESS = "geo/dashboard/access.py"
_BROWSER_TESTS = "tests/e2e/browser_support.py"

INTERNALS: tuple[Internal, ...] = (
    Internal(
        "deferred downloads are tied to no session",
        "code",
        "streamlit.runtime.media_file_manager:MediaFileManager.__init__="
        "_deferred_callables,_files_by_session_and_coord,_storage,_lock",
        (_MEDIA, "serve.py"),
        "whether a made download still needs keeping (tests/test_serve.py::test_a_made_download_outlives_other_readers_runs)",
    ),
    Internal(
        "MediaFileManager.execute_deferred makes a deferred file",
        "python",
        "streamlit.runtime.media_file_manager:MediaFileManager.execute_deferred",
        (_MEDIA,),
        "that it still stores the file through the storage's load_and_get_id under the manager's lock",
    ),
    Internal(
        "MemoryMediaFileStorage.load_and_get_id stores a file",
        "python",
        "streamlit.runtime.memory_media_file_storage:MemoryMediaFileStorage.load_and_get_id",
        (_MEDIA,),
        "that made_downloads' wrapper still receives every made file",
    ),
    Internal(
        "Streamlit collects garbage after every run",
        "option",
        "runner.postScriptGC",
        (_LOADING + " (_freeze_long_lived_objects: gc.freeze)", "geo/bench/rerun.py"),
        "whether gc.freeze after the first run still saves CPU per rerun (python -m geo.bench.rerun)",
    ),
    Internal(
        "a timed fragment makes a reconnected tab rerun",
        "python",
        "streamlit:fragment",
        ("geo/dashboard/page_chrome.py (rerun_on_reconnect)",),
        "that a tab whose worker died reruns on reconnecting (tests/e2e/test_proxy_browser.py)",
    ),
    Internal(
        "components v2 runs the map frame's JavaScript in the page",
        "python",
        "streamlit.components.v2:component",
        ("geo/dashboard/map_frame.py (_frame_probe)", _MAP_FRAME, _ACCESS + " (label_map)"),
        "the map's width report and tooltips kept inside the map (tests/e2e/test_map_view_browser.py)",
    ),
    Internal(
        "deck.gl's focusable element around the map's canvas",
        "frontend",
        "deck-events-root",
        ("geo/dashboard/map_label.js",),
        "that the map keeps its name where the keyboard stops on it (tests/e2e/test_keyboard_browser.py)",
    ),
    Internal(
        "deck.gl's tooltip element and its transform",
        "frontend",
        "deck-tooltip",
        (_MAP_FRAME, "tests/e2e/test_hostile_browser.py"),
        "that the tooltip is still placed by a translate() transform (tests/e2e/test_map_view_browser.py)",
    ),
    Internal(
        "st-key-<key> classes on keyed elements",
        "frontend",
        "st-key-",
        ("geo/dashboard/map_frame.css", "geo/dashboard/chrome.py", _PRINT),
        "the print layout and the map frame (tests/e2e/test_print_browser.py, test_map_view_browser.py)",
    ),
    Internal(
        "the app's connection and script state on its root element",
        "frontend",
        "data-test-script-state",
        (_BROWSER_TESTS + " (APP_IDLE)",),
        "that notRunning still means the run has ended",
    ),
    Internal(
        "the app's connection state on its root element",
        "frontend",
        "data-test-connection-state",
        (_BROWSER_TESTS + " (APP_IDLE)",),
        "that CONNECTED still names an open websocket",
    ),
    Internal(
        "AppTest's MediaFileManager, replaced to record deferred downloads",
        "python",
        "streamlit.testing.v1.app_test:MediaFileManager",
        ("tests/apptest_support.py (downloads)",),
        "that AppTest still makes its MediaFileManager through this module attribute",
    ),
    Internal(
        "MediaFileManager.add_deferred's signature",
        "python",
        "streamlit.runtime.media_file_manager:MediaFileManager.add_deferred",
        ("tests/apptest_support.py (downloads)",),
        "its parameters (data_callable, mimetype, coordinates, file_name, element_id)",
    ),
    Internal(
        "AppTest._page_hash chooses the page of the next run",
        "code",
        "streamlit.testing.v1.app_test:AppTest._run=_page_hash",
        ("tests/apptest_support.py (switch_page)",),
        "that a page callable's hash is still calc_hash of its URL path",
    ),
    Internal(
        "streamlit.util.calc_hash names a page",
        "python",
        "streamlit.util:calc_hash",
        ("tests/apptest_support.py (switch_page)",),
        "as for AppTest._page_hash",
    ),
    Internal(
        "AppTest's script cache, shared by the rerun benchmark",
        "python",
        "streamlit.testing.v1.local_script_runner:ScriptCache",
        ("geo/bench/rerun.py (_share_script_cache)",),
        "that AppTest still makes a ScriptCache per run through these module attributes",
    ),
    Internal(
        "AppTest's script cache, as app_test names it",
        "python",
        "streamlit.testing.v1.app_test:ScriptCache",
        ("geo/bench/rerun.py (_share_script_cache)",),
        "as above",
    ),
    Internal(
        "LocalScriptRunner._run_script_thread, wrapped to profile a run",
        "python",
        "streamlit.testing.v1.local_script_runner:LocalScriptRunner._run_script_thread",
        ("geo/bench/rerun.py (_profile_script_thread)",),
        "that the script still runs in that method's thread (python -m geo.bench.rerun --profile)",
    ),
    Internal(
        "the websocket's messages",
        "python",
        "streamlit.proto.BackMsg_pb2:BackMsg",
        ("geo/bench/client.py",),
        "the load test and the served bench speak this protocol (tests/load, tests/test_bench.py)",
    ),
    Internal(
        "the server's messages",
        "python",
        "streamlit.proto.ForwardMsg_pb2:ForwardMsg",
        ("geo/bench/client.py",),
        "as above",
    ),
    Internal(
        "a widget's state as the browser sends it",
        "python",
        "streamlit.proto.WidgetStates_pb2:WidgetState",
        ("geo/bench/client.py",),
        "as above",
    ),
    Internal(
        "Streamlit's logger",
        "python",
        "streamlit.logger:get_logger",
        (_LOADING,),
        "that the data problems still reach the server's log",
    ),
    Internal(
        "the websocket route",
        "route",
        "_stcore/stream",
        ("geo/serving.py", "geo/bench/client.py", "deploy/nginx/qantar.conf"),
        "nginx's websocket location and the bench client",
    ),
    Internal(
        "the upload route",
        "route",
        "_stcore/upload_file",
        ("geo/dashboard/server_guard.py", "geo/serving.py"),
        "that serve.py's guard still refuses every upload (tests/test_server_config.py)",
    ),
    Internal(
        "the health route",
        "route",
        "_stcore/health",
        ("geo/bench/served.py", "deploy/k8s/deployment.yaml", "deploy/Dockerfile"),
        "the probes and the servers' start-up wait",
    ),
    Internal(
        "the metrics route",
        "route",
        "_stcore/metrics",
        ("geo/serving.py",),
        "that nginx still hides it from readers",
    ),
)

#: The data-testid names the print stylesheet, the map frame's CSS and the browser tests select by.
TEST_IDS = (
    "stApp",
    "stButton",
    "stCaptionContainer",
    "stDataFrame",
    "stDateInputFieldsScroller",
    "stDeckGlJsonChart",
    "stDownloadButton",
    "stElementToolbar",
    "stExpandSidebarButton",
    "stHeader",
    "stHorizontalBlock",
    "stLayoutWrapper",
    "stMain",
    "stMainBlockContainer",
    "stMarkdownContainer",
    "stPopover",
    "stSidebar",
    "stSkeleton",
    "stStatusWidget",
    "stStatusWidgetRunningIcon",
    "stToolbar",
    "stVegaLiteChart",
)


def _resolve(dotted: str) -> object:
    module, _, attributes = dotted.partition(":")
    found: object = importlib.import_module(module)
    for name in filter(None, attributes.split(".")):
        found = getattr(found, name)
    return found


@functools.cache
def frontend_bundle() -> str:
    """The text of Streamlit's browser scripts, as installed."""
    scripts = sorted((Path(streamlit.__file__).parent / "static").rglob("*.js"))
    return "\n".join(path.read_text(encoding="utf-8", errors="replace") for path in scripts)


@functools.cache
def _server_source() -> str:
    """The text of Streamlit's web server modules, as installed (its routes are named there)."""
    server = Path(streamlit.web.server.__file__).parent
    return "\n".join(p.read_text(encoding="utf-8") for p in sorted(server.rglob("*.py")))


def missing(internal: Internal) -> str | None:
    """Why ``internal`` is not there in the installed Streamlit, else None."""
    try:
        if internal.kind == "python":
            _resolve(internal.target)
        elif internal.kind == "code":
            where, _, names = internal.target.partition("=")
            code = _resolve(where).__code__  # type: ignore[attr-defined]
            absent = [n for n in names.split(",") if n not in code.co_names]
            if absent:
                return f"{where} no longer uses {', '.join(absent)}"
        elif internal.kind == "option":
            config.get_option(internal.target)
        elif internal.kind == "frontend":
            if internal.target not in frontend_bundle():
                return f"{internal.target!r} is not in Streamlit's browser scripts"
        elif internal.kind == "route":
            name = re.escape(internal.target.rsplit("/", 1)[-1])
            if not re.search(rf"(_stcore|{{BASE_ROUTE_CORE}})/{name}\b", _server_source()):
                return f"no route {internal.target!r} in streamlit.web.server"
        else:
            return f"unknown kind {internal.kind!r}"
    except (ImportError, AttributeError, RuntimeError) as error:
        return f"{internal.target}: {error}"
    return None


def missing_test_ids() -> list[str]:
    """The :data:`TEST_IDS` that Streamlit's browser scripts no longer name."""
    bundle = frontend_bundle()
    return [name for name in TEST_IDS if not re.search(rf"[`\"']{name}[`\"']", bundle)]
