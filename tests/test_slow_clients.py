"""Slow clients against ``make serve``'s nginx (:mod:`geo.serving`): one address holding half-sent
requests (slowloris) must not keep another address from being served.

The rendered configuration: the front's per-address cap, the site's timeouts, the sizing. Then the
attack: what ``make serve`` starts (one worker, the sample data), attacked from 127.0.0.2
(:mod:`slow_clients`) while 127.0.0.1 asks for ``/_stcore/health``. Before the front's
per-address cap, 1,100 such connections took all of nginx's 1,024 and the health page went
unanswered. The small version runs with the quick tests; the full one is slow.
"""

from __future__ import annotations

import pytest

from geo import serving

from robustness_report import record
from server_support import ServedBehindProxy, require_nginx
from slow_clients import slowloris
from testdata import SAMPLE

#: What a reader on another address may wait for the health page, at most, during an attack.
WAIT = 2.0


# --- the rendered configuration ----------------------------------------------------------------


def test_the_site_cuts_off_stalled_clients_and_trusts_only_the_front_for_addresses():
    site = serving.nginx_site(serving.workers(2), socket="/run/q.sock")
    for line in (
        "    listen unix:/run/q.sock proxy_protocol;",
        "    set_real_ip_from unix:;",
        "    real_ip_header proxy_protocol;",
        "    client_header_timeout 10s;",
        "    client_body_timeout 10s;",
        "    send_timeout 20s;",
        "    keepalive_timeout 15s;",
        "    reset_timedout_connection on;",
    ):
        assert line in site.splitlines(), line
    assert "listen unix:/run/q.sock ssl proxy_protocol;" in serving.nginx_site(
        serving.workers(1), socket="/run/q.sock", tls=serving.Tls("/c.pem", "/k.pem")
    )


def test_the_front_caps_each_addresses_connections_as_they_are_accepted(tmp_path):
    conf = serving.nginx_main(tmp_path / "q.conf", tmp_path, listen="127.0.0.1:9000", workers=2).splitlines()
    stream = conf[conf.index("stream {") :]
    stream = stream[: stream.index("}") + 1]
    for line in (
        "    limit_conn_zone $binary_remote_addr zone=qantar_tcp:10m;",
        "        listen 127.0.0.1:9000;",
        "        limit_conn qantar_tcp 64;",
        f"        proxy_pass unix:{tmp_path / 'qantar-site.sock'};",
        "        proxy_protocol on;",
    ):
        assert line in stream, line
    assert any(line.startswith("        proxy_timeout 1h;") for line in stream)  # no shorter than the websocket's
    assert conf[1] == "load_module /usr/lib/nginx/modules/ngx_stream_module.so;"
    assert "worker_rlimit_nofile 12288;" in conf
    assert any(line.startswith("events { worker_connections 6144; }") for line in conf)


def test_nginx_has_connections_for_the_promised_readers_and_capped_addresses():
    """README: 50 readers per worker; each reader at worst 22 of nginx's connections (its websocket
    through front, site and worker, a first view's six connections through front and site), and 16
    addresses each holding their whole TCP cap (three of nginx's connections each)."""
    for workers in (1, 2, 24):
        readers = 50 * workers
        connections = serving.worker_connections(workers)
        assert connections >= readers * 22 + 16 * 64 * 3, workers
        assert connections % 1024 == 0 and connections - 1024 < readers * 22 + 16 * 64 * 3, workers
        assert serving.open_files(workers) == 2 * connections
    assert serving.worker_connections(24) == 29696  # 1,200 readers


# --- an attack on a real deployment --------------------------------------------------------------


@pytest.fixture(scope="module")
def served():
    nginx = require_nginx()
    with ServedBehindProxy(1, data_dir=SAMPLE, nginx=nginx) as deployment:
        yield deployment


def test_connections_past_an_addresses_cap_are_closed_at_once(served):
    """Cap + 36 half-sent requests, none reopened: the front closes the 36 past the cap at once and
    holds the rest (until the header timeout, longer than this test); another address is served."""
    cap = serving.TCP_CONNECTIONS_PER_ADDRESS
    outcome = slowloris(served.port, served.url, count=cap + 36, seconds=3, reconnect_after=60)
    assert outcome.connects == cap + 36 and outcome.refused == 0, outcome.summary()
    assert outcome.closed_by_server == 36, outcome.summary()
    assert outcome.open_at_end == cap, outcome.summary()
    assert outcome.probes and outcome.slowest_probe is not None and outcome.slowest_probe < WAIT, outcome.summary()


@pytest.mark.slow
def test_another_address_is_served_throughout_a_slowloris_of_1100_connections(served):
    """1,100 half-sent requests from 127.0.0.2 for 20 s, each reopened 0.1 s after the server closes
    it: every health fetch from 127.0.0.1 answers within 2 s, and no half-sent request is held much
    past the header timeout (10 s; nginx's default was 60 s)."""
    outcome = slowloris(served.port, served.url, count=1100, seconds=20)
    record("slowloris", attack={"connections": 1100, "seconds": 20, "from": "127.0.0.2"}, seen=outcome.summary())
    assert outcome.budget_spent_after is None, outcome.summary()  # the attack lasted throughout
    assert outcome.closed_by_server > 1100, outcome.summary()  # it went on reconnecting
    assert len(outcome.probes) >= 40, outcome.summary()
    assert outcome.slowest_probe is not None and outcome.slowest_probe < WAIT, outcome.summary()
    assert outcome.longest_held < 15, outcome.summary()
