"""Offline resolution: locations.csv first, then the GeoNames gazetteer. Sockets are disabled."""

import csv
import json
import math
import shutil
from pathlib import Path

import pytest

from geo.places.geocode import Gazetteer, ProjectLocations, Resolver, offline_resolver, resolve
from geo.places.locations_file import read_locations

from fake_nominatim import no_network, run_geo  # noqa: F401 -- fixture
from testdata import SAMPLE

pytestmark = pytest.mark.usefixtures("no_network")

SEED_CITIES = ["zhanaozen", "almaty", "shymkent", "aktobe", "ust-kamenogorsk", "kostanay", "astana"]


def haversine_km(lat1, lon1, lat2, lon2):
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * 6371.0088 * math.asin(math.sqrt(a))


@pytest.fixture(scope="module")
def resolver():
    return offline_resolver(SAMPLE)


@pytest.mark.parametrize(
    ("query", "location_id"),
    [
        ("Өскемен", "ust-kamenogorsk"),
        ("Oskemen", "ust-kamenogorsk"),
        ("ÖSKEMEN", "ust-kamenogorsk"),
        ("Усть-Каменогорск", "ust-kamenogorsk"),
        ("ust kamenogorsk", "ust-kamenogorsk"),
        ("Nur-Sultan", "astana"),
        ("нур-султан", "astana"),
        ("Нұр-Сұлтан", "astana"),
        ("Алматы", "almaty"),
        ("Alma-Ata", "almaty"),
        ("Алма-Ата", "almaty"),
        ("Chimkent", "shymkent"),
        ("Жаңаөзен", "zhanaozen"),
        ("Қостанай", "kostanay"),
        ("Aqtöbe", "aktobe"),
    ],
)
def test_project_names_and_aliases_resolve(resolver, query, location_id):
    r = resolver.resolve(query)
    assert (r.status, r.backend, r.location_id) == ("found", "locations", location_id)
    assert r.latitude is not None and r.longitude is not None


def test_a_city_missing_from_locations_is_found_in_the_gazetteer(resolver):
    assert "karaganda" not in {loc.location_id for loc in read_locations(SAMPLE / "locations.csv")}
    for spelling in ("Karaganda", "Қарағанды", "Караганда", "Karagandy"):
        r = resolver.resolve(spelling)
        assert (r.status, r.backend, r.id) == ("found", "gazetteer", "geonames:609655"), spelling
        assert r.location_id is None
        assert haversine_km(r.latitude, r.longitude, 49.80187, 73.10211) < 1


@pytest.mark.parametrize("location_id", SEED_CITIES)
def test_seed_cities_through_the_gazetteer_alone_land_near_the_shipped_coordinates(location_id):
    loc = {loc.location_id: loc for loc in read_locations(SAMPLE / "locations.csv")}[location_id]
    r = Resolver([Gazetteer()]).resolve(loc.name)  # locations.csv bypassed
    assert (r.status, r.backend) == ("found", "gazetteer")
    assert haversine_km(r.latitude, r.longitude, loc.latitude, loc.longitude) < 5
    assert r.id == loc.geocoder  # the shipped row says which GeoNames record it came from


def test_true_ties_are_ambiguous_not_guessed(resolver):
    r = resolver.resolve("Aksu")  # three towns; the largest is < 10x the next
    assert r.status == "ambiguous" and r.backend == "gazetteer" and r.id is None
    assert {c.id for c in r.candidates} >= {"geonames:1524298", "geonames:1525462"}
    assert [c.population for c in r.candidates] == sorted((c.population for c in r.candidates), reverse=True)


def test_a_namesake_ten_times_smaller_does_not_make_a_city_ambiguous(resolver):
    r = resolver.resolve("Aktau")  # the Mangystau capital, not two villages of the same name
    assert (r.status, r.id) == ("found", "geonames:610612")


def test_gazetteer_country_is_configurable():
    assert Resolver([Gazetteer()]).resolve("Bishkek").status == "not_found"
    r = Resolver([Gazetteer(country="KG", min_population=15000)]).resolve("Бишкек")
    assert (r.status, r.name) == ("found", "Bishkek")
    with pytest.raises(ValueError, match="min_population"):
        Gazetteer(min_population=1234)


def _locations(tmp_path, rows):
    path = tmp_path / "locations.csv"
    with open(path, "w", encoding="utf-8", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(
            ["location_id", "name", "name_ru", "name_kk", "aliases", "region", "latitude", "longitude", "geocoder"]
        )
        w.writerows(rows)
    return tmp_path


def test_primary_name_beats_alias_and_alias_tie_is_ambiguous(tmp_path):
    data = _locations(
        tmp_path,
        [
            ["akmola-region", "Akmola", "", "", "Aqmola oblysy", "", "51.9", "69.4", ""],
            ["astana", "Astana", "", "", "Akmola;Tselinograd", "", "51.18", "71.45", ""],
            ["twin-a", "Twin A", "", "", "Shared", "", "1", "1", ""],
            ["twin-b", "Twin B", "", "", "shared", "", "2", "2", ""],
        ],
    )
    backend = ProjectLocations.from_data_dir(data)
    assert Resolver([backend]).resolve("akmola").id == "akmola-region"
    r = Resolver([backend]).resolve("SHARED")
    assert r.status == "ambiguous" and {c.id for c in r.candidates} == {"twin-a", "twin-b"}


def test_locations_win_over_gazetteer_and_missing_coordinates_are_reported(tmp_path):
    data = _locations(tmp_path, [["karaganda", "Karaganda", "Караганда", "Қарағанды", "", "", "", "", ""]])
    r = offline_resolver(data).resolve("Karaganda")
    assert (r.status, r.backend, r.location_id, r.latitude) == ("found", "locations", "karaganda", None)


def test_unknown_and_empty_names_are_not_found(resolver):
    assert resolver.resolve("Atlantis").status == "not_found"
    assert resolver.resolve(" - ").status == "not_found"


def test_resolve_convenience_is_offline_by_default():
    assert resolve("Өскемен").location_id == "ust-kamenogorsk"


# --- the same through the CLI, in a subprocess with sockets disabled -------------------------------


def test_cli_resolves_the_issue_examples_offline():
    proc = run_geo("geocode", "Өскемен", "Nur-Sultan", "Алматы", "Karaganda", "--json", offline=True)
    assert proc.returncode == 0, proc.stderr
    got = [json.loads(line) for line in proc.stdout.splitlines()]
    assert [(g["id"], g["backend"]) for g in got] == [
        ("ust-kamenogorsk", "locations"),
        ("astana", "locations"),
        ("almaty", "locations"),
        ("geonames:609655", "gazetteer"),
    ]


def test_cli_text_output_and_exit_status_for_unresolved_names():
    proc = run_geo("geocode", "Өскемен", "Aksu", "Atlantis", offline=True)
    assert proc.returncode == 1
    lines = proc.stdout.splitlines()
    assert lines[0] == "Өскемен -> ust-kamenogorsk (Ust-Kamenogorsk) 49.97143, 82.60586 [locations]"
    assert lines[1].startswith("Aksu -> ambiguous [gazetteer]: geonames:")
    assert lines[2] == "Atlantis -> not found"


def test_cli_uses_the_data_dir_option(tmp_path):
    shutil.copy(Path(__file__).parent / "fixtures/geocode/data/locations.csv", tmp_path / "locations.csv")
    proc = run_geo("geocode", "Уральск", "--data-dir", str(tmp_path), "--json", offline=True)
    assert proc.returncode == 0, proc.stderr
    assert json.loads(proc.stdout)["id"] == "oral"


def test_cli_rejects_names_with_update():
    proc = run_geo("geocode", "Almaty", "--update", offline=True)
    assert proc.returncode == 2 and proc.stderr.startswith("error:")
