"""Reading one cell as a period, segment or KPI value, reporting a bad cell with its file, row and column."""

from __future__ import annotations

from collections.abc import Callable

from narrator.catalogue import KpiDef
from narrator.load.parse import ParseError, is_blank, parse_value, show
from narrator.load.problems import Problems
from narrator.load.tables import Table
from narrator.periods import Period, parse_period

PERIOD_FORMATS = (
    "use a month (2025-03, Mar 2025 or a date such as 2025-03-31), a quarter (2025-Q1) or a year (2025)"
)
# Segment labels that mean "the whole centre" in exports that carry a total row beside the segments.
TOTAL_LABELS = frozenset({"all", "total", "overall", "all segments", "centre total", "grand total"})


class Cells:
    """The cell readers of one table; bad cells become problem lines and read as None."""

    def __init__(self, table: Table, problems: Problems):
        self.table = table
        self.problems = problems

    def bad(self, row: int, column: str, message: str, fix: str = "fix or blank the cell") -> None:
        self.problems.add(f"{self.table.where(row, column)}: {message}; {fix}")

    def parsed(self, row: int, column: str, raw: object, parse: Callable[[object], float | None]):
        try:
            return parse(raw)
        except ParseError as exc:
            self.bad(row, column, exc.message, exc.fix)
            return None

    def value(self, row: int, column: str, raw: object, kpi: KpiDef) -> float | None:
        return self.parsed(row, column, raw, lambda cell: parse_value(cell, kpi.unit))

    def period(self, row: int, column: str, raw: object) -> Period | None:
        if is_blank(raw):
            self.bad(row, column, "the period is blank", "fill it in or delete the row")
            return None
        period = parse_period(raw)
        if period is None:
            self.bad(row, column, f'cannot read "{show(raw)}" as a period', PERIOD_FORMATS)
        return period

    def segment(self, raw: object) -> str | None:
        if is_blank(raw):
            return None
        label = show(raw)
        return None if label.lower() in TOTAL_LABELS else label
