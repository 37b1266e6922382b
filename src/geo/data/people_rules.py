"""The ``names`` rule: a row names its person as the people table does.

``defendants.csv`` keys people by ``person_id``; ``people.csv`` says who each id is. A row whose
name is neither the person's Latin or Cyrillic name nor one of their recorded spellings is either
another person given this id (every page would then count one person fewer) or one id under two
names (the person's path would mix two people): both are errors, located like every other problem.
Names compare as written, up to case, Unicode normal form and runs of spaces: a new spelling is
added to the person's ``spellings`` in ``people.csv``, not guessed here.
"""

from __future__ import annotations

import unicodedata

from geo.data.problems import Report
from geo.data.raw_table import RawTable, shown
from geo.text.cells import split_list


def same_name(text: str) -> str:
    """What two ways of writing one spelling share: case, normal form and spaces aside."""
    return " ".join(unicodedata.normalize("NFC", text).casefold().split())


def check_names(raw: RawTable, rule: dict, raws: dict[str, RawTable], report: Report) -> None:
    parent = raws.get(rule["parent"])
    if parent is None:
        return
    key, fields, spellings = rule["key"], rule["fields"], rule["spellings"]
    p = parent.frame
    known: dict[str, set[str]] = {}
    shown_names: dict[str, str] = {}
    for i, ident in enumerate(p[key].astype(str)):
        names = [str(p[f].iat[i]) for f in fields if f in p and str(p[f].iat[i]).strip()]
        every = names + split_list(str(p[spellings].iat[i]))
        known[ident] = {same_name(n) for n in every}
        shown_names[ident] = ", ".join(names)
    f = raw.frame
    for i, ident in enumerate(f[key].astype(str)):
        if ident not in known:
            continue  # an unknown id: the foreign key reports it
        line = int(raw.lines[i])
        given = [(c, str(f[c].iat[i])) for c in fields if str(f[c].iat[i]).strip()]
        if not given and shown_names[ident]:
            report.add(
                raw.file,
                line,
                fields[0],
                f"no name, but {parent.file} names {ident} ({shown_names[ident]}): is the {key} right?",
            )
        for column, name in given:
            if same_name(name) in known[ident]:
                continue
            who = f"{ident} is {shown_names[ident]}" if shown_names[ident] else f"{ident} has no name"
            report.add(
                raw.file,
                line,
                column,
                f"{shown(name)} is not a name of {key} {ident} in {parent.file} ({who}): another person "
                f"given this id, or a spelling to add to its {spellings}?",
            )
