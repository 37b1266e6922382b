"""``python -m geo serve-config --workers N --run-dir DIR``: nginx and supervisord configurations for
N Streamlit workers behind one proxy (what ``make serve`` starts; see :mod:`geo.serving`)."""

from __future__ import annotations

import os
import shutil
import sys
from pathlib import Path

from geo import framing, serving

#: Where Debian's nginx package puts the binary (``make nginx`` installs it).
NGINX = "/usr/sbin/nginx"


def register(sub, common) -> None:
    p = sub.add_parser(
        "serve-config",
        parents=[common],
        help="write the nginx and supervisord configurations for N workers behind one proxy",
        description="Writes DIR/qantar.conf (the site: sticky sessions, websockets, limits), DIR/nginx.conf "
        "(nginx in the foreground, its files in DIR) and DIR/supervisord.conf (the workers and nginx); "
        "start them with `supervisord -c DIR/supervisord.conf`.",
    )
    p.add_argument("--workers", type=int, default=2, help="Streamlit processes (default: 2)")
    p.add_argument("--first-port", type=int, default=8501, help="the first worker's port; the others follow")
    p.add_argument("--listen", default="127.0.0.1:8080", help="where nginx listens (default: 127.0.0.1:8080)")
    p.add_argument("--run-dir", type=Path, help="where the configurations, logs and sockets go")
    p.add_argument("--root", type=Path, default=Path.cwd(), help="the checkout that holds serve.py (default: .)")
    p.add_argument("--python", default=sys.executable, help="the interpreter that runs Streamlit (default: this)")
    p.add_argument("--nginx", default=None, help=f"the nginx binary (default: nginx on PATH, else {NGINX})")
    p.add_argument(
        "--frame-ancestors",
        default=None,
        metavar="ORIGINS",
        help=f"origins besides the site itself that may show the dashboard in a frame, e.g. "
        f"'https://news.example https://*.partner.example' (default: ${framing.ENV}, else none); "
        "nginx and the workers send the same policy",
    )
    p.add_argument("--daemon", action="store_true", help="supervisord goes to the background")
    p.add_argument(
        "--examples",
        type=Path,
        metavar="DEPLOY",
        help="instead, write the public set-up's files into DEPLOY (the repository's deploy/ folder)",
    )
    p.set_defaults(func=run)


def write_examples(deploy: Path) -> int:
    for name, text in serving.examples().items():
        path = deploy / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
        print(path)
    return 0


def run(args) -> int:
    if args.examples:
        return write_examples(args.examples)
    if args.run_dir is None:
        print("--run-dir is needed (or --examples)", file=sys.stderr)
        return 2
    run_dir = args.run_dir.resolve()
    root = args.root.resolve()
    if not (root / "serve.py").is_file():
        print(f"{root}: no serve.py here; give the checkout with --root", file=sys.stderr)
        return 2
    if len(str(serving.site_socket(run_dir)).encode()) > 107:  # a Unix socket's path has room for 107 bytes
        print(f"{run_dir}: too long a path for the site's socket; choose a shorter --run-dir", file=sys.stderr)
        return 2
    nginx = args.nginx or shutil.which("nginx") or NGINX
    try:
        pool = serving.workers(args.workers, args.first_port)
        given = args.frame_ancestors
        allowed = framing.from_environment() if given is None else framing.parse(given)
    except ValueError as error:
        print(error, file=sys.stderr)
        return 2
    run_dir.mkdir(parents=True, exist_ok=True)
    (run_dir / "nginx-temp").mkdir(exist_ok=True)
    site = run_dir / "qantar.conf"
    site.write_text(
        serving.nginx_site(pool, socket=str(serving.site_socket(run_dir)), frame_ancestors=allowed), encoding="utf-8"
    )
    main_conf = run_dir / "nginx.conf"
    main_conf.write_text(serving.nginx_main(site, run_dir, listen=args.listen, workers=len(pool)), encoding="utf-8")
    environment = {k: os.environ[k] for k in ("GEO_DATA_DIR", "GEO_CACHE_DIR") if os.environ.get(k)}
    # the workers (serve.py) send the same framing policy when reached without nginx
    environment[framing.ENV] = framing.extra_origins(allowed)
    if args.data_dir:
        environment["GEO_DATA_DIR"] = str(Path(args.data_dir).resolve())
    (run_dir / "supervisord.conf").write_text(
        serving.supervisord(
            pool,
            root=root,
            run_dir=run_dir,
            python=args.python,
            environment=environment,
            nginx=(nginx, main_conf),
            foreground=not args.daemon,
        ),
        encoding="utf-8",
    )
    ports = ", ".join(str(w.port) for w in pool)
    print(f"{run_dir}: {len(pool)} workers on 127.0.0.1 ports {ports}, nginx on {args.listen}")
    return 0
