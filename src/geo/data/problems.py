"""A data problem as a value: where it is (file, line, column), what it is, and how bad.

Every reader of the data directory (the tables, the descriptor, the borders, the cache) reports into
one :class:`Report`, so this module sits under all of them.
"""

from __future__ import annotations

from dataclasses import dataclass, field

ERROR, WARNING = "error", "warning"


@dataclass(frozen=True, order=True)
class Problem:
    file: str
    line: int | None
    column: str | None
    message: str
    severity: str = ERROR

    def __str__(self) -> str:
        where = ":".join(str(p) for p in (self.file, self.line, self.column) if p not in (None, ""))
        tag = "" if self.severity == ERROR else "warning: "
        return f"{where}: {tag}{self.message}"


@dataclass
class Report:
    problems: list[Problem] = field(default_factory=list)

    def add(self, file: str, line: int | None, column: str | None, message: str, severity: str = ERROR) -> None:
        self.problems.append(Problem(file, line, column, message, severity))

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.severity == ERROR]

    @property
    def warnings(self) -> list[Problem]:
        return [p for p in self.problems if p.severity == WARNING]

    @property
    def ok(self) -> bool:
        return not self.errors

    def sorted(self) -> list[Problem]:
        return sorted(self.problems, key=lambda p: (p.file, p.line or 0, p.column or "", p.message))

    def __str__(self) -> str:
        return "\n".join(str(p) for p in self.sorted())

    def summary(self) -> str:
        e, w = len(self.errors), len(self.warnings)
        return f"{e} error{'s' * (e != 1)}, {w} warning{'s' * (w != 1)}"
