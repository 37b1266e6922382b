"""Server hardening: the values in ``.streamlit/config.toml``, that Streamlit takes them, and what
they do on a real server (``streamlit run`` on 127.0.0.1, the project's config)."""

from __future__ import annotations

import json
import subprocess
import sys
import tomllib

import pytest
from websockets.exceptions import InvalidStatus

from geo.bench.client import Session, run_async
from geo.serving import STREAM_MODULE

from robustness_report import record
from server_support import ROOT, Server, find_nginx, request

CONFIG = ROOT / ".streamlit" / "config.toml"
HARDENED = {
    "client.showErrorDetails": "none",
    "client.showErrorLinks": False,
    "client.toolbarMode": "viewer",
    "client.allowedOrigins": [],
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
    code = (
        "import json, sys\nfrom streamlit import config\nconfig.get_config_options(force_reparse=True)\n"
        "print(json.dumps({k: config.get_option(k) for k in sys.argv[1:]}))"
    )
    out = subprocess.run(
        [sys.executable, "-c", code, *HARDENED], cwd=ROOT, capture_output=True, text=True, timeout=60, check=True
    )
    assert json.loads(out.stdout.strip().splitlines()[-1]) == HARDENED


@pytest.fixture(scope="module")
def raising_server():
    with Server(script=RAISES) as server:
        yield server


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

    record(
        "server_hardening",
        config={k: v for k, v in HARDENED.items()},
        checked_on_a_real_server=[
            "exception shown redacted (no type, message or traceback)",
            "PUT upload without XSRF token: 403",
            "no Access-Control-Allow-Origin for another origin",
            "websocket from another origin: 403",
        ],
    )


# --- uploads: refused at the app (serve.py) and at the proxy (deploy/nginx/qantar.conf) ----------

UPLOADS, UPLOAD_BYTES = 200, 900_000  # as the attack that held +172 MB: just under maxUploadSize
NGINX_CONF = ROOT / "deploy" / "nginx" / "qantar.conf"
NGINX_MAIN = ROOT / "deploy" / "nginx" / "nginx.conf"


def xsrf_cookie(url: str) -> str:
    """What any client gets from ``/_stcore/health``: the XSRF cookie, valid as its own header."""
    _, headers, _ = request(f"{url}/_stcore/health")
    cookie = next(c for c in headers.get_all("Set-Cookie") if c.startswith("_streamlit_xsrf="))
    return cookie.split(";", 1)[0].split("=", 1)[1]


def multipart(size: int) -> tuple[bytes, str]:
    import os

    boundary = "qantar-attack-boundary"
    body = (
        (
            f'--{boundary}\r\nContent-Disposition: form-data; name="file"; filename="x.bin"\r\n'
            "Content-Type: application/octet-stream\r\n\r\n"
        ).encode()
        + os.urandom(size)
        + f"\r\n--{boundary}--\r\n".encode()
    )
    return body, f"multipart/form-data; boundary={boundary}"


def upload_attack(server: Server, uploads: int = UPLOADS, size: int = UPLOAD_BYTES) -> dict:
    """Open a session as a browser would, then PUT ``uploads`` files of ``size`` bytes to it with a
    valid XSRF token; the server's RSS before, right after, and 3 s after. Bounded: ``uploads``
    requests to 127.0.0.1, each with a 10 s timeout."""
    import time

    token = xsrf_cookie(server.url)
    body, content_type = multipart(size)

    async def attack():
        session = await Session(server.url).connect()
        try:
            run = await session.run()
            assert not run.exceptions and session.session_id
            before = server.rss_mib()
            started = time.perf_counter()
            statuses = []
            for i in range(uploads):
                status, _, _ = await asyncio.to_thread(
                    request,
                    f"{server.url}/_stcore/upload_file/{session.session_id}/f{i}",
                    "PUT",
                    {"X-Xsrftoken": token, "Cookie": f"_streamlit_xsrf={token}", "Content-Type": content_type},
                    body,
                )
                statuses.append(status)
            seconds = time.perf_counter() - started
            after = server.rss_mib()
            # One more run of the page: the server has handled everything sent before it.
            assert not (await session.run()).exceptions
            later = server.rss_mib()
            return {
                "statuses": sorted(set(statuses)),
                "count": {s: statuses.count(s) for s in set(statuses)},
                "rss_before_mib": round(before, 1),
                "rss_after_mib": round(after, 1),
                "rss_after_a_run_mib": round(later, 1),
                "held_mib": round(later - before, 1),
                "seconds": round(seconds, 2),
                "uploads": uploads,
                "bytes_each": len(body),
            }
        finally:
            await session.close()

    import asyncio

    return run_async(attack)


@pytest.fixture(scope="module")
def served():
    with Server() as server:  # serve.py, as `make run` serves it
        yield server


def test_uploads_are_refused_by_the_app_and_memory_stays_where_it_was(served):
    outcome = upload_attack(served)
    assert outcome["statuses"] == [403], outcome
    assert outcome["held_mib"] < 10, outcome
    status, _, body = request(f"{served.url}/_stcore/upload_file/x/y", "PUT", data=b"x")
    assert status == 403 and b"not accepted" in body
    for path in ("/_STCORE/upload_file/a/b", "//_stcore//upload_file/a/b", "/_stcore/upload_file"):
        assert request(f"{served.url}{path}", "PUT", data=b"x")[0] in (403, 404), path
    for method in ("DELETE", "OPTIONS", "POST"):
        assert request(f"{served.url}/_stcore/upload_file/a/b", method)[0] == 403, method
    assert request(f"{served.url}/_stcore/health")[0] == 200
    record(
        "uploads_refused",
        guarded=outcome,
        guard="geo.dashboard.server_guard.RefuseUploads via serve.py (st.App middleware)",
    )


def test_the_served_app_is_the_dashboard(served):
    async def visit():
        session = await Session(served.url).connect()
        try:
            return await session.run()
        finally:
            await session.close()

    run = run_async(visit)
    assert run.status == "finished" and not run.exceptions
    assert any("court decision" in t for t in run.texts)  # the description line of the map page


@pytest.mark.slow
def test_without_the_guard_the_same_attack_holds_the_uploads():
    """The finding, measured: app.py served bare keeps every upload in memory."""
    with Server(script=ROOT / "app.py") as bare:
        outcome = upload_attack(bare)
    assert outcome["statuses"] == [204], outcome
    assert outcome["held_mib"] > 100, outcome
    record("uploads_unguarded", unguarded=outcome, note="streamlit run app.py without serve.py's guard")


def test_the_guard_alone():
    from geo.dashboard.server_guard import RefuseUploads, is_upload_path

    assert is_upload_path("/_stcore/upload_file/s/f") and is_upload_path("/base/_stcore/upload_file/s/f")
    assert is_upload_path("/_STCORE/Upload_File/s/f") and not is_upload_path("/_stcore/health")
    assert not is_upload_path("/upload_file/_stcore")
    reached, sent = [], []

    async def app(scope, receive, send):
        reached.append(scope["path"])

    async def receive():
        return {"type": "http.request", "body": b"x" * 1000, "more_body": False}

    async def send(message):
        sent.append(message)

    guard = RefuseUploads(app)
    # run_async: the browser tests' sync Playwright may hold this thread's event loop
    run_async(lambda: guard({"type": "http", "path": "/_stcore/upload_file/s/f", "method": "PUT"}, receive, send))
    run_async(lambda: guard({"type": "http", "path": "/_stcore/health", "method": "GET"}, receive, send))
    assert sent[0]["status"] == 403 and reached == ["/_stcore/health"] and guard.refused == 1


def test_the_nginx_example_refuses_uploads():
    conf = NGINX_CONF.read_text(encoding="utf-8")
    assert "location /_stcore/upload_file { return 403; }" in conf
    assert "client_max_body_size 1m;" in conf and "server 127.0.0.1:8501 " in conf
    assert "location /_stcore/metrics { return 404; }" in conf


def test_nginx_accepts_the_example():
    """``nginx -t`` on the shipped nginx.conf with its site (skipped without nginx): the certificate
    is a fresh self-signed one, and the files of a Debian install are the test's own."""
    import shutil
    import tempfile
    from pathlib import Path

    nginx = find_nginx()
    openssl = shutil.which("openssl")
    if nginx is None or openssl is None:
        pytest.skip("nginx (and openssl for a test certificate) not installed")
    if not Path(STREAM_MODULE).exists():
        pytest.skip(f"{STREAM_MODULE} not installed (Debian's libnginx-mod-stream; make nginx installs it)")
    with tempfile.TemporaryDirectory() as tmp:
        prefix = Path(tmp)
        (prefix / "logs").mkdir()
        subprocess.run(
            [
                openssl,
                "req",
                "-x509",
                "-newkey",
                "rsa:2048",
                "-nodes",
                "-days",
                "1",
                "-subj",
                "/CN=test",
                "-keyout",
                str(prefix / "key.pem"),
                "-out",
                str(prefix / "cert.pem"),
            ],
            check=True,
            capture_output=True,
            timeout=60,
        )
        conf = NGINX_CONF.read_text(encoding="utf-8")
        conf = conf.replace("/etc/letsencrypt/live/qantar.example.org/fullchain.pem", str(prefix / "cert.pem"))
        conf = conf.replace("/etc/letsencrypt/live/qantar.example.org/privkey.pem", str(prefix / "key.pem"))
        (prefix / "qantar.conf").write_text(conf, encoding="utf-8")
        main = NGINX_MAIN.read_text(encoding="utf-8")
        for debian, here in (
            ("include /etc/nginx/modules-enabled/*.conf;", f"load_module {STREAM_MODULE};"),
            ("/etc/nginx/conf.d/qantar.conf", str(prefix / "qantar.conf")),
            ("/run/nginx.pid", str(prefix / "nginx.pid")),
            ("/var/log/nginx/", f"{prefix}/logs/"),
        ):
            assert debian in main, debian
            main = main.replace(debian, here)
        (prefix / "nginx.conf").write_text(main, encoding="utf-8")
        result = subprocess.run(
            [nginx, "-t", "-e", "stderr", "-p", str(prefix), "-c", str(prefix / "nginx.conf")],
            capture_output=True,
            text=True,
            timeout=60,
        )
    assert result.returncode == 0, result.stderr
