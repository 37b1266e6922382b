"""People in the decisions: who counts as convicted, acquitted or convicted posthumously.

Decisions and people are counted apart. A person tried, appealed and cassated is one person in
three decisions; an acquittal or a posthumous verdict is never counted among the convicted, nor is
an appeal that upholds a posthumous verdict.
"""

from __future__ import annotations

import pandas as pd

#: What a decision's or a person's outcome means for the count of people.
OUTCOME_GROUPS = {
    "convicted": "convicted",
    "upheld": "convicted",
    "changed": "convicted",
    "mixed": "convicted",
    "acquitted": "acquitted",
    "posthumous": "posthumous",
    "annulled": "other",
    "returned": "other",
    "other": "other",
}
PEOPLE_GROUPS = ("convicted", "acquitted", "posthumous", "other")
#: A defendants table with no rows: every decision then stands for its own ``defendants`` count.
NO_PEOPLE = pd.DataFrame(
    {
        "case_id": pd.Series(dtype=object),
        "person_id": pd.Series(dtype=object),
        "count": pd.Series(dtype="Int64"),
        "outcome": pd.Series(dtype=object),
    }
)


def people_rows(convictions: pd.DataFrame, defendants: pd.DataFrame) -> pd.DataFrame:
    """One row per person (or group of unnamed people) per decision: ``case_id``, ``person_id``,
    ``count``, ``group`` (of :data:`PEOPLE_GROUPS`). A decision that lists nobody in
    ``defendants.csv`` stands for its ``defendants`` count of people seen nowhere else."""
    listed = defendants[defendants["case_id"].isin(convictions["case_id"]).to_numpy()]
    unlisted = convictions[~convictions["case_id"].isin(listed["case_id"]).to_numpy()]
    rows = pd.concat(
        [
            pd.DataFrame(
                {
                    "case_id": listed["case_id"].astype(str).to_numpy(),
                    "person_id": listed["person_id"].astype(str).to_numpy(),
                    "count": listed["count"].to_numpy(dtype="int64", na_value=1),
                    "group": listed["outcome"].astype(str).map(OUTCOME_GROUPS).fillna("other").to_numpy(),
                }
            ),
            pd.DataFrame(
                {
                    "case_id": unlisted["case_id"].astype(str).to_numpy(),
                    "person_id": ("case:" + unlisted["case_id"].astype(str)).to_numpy(),
                    "count": unlisted["defendants"].to_numpy(dtype="int64", na_value=0),
                    "group": unlisted["outcome"].astype(str).map(OUTCOME_GROUPS).fillna("other").to_numpy(),
                }
            ),
        ],
        ignore_index=True,
    )
    # An appeal that upholds (or changes) a posthumous verdict convicts nobody alive: its people
    # stay in the posthumous group, so no person is counted both ways.
    dead = rows["person_id"][rows["group"] == "posthumous"].unique()
    rows.loc[(rows["group"] == "convicted") & rows["person_id"].isin(dead), "group"] = "posthumous"
    return rows
