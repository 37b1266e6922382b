"""The data API behind nginx as ``make serve`` runs it (one worker, the sample data): the rows and
their CORS header come through once, and ``/api/`` has a rate limit of its own: past its burst an
address gets 429 (with CORS, so a script in a page can read it) while the dashboard's pages still
answer."""

from __future__ import annotations

import math
import time
import urllib.request
from concurrent.futures import ThreadPoolExecutor

import pytest

from geo import serving

from server_support import ServedBehindProxy, request, require_nginx
from testdata import SAMPLE

LINK = "city=almaty&period=2022-06-01&period=2022-07-31"


@pytest.fixture(scope="module")
def served():
    nginx = require_nginx()
    with ServedBehindProxy(1, data_dir=SAMPLE, nginx=nginx) as deployment:
        # the first request waits for the worker to load the data: generously, on a busy machine
        with urllib.request.urlopen(f"{deployment.url}/api/v1/cities.json", timeout=180) as first:
            assert first.status == 200
        yield deployment


def test_the_api_answers_through_the_proxy_with_cors_once(served):
    status, headers, body = request(f"{served.url}/api/v1/decisions.csv?{LINK}")
    assert status == 200 and body.startswith(b"case_id,") and headers["X-Total-Count"] == "1"
    for name, value in serving.API_CORS:
        assert headers.get_all(name) == [value], name
    assert len(headers.get_all("Content-Security-Policy")) == 1
    assert serving.COOKIE not in (headers.get("Set-Cookie") or "")  # no session: any worker answers
    status, headers, _ = request(f"{served.url}/api/v1/decisions.json", method="OPTIONS")
    assert status == 204 and headers.get_all("Access-Control-Allow-Origin") == ["*"]
    status, headers, _ = request(f"{served.url}/api/v1/decisions.json", method="DELETE")
    assert status == 405 and headers.get_all("Access-Control-Allow-Origin") == ["*"]


def test_past_its_burst_an_address_gets_429_and_the_pages_still_answer(served):
    asked = serving.API_BURST + 20
    started = time.monotonic()
    with ThreadPoolExecutor(max_workers=10) as pool:  # under the site's limit_conn per address
        answers = list(pool.map(lambda _: request(f"{served.url}/api/v1/openapi.json"), range(asked)))
    elapsed = time.monotonic() - started
    statuses = [status for status, _, _ in answers]
    assert set(statuses) <= {200, 429}, statuses
    refilled = math.ceil(elapsed * float(serving.API_RATE.removesuffix("r/s"))) + 1
    assert 429 in statuses and statuses.count(200) <= serving.API_BURST + refilled, (statuses, elapsed)
    refused = next(headers for status, headers, _ in answers if status == 429)
    assert refused.get_all("Access-Control-Allow-Origin") == ["*"]
    assert request(f"{served.url}/")[0] == 200  # the pages have their own zone
