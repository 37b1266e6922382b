"""``datapackage.json`` itself as untrusted input: checked before any table is read.

A data directory may bring its own descriptor, and the descriptor decides which files are read
and which checks run. So it is validated first, and every problem is a located
:class:`geo.data.validate.Problem` (``datapackage.json:LINE:COLUMN: resources[3].path: …``), never a
traceback:

1. it is a regular file of at most :data:`geo.data.safe_files.MAX_DESCRIPTOR_BYTES`, UTF-8, JSON;
2. it matches ``datapackage.schema.json`` (shipped beside this module; data, not code): the Data
   Package keys the validator reads, with the values it implements, and the project's ``x-`` keys;
   resource paths are plain relative ``.csv`` names;
3. what a JSON Schema cannot say: names are unique, keys and rules name fields that exist (with
   the right types), references name tables and fields that exist, ``x-minDate`` is a real date on
   a date field, ``minimum`` ≤ ``maximum``, and every ``pattern`` compiles in RE2 (see
   :func:`pattern_problem`);
4. a data directory's own descriptor must declare every table and field the dashboard reads, with
   the shipped descriptor's types and no enum values beyond the shipped ones (it may add tables,
   fields and constraints).
"""

from __future__ import annotations

import json
import math
from datetime import date
from functools import lru_cache
from pathlib import Path
from typing import Any

from geo.data import jsonfile, safe_files
from geo.data.paths import SHIPPED_DATA_DIR
from geo.data.problems import Report
from geo.data.schema import DESCRIPTOR, Table, tables_from
from geo.text.cells import anchored

SCHEMA_PATH = Path(__file__).with_name("datapackage.schema.json")
MAX_ERRORS = 50  # schema errors reported per descriptor; the first ones are what to fix


@lru_cache(maxsize=1)
def _validator():
    import jsonschema  # noqa: PLC0415 -- only when a descriptor is checked

    schema = json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))
    jsonschema.Draft202012Validator.check_schema(schema)
    return jsonschema.Draft202012Validator(schema)


def pattern_problem(pattern: str) -> str | None:
    """Why ``pattern`` cannot be used, or None.

    Patterns are matched with RE2 (through pyarrow, which the project already needs for its
    cache): its time is linear in the text whatever the pattern, so a pattern such as
    ``^(a+)+$`` cannot make validation take minutes as Python's backtracking ``re`` can. RE2 has
    no lookaround and no backreferences; neither do the XML Schema regular expressions that
    Table Schema patterns are, so a pattern using them was never portable. (google-re2's own
    Python binding was measured at 7-12 s per million cells against 0.1 s for pyarrow's
    vectorised kernel, and the ``regex`` package's timeout bounds each call, not a column.)
    """
    import pyarrow as pa  # noqa: PLC0415
    import pyarrow.compute as pc  # noqa: PLC0415

    try:
        pc.match_substring_regex(pa.array([""], type=pa.large_string()), anchored(pattern))
    except (pa.ArrowInvalid, pa.ArrowNotImplementedError) as exc:
        reason = str(exc).removeprefix("Invalid regular expression: ")
        return (
            f"pattern {pattern!r} cannot be used ({reason}); patterns are matched with RE2, which has "
            "no lookahead, lookbehind or backreferences (nor do Table Schema's XML Schema patterns)"
        )
    return None


def read(data_dir: Path, report: Report) -> dict[str, Table] | None:
    """The declared tables of ``data_dir``'s descriptor (its own, else the shipped one), or None
    with the problems in ``report``."""
    own = Path(data_dir) / DESCRIPTOR
    shipped = not (own.exists() or own.is_symlink())
    try:
        raw = (
            safe_files.read_regular(SHIPPED_DATA_DIR / DESCRIPTOR, safe_files.MAX_DESCRIPTOR_BYTES)
            if shipped
            else safe_files.read_inside(data_dir, DESCRIPTOR, safe_files.MAX_DESCRIPTOR_BYTES)
        )
    except safe_files.UnsafeFile as exc:
        report.add(DESCRIPTOR, None, None, str(exc))
        return None
    except OSError as exc:
        report.add(DESCRIPTOR, None, None, f"cannot be read: {exc.strerror or exc}")
        return None
    return check(raw, report, compare_with_shipped=not shipped)


def check(raw: bytes, report: Report, compare_with_shipped: bool = False) -> dict[str, Table] | None:
    """Check descriptor bytes; the tables when it has no error."""
    before = len(report.errors)
    parsed = jsonfile.parse(raw, DESCRIPTOR, report)
    if parsed is None:
        return None
    descriptor, text = parsed
    errors = sorted(_validator().iter_errors(descriptor), key=lambda e: list(map(str, e.absolute_path)))
    for error in errors[:MAX_ERRORS]:
        path = list(error.absolute_path)
        message = error.message
        if path[-1:] == ["path"] and error.validator in ("pattern", "type", "maxLength"):
            message = (
                f"{jsonfile.shown(error.instance)} is not a plain .csv file name inside the data directory "
                "(letters, digits, '_', '-', '.', folders separated by '/', no '..')"
            )
        jsonfile.add(report, DESCRIPTOR, text, path, message)
    if errors:
        if len(errors) > MAX_ERRORS:
            report.add(DESCRIPTOR, None, None, f"… and {len(errors) - MAX_ERRORS} more problems like these")
        return None
    check_meaning(descriptor, text, report)
    if compare_with_shipped and len(report.errors) == before:
        check_contract(descriptor, text, report)
    if len(report.errors) > before:
        return None
    return tables_from(descriptor)


def check_meaning(descriptor: dict, text: str, report: Report) -> None:
    """What the JSON Schema cannot say (see the module's docstring, point 3)."""

    def bad(path: list, message: str) -> None:
        jsonfile.add(report, DESCRIPTOR, text, path, message)

    resources = descriptor["resources"]
    fields_of: dict[str, dict[str, dict]] = {}
    seen_paths: dict[str, int] = {}
    for i, resource in enumerate(resources):
        name = resource["name"]
        if name in fields_of:
            bad(["resources", i, "name"], f"a second resource named {name!r}")
        if resource["path"] in seen_paths:
            bad(
                ["resources", i, "path"],
                f"{resource['path']!r} is already the path of resources[{seen_paths[resource['path']]}]",
            )
        seen_paths.setdefault(resource["path"], i)
        fields: dict[str, dict] = {}
        for j, fld in enumerate(resource["schema"]["fields"]):
            if fld["name"] in fields:
                bad(["resources", i, "schema", "fields", j, "name"], f"a second field named {fld['name']!r}")
            fields.setdefault(fld["name"], fld)
        fields_of.setdefault(name, fields)

    for i, resource in enumerate(resources):
        schema = resource["schema"]
        base = ["resources", i, "schema"]
        fields = fields_of[resource["name"]]
        for j, fld in enumerate(schema["fields"]):
            _check_field(fld, base + ["fields", j], fields_of, bad)
        key = schema.get("primaryKey", [])
        for k, column in enumerate([key] if isinstance(key, str) else key):
            if column not in fields:
                bad(base + ["primaryKey"] + ([] if isinstance(key, str) else [k]), f"no field named {column!r}")
        for k, fk in enumerate(schema.get("foreignKeys", [])):
            column = _one(fk["fields"])
            if column not in fields:
                bad(base + ["foreignKeys", k, "fields"], f"no field named {column!r}")
            _check_reference(
                fk["reference"]["resource"],
                _one(fk["reference"]["fields"]),
                fields_of,
                base + ["foreignKeys", k, "reference"],
                bad,
            )
        for k, rule in enumerate(schema.get("x-rules", [])):
            _check_rule(rule, fields, fields_of, base + ["x-rules", k], bad)


def _one(value: str | list[str]) -> str:
    return value if isinstance(value, str) else value[0]


def _check_reference(resource: str, column: str, fields_of: dict, path: list, bad) -> None:
    if resource not in fields_of:
        bad(path + ["resource"], f"no resource named {resource!r}")
    elif column not in fields_of[resource]:
        bad(path, f"resource {resource!r} has no field named {column!r}")


def _check_field(fld: dict, path: list, fields_of: dict, bad) -> None:
    kind = fld.get("type", "string")
    c = fld.get("constraints", {})
    for bound in ("minimum", "maximum"):
        if bound in c and not math.isfinite(c[bound]):
            bad(path + ["constraints", bound], f"{c[bound]} is not a finite number")
    if "minimum" in c and "maximum" in c and c["minimum"] > c["maximum"]:
        bad(path + ["constraints", "minimum"], f"minimum {c['minimum']} is greater than maximum {c['maximum']}")
    if ("minimum" in c or "maximum" in c) and kind not in ("integer", "number"):
        bad(path + ["constraints"], f"minimum and maximum apply to numbers; this field is a {kind}")
    if "pattern" in c:
        if kind != "string":
            bad(path + ["constraints", "pattern"], f"pattern applies to strings; this field is a {kind}")
        elif (why := pattern_problem(c["pattern"])) is not None:
            bad(path + ["constraints", "pattern"], why)
    if "delimiter" in fld and kind != "list":
        bad(path + ["delimiter"], f"delimiter applies to list fields; this field is a {kind}")
    for key in ("x-notInFuture", "x-minDate"):
        if key in fld and kind != "date":
            bad(path + [key], f"{key} applies to date fields; this field is a {kind}")
    if "x-minDate" in fld:
        try:
            date.fromisoformat(fld["x-minDate"])
        except ValueError:
            bad(path + ["x-minDate"], f"{fld['x-minDate']!r} is not a real date")
    if kind == "date" and fld.get("format", "%Y-%m-%d") not in ("%Y-%m-%d", "default"):
        bad(path + ["format"], f"dates are read as YYYY-MM-DD; the format {fld['format']!r} is not supported")
    if "x-references" in fld:
        if kind != "list":
            bad(path + ["x-references"], f"x-references applies to list fields; this field is a {kind}")
        ref = fld["x-references"]
        _check_reference(ref["resource"], ref["field"], fields_of, path + ["x-references"], bad)


#: The keys of each rule that name a field of the rule's own table (the schema has checked they are there).
OWN_FIELDS = {
    "ordered": ("fields",),
    "together": ("fields",),
    "needs": ("fields",),
    "precision": ("date", "precision"),
    "appeal": ("of", "date", "instance", "location"),
    "count": ("field", "key"),
    "within": ("key", "fields"),
    "names": ("key", "fields"),
}


def _check_rule(rule: dict, fields: dict[str, dict], fields_of: dict, path: list, bad) -> None:
    for key in OWN_FIELDS[rule["rule"]]:
        columns = rule[key] if isinstance(rule[key], list) else [rule[key]]
        for k, column in enumerate(columns):
            if column not in fields:
                bad(path + [key] + ([k] if isinstance(rule[key], list) else []), f"no field named {column!r}")
    other = rule.get("children") or rule.get("parent")
    if other is not None:
        side = "children" if "children" in rule else "parent"
        if other not in fields_of:
            bad(path + [side], f"no resource named {other!r}")
        else:
            own = [k for k in ("key", "sum", "spellings") if k in rule]
            for key in own + (["fields"] if side == "parent" else []):
                for column in rule[key] if isinstance(rule[key], list) else [rule[key]]:
                    if column not in fields_of[other]:
                        bad(path + [key], f"resource {other!r} has no field named {column!r}")
    if rule["rule"] == "ordered" and all(c in fields for c in rule["fields"]):
        kinds = {fields[c].get("type", "string") for c in rule["fields"]}
        if not (kinds <= {"date"} or kinds <= {"integer", "number"}):
            bad(path + ["fields"], "an ordered rule compares two dates or two numbers")
    if rule["rule"] == "precision" and rule["date"] in fields and fields[rule["date"]].get("type") != "date":
        bad(path + ["date"], f"{rule['date']!r} is not a date field")


@lru_cache(maxsize=1)
def _shipped() -> dict[str, Any]:
    return json.loads((SHIPPED_DATA_DIR / DESCRIPTOR).read_text(encoding="utf-8"))


def check_contract(descriptor: dict, text: str, report: Report) -> None:
    """Every table and field of the shipped descriptor, with its type: the dashboard reads them."""
    own = {
        r["name"]: (i, {f["name"]: f.get("type", "string") for f in r["schema"]["fields"]})
        for i, r in enumerate(descriptor["resources"])
    }
    own_fields = {r["name"]: {f["name"]: f for f in r["schema"]["fields"]} for r in descriptor["resources"]}
    for resource in _shipped()["resources"]:
        name = resource["name"]
        if name not in own:
            jsonfile.add(
                report,
                DESCRIPTOR,
                text,
                ["resources"],
                f"the dashboard needs a resource named {name!r} ({resource['path']})",
            )
            continue
        i, fields = own[name]
        for fld in resource["schema"]["fields"]:
            want = fld.get("type", "string")
            if fld["name"] not in fields:
                jsonfile.add(
                    report,
                    DESCRIPTOR,
                    text,
                    ["resources", i, "schema", "fields"],
                    f"the dashboard needs the field {fld['name']!r} ({want}) in {name!r}",
                )
            elif fields[fld["name"]] != want:
                j = [f["name"] for f in descriptor["resources"][i]["schema"]["fields"]].index(fld["name"])
                jsonfile.add(
                    report,
                    DESCRIPTOR,
                    text,
                    ["resources", i, "schema", "fields", j, "type"],
                    f"the dashboard reads {fld['name']!r} as {want}, not {fields[fld['name']]}",
                )
            elif "enum" in fld.get("constraints", {}):
                # The pages label these values (and the About page writes one into its text).
                allowed = fld["constraints"]["enum"]
                extra = [
                    v
                    for v in own_fields[name][fld["name"]].get("constraints", {}).get("enum", allowed)
                    if v not in allowed
                ]
                if extra or "enum" not in own_fields[name][fld["name"]].get("constraints", {}):
                    j = [f["name"] for f in descriptor["resources"][i]["schema"]["fields"]].index(fld["name"])
                    jsonfile.add(
                        report,
                        DESCRIPTOR,
                        text,
                        ["resources", i, "schema", "fields", j],
                        f"{fld['name']!r} may only take the dashboard's values: {', '.join(allowed)}",
                    )
