"""The dashboard served by several processes: nginx in front, supervisord over the Streamlit workers.

One Streamlit process runs Python on one core at a time, so more readers need more processes. A
reader's session lives in the process that opened it: its websocket, and the files its downloads
make (``/made-files/…``). nginx must therefore send every request of a tab to the worker that holds
its session.

Open-source nginx has no sticky cookie of its own, so the site rendered here sets one that names the
worker which answered (``qantar_worker=w2``) and routes every request that carries it to that worker. A
request without it (a first visit, or a cookie naming no worker) goes to the worker with the fewest open
connections, that is the fewest sessions. When the named worker does not answer (killed, restarting),
the request goes to another one and the cookie is rewritten to name it, so the tab's new session and its
downloads stay together there, also once the first worker is back (docs/serving.md "Serving many readers" says
why neither a hash of the cookie nor ``ip_hash`` does that).

In front of that site sits nginx's ``stream`` module: it counts every TCP connection of an address
from the moment it is accepted and closes those past :data:`TCP_CONNECTIONS_PER_ADDRESS`, then hands
the rest to the site over a Unix socket, with the reader's address in a PROXY protocol header. The
site's own ``limit_conn`` counts only requests whose header has arrived, so without the front one
address holding a thousand half-sent requests took every connection nginx had (docs/deploy.md).

Everything is rendered from one place for any number of workers: ``make serve`` writes its own copy into
a run directory (``python -m geo serve-config``), and the files in ``deploy/`` are the renderings for the
documented public set-up, which the tests keep equal to what these functions produce.
"""

from __future__ import annotations

import math
import shlex
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from geo import framing

#: The routing cookie nginx sets: the name of the worker that holds the tab's session.
COOKIE = "qantar_worker"
#: The share of a core a worker is kept under (docs/serving.md "When to add workers"): past it, its reruns
#: queue. ``make loadtest`` counts the readers one worker serves at it; deploy/k8s/hpa.yaml scales at it.
WORKER_CPU_SHARE = 0.6
#: What the hardening of the public site allows one address (README "Robustness").
RATE = "10r/s"
BURST = 40
STATIC_RATE = "50r/s"
STATIC_BURST = 200
#: The data API (/api/): one request may make a file of many rows, so an address gets fewer of them
#: than of pages, in a zone of their own; past it nginx answers 429 (with CORS, so scripts can read it).
API_RATE = "2r/s"
API_BURST = 10
#: What every answer of /api/ says to browsers (geo.api.routes sends the same; nginx's replace them,
#: so that its own 429 carries them too and no answer carries them twice).
API_CORS = (
    ("Access-Control-Allow-Origin", "*"),
    ("Access-Control-Allow-Methods", "GET, HEAD, OPTIONS"),
    ("Access-Control-Expose-Headers", "Link, X-Total-Count, Content-Language"),
)
CONNECTIONS_PER_ADDRESS = 20
#: TCP connections one address may hold, counted as they are accepted: 20 tabs' websockets and the
#: connection pools (six each) of a few browsers behind one NAT.
TCP_CONNECTIONS_PER_ADDRESS = 64
#: How long a client may take to send a request's header or the next piece of its body, or to take
#: the next piece of an answer, before it is cut off (and the connection reset, not lingered on).
CLIENT_TIMEOUT = "10s"
SEND_TIMEOUT = "20s"
#: An idle kept-alive connection is closed after this: it counts against its address's TCP cap.
KEEPALIVE_TIMEOUT = "15s"
#: Readers one worker serves well (README "What one worker holds"); the connection sizing follows it.
READERS_PER_WORKER = 50
#: nginx's connections per reader at worst: its websocket passes the front, the site and the worker
#: (4), and a first view opens six more connections through the front and the site (3 each).
CONNECTIONS_PER_READER = 4 + 6 * 3
#: Addresses that may each hold their whole TCP cap (3 of nginx's connections per TCP connection:
#: the front's, its link to the site, the site's) while every promised reader is still served.
CAPPED_ADDRESSES = 16
#: Where Debian's libnginx-mod-stream puts the stream module.
STREAM_MODULE = "/usr/lib/nginx/modules/ngx_stream_module.so"
#: Types nginx compresses (HTML always is): Streamlit sends its scripts and styles uncompressed.
GZIP_TYPES = ("application/javascript", "text/css", "application/json", "image/svg+xml", "text/csv")


@dataclass(frozen=True)
class Worker:
    """One Streamlit process: ``streamlit run serve.py`` on ``host:port``."""

    number: int
    port: int
    host: str = "127.0.0.1"

    @property
    def name(self) -> str:
        return f"w{self.number}"

    @property
    def address(self) -> str:
        return f"{self.host}:{self.port}"

    @property
    def program(self) -> str:
        """Its name under supervisord."""
        return f"worker-{self.number}"


def workers(count: int, first_port: int = 8501, host: str = "127.0.0.1") -> list[Worker]:
    """``count`` workers on consecutive ports from ``first_port``."""
    if count < 1:
        raise ValueError(f"at least one worker is needed, not {count}")
    return [Worker(n, first_port + n - 1, host) for n in range(1, count + 1)]


@dataclass(frozen=True)
class Tls:
    certificate: str
    key: str


def _regex_escape(address: str) -> str:
    return address.replace(".", r"\.")


def worker_connections(workers: int) -> int:
    """nginx's ``worker_connections`` for ``workers`` Streamlit workers (one nginx process): their
    readers at worst, plus :data:`CAPPED_ADDRESSES` addresses at their cap, rounded up to a multiple of 1024."""
    needed = workers * READERS_PER_WORKER * CONNECTIONS_PER_READER + CAPPED_ADDRESSES * TCP_CONNECTIONS_PER_ADDRESS * 3
    return math.ceil(needed / 1024) * 1024


def open_files(workers: int) -> int:
    """``worker_rlimit_nofile``: one descriptor per connection, and as many again for the buffers,
    logs and temporary files of a busy moment."""
    return 2 * worker_connections(workers)


def _framing_headers(allowed: Sequence[str], indent: str) -> list[str]:
    return [f'{indent}add_header {name} "{value}" always;' for name, value in framing.headers(allowed)]


def nginx_site(
    pool: Sequence[Worker],
    *,
    socket: str,
    server_name: str = "_",
    tls: Tls | None = None,
    frame_ancestors: Sequence[str] = (framing.SELF,),
) -> str:
    """The nginx configuration of the dashboard, to include inside ``http {}``: rate limits, sticky
    sessions over ``pool``, websockets, no uploads, no metrics, compressed static files, the framing
    policy of ``frame_ancestors``. It listens on the Unix ``socket`` the front (:func:`nginx_front`)
    passes connections to."""
    if not pool:
        raise ValueError("no worker to proxy to")
    framed = _framing_headers(frame_ancestors, "    ")
    framed_here = _framing_headers(frame_ancestors, "        ")
    secure = "; Secure" if tls else ""
    cookie = f"Path=/; HttpOnly; SameSite=Lax{secure}"
    lines = [
        f"# The dashboard behind nginx: {len(pool)} Streamlit workers, sticky sessions, rate limits, no uploads.",
        "# Rendered by `python -m geo serve-config` (src/geo/serving.py); include it inside http {}",
        "# (e.g. as /etc/nginx/conf.d/qantar.conf), behind the stream {} front of nginx.conf (docs/deploy.md).",
        f"limit_req_zone $binary_remote_addr zone=qantar:10m rate={RATE};",
        "# A first view fetches some seventy scripts, styles and fonts at once: they have a limit of their own.",
        f"limit_req_zone $binary_remote_addr zone=qantar_static:10m rate={STATIC_RATE};",
        "# The data API's requests (/api/) have a limit of their own.",
        f"limit_req_zone $binary_remote_addr zone=qantar_api:10m rate={API_RATE};",
        "limit_conn_zone $binary_remote_addr zone=qantar_conn:10m;",
        "",
        "# A tab without a routing cookie goes to the worker with the fewest connections (open sessions);",
        "# a worker that refuses connections is left out for a few seconds.",
        "upstream qantar_workers {",
        "    least_conn;",
        *(f"    server {w.address} max_fails=1 fail_timeout=5s;" for w in pool),
        "}",
        *(f"upstream qantar_{w.name} {{ server {w.address}; }}" for w in pool),
        "",
        "# The cookie names the worker that holds the tab's session; any other value counts as none.",
        f"map $cookie_{COOKIE} $qantar_upstream {{",
        "    default qantar_workers;",
        *(f"    {w.name} qantar_{w.name};" for w in pool),
        "}",
        "# Set on every answer a worker gave: it names that worker (the last one tried).",
        "map $upstream_addr $qantar_route_cookie {",
        '    default "";',
        *(f'    ~{_regex_escape(w.address)}$ "{COOKIE}={w.name}; {cookie}";' for w in pool),
        "}",
        "",
        "server {",
    ]
    lines += [
        f"    listen unix:{socket}{' ssl' if tls else ''} proxy_protocol;",
        f"    server_name {server_name};",
    ]
    if tls:
        lines += [f"    ssl_certificate     {tls.certificate};", f"    ssl_certificate_key {tls.key};"]
    lines += [
        "    # Every connection comes from the front (stream {}): the reader's address is in its PROXY header.",
        "    set_real_ip_from unix:;",
        "    real_ip_header proxy_protocol;",
        "",
        "    # A client that stalls is cut off soon and its connection reset, not held (docs/deploy.md).",
        f"    client_header_timeout {CLIENT_TIMEOUT};",
        f"    client_body_timeout {CLIENT_TIMEOUT};",
        f"    send_timeout {SEND_TIMEOUT};",
        f"    keepalive_timeout {KEEPALIVE_TIMEOUT};",
        "    reset_timedout_connection on;",
        "",
        "    # Which sites may show the dashboard in a frame (geo.framing); the workers' copies are dropped.",
        "    proxy_hide_header Content-Security-Policy;",
        "    proxy_hide_header X-Frame-Options;",
        *framed,
        "    # (a location with an add_header of its own repeats these: nginx does not merge them)",
        "",
        "    client_max_body_size 1m;                 # nothing is uploaded",
        f"    limit_req  zone=qantar burst={BURST} nodelay;",
        f"    limit_conn qantar_conn {CONNECTIONS_PER_ADDRESS};               # tabs per address (one websocket each)",
        "",
        "    gzip on;",
        "    gzip_proxied any;",
        "    gzip_vary on;",
        "    gzip_min_length 1024;",
        f"    gzip_types {' '.join(GZIP_TYPES)};",
        "",
        "    proxy_http_version 1.1;",
        "    proxy_set_header Host $http_host;        # needed: the websocket's Origin must match the Host",
        "    proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;",
        "    proxy_set_header X-Forwarded-Proto $scheme;",
        "    proxy_connect_timeout 2s;                # a worker that does not accept is given up at once",
        "    proxy_read_timeout 60s;",
        "    # The named worker is down: another one takes the tab (and the cookie follows it).",
        "    error_page 502 504 = @qantar_rebalance;",
        "",
        "    location /_stcore/metrics { return 404; }   # session counts and cache sizes: for operators only",
        "    # The dashboard has no upload widget; serve.py refuses the route too.",
        "    location /_stcore/upload_file { return 403; }",
        "",
        "    location /_stcore/stream {               # the tab's websocket: one per session",
        "        proxy_pass http://$qantar_upstream;",
        "        proxy_set_header Upgrade $http_upgrade;",
        '        proxy_set_header Connection "upgrade";',
        "        proxy_buffering off;",
        "        proxy_read_timeout 1h;               # an open tab keeps its websocket",
        "        proxy_send_timeout 1h;",
        "        add_header Set-Cookie $qantar_route_cookie always;",
        *framed_here,
        "    }",
        "    location /static/ {                      # the same files on every worker: no session needed",
        f"        limit_req zone=qantar_static burst={STATIC_BURST} nodelay;",
        "        proxy_pass http://qantar_workers;",
        "    }",
        "    location /api/ {                         # the data API: any worker, no session; its own limit",
        f"        limit_req zone=qantar_api burst={API_BURST} nodelay;",
        "        limit_req_status 429;",
        "        proxy_pass http://qantar_workers;",
        # a proxy_hide_header here replaces the server's: the workers' framing headers are dropped again
        "        proxy_hide_header Content-Security-Policy;",
        "        proxy_hide_header X-Frame-Options;",
        *(f"        proxy_hide_header {name};" for name, _ in API_CORS),
        *(f'        add_header {name} "{value}" always;' for name, value in API_CORS),
        *framed_here,
        "    }",
        "    location / {                             # the page, made downloads, health",
        "        proxy_pass http://$qantar_upstream;",
        "        add_header Set-Cookie $qantar_route_cookie always;",
        *framed_here,
        "    }",
        "    location @qantar_rebalance {",
        "        proxy_pass http://qantar_workers;",
        "        proxy_set_header Upgrade $http_upgrade;",
        '        proxy_set_header Connection "upgrade";',
        "        proxy_buffering off;",
        "        proxy_read_timeout 1h;",
        "        proxy_send_timeout 1h;",
        "        add_header Set-Cookie $qantar_route_cookie always;",
        *framed_here,
        "    }",
        "}",
    ]
    return "\n".join(lines) + "\n"


def nginx_front(listen: str, socket: str) -> list[str]:
    """The ``stream {}`` block in front of the site: a cap on each address's TCP connections that
    counts them as they are accepted, before a byte of the request has come."""
    return [
        "# Each address's TCP connections are counted as soon as they are accepted, a half-sent request",
        "# too (the site's limit_conn sees only requests whose header has arrived); past the cap they are",
        "# closed at once. The rest go to the site with the reader's address in a PROXY protocol header.",
        "stream {",
        "    limit_conn_zone $binary_remote_addr zone=qantar_tcp:10m;",
        "    server {",
        f"        listen {listen};",
        f"        limit_conn qantar_tcp {TCP_CONNECTIONS_PER_ADDRESS};",
        f"        proxy_pass unix:{socket};",
        "        proxy_protocol on;",
        "        proxy_connect_timeout 2s;",
        "        proxy_timeout 1h;                    # as long as an open tab's websocket may stay quiet",
        "    }",
        "}",
    ]


def _sizing(workers: int) -> tuple[str, str]:
    return (
        f"worker_rlimit_nofile {open_files(workers)};",
        f"events {{ worker_connections {worker_connections(workers)}; }}   # readers and capped addresses (serving.py)",
    )


def nginx_main(
    site: Path,
    run_dir: Path,
    *,
    listen: str,
    workers: int,
    mime_types: str = "/etc/nginx/mime.types",
    stream_module: str = STREAM_MODULE,
) -> str:
    """A whole ``nginx.conf`` for ``make serve``: in the foreground under supervisord, every file it
    writes (pid, logs, buffers, the site's socket) inside ``run_dir``, the front on ``listen`` and
    the site included, sized for ``workers`` workers."""
    temp = run_dir / "nginx-temp"
    rlimit, events = _sizing(workers)
    return "\n".join(
        [
            "# nginx for `make serve`, under supervisord; rendered by `python -m geo serve-config`.",
            f"load_module {stream_module};",
            "daemon off;",
            "worker_processes 1;                          # the cores are the workers'",
            rlimit,
            f"pid {run_dir / 'nginx.pid'};",
            "error_log stderr warn;",
            events,
            *nginx_front(listen, str(site_socket(run_dir))),
            "http {",
            f"    include {mime_types};",
            "    default_type application/octet-stream;",
            f"    access_log {run_dir / 'nginx-access.log'};",
            *(f"    {kind}_temp_path {temp / kind};" for kind in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi")),
            f"    include {site};",
            "}",
            "",
        ]
    )


def site_socket(run_dir: Path) -> Path:
    """Where ``make serve``'s site listens for the front."""
    return run_dir / "qantar-site.sock"


def public_nginx_main(site: str, *, listen: str, socket: str, workers: int) -> str:
    """The public set-up's ``/etc/nginx/nginx.conf`` (Debian's nginx and libnginx-mod-stream): the
    sizing, the front on ``listen`` and the site of ``site`` (a path) behind it."""
    rlimit, events = _sizing(workers)
    return "\n".join(
        [
            "# /etc/nginx/nginx.conf for the dashboard (Debian's nginx and libnginx-mod-stream), in place of",
            "# Debian's own; rendered by `python -m geo serve-config --examples` (src/geo/serving.py). docs/deploy.md",
            "user www-data;",
            "worker_processes 1;",
            rlimit,
            "pid /run/nginx.pid;",
            "error_log /var/log/nginx/error.log;",
            "include /etc/nginx/modules-enabled/*.conf;     # Debian's modules: the stream module among them",
            events,
            *nginx_front(listen, socket),
            "http {",
            "    include /etc/nginx/mime.types;",
            "    default_type application/octet-stream;",
            "    access_log /var/log/nginx/access.log;",
            "    server_tokens off;",
            f"    include {site};",
            "}",
            "",
        ]
    )


def worker_command(python: str, worker: Worker, script: str = "serve.py") -> list[str]:
    """What one worker runs: ``make run``'s command, headless, on the worker's own port, and
    without watching the code for changes: a served worker's code changes only by a restart, and
    the watch polls files in a thread of its own all the time. (The data is still re-read when it
    changes: the dashboard checks the data files' stamps on every run, not through this watch.)"""
    return [
        python,
        "-m",
        "streamlit",
        "run",
        script,
        "--server.headless",
        "true",
        "--server.fileWatcherType",
        "none",
        "--server.address",
        worker.host,
        "--server.port",
        str(worker.port),
    ]


def _environment(values: dict[str, str]) -> str:
    return ",".join(f'{k}="{v}"' for k, v in values.items())


def supervisord(
    pool: Sequence[Worker],
    *,
    root: Path,
    run_dir: Path,
    python: str,
    environment: dict[str, str] | None = None,
    nginx: tuple[str, Path] | None = None,
    foreground: bool = True,
    user: str | None = None,
) -> str:
    """supervisord's configuration: the workers (restarted when they die), and nginx when ``nginx``
    is given as (the binary, its ``nginx.conf`` as :func:`nginx_main` renders it for ``run_dir``). Its control socket and logs live in ``run_dir``;
    ``user``: the account the workers run as, when supervisord starts as root."""
    env = {"MALLOC_ARENA_MAX": "2", **(environment or {})}  # as `make run` (see the Makefile)
    lines = [
        "; The dashboard's workers under supervisord; rendered by `python -m geo serve-config`.",
        "[supervisord]",
        f"nodaemon={'true' if foreground else 'false'}",
        f"logfile={run_dir / 'supervisord.log'}",
        f"pidfile={run_dir / 'supervisord.pid'}",
        f"childlogdir={run_dir}",
        "",
        "[unix_http_server]",
        f"file={run_dir / 'supervisor.sock'}",
        "chmod=0700",
        "",
        "[supervisorctl]",
        f"serverurl=unix://{run_dir / 'supervisor.sock'}",
        "",
        "[rpcinterface:supervisor]",
        "supervisor.rpcinterface_factory = supervisor.rpcinterface:make_main_rpcinterface",
    ]
    for w in pool:
        lines += [
            "",
            f"[program:{w.program}]",
            f"command={shlex.join(worker_command(python, w))}",
            f"directory={root}",
            *([f"user={user}"] if user else []),
            f"environment={_environment(env)}",
            "autorestart=true",
            "startsecs=3",
            "stopwaitsecs=10",
            "stopasgroup=true",
            "killasgroup=true",
            "redirect_stderr=true",
            f"stdout_logfile={run_dir / (w.program + '.log')}",
            "priority=10",
        ]
    if nginx:
        binary, conf = nginx
        start = shlex.join([binary, "-e", "stderr", "-p", str(run_dir), "-c", str(conf)])
        # nginx removes its site's socket when it stops, but not when it is killed, and then cannot bind it
        clear = f"rm -f {shlex.quote(str(site_socket(run_dir)))} && exec {start}"
        lines += [
            "",
            "[program:nginx]",
            f"command={shlex.join(['/bin/sh', '-c', clear])}",
            "autorestart=true",
            "startsecs=1",
            "redirect_stderr=true",
            f"stdout_logfile={run_dir / 'nginx.log'}",
            "priority=20",
        ]
    return "\n".join(lines) + "\n"


#: Where the public set-up of ``deploy/`` lives on its server (docs/serving.md "Serving many readers").
PUBLIC_ROOT = Path("/srv/qantar")
PUBLIC_HOST = "qantar.example.org"
#: Where the public site listens for the front (nginx's master creates it, and opens it to its workers).
PUBLIC_SOCKET = "/run/nginx-qantar.sock"


def examples() -> dict[str, str]:
    """The files of ``deploy/`` (by path inside it) for the public set-up: two workers under
    supervisord in ``/srv/qantar``, the system's nginx in front with TLS. ``python -m geo
    serve-config --examples deploy`` writes them; the tests keep them equal to this."""
    pool = workers(2)
    certificates = Path("/etc/letsencrypt/live") / PUBLIC_HOST
    return {
        "nginx/nginx.conf": public_nginx_main(
            "/etc/nginx/conf.d/qantar.conf", listen="443", socket=PUBLIC_SOCKET, workers=len(pool)
        ),
        "nginx/qantar.conf": nginx_site(
            pool,
            socket=PUBLIC_SOCKET,
            server_name=PUBLIC_HOST,
            tls=Tls(str(certificates / "fullchain.pem"), str(certificates / "privkey.pem")),
        ),
        "supervisord.conf": supervisord(
            pool,
            root=PUBLIC_ROOT,
            run_dir=PUBLIC_ROOT / "run",
            python=str(PUBLIC_ROOT / ".venv" / "bin" / "python"),
            environment={"GEO_DATA_DIR": str(PUBLIC_ROOT / "data")},
            user="qantar",
        ),
    }
