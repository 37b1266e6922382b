"""Which sites may frame the dashboard (:mod:`geo.framing`): the allow-list, the headers serve.py
sends without nginx (:class:`geo.dashboard.server_guard.FramingPolicy`), the list ``geo
serve-config`` hands to nginx and to the workers, nginx's site, and Streamlit's own postMessage
allow-list. nginx's answers, live: tests/test_serve.py; chromium: tests/e2e/test_framing_browser.py."""

from __future__ import annotations

import json
import re
import subprocess
import sys

import pytest

from geo import framing, serving
from geo.bench.client import run_async
from geo.dashboard.server_guard import FramingPolicy

from server_support import ROOT, Server, request

REFUSED = ROOT / "tests" / "fixtures" / "frame_ancestors" / "refused.txt"
NEWS = "https://news.example"


def refused_values() -> list[str]:
    lines = REFUSED.read_text(encoding="utf-8").splitlines()
    return [line for line in lines if line.strip() and not line.startswith("#")]


def test_the_site_alone_by_default():
    assert framing.parse(None) == framing.parse("") == framing.parse("  ") == ("'self'",)
    assert framing.from_environment({}) == ("'self'",)
    assert framing.headers(framing.parse(None)) == [
        ("Content-Security-Policy", "frame-ancestors 'self'"),
        ("X-Frame-Options", "SAMEORIGIN"),
    ]


def test_added_origins_follow_the_site_once_each():
    allowed = framing.parse(
        f"{NEWS}/, 'self'  HTTPS://News.Example https://*.partner.example:8443\nhttp://localhost:8501"
    )
    assert allowed == ("'self'", NEWS, "https://*.partner.example:8443", "http://localhost:8501")
    assert framing.from_environment({framing.ENV: NEWS}) == ("'self'", NEWS)
    assert framing.content_security_policy(allowed) == (
        f"frame-ancestors 'self' {NEWS} https://*.partner.example:8443 http://localhost:8501"
    )
    assert framing.extra_origins(allowed) == f"{NEWS} https://*.partner.example:8443 http://localhost:8501"
    assert framing.parse(framing.extra_origins(allowed)) == allowed


@pytest.mark.parametrize("value", refused_values())
def test_anything_but_a_plain_origin_is_refused(value):
    with pytest.raises(ValueError, match="not an origin"):
        framing.parse(f"{NEWS} {value}")


def test_a_line_break_cannot_smuggle_a_header():
    with pytest.raises(ValueError):
        framing.parse(f"{NEWS}\r\nSet-Cookie: x=1")


def test_the_middleware_replaces_the_apps_headers_and_leaves_websockets_alone():
    sent, reached = [], []

    async def app(scope, receive, send):
        reached.append(scope["type"])
        if scope["type"] == "http":
            headers = [(b"x-frame-options", b"ALLOWALL"), (b"Content-Security-Policy", b"frame-ancestors *")]
            await send({"type": "http.response.start", "status": 200, "headers": [(b"a", b"1"), *headers]})
            await send({"type": "http.response.body", "body": b"x"})
        else:
            await send({"type": "websocket.accept", "headers": []})

    async def receive():
        return {"type": "http.request"}

    async def send(message):
        sent.append(message)

    policy = FramingPolicy(app, allowed=("'self'", NEWS))
    run_async(lambda: policy({"type": "http", "path": "/"}, receive, send))
    run_async(lambda: policy({"type": "websocket", "path": "/_stcore/stream"}, receive, send))
    start, body, accept = sent
    assert start["headers"] == [
        (b"a", b"1"),
        (b"content-security-policy", f"frame-ancestors 'self' {NEWS}".encode()),
        (b"x-frame-options", b"SAMEORIGIN"),
    ]
    assert body == {"type": "http.response.body", "body": b"x"}
    assert accept == {"type": "websocket.accept", "headers": []} and reached == ["http", "websocket"]


def server_blocks(site: str) -> dict[str, str]:
    """The server block's own lines (key ``server``) and each location's, by its name."""
    body = site.split("\nserver {\n", 1)[1]
    blocks, name, lines = {"server": ""}, "server", []
    for line in body.splitlines():
        if line.startswith("    location "):
            name, lines = line.split()[1], [line]
            if line.split("#")[0].rstrip().endswith("}"):  # a location on one line
                blocks[name] = line
                name = "server"
            continue
        if name != "server" and line == "    }":
            blocks[name] = "\n".join(lines)
            name = "server"
        elif name != "server":
            lines.append(line)
        else:
            blocks["server"] += line + "\n"
    return blocks


def test_every_answer_of_the_site_states_the_framing_policy():
    """nginx gives a location that has add_header lines of its own none of the server's: each such
    location repeats the framing headers, and the workers' copies are hidden (sent once)."""
    site = serving.nginx_site(
        serving.workers(2), socket="/run/q.sock", frame_ancestors=("'self'", "https://news.example")
    )
    csp = """add_header Content-Security-Policy "frame-ancestors 'self' https://news.example" always;"""
    xfo = 'add_header X-Frame-Options "SAMEORIGIN" always;'
    blocks = server_blocks(site)
    assert {"/_stcore/stream", "/static/", "/", "@qantar_rebalance", "/_stcore/metrics", "/api/"} <= set(blocks)
    assert csp in blocks["server"] and xfo in blocks["server"]
    assert "proxy_hide_header Content-Security-Policy;" in blocks["server"]
    assert "proxy_hide_header X-Frame-Options;" in blocks["server"]
    for name, block in blocks.items():
        if "add_header" in block:
            assert csp in block and xfo in block, name
    # the server, the websocket, the page, the rebalance and the data API's locations
    assert serving.nginx_site(serving.workers(1), socket="/s").count("frame-ancestors 'self'\"") == 5


def test_serve_config_hands_the_list_to_nginx_and_to_the_workers(tmp_path):
    def render(*extra, env=None):
        import os

        environ = {k: v for k, v in os.environ.items() if k != framing.ENV} | (env or {})
        return subprocess.run(
            [sys.executable, "-m", "geo", "serve-config", "--run-dir", str(tmp_path), "--root", str(ROOT), *extra],
            capture_output=True,
            text=True,
            timeout=60,
            env=environ,
        )

    def rendered() -> tuple[set[str], set[str]]:
        site = (tmp_path / "qantar.conf").read_text()
        workers = (tmp_path / "supervisord.conf").read_text()
        return set(re.findall(r'Content-Security-Policy "([^"]*)"', site)), set(
            re.findall(r'GEO_FRAME_ANCESTORS="([^"]*)"', workers)
        )

    assert render().returncode == 0
    assert rendered() == ({"frame-ancestors 'self'"}, {""})
    assert render(env={framing.ENV: NEWS}).returncode == 0
    assert rendered() == ({f"frame-ancestors 'self' {NEWS}"}, {NEWS})
    assert render("--frame-ancestors", "https://a.example", env={framing.ENV: NEWS}).returncode == 0
    assert rendered() == ({"frame-ancestors 'self' https://a.example"}, {"https://a.example"})
    bad = render("--frame-ancestors", "https://a.example/embed")
    assert bad.returncode == 2 and "not an origin" in bad.stderr


def test_serve_py_refuses_to_start_on_a_malformed_list():
    import os

    result = subprocess.run(
        [sys.executable, "-c", "import serve"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
        env={**os.environ, framing.ENV: "https://a.example;frame-ancestors *"},
    )
    assert result.returncode != 0 and "not an origin" in result.stderr


@pytest.fixture(scope="module")
def served():
    with Server(env={framing.ENV: NEWS}) as server:  # serve.py, as make run serves it
        yield server


def test_every_answer_of_serve_py_states_the_policy(served):
    status, _, page = request(served.url + "/")
    assert status == 200
    script = re.search(r'src="\./(static/js/index\.[^"]+\.js)"', page.decode())[1]
    for method, path, expected in (
        ("GET", "/", 200),
        ("GET", f"/{script}", 200),
        ("GET", "/_stcore/health", 200),
        ("GET", "/_stcore/host-config", 200),
        ("GET", "/media/no-such-download.csv", 404),
        ("POST", "/_stcore/health", 405),
        ("PUT", "/_stcore/upload_file/a/b", 403),  # answered by the upload guard
    ):
        status, headers, _ = request(served.url + path, method, data=b"x" if method in ("PUT", "POST") else None)
        assert status == expected, path
        assert headers.get_all("Content-Security-Policy") == [f"frame-ancestors 'self' {NEWS}"], path
        assert headers.get_all("X-Frame-Options") == ["SAMEORIGIN"], path


def test_no_parent_page_may_steer_the_dashboard(served):
    """Streamlit's host-config names the origins whose page, framing the app, may send it commands;
    its default names every *.streamlit.app page. .streamlit/config.toml empties the list."""
    status, _, body = request(served.url + "/_stcore/host-config")
    assert status == 200 and json.loads(body)["allowedOrigins"] == []
