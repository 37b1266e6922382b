"""``geocode --update``: fill missing coordinates, touch nothing else, and change nothing on failure."""

import os
import stat

import pytest

import geo.data.atomic
import geo.places.locations_file
from geo.cli import main
from geo.places.locations_file import Fill, fill_coordinates

from fake_nominatim import CLIENT_TIMEOUT, fake_nominatim, refused_domain, run_geo  # noqa: F401 -- fixtures

HEADER = "location_id,name,name_ru,name_kk,aliases,region,latitude,longitude,geocoder\r\n"
ALMATY = 'almaty,Almaty,Алматы,Алматы,Alma-Ata,"Almaty, city",43.25249,76.9115,geonames:1526384\r\n'
KARAGANDA = "karaganda,Karaganda,Караганда,Қарағанды,,Karaganda Region,,,\r\n"
ODD = 'odd-row,"Quoted, name",,,,"two\r\nlines",43.0,77.000,manual\r\n'  # formatting that must survive
KASKELEN = "kaskelen,Kaskelen,Каскелен,Қаскелең,,Almaty Region,,,\r\n"  # in no gazetteer
ORIGINAL = (HEADER + ALMATY + KARAGANDA + ODD + KASKELEN).encode()

KARAGANDA_FILLED = "karaganda,Karaganda,Караганда,Қарағанды,,Karaganda Region,49.80187,73.10211,geonames:609655\r\n"
KASKELEN_FILLED = "kaskelen,Kaskelen,Каскелен,Қаскелең,,Almaty Region,43.2003,76.625,nominatim:relation/987654\r\n"


@pytest.fixture
def data(tmp_path):
    (tmp_path / "locations.csv").write_bytes(ORIGINAL)
    os.chmod(tmp_path / "locations.csv", 0o644)
    return tmp_path


def locations(data):
    return (data / "locations.csv").read_bytes()


def leftovers(data):
    return sorted(p.name for p in data.iterdir() if p.name != "locations.csv" and p.name != ".cache")


def update(data, *args):
    return run_geo("geocode", "--update", "--data-dir", str(data), "--min-population", "15000", *args)


def online_args(domain, data):
    return (
        "--online",
        "--domain",
        domain,
        "--scheme",
        "http",
        "--timeout",
        str(CLIENT_TIMEOUT),
        "--min-delay",
        "0",
        "--retries",
        "0",
        "--cache",
        str(data / "cache.json"),
    )


def test_offline_update_fills_what_the_gazetteer_knows_and_nothing_else(data):
    proc = update(data)
    assert proc.returncode == 1  # kaskelen is left without coordinates
    assert locations(data) == (HEADER + ALMATY + KARAGANDA_FILLED + ODD + KASKELEN).encode()
    assert proc.stdout == "filled karaganda: 49.80187, 73.10211 [geonames:609655]\n"
    assert "unresolved kaskelen: not found" in proc.stderr
    assert stat.S_IMODE(os.stat(data / "locations.csv").st_mode) == 0o644
    assert leftovers(data) == []


def test_online_update_fills_the_rest_and_records_the_backend(data, fake_nominatim):
    proc = update(data, *online_args(fake_nominatim.domain, data))
    assert proc.returncode == 0, proc.stderr
    assert locations(data) == (HEADER + ALMATY + KARAGANDA_FILLED + ODD + KASKELEN_FILLED).encode()
    assert [r.query["q"] for r in fake_nominatim.searches()] == [["Kaskelen"]]  # karaganda never went online


def test_nothing_to_fill_leaves_the_file_alone(tmp_path):
    (tmp_path / "locations.csv").write_bytes((HEADER + ALMATY + ODD).encode())
    before = os.stat(tmp_path / "locations.csv")
    proc = update(tmp_path)
    assert proc.returncode == 0 and "nothing to fill" in proc.stdout
    after = os.stat(tmp_path / "locations.csv")
    assert (after.st_ino, after.st_mtime_ns) == (before.st_ino, before.st_mtime_ns)


@pytest.mark.parametrize("mode", ["429", "503", "slow", "garbage", "wrong_shape"])
def test_service_failure_changes_nothing_and_says_so_in_one_line(data, fake_nominatim, mode):
    fake_nominatim.mode = mode
    proc = update(data, *online_args(fake_nominatim.domain, data))
    assert proc.returncode == 3
    assert proc.stderr.count("\n") == 1 and proc.stderr.startswith("error: nominatim at 127.0.0.1:")
    assert proc.stderr.endswith("; locations.csv left unchanged\n")
    assert "Traceback" not in proc.stderr and proc.stdout == ""
    assert locations(data) == ORIGINAL  # karaganda, resolved before the failure, is not half-written
    assert leftovers(data) == []


def test_connection_refused_changes_nothing(data, refused_domain):
    proc = update(data, *online_args(refused_domain, data))
    assert proc.returncode == 3
    assert proc.stderr == (
        f"error: cannot reach nominatim at {refused_domain}: connection refused; locations.csv left unchanged\n"
    )
    assert locations(data) == ORIGINAL


def test_exception_mid_write_leaves_the_file_byte_identical(data, monkeypatch):
    def explode(value):
        raise RuntimeError("simulated crash half-way through the file")

    monkeypatch.setattr(geo.places.locations_file, "_coordinate", explode)  # after the header was written
    with pytest.raises(RuntimeError, match="half-way"):
        fill_coordinates(data / "locations.csv", {"karaganda": Fill(49.8, 73.1, "test")})
    assert locations(data) == ORIGINAL
    assert leftovers(data) == []


def test_failed_rename_is_one_line_and_leaves_the_file(data, monkeypatch, capsys):
    def full_disk(src, dst):
        raise OSError(28, "No space left on device", str(dst))

    monkeypatch.setattr(geo.data.atomic.os, "replace", full_disk)
    code = main(["geocode", "--update", "--quiet", "--data-dir", str(data), "--min-population", "15000"])
    err = capsys.readouterr().err
    assert code == 3
    assert err == f"error: {data / 'locations.csv'}: No space left on device\n"
    assert locations(data) == ORIGINAL
    assert leftovers(data) == []


# --- hard crashes: the process dies, nothing runs its clean-up -----------------------------------

_HANG_MID_WRITE = """
import sys, time
import geo.places.locations_file as lf
from geo.places.locations_file import Fill, fill_coordinates

def hang(value):  # called after the header and the rows before karaganda are written
    print("mid-write", flush=True)
    time.sleep(120)

lf._coordinate = hang
fill_coordinates(sys.argv[1], {"karaganda": Fill(49.8, 73.1, "test")})
"""


def _killed_mid_write(data) -> list[str]:
    import signal
    import subprocess
    import sys

    child = subprocess.Popen(
        [sys.executable, "-c", _HANG_MID_WRITE, str(data / "locations.csv")], stdout=subprocess.PIPE, text=True
    )
    try:
        assert child.stdout.readline().strip() == "mid-write"
        assert leftovers(data), "the temporary file is being written"
        child.send_signal(signal.SIGKILL)
        assert child.wait(timeout=30) == -signal.SIGKILL
    finally:
        if child.poll() is None:
            child.kill()
        child.stdout.close()
    return leftovers(data)


def test_a_process_killed_mid_write_leaves_the_file_byte_identical(data):
    left = _killed_mid_write(data)
    assert locations(data) == ORIGINAL
    # A killed process cannot remove its temporary file: it stays, hidden, beside the data, named
    # so that no table (*.csv) and no data fingerprint picks it up.
    assert len(left) == 1 and left[0].startswith(".locations.csv.") and left[0].endswith(".tmp")


def test_a_process_killed_while_the_service_is_slow_changes_nothing(data, fake_nominatim):
    import signal
    import subprocess
    import sys
    import time

    fake_nominatim.mode = "slow"
    args = [
        "geocode",
        "--update",
        "--data-dir",
        str(data),
        "--min-population",
        "15000",
        *online_args(fake_nominatim.domain, data),
    ]
    args[args.index("--timeout") + 1] = "30"  # the request hangs until the kill
    child = subprocess.Popen([sys.executable, "-m", "geo", *args], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        deadline = time.monotonic() + 30
        while not fake_nominatim.searches() and time.monotonic() < deadline:
            time.sleep(0.05)
        assert fake_nominatim.searches(), "the update never asked the service"
        child.send_signal(signal.SIGKILL)
        child.wait(timeout=30)
    finally:
        if child.poll() is None:
            child.kill()
    assert locations(data) == ORIGINAL
    assert leftovers(data) == []
    from robustness_report import record

    record(
        "geocoder_faults",
        locations_csv="byte-identical after every fault below (asserted in this module)",
        faults=[
            "timeout (slow service)",
            "HTTP 429",
            "HTTP 503",
            "connection refused",
            "reply not JSON",
            "JSON of the wrong shape",
            "exception mid-write",
            "rename fails (disk full)",
            "process killed (SIGKILL) mid-write",
            "process killed (SIGKILL) during a request",
        ],
        after_sigkill_mid_write="a hidden .locations.csv.*.tmp stays beside the file (nothing can remove it)",
    )
