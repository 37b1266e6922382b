"""Slow clients against ``make serve``'s nginx (:mod:`geo.serving`): one address holding half-sent
requests (slowloris) must not keep another address from being served.

Each test starts what ``make serve`` starts (one worker, the sample data) and attacks it from
127.0.0.2 (:mod:`slow_clients`) while 127.0.0.1 asks for ``/_stcore/health``. Before the front's
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
