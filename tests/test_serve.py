"""Several workers behind nginx (``make serve``, :mod:`geo.serving`): the rendered configurations,
the files of ``deploy/`` (nginx, supervisord, the container and the Kubernetes manifests), and a
real deployment of two workers on 127.0.0.1: sticky sessions, downloads, hardening, a killed worker.

The live tests need nginx (``make test`` installs Debian's package first); without it they skip,
loudly, and fail in CI."""

from __future__ import annotations

import asyncio
import re
import subprocess
import sys

import pytest
import yaml
from websockets.exceptions import ConnectionClosed, InvalidStatus

from geo import serving
from geo.bench.client import Session, run_async
from geo.dashboard import made_downloads

from server_support import ROOT, ServedBehindProxy, request, require_nginx
from testdata import SAMPLE

DEPLOY = ROOT / "deploy"
K8S = DEPLOY / "k8s"
#: The Kubernetes version the manifests are checked against (strict: no unknown field).
KUBERNETES = "1.33"


# --- the rendered configurations --------------------------------------------------------------


def test_one_upstream_and_one_cookie_value_per_worker():
    pool = serving.workers(3, first_port=9001)
    site = serving.nginx_site(pool, socket="/run/q.sock")
    assert [w.address for w in pool] == ["127.0.0.1:9001", "127.0.0.1:9002", "127.0.0.1:9003"]
    group = site.split("upstream qantar_workers {", 1)[1].split("}", 1)[0]
    assert re.findall(r"server (\S+) ", group) == [w.address for w in pool]
    for w in pool:
        assert f"upstream qantar_{w.name} {{ server {w.address}; }}" in site
        assert f"    {w.name} qantar_{w.name};" in site  # the cookie's value routes to that worker
        assert f'~127\\.0\\.0\\.1:{w.port}$ "qantar_worker={w.name}; Path=/; HttpOnly; SameSite=Lax";' in site
    assert "Secure" not in site  # no TLS here: a Secure cookie would never come back


def test_the_site_keeps_the_public_hardening():
    site = serving.nginx_site(
        serving.workers(2), socket="/run/q.sock", server_name="x.example", tls=serving.Tls("/c.pem", "/k.pem")
    )
    for line in (
        "limit_req_zone $binary_remote_addr zone=qantar:10m rate=10r/s;",
        "limit_req  zone=qantar burst=40 nodelay;",
        "limit_conn qantar_conn 20;",
        "client_max_body_size 1m;",
        "location /_stcore/upload_file { return 403; }",
        "location /_stcore/metrics { return 404; }",
        "ssl_certificate     /c.pem;",
        "proxy_set_header Upgrade $http_upgrade;",
        "proxy_buffering off;",
        "gzip_types application/javascript text/css application/json image/svg+xml text/csv;",
    ):
        assert line in site, line
    assert "; Secure" in site


def test_no_workers_is_refused():
    with pytest.raises(ValueError):
        serving.workers(0)
    with pytest.raises(ValueError):
        serving.nginx_site([], socket="/run/q.sock")


def test_each_worker_runs_make_runs_command_under_supervisord(tmp_path):
    pool = serving.workers(2, first_port=8601)
    conf = serving.supervisord(
        pool,
        root=tmp_path,
        run_dir=tmp_path / "run",
        python="/venv/bin/python",
        nginx=("/usr/sbin/nginx", tmp_path / "n.conf"),
    )
    for w in pool:
        section = conf.split(f"[program:{w.program}]\n", 1)[1].split("\n\n", 1)[0]
        assert section.startswith(
            f"command=/venv/bin/python -m streamlit run serve.py --server.headless true --server.fileWatcherType none "
            f"--server.address 127.0.0.1 --server.port {w.port}\n"
        )
        assert 'environment=MALLOC_ARENA_MAX="2"' in section and "autorestart=true" in section
    nginx = f"/usr/sbin/nginx -e stderr -p {tmp_path / 'run'} -c {tmp_path / 'n.conf'}"
    # a killed nginx leaves its site's socket behind, and could not bind it again
    assert f"command=/bin/sh -c 'rm -f {tmp_path / 'run' / 'qantar-site.sock'} && exec {nginx}'" in conf


def test_the_files_in_deploy_are_the_renderings():
    """deploy/nginx/qantar.conf and deploy/supervisord.conf are what geo.serving renders for the
    public set-up (`python -m geo serve-config --examples deploy` writes them)."""
    for name, text in serving.examples().items():
        assert (DEPLOY / name).read_text(encoding="utf-8") == text, f"deploy/{name} is stale"


def test_the_cli_writes_the_three_files(tmp_path):
    result = subprocess.run(
        [sys.executable, "-m", "geo", "serve-config", "--workers", "3", "--first-port", "9101"]
        + ["--listen", "127.0.0.1:9100", "--run-dir", str(tmp_path), "--root", str(ROOT), "--nginx", "/x/nginx"],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    site = (tmp_path / "qantar.conf").read_text()
    assert f"listen unix:{tmp_path / 'qantar-site.sock'} proxy_protocol;" in site and "server 127.0.0.1:9103 " in site
    main = (tmp_path / "nginx.conf").read_text()
    assert f"include {tmp_path / 'qantar.conf'};" in main
    assert "        listen 127.0.0.1:9100;" in main and f"proxy_pass unix:{tmp_path / 'qantar-site.sock'};" in main
    supervisor = (tmp_path / "supervisord.conf").read_text()
    assert supervisor.count("[program:worker-") == 3 and " && exec /x/nginx -e stderr " in supervisor
    bad = subprocess.run(
        [sys.executable, "-m", "geo", "serve-config", "--workers", "0", "--run-dir", str(tmp_path)],
        capture_output=True,
        text=True,
        timeout=60,
        cwd=ROOT,
    )
    assert bad.returncode == 2 and "at least one worker" in bad.stderr
    deep = tmp_path / ("d" * 100)
    long = subprocess.run(
        [sys.executable, "-m", "geo", "serve-config", "--run-dir", str(deep), "--root", str(ROOT)],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert long.returncode == 2 and "too long a path" in long.stderr and not deep.exists()


def test_nginx_accepts_what_make_serve_renders(tmp_path):
    nginx = require_nginx()
    subprocess.run(
        [sys.executable, "-m", "geo", "serve-config", "--run-dir", str(tmp_path), "--root", str(ROOT)]
        + ["--listen", "127.0.0.1:9200", "--first-port", "9201", "--nginx", nginx],
        check=True,
        capture_output=True,
        timeout=60,
    )
    result = subprocess.run(
        [nginx, "-t", "-e", "stderr", "-p", str(tmp_path), "-c", str(tmp_path / "nginx.conf")],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr


# --- the container and the Kubernetes manifests ---------------------------------------------------


def manifests() -> list[tuple[str, dict]]:
    return [
        (path.name, doc)
        for path in sorted(K8S.glob("*.yaml"))
        for doc in yaml.safe_load_all(path.read_text(encoding="utf-8"))
        if doc
    ]


def test_the_manifests_validate_against_the_kubernetes_schemas():
    import kubernetes_validate

    kinds = set()
    for name, doc in manifests():
        # strict: an unknown or misspelt field is an error too
        assert kubernetes_validate.validate(doc, KUBERNETES, strict=True) == KUBERNETES, name
        kinds.add(doc["kind"])
    assert kinds == {
        "Deployment",
        "Service",
        "Ingress",
        "PodDisruptionBudget",
        "PersistentVolumeClaim",
        "HorizontalPodAutoscaler",
    }


def test_the_autoscaler_keeps_each_pod_at_the_cpu_share_the_readers_per_worker_are_counted_at():
    [hpa] = [doc for _, doc in manifests() if doc["kind"] == "HorizontalPodAutoscaler"]
    [deployment] = [doc for _, doc in manifests() if doc["kind"] == "Deployment"]
    [budget] = [doc for _, doc in manifests() if doc["kind"] == "PodDisruptionBudget"]
    spec = hpa["spec"]
    assert spec["scaleTargetRef"] == {"apiVersion": "apps/v1", "kind": "Deployment", "name": "qantar-map"}
    assert deployment["metadata"]["name"] == "qantar-map"
    [metric] = spec["metrics"]
    assert metric["resource"]["name"] == "cpu"
    assert metric["resource"]["target"] == {
        "type": "AverageValue",
        "averageValue": f"{round(serving.WORKER_CPU_SHARE * 1000)}m",
    }
    # never below the replicas the Deployment starts with, nor below what the disruption budget keeps
    assert spec["minReplicas"] >= deployment["spec"]["replicas"] > budget["spec"]["minAvailable"]
    assert spec["maxReplicas"] > spec["minReplicas"]
    # a pod taken away moves its readers: one at a time, after the load has stayed low for a while
    assert spec["behavior"]["scaleDown"]["policies"] == [{"type": "Pods", "value": 1, "periodSeconds": 300}]
    assert spec["behavior"]["scaleDown"]["stabilizationWindowSeconds"] >= 300


def test_a_misspelt_field_does_not_validate():
    import kubernetes_validate

    [deployment] = [doc for _, doc in manifests() if doc["kind"] == "Deployment"]
    container = deployment["spec"]["template"]["spec"]["containers"][0]
    container["readinesProbe"] = container.pop("readinessProbe")
    with pytest.raises(kubernetes_validate.ValidationError):
        kubernetes_validate.validate(deployment, KUBERNETES, strict=True)


def test_the_deployment_probes_health_and_reads_its_data_read_only():
    [deployment] = [doc for _, doc in manifests() if doc["kind"] == "Deployment"]
    pod = deployment["spec"]["template"]["spec"]
    [dashboard] = pod["containers"]
    assert deployment["spec"]["replicas"] == 2
    for probe in ("readinessProbe", "livenessProbe", "startupProbe"):
        assert dashboard[probe]["httpGet"] == {"path": "/_stcore/health", "port": "http"}, probe
    assert dashboard["ports"] == [{"name": "http", "containerPort": 8501}]
    assert {"name": "MALLOC_ARENA_MAX", "value": "2"} in dashboard["env"]
    requests, limits = dashboard["resources"]["requests"], dashboard["resources"]["limits"]
    assert requests["memory"] == "384Mi" and limits["memory"] == "768Mi"  # docs/serving.md "More machines"
    for container in [dashboard, *pod["initContainers"]]:
        data = next(m for m in container["volumeMounts"] if m["name"] == "data")
        assert data["readOnly"] is True, container["name"]
    [warm] = pod["initContainers"]
    assert warm["command"] == ["python", "-m", "geo", "validate", "--quiet", "--warm-cache"]
    volumes = {v["name"]: v for v in pod["volumes"]}
    assert volumes["data"]["persistentVolumeClaim"]["readOnly"] is True
    assert "emptyDir" in volumes["cache"]  # each replica's own cache: nothing shared but the files


def test_the_ingress_sticks_by_cookie_and_refuses_metrics_and_uploads():
    ingresses = {doc["metadata"]["name"]: doc for _, doc in manifests() if doc["kind"] == "Ingress"}
    public = ingresses["qantar-map"]["metadata"]["annotations"]
    prefix = "nginx.ingress.kubernetes.io/"
    assert public[prefix + "affinity"] == "cookie"
    assert public[prefix + "affinity-mode"] == "persistent"
    assert public[prefix + "session-cookie-name"] == serving.COOKIE
    assert public[prefix + "session-cookie-change-on-failure"] == "true"
    assert int(public[prefix + "proxy-read-timeout"]) >= 3600  # an open tab keeps its websocket
    refused = ingresses["qantar-map-refused"]
    assert refused["metadata"]["annotations"][prefix + "denylist-source-range"] == "0.0.0.0/0,::/0"
    paths = [p["path"] for rule in refused["spec"]["rules"] for p in rule["http"]["paths"]]
    assert paths == ["/_stcore/metrics", "/_stcore/upload_file"]
    # a first view's seventy scripts and styles have their own limit, as in deploy/nginx/qantar.conf
    static = ingresses["qantar-map-static"]
    assert [p["path"] for rule in static["spec"]["rules"] for p in rule["http"]["paths"]] == ["/static/"]
    rps, burst = (int(static["metadata"]["annotations"][prefix + k]) for k in ("limit-rps", "limit-burst-multiplier"))
    assert rps * burst >= serving.STATIC_BURST
    # the data API: a limit of its own, the one make serve's nginx gives /api/
    api = ingresses["qantar-map-api"]
    assert [p["path"] for rule in api["spec"]["rules"] for p in rule["http"]["paths"]] == ["/api/"]
    rps, burst = (int(api["metadata"]["annotations"][prefix + k]) for k in ("limit-rps", "limit-burst-multiplier"))
    assert f"{rps}r/s" == serving.API_RATE and rps * burst == serving.API_BURST


def test_the_dockerfile_builds_the_cache_runs_unprivileged_and_checks_health():
    text = (DEPLOY / "Dockerfile").read_text(encoding="utf-8")
    assert text.startswith("#") and "\nFROM python:3.11-slim\n" in text
    assert "python -m geo validate --quiet --warm-cache" in text
    assert "\nUSER qantar\n" in text
    assert "HEALTHCHECK" in text and "/_stcore/health" in text
    assert '"serve.py"' in text  # the guarded app, as make run serves it


def test_warm_cache_stores_the_cache(sample_copy, tmp_path):
    import os

    env = {**os.environ, "GEO_CACHE_DIR": str(tmp_path / "cache")}
    result = subprocess.run(
        [sys.executable, "-m", "geo", "validate", "--quiet", "--warm-cache", "--data-dir", str(sample_copy)],
        capture_output=True,
        text=True,
        timeout=120,
        env=env,
    )
    assert result.returncode == 0, result.stderr
    assert "cache stored" in result.stdout
    assert list((tmp_path / "cache").glob("*/meta.json"))


def test_a_made_download_outlives_other_readers_runs_and_goes_with_its_session():
    """One process, two sessions: A asks for its CSV, B reruns twice, then A fetches the file (twice,
    as the browser does). Streamlit alone deleted it by then (two runs of any session end); serve.py
    keeps it in its own store (geo.dashboard.made_downloads): A's own next run and a second click
    get the same file, and it goes once A's session has ended."""
    from server_support import Server

    async def race(url: str) -> tuple[list[int], str, str, int]:
        reader, other = Session(url), Session(url)
        try:
            await reader.connect()
            await other.connect()
            run = await reader.run(page_name="cases")
            await other.run()
            made = await reader.download_url(csv_button(run).deferred_file_id)
            for _ in range(2):
                await other.run()
            kept = [(await reader.get(made)).status for _ in range(2)]
            again = await reader.run(page_name="cases")
            asked_again = await reader.download_url(csv_button(again).deferred_file_id)
            await reader.close()  # A's session ends: its files go at the next sweep
            deadline = asyncio.get_running_loop().time() + 120
            status = (await other.get(made)).status
            while status == 200 and asyncio.get_running_loop().time() < deadline:
                await asyncio.sleep(0.5)  # between two polls of the file's state
                status = (await other.get(made)).status
            return kept, made, asked_again, status
        finally:
            await reader.close()
            await other.close()

    with Server(SAMPLE) as server:
        kept, made, asked_again, gone = run_async(lambda: race(server.url))
    assert kept == [200, 200]
    assert asked_again == made  # the same filter, language and format: the file already made
    assert gone == 404


# --- a real deployment: two workers under supervisord, nginx in front ------------------------------


@pytest.fixture(scope="module")
def served():
    nginx = require_nginx()
    with ServedBehindProxy(2, data_dir=SAMPLE, nginx=nginx) as deployment:
        yield deployment


async def open_cases(url: str, cookies: dict | None = None) -> tuple[Session, object]:
    session = Session(url, origin=url)
    session.cookies.update(cookies or {})
    if not cookies:
        assert (await session.get("/")).status == 200  # the page: where the routing cookie is set
    await session.connect()
    run = await session.run(page_name="cases")
    assert run.status == "finished" and not run.exceptions
    return session, run


def csv_button(run):
    [button] = [b for b in run.of_type("download_button") if b.label == "CSV"]
    return button


def test_a_tab_its_websocket_and_its_downloads_reach_one_worker(served):
    async def visit():
        session, run = await open_cases(served.url)
        try:
            return session.cookies[serving.COOKIE], await session.download(csv_button(run).deferred_file_id)
        finally:
            await session.close()

    worker, answer = run_async(visit)
    assert answer.status == 200 and answer.content_type.startswith("text/csv")
    assert answer.body.decode("utf-8-sig").startswith("case_id,")
    assert answer.path.startswith(f"/{made_downloads.ROUTE}/en/")
    [mine] = [w for w in served.pool if w.name == worker]
    [other] = [w for w in served.pool if w.name != worker]
    assert request(f"http://{mine.address}{answer.path}")[0] == 200  # the worker that made the file has it
    assert request(f"http://{other.address}{answer.path}")[0] == 404  # the other one never heard of it
    # through the proxy with the other worker's cookie the file is not found either: affinity is needed
    assert request(f"{served.url}{answer.path}", headers={"Cookie": f"{serving.COOKIE}={other.name}"})[0] == 404
    assert request(f"{served.url}{answer.path}", headers={"Cookie": f"{serving.COOKIE}={mine.name}"})[0] == 200


def test_readers_without_a_cookie_are_spread_over_the_workers(served):
    async def visits():
        sessions = []
        for _ in range(4):  # each keeps its websocket open: the next goes where fewer are
            session, _ = await open_cases(served.url)
            sessions.append(session)
        names = [s.cookies[serving.COOKIE] for s in sessions]
        for s in sessions:
            await s.close()
        return names

    names = run_async(visits)
    assert set(names) == {w.name for w in served.pool}, names


def test_the_proxy_refuses_metrics_and_uploads_and_compresses_scripts(served):
    for path in (
        "/_stcore/metrics",
        "/_stcore/metrics?families=active_sessions",
        "//_stcore/metrics",
        "/_stcore/metrics/x",
    ):
        status, _, body = request(served.url + path)
        assert status == 404 and b"session" not in body, path
    worker = served.pool[0]
    assert request(f"http://{worker.address}/_stcore/metrics")[0] == 200  # operators still have it, on the worker
    assert request(f"{served.url}/_stcore/upload_file/a/b", "PUT", data=b"x")[0] == 403
    status, _, page = request(served.url + "/")
    assert status == 200
    script = re.search(r'src="\./(static/js/index\.[^"]+\.js)"', page.decode())[1]
    status, headers, _ = request(f"{served.url}/{script}", headers={"Accept-Encoding": "gzip"})
    assert status == 200 and headers.get("Content-Encoding") == "gzip"
    assert serving.COOKIE not in (headers.get("Set-Cookie") or "")  # static files are the same everywhere
    status, headers, _ = request(f"{served.url}/_stcore/health")
    assert status == 200 and f"{serving.COOKIE}=w" in " ".join(headers.get_all("Set-Cookie"))


def test_every_answer_through_the_proxy_states_the_framing_policy_once(served):
    """nginx's answers (refusals, limits) and the workers' (page, scripts, health, downloads) alike:
    one Content-Security-Policy and one X-Frame-Options each (the workers' copies are replaced)."""
    status, _, page = request(served.url + "/")
    script = re.search(r'src="\./(static/js/index\.[^"]+\.js)"', page.decode())[1]
    for method, path, expected in (
        ("GET", "/", 200),
        ("GET", f"/{script}", 200),
        ("GET", "/_stcore/health", 200),
        ("GET", "/media/no-such-download.csv", 404),
        ("GET", "/_stcore/metrics", 404),
        ("PUT", "/_stcore/upload_file/a/b", 403),
    ):
        status, headers, _ = request(served.url + path, method, data=b"x" if method == "PUT" else None)
        assert status == expected, path
        assert headers.get_all("Content-Security-Policy") == ["frame-ancestors 'self'"], path
        assert headers.get_all("X-Frame-Options") == ["SAMEORIGIN"], path
    # a worker reached without nginx (make run) sends them too
    _, headers, _ = request(f"http://{served.pool[0].address}/_stcore/health")
    assert headers.get_all("X-Frame-Options") == ["SAMEORIGIN"]


def test_the_site_sees_each_readers_own_address(served):
    """The front passes the reader's address in the PROXY header: the site's per-address limits and
    its log see 127.0.0.3, not the front's socket (one address for everybody)."""
    import http.client

    connection = http.client.HTTPConnection("127.0.0.1", served.port, timeout=10, source_address=("127.0.0.3", 0))
    connection.request("GET", "/_stcore/health?from-127.0.0.3")
    assert connection.getresponse().status == 200
    connection.close()
    [line] = [
        line for line in (served.run_dir / "nginx-access.log").read_text().splitlines() if "from-127.0.0.3" in line
    ]
    assert line.startswith("127.0.0.3 "), line


def test_a_first_view_is_not_cut_by_the_rate_limits(served):
    """What a browser does on its first view: the page, then every script, style and font it names,
    six connections at a time. None may be refused by the per-address limits (a blank page)."""
    from concurrent.futures import ThreadPoolExecutor

    status, _, page = request(served.url + "/")
    assert status == 200
    assets = sorted(set(re.findall(r'(?:src|href)="\./([^"]+)"', page.decode())))
    assert len(assets) > serving.BURST  # more than the page's own limit lets through at once
    with ThreadPoolExecutor(6) as pool:
        statuses = list(pool.map(lambda path: request(f"{served.url}/{path}")[0], assets))
    assert statuses == [200] * len(assets), dict(zip(assets, statuses))


def test_websockets_from_another_origin_are_still_refused(served):
    async def connect(origin):
        session = await Session(served.url, origin=origin).connect()
        await session.close()

    with pytest.raises(InvalidStatus) as refused:
        run_async(lambda: connect("http://evil.example"))
    assert refused.value.response.status_code == 403
    run_async(lambda: connect(served.url))


def test_a_tab_whose_worker_dies_moves_to_another_with_its_view(served):
    """SIGKILL the tab's worker: the reconnecting websocket reaches the other worker, the cookie is
    rewritten to name it, the new session shows the filter of the URL, and downloads work there,
    also once supervisord has the killed worker answering again."""

    async def scenario():
        session, run = await open_cases(served.url)
        slider = run.widget("slider", "Date range")
        session.set(slider.id, double_array_value=[slider.min, slider.min + 86400e6 * 200])
        narrowed = await session.run(page_name="cases")
        description = narrowed.texts[0]
        assert description != run.texts[0] and session.query_string  # the filter is in the URL
        first = session.cookies[serving.COOKIE]
        victim = next(w for w in served.pool if w.name == first)
        old_pid = await asyncio.to_thread(served.kill, victim)
        with pytest.raises((ConnectionClosed, OSError)):  # the websocket is gone
            await session.run(page_name="cases", timeout=30)
        session.widgets.clear()  # a new session knows only the URL
        await session.connect()
        moved = session.cookies[serving.COOKIE]
        restored = await session.run(page_name="cases")
        await asyncio.to_thread(served.wait_worker, victim, 120, old_pid)
        answer = await session.download(csv_button(restored).deferred_file_id)
        await session.close()
        return first, moved, description, restored, answer

    first, moved, description, restored, answer = run_async(scenario)
    assert moved != first
    assert restored.status == "finished" and not restored.exceptions
    assert restored.texts[0] == description
    assert answer.status == 200 and answer.content_type.startswith("text/csv")
