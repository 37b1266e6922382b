"""The online backend: geopy's real Nominatim client against a fake Nominatim on 127.0.0.1."""

import json

import pytest

from geo.places.geocode import (
    USER_AGENT,
    GeocodeError,
    GeocoderBadResponse,
    GeocoderConfigError,
    GeocoderRateLimited,
    GeocoderTimeout,
    GeocoderUnavailable,
    OnlineGeocoder,
    Resolver,
    offline_resolver,
)

from fake_nominatim import CLIENT_TIMEOUT, fake_nominatim, refused_domain, run_geo  # noqa: F401 -- fixtures
from testdata import SAMPLE


def online(domain, tmp_path, **kwargs):
    kwargs.setdefault("min_delay", 0)
    return OnlineGeocoder.for_service(
        "nominatim",
        domain=domain,
        scheme="http",
        timeout=CLIENT_TIMEOUT,
        cache_path=tmp_path / "cache.json",
        **kwargs,
    )


def test_answer_is_parsed_and_the_request_is_polite(fake_nominatim, tmp_path):
    r = Resolver([online(fake_nominatim.domain, tmp_path, contact="team@example.org")]).resolve("Kaskelen")
    assert (r.status, r.backend, r.id, r.name) == ("found", "nominatim", "nominatim:relation/987654", "Kaskelen")
    assert (r.latitude, r.longitude) == (43.2003, 76.625)
    [req] = fake_nominatim.searches()
    assert req.user_agent == f"{USER_AGENT} (team@example.org)"
    assert req.query["q"] == ["Kaskelen"]
    assert req.query["countrycodes"] == ["kz"]  # the country restriction reaches the service


def test_no_result_is_not_found(fake_nominatim, tmp_path):
    fake_nominatim.mode = "empty"
    assert Resolver([online(fake_nominatim.domain, tmp_path)]).resolve("Nowhere").status == "not_found"


def test_a_query_is_never_sent_twice(fake_nominatim, tmp_path):
    backend = online(fake_nominatim.domain, tmp_path)
    for spelling in ("Kaskelen", "KASKELEN", "Kaskelen "):
        assert backend.lookup(spelling)[0].name == "Kaskelen"
    fake_nominatim.mode = "empty"
    assert backend.lookup("Nowhere") == []
    assert backend.lookup("nowhere") == []  # "no result" is an answer too, and cached
    assert len(fake_nominatim.searches()) == 2
    # on disk: a new process (here: a new backend on the same file) asks nothing
    again = online(fake_nominatim.domain, tmp_path)
    assert again.lookup("Kaskelen")[0].id == "nominatim:relation/987654" and again.lookup("Nowhere") == []
    assert len(fake_nominatim.searches()) == 2
    cached = json.loads((tmp_path / "cache.json").read_text(encoding="utf-8"))
    assert cached["kz|nowhere"] is None and cached["kz|kaskelen"]["latitude"] == 43.2003


def test_requests_are_rate_limited(fake_nominatim, tmp_path, monkeypatch):
    # A fake clock instead of wall time: the machine is shared and timings are noisy, so the
    # test checks what geopy's RateLimiter asks to wait, not how long the waits took.
    from geopy.extra.rate_limiter import RateLimiter

    now = [1000.0]
    waits: list[float] = []
    monkeypatch.setattr(RateLimiter, "_clock", lambda self: now[0])
    monkeypatch.setattr(
        RateLimiter, "_sleep", lambda self, seconds: (waits.append(seconds), now.__setitem__(0, now[0] + seconds))
    )
    backend = online(fake_nominatim.domain, tmp_path, min_delay=1.0)
    for name in ("One", "Two", "Three"):
        backend.lookup(name)
    assert len(fake_nominatim.searches()) == 3
    # no time passes between calls on the fake clock, so each later request waits the full second
    assert waits == [1.0, 1.0]


@pytest.mark.parametrize(
    ("mode", "error", "words"),
    [
        ("429", GeocoderRateLimited, "HTTP 429"),
        ("503", GeocoderUnavailable, "HTTP 503"),
        ("slow", GeocoderTimeout, f"within {CLIENT_TIMEOUT:g} s"),
        ("garbage", GeocoderBadResponse, "not valid JSON"),
        ("wrong_shape", GeocoderBadResponse, "unexpected shape"),
    ],
)
def test_each_failure_is_one_typed_one_line_error(fake_nominatim, tmp_path, mode, error, words):
    fake_nominatim.mode = mode
    with pytest.raises(error) as caught:
        online(fake_nominatim.domain, tmp_path).lookup("Kaskelen")
    message = str(caught.value)
    assert words in message and "\n" not in message and len(message) < 200
    assert len(fake_nominatim.searches()) == 1  # no hidden retries below the RateLimiter
    assert not (tmp_path / "cache.json").exists()  # failures are never cached


def test_connection_refused(refused_domain, tmp_path):
    with pytest.raises(GeocoderUnavailable, match="connection refused"):
        online(refused_domain, tmp_path).lookup("Kaskelen")


def test_retries_go_through_the_rate_limiter(fake_nominatim, tmp_path):
    fake_nominatim.mode = "503"
    with pytest.raises(GeocoderUnavailable):
        online(fake_nominatim.domain, tmp_path, max_retries=2, error_wait=0).lookup("Kaskelen")
    assert len(fake_nominatim.searches()) == 3


def test_unknown_provider_is_a_config_error(tmp_path):
    with pytest.raises(GeocoderConfigError, match="no-such-service"):
        OnlineGeocoder.for_service("no-such-service")
    assert issubclass(GeocoderConfigError, GeocodeError)


def test_offline_backends_answer_first(fake_nominatim, tmp_path):
    resolver = offline_resolver(SAMPLE)
    resolver.backends.append(online(fake_nominatim.domain, tmp_path))
    assert resolver.resolve("Өскемен").backend == "locations"
    assert resolver.resolve("Karaganda").backend == "gazetteer"
    assert resolver.resolve("Aksu").status == "ambiguous"  # ambiguity is an answer, not a reason to guess online
    assert fake_nominatim.searches() == []
    assert resolver.resolve("Kaskelen").backend == "nominatim"
    assert len(fake_nominatim.searches()) == 1


# --- CLI -------------------------------------------------------------------------------------------


def cli_online(server_domain, tmp_path, *args):
    return run_geo(
        "geocode",
        *args,
        "--online",
        "--domain",
        server_domain,
        "--scheme",
        "http",
        "--timeout",
        str(CLIENT_TIMEOUT),
        "--min-delay",
        "0",
        "--retries",
        "0",
        "--cache",
        str(tmp_path / "cache.json"),
        "--min-population",
        "15000",
    )


def test_cli_online_is_off_by_default(fake_nominatim):
    proc = run_geo("geocode", "Kaskelen", "--domain", fake_nominatim.domain, "--scheme", "http")
    assert proc.returncode == 1 and proc.stdout.strip() == "Kaskelen -> not found"
    assert fake_nominatim.requests == []


def test_cli_online_answers_and_caches(fake_nominatim, tmp_path):
    for _ in range(2):
        proc = cli_online(fake_nominatim.domain, tmp_path, "Kaskelen", "--json")
        assert proc.returncode == 0, proc.stderr
        assert json.loads(proc.stdout)["backend"] == "nominatim"
    assert len(fake_nominatim.searches()) == 1


@pytest.mark.parametrize("mode", ["429", "503", "slow", "garbage"])
def test_cli_failure_is_one_line_without_traceback(fake_nominatim, tmp_path, mode):
    fake_nominatim.mode = mode
    proc = cli_online(fake_nominatim.domain, tmp_path, "Kaskelen")
    assert proc.returncode == 3
    assert proc.stderr.count("\n") == 1 and proc.stderr.startswith("error: nominatim at 127.0.0.1:")
    assert "Traceback" not in proc.stderr


def test_cli_connection_refused(refused_domain, tmp_path):
    proc = cli_online(refused_domain, tmp_path, "Kaskelen")
    assert proc.returncode == 3
    assert proc.stderr == f"error: cannot reach nominatim at {refused_domain}: connection refused\n"
