"""Reading one cell as a period, segment or KPI value, reporting a bad cell with its file, row and column."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field

from narrator.catalogue import KpiDef
from narrator.load.parse import ParseError, decimal_comma, is_blank, parse_number, parse_value, show
from narrator.load.problems import Problems
from narrator.load.tables import Table
from narrator.load.units import Reading, decide
from narrator.periods import Moment, Period, parse_moment

PERIOD_FORMATS = (
    "use a month (2025-03, Mar 2025 or a date such as 2025-03-31), a quarter (2025-Q1) or a year (2025)"
)  # days, timestamps (2026-02-02T11:00:00+01:00), YYMMDD numbers and ISO weeks are read too
# Segment labels that mean "the whole centre" in exports that carry a total row beside the segments.
TOTAL_LABELS = frozenset({"all", "total", "overall", "all segments", "centre total", "grand total"})

# A read cell: its value, and the (message, fix) of the problem it has, if any.
_Outcome = tuple[object, tuple[str, str] | None]


@dataclass
class LoadState:
    """What a layout learns while reading, beside its observations: how each column was mapped and read,
    and for each row the time it is for (its moment's key and day) and the values of the columns that
    tell rows apart without being a segment (a queue or commissioner narrator was not asked to split by)."""

    uses: dict[str, str] = field(default_factory=dict)
    times: dict[int, tuple] = field(default_factory=dict)  # row -> (moment key, other cells)
    days: dict[Period, set] = field(default_factory=dict)  # period -> the calendar days rows fall on
    grain: str = "M"
    zone: str | None = None
    first_day: dt.date | None = None  # the date of day 1, for files that number their days
    threshold: int | None = None  # the service-level threshold (seconds) the answered-within counts use
    month_first: bool = False  # dates written 3/4/2025 for 4 March (US exports)
    preset_units: dict[str, tuple[str, str]] = field(default_factory=dict)  # header -> (reading, "preset x")
    preset_unused: tuple[str, ...] = ()  # headers the preset knows a pack does not need
    preset: str | None = None


class Cells:
    """The cell readers of one table; bad cells become problem lines and read as None.

    A large export repeats the same texts thousands of times (months, sites, "80%", "0:07:12"), so each
    reader remembers what a text read as and parses every distinct text once. Only ``str`` cells are
    remembered: they are what repeats, and they are hashable, unlike a stray list in a JSON record.
    """

    def __init__(self, table: Table, problems: Problems, state: LoadState | None = None):
        self.table = table
        self.problems = problems
        self.state = LoadState() if state is None else state
        self._values: dict[tuple, _Outcome] = {}
        self._periods: dict[str, _Outcome] = {}
        self._segments: dict[str, str | None] = {}
        # (column, KPI id) -> how that column's numbers are read, settled from the whole column first
        self.readings: dict[tuple[str, str], Reading] = {}

    def settle(
        self, column: str, kpi: KpiDef, raw_cells, chosen: tuple[str, str] | None = None, label: str = ""
    ) -> Reading:
        """Decide how ``column`` reads ``kpi``'s numbers from all its cells (row, raw) before any is read."""
        reading, clashes = decide(kpi.unit, column, raw_cells, chosen)
        self.readings[(column, kpi.id)] = reading
        for clash in clashes:
            self.problems.add(f"{self.table.where(column=column)}{label}: {clash}")
        return reading

    def bad(self, row: int, column: str, message: str, fix: str = "fix or blank the cell") -> None:
        self.problems.add(f"{self.table.where(row, column)}: {message}; {fix}")

    def parsed(self, row: int, column: str, raw: object, parse: Callable[[object], float | None]):
        try:
            return parse(raw)
        except ParseError as exc:
            self.bad(row, column, exc.message, exc.fix)
            return None

    def value(self, row: int, column: str, raw: object, kpi: KpiDef) -> float | None:
        reading = self.readings.get((column, kpi.id))
        parse = reading.parse if reading is not None else (lambda cell: parse_value(cell, kpi.unit))
        if type(raw) is not str:
            return self.parsed(row, column, raw, parse)
        # The decimal convention is part of the key: "56.186" reads differently in a decimal-comma file,
        # so a text read under one convention is never reused under the other.
        key = (reading or kpi.unit, decimal_comma.get(), raw)
        outcome = self._values.get(key)
        if outcome is None:
            try:
                outcome = (parse(raw), None)
            except ParseError as exc:
                outcome = (None, (exc.message, exc.fix))
            self._values[key] = outcome
        return self._reported(row, column, outcome)

    def period(self, row: int, column: str, raw: object) -> Period | None:
        moment = self.moment(row, column, raw)
        return None if moment is None else moment.period

    def moment(self, row: int, column: str, raw: object) -> Moment | None:
        """The time a row is for (a month label, a day, a timestamp) and the reporting period it falls in."""
        state = self.state
        if type(raw) is not str:
            moment = self._reported(row, column, _read_moment(raw, state))
        else:
            outcome = self._periods.get(raw)
            if outcome is None:
                outcome = self._periods[raw] = _read_moment(raw, state)
            # Rows read from one text share its Moment; moments are never changed once made.
            moment = self._reported(row, column, outcome)
        if moment is not None and moment.day is not None:
            state.days.setdefault(moment.period, set()).add(moment.day)
        return moment

    def segment(self, raw: object) -> str | None:
        if type(raw) is not str:
            return _segment_label(raw)
        if raw not in self._segments:
            self._segments[raw] = _segment_label(raw)
        return self._segments[raw]

    def _reported(self, row: int, column: str, outcome: _Outcome):
        value, problem = outcome
        if problem is not None:
            self.bad(row, column, *problem)
        return value


def _read_moment(raw: object, state: LoadState) -> _Outcome:
    if is_blank(raw):
        return None, ("the period is blank", "fill it in or delete the row")
    if state.first_day is not None:
        return _numbered_day(raw, state)
    moment = parse_moment(raw, state.grain, state.zone, state.month_first)
    if moment is None:
        return None, (f'cannot read "{show(raw)}" as a period', PERIOD_FORMATS)
    return moment, None


def _numbered_day(raw: object, state: LoadState) -> _Outcome:
    """Day n of a file that numbers its days (1, 2, 3 ...) from inputs.kpis.first_day."""
    try:
        number = parse_number(raw)
    except ParseError:
        number = None
    if number is None or not number.is_integer() or number < 1:
        return None, (f'expected a day number (1, 2, 3 ...), got "{show(raw)}"', "fix or delete the row")
    return parse_moment(state.first_day + dt.timedelta(days=int(number) - 1), state.grain), None


def _segment_label(raw: object) -> str | None:
    if is_blank(raw):
        return None
    label = show(raw)
    return None if label.lower() in TOTAL_LABELS else label
