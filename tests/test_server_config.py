"""Server hardening: the values in ``.streamlit/config.toml``, that Streamlit takes them, and what
they do on a real server (``streamlit run`` on 127.0.0.1, the project's config)."""

from __future__ import annotations

import json
import subprocess
import sys
import tomllib
import urllib.error
import urllib.request

import pytest
from websockets.exceptions import InvalidStatus

from robustness_report import record
from server_support import ROOT, Server
from streamlit_client import Session, run_async

CONFIG = ROOT / ".streamlit" / "config.toml"
HARDENED = {
    "client.showErrorDetails": "none",
    "client.showErrorLinks": False,
    "client.toolbarMode": "viewer",
    "server.enableXsrfProtection": True,
    "server.enableCORS": True,
    "server.maxUploadSize": 1,
    "server.enableStaticServing": False,
    "server.runOnSave": False,
    "server.address": "127.0.0.1",
    "browser.gatherUsageStats": False,
}
RAISES = ROOT / "tests" / "fixtures" / "apps" / "raises.py"
SECRET = "SECRET-DETAIL"
EVIL = "http://evil.example"


def test_config_file_sets_the_hardened_values():
    config = tomllib.loads(CONFIG.read_text(encoding="utf-8"))
    for key, value in HARDENED.items():
        section, name = key.split(".")
        assert config[section][name] == value, key


def test_streamlit_takes_them():
    """The values as the installed Streamlit reads them from the project directory (a misspelt
    option or an unknown value would be ignored or rejected here)."""
    code = ("import json, sys\nfrom streamlit import config\nconfig.get_config_options(force_reparse=True)\n"
            "print(json.dumps({k: config.get_option(k) for k in sys.argv[1:]}))")
    out = subprocess.run([sys.executable, "-c", code, *HARDENED], cwd=ROOT, capture_output=True, text=True,
                         timeout=60, check=True)
    assert json.loads(out.stdout.strip().splitlines()[-1]) == HARDENED


@pytest.fixture(scope="module")
def raising_server():
    with Server(script=RAISES) as server:
        yield server


def request(url: str, method: str = "GET", headers: dict | None = None, data: bytes | None = None):
    req = urllib.request.Request(url, method=method, headers=headers or {}, data=data)
    try:
        with urllib.request.urlopen(req, timeout=10) as response:
            return response.status, response.headers, response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.headers, error.read()


def test_an_unexpected_error_reaches_the_visitor_without_details(raising_server):
    async def visit():
        session = await Session(raising_server.url).connect()
        try:
            return await session.run()
        finally:
            await session.close()

    run = run_async(visit)
    [shown] = run.exceptions
    assert SECRET not in str(shown) and "RuntimeError" not in str(shown)
    assert shown.type == "" and not shown.stack_trace
    assert "redacted" in shown.message
    assert SECRET in raising_server.log_text()  # the operator still has it, in the server's log


def test_requests_without_the_xsrf_token_are_refused(raising_server):
    status, _, body = request(f"{raising_server.url}/_stcore/upload_file/session/file", "PUT", data=b"x")
    assert status == 403 and b"XSRF" in body


def test_other_origins_get_no_cors_grant_and_no_websocket(raising_server):
    _, headers, _ = request(f"{raising_server.url}/_stcore/health", headers={"Origin": EVIL})
    assert headers.get("Access-Control-Allow-Origin") in (None, "")

    async def connect(origin):
        session = await Session(raising_server.url, origin=origin).connect()
        await session.close()

    with pytest.raises(InvalidStatus) as refused:
        run_async(lambda: connect(EVIL))
    assert refused.value.response.status_code == 403
    run_async(lambda: connect(raising_server.url))  # the page's own origin is welcome

    record("server_hardening", config={k: v for k, v in HARDENED.items()},
           checked_on_a_real_server=["exception shown redacted (no type, message or traceback)",
                                     "PUT upload without XSRF token: 403",
                                     "no Access-Control-Allow-Origin for another origin",
                                     "websocket from another origin: 403"])
