"""The data API (geo.api) over the sample data, called in this process: the rows of each endpoint
against the pandas reference, JSON typed as datapackage.json declares, paging by the next link,
hostile queries refused saying which parameter (tests/fixtures/api/hostile_queries.json), CORS on
every answer and GET only, and the OpenAPI description of what is served."""

from __future__ import annotations

import csv
import io
import json
import re
from datetime import date
from urllib.parse import urlsplit

import pytest
from starlette.applications import Starlette

from geo.api import openapi, params, routes, tables
from geo.downloads.limits import Limits
from geo.i18n import translation
from geo.query.filters import Filters
from geo.views import case_tables, citation, descriptions, export, file_headers, notes

from api_support import call, sample_index
from reference import city_totals_of, filter_convictions, filter_events
from testdata import FIXTURES

HOSTILE = json.loads((FIXTURES / "api" / "hostile_queries.json").read_text(encoding="utf-8"))
LINK = "city=almaty&city=shymkent&period=2022-06-01&period=2022-07-31"
FILTERS = Filters.of(date(2022, 6, 1), date(2022, 7, 31), ["almaty", "shymkent"])
ISO_DAY = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def answer(path: str, query: str = "") -> dict:
    status, _, body = call(path, query)
    assert status == 200, body
    return json.loads(body)


def test_a_links_decisions_are_the_reference_rows_as_the_download_writes_them():
    ds = sample_index().data
    rows = filter_convictions(ds.convictions, FILTERS).sort_values(["period_start", "case_id"])
    assert len(rows) >= 2
    status, headers, body = call("/api/v1/decisions.csv", LINK)
    assert status == 200 and headers["content-type"] == "text/csv; charset=utf-8"
    assert body == export.convictions_file("csv", rows, ds.locations, ds.sources)
    assert headers["x-total-count"] == str(len(rows)) and "link" not in headers


def test_json_states_the_dataset_and_the_filter_as_the_page_does():
    index = sample_index()
    got = answer("/api/v1/decisions.json", LINK + "&lang=ru")
    p = index.provenance
    assert got["dataset"] == {
        "title": p.title,
        "version": "1.0.0",
        "licence": "CC BY 4.0",
        "licence_url": p.licence_url,
        "citation": citation.citation_text(p),
    }
    assert got["filter"] == descriptions.description(index.view(FILTERS, "ru"))
    assert got["filter"].startswith("Алматы и Шымкент, 1 июня 2022 – 31 июля 2022: ")
    assert got["lang"] == "ru" and got["order"] == case_tables.sort_label("oldest", "ru")


def test_json_values_are_typed_as_the_datapackage_declares():
    got = answer("/api/v1/decisions.json")
    kinds = {f["name"]: f["type"] for f in got["fields"]}
    assert {n: kinds[n] for n, _ in tables.declared("convictions")} == dict(tables.declared("convictions"))
    checks = {
        "date": lambda v: isinstance(v, str) and ISO_DAY.match(v),
        "integer": lambda v: isinstance(v, int) and not isinstance(v, bool),
        "number": lambda v: isinstance(v, int | float),
        "list": lambda v: isinstance(v, list) and all(isinstance(i, str) for i in v),
        "string": lambda v: isinstance(v, str),
    }
    for endpoint in tables.ENDPOINTS:
        got = answer(f"/api/v1/{endpoint}.json")
        assert got["rows"], endpoint
        for row in got["rows"]:
            for field in got["fields"]:
                value = row[field["name"]]
                assert value is None or checks[field["type"]](value), (endpoint, field, value)
    first = answer("/api/v1/decisions.json", "sort=oldest&limit=1")["rows"][0]
    assert isinstance(first["source_ids"], list) and first["source_ids"]
    assert ISO_DAY.match(first["verdict_date"]) and isinstance(first["defendants"], int)


def test_the_other_endpoints_hold_the_rows_of_their_tables():
    index = sample_index()
    ds = index.data
    events = answer("/api/v1/events.json", LINK + "&event=protest&event=violence")
    want = filter_events(
        ds.events, Filters.of(FILTERS.start, FILTERS.end, FILTERS.cities, event_types=["protest", "violence"])
    )
    assert events["rows"] and sorted(r["event_id"] for r in events["rows"]) == sorted(want["event_id"])
    cities = answer("/api/v1/cities.json", LINK)
    totals = city_totals_of(ds, filter_convictions(ds.convictions, FILTERS))
    assert {r["location_id"]: r["decisions"] for r in cities["rows"]} == dict(
        zip(totals["location_id"], totals["decisions"].astype(int))
    )
    metric = index.official_metrics[0]
    official = answer("/api/v1/official.json", f"metric={metric}")
    assert {r["metric"] for r in official["rows"]} == {metric}
    assert official["total"] == int((ds.official_stats["metric"] == metric).sum())
    assert answer("/api/v1/official.json")["total"] == len(ds.official_stats)
    people = answer("/api/v1/people.json", "who=bektanov")
    assert people["rows"] and {r["person_id"] for r in people["rows"]} >= {"bektanov-murat"}
    assert people["rows_note"] == file_headers.download_rows_note(None, False, "bektanov")
    searched = answer("/api/v1/decisions.json", "who=bektanov")
    assert {r["case_id"] for r in people["rows"]} == {r["case_id"] for r in searched["rows"]}


@pytest.mark.parametrize("endpoint", tables.ENDPOINTS)
def test_the_next_link_pages_through_every_row(endpoint):
    whole = answer(f"/api/v1/{endpoint}.json", "limit=10000")
    assert whole["next"] is None and whole["count"] == whole["total"] >= 3
    rows, query, pages = [], "limit=2&lang=kk", 0
    while True:
        got = answer(f"/api/v1/{endpoint}.json", query)
        assert got["count"] == len(got["rows"]) <= 2 and got["total"] == whole["total"]
        rows += got["rows"]
        pages += 1
        if got["next"] is None:
            break
        link = urlsplit(got["next"])
        assert link.path == f"/api/v1/{endpoint}.json" and "lang=kk" in link.query
        query = link.query
    assert pages == -(-whole["total"] // 2)
    assert rows == answer(f"/api/v1/{endpoint}.json", "limit=10000&lang=kk")["rows"]
    assert call(f"/api/v1/{endpoint}.json", "limit=10001")[0] == 400  # JSON pages are smaller than a CSV's
    status, headers, body = call(f"/api/v1/{endpoint}.csv", "limit=2")
    assert status == 200 and headers["link"] == f'</api/v1/{endpoint}.csv?limit=2&offset=2>; rel="next"'
    assert len(list(csv.reader(io.StringIO(body.decode("utf-8"))))) == 3


@pytest.mark.parametrize("case", HOSTILE, ids=[c["why"] for c in HOSTILE])
@pytest.mark.parametrize("fmt", ["json", "csv"])
def test_a_hostile_query_is_refused_saying_which_parameter(case, fmt):
    query = bytes.fromhex(case["raw_hex"]) if "raw_hex" in case else case["query"].encode("ascii")
    status, headers, body = call(f"/api/v1/decisions.{fmt}", query)
    assert status == case["status"], body[:300]
    assert headers["access-control-allow-origin"] == "*"
    message = body.decode("utf-8")
    if fmt == "json":
        error = json.loads(message)["error"]
        assert error["status"] == case["status"] and error["parameter"] == case["parameter"]
        message = error["message"]
    assert 10 < len(message) < 2000  # a sentence, never the value pasted whole
    if case["parameter"] and case["parameter"].isprintable():
        assert f'"{case["parameter"]}"' in message


def test_a_refusal_is_in_the_language_asked_and_in_english_when_that_is_not_understood():
    for lang in ("en", "ru", "kk"):
        _, headers, body = call("/api/v1/decisions.json", f"city=atlantis&lang={lang}")
        error = json.loads(body)["error"]
        want = translation(lang).gettext(params.NAMES_NOTHING).format(key="city", value="atlantis")
        assert error["message"] == want and headers["content-language"] == lang
    russian = json.loads(call("/api/v1/decisions.json", "city=atlantis&lang=ru")[2])["error"]["message"]
    assert re.search("[а-я]", russian), russian
    _, headers, body = call("/api/v1/decisions.csv", "lang=fr")
    assert headers["content-language"] == "en" and body.decode().startswith(
        'The parameter "lang" takes one of en, ru, kk'
    )


def test_every_answer_grants_cors_for_get_and_refuses_other_methods():
    for path in ("/api/v1/cities.json", "/api/v1/decisions.csv", "/api/v1/openapi.json"):
        status, headers, _ = call(path)
        assert status == 200 and headers["access-control-allow-origin"] == "*"
        status, headers, body = call(path, method="OPTIONS", headers={"Origin": "https://x.example"})
        assert status == 204 and body == b""
        assert headers["access-control-allow-methods"] == "GET, HEAD, OPTIONS"
        for method in ("POST", "PUT", "DELETE", "PATCH"):
            status, headers, body = call(path, "lang=ru", method=method)
            assert status == 405 and headers["allow"] == "GET, HEAD, OPTIONS", method
            assert headers["access-control-allow-origin"] == "*" and method.encode() in body
    status, headers, body = call("/api/v1/verdicts.json")
    assert status == 404 and headers["access-control-allow-origin"] == "*" and b"/api/v1/decisions.csv" in body


def test_a_csv_past_the_download_row_limit_is_asked_for_page_by_page(monkeypatch):
    monkeypatch.setattr(routes, "LIMITS", Limits(max_rows={"csv": 5}))
    status, _, body = call("/api/v1/decisions.csv")
    assert status == 400 and b"limit and offset" in body
    status, headers, _ = call("/api/v1/decisions.csv", "limit=5")
    assert status == 200 and headers["x-total-count"] == "11" and "offset=5" in headers["link"]


def test_without_data_every_endpoint_says_so():
    app = Starlette(routes=routes.routes(lambda: None))
    status, _, body = call("/api/v1/decisions.json", "lang=kk", app=app)
    assert status == 503 and json.loads(body)["error"]["message"] == translation("kk").gettext(notes.DATA_UNAVAILABLE)


def test_the_openapi_description_names_what_is_served():
    status, _, body = call("/api/v1/openapi.json")
    doc = json.loads(body)
    assert status == 200 and doc["openapi"] == "3.1.0"
    assert sorted(doc["paths"]) == sorted(p for p in routes.paths() if not p.endswith("openapi.json"))
    for path, item in doc["paths"].items():
        assert [p["name"] for p in item["get"]["parameters"]] == list(params.KNOWN)
        assert call(path)[0] == 200
    decisions = doc["paths"]["/api/v1/decisions.json"]["get"]["responses"]["200"]["content"]["application/json"]
    columns = decisions["schema"]["properties"]["rows"]["items"]["properties"]
    assert columns["verdict_date"] == openapi.TYPES["date"] and columns["source_ids"] == openapi.TYPES["list"]


def test_at_most_two_requests_make_their_rows_at_once():
    """Requests past :data:`routes.AT_ONCE` wait in the event loop: six at once ask for the dataset
    at most that many at a time. The callers are held until that many have come, and a moment
    more (to see that no other comes), then let go."""
    import asyncio
    import threading

    from geo.bench.client import run_async

    changed, release = threading.Condition(), threading.Event()
    running, most = [0], [0]

    def current():
        with changed:
            running[0] += 1
            most[0] = max(most[0], running[0])
            changed.notify_all()
        release.wait(timeout=60)
        with changed:
            running[0] -= 1
        return sample_index()

    app = Starlette(routes=routes.routes(current))

    async def one() -> int:
        sent: list[dict] = []

        async def receive():
            return {"type": "http.request", "body": b"", "more_body": False}

        async def send(message):
            sent.append(message)

        scope = {"type": "http", "method": "GET", "path": "/api/v1/cities.json", "query_string": b"", "headers": []}
        await app({**scope, "root_path": "", "scheme": "http", "server": ("127.0.0.1", 80)}, receive, send)
        return sent[0]["status"]

    async def many():
        return await asyncio.gather(*(one() for _ in range(6)))

    statuses: list = []
    caller = threading.Thread(target=lambda: statuses.extend(run_async(many)))
    caller.start()
    with changed:
        assert changed.wait_for(lambda: running[0] >= routes.AT_ONCE, timeout=60)
        changed.wait_for(lambda: running[0] > routes.AT_ONCE, timeout=1)  # one more would come now
    release.set()
    caller.join(timeout=120)
    assert statuses == [200] * 6
    assert most[0] == routes.AT_ONCE
