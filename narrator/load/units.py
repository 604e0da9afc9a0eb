"""How a column's numbers are read, decided once from the whole column, never cell by cell.

A bare 0.5 means 50% in a column of fractions and 0.5% in a column of percent points; 134 is seconds in
one export and milliseconds in another. Reading each cell on its own made a council's 0.5% abandonment
read as 50%, so the reading is settled per column (per KPI within a tidy file's value column):

- Percentages: "94.01%" strings are always what they say. Bare numbers are percent points throughout
  when any of them is above 1 (6.6, 1.9, 0.5 are all points), fractions otherwise. A column whose bare
  numbers cannot share one reading with the rest (a 0.93 among 92% and 94%, which reads as 93% only if
  it is a fraction and as 0.93% if it is a point) is an error naming the column and example rows.
- Durations: clock texts ("0:02:14"), "2m 14s" and Excel time cells are always what they say. Bare
  numbers are seconds, unless the header names another unit ("(ms)", "(min)"), the config or a preset
  says so, or every bare number is under 1, which only an Excel day fraction can be.
- Money and counts: a header scale ("(£000)", "(000s)", "(£m)") multiplies bare numbers; "£1.2k" and
  "1.2m" cells carry their own scale.
"""

from __future__ import annotations

import datetime as dt
import numbers
import re
from collections.abc import Iterable
from dataclasses import dataclass

from narrator.catalogue import KpiUnit
from narrator.load.parse import (
    _CLOCK,
    _UNITS,
    ParseError,
    is_blank,
    parse_duration,
    parse_number,
    parse_percent,
    show,
)

# How bare numbers are read, by unit: the name a user writes (inputs.kpis.units) -> factor to canonical.
PERCENT_READINGS = {"points": 0.01, "fraction": 1.0}
DURATION_READINGS = {
    "seconds": 1.0, "milliseconds": 0.001, "minutes": 60.0, "hours": 3600.0, "day_fraction": 86_400.0,
}
SCALE_READINGS = {"units": 1.0, "thousands": 1_000.0, "millions": 1_000_000.0}
READINGS = {**PERCENT_READINGS, **DURATION_READINGS, **SCALE_READINGS}
_WORDS = {
    "points": "percent points (6.6 = 6.6%)",
    "fraction": "fractions (0.066 = 6.6%)",
    "seconds": "seconds",
    "milliseconds": "milliseconds",
    "minutes": "minutes",
    "hours": "hours",
    "day_fraction": "Excel day fractions (0.00155 = 134 s)",
    "units": "as written",
    "thousands": "thousands",
    "millions": "millions",
}
_SCALED_CELL = re.compile(r"^(.*\d)\s*(k|m|bn)$", re.IGNORECASE)
_CELL_SCALE = {"k": 1_000.0, "m": 1_000_000.0, "bn": 1_000_000_000.0}
_NON_NEGATIVE = {"count": "count", "money": "money amount", "seconds": "duration", "per_1k": "rate per 1,000"}
_EXAMPLES = 3


@dataclass(frozen=True)
class Reading:
    """How one column's cells become canonical values (fractions, seconds, whole amounts)."""

    unit: KpiUnit
    bare: str  # the reading of bare numbers: a key of READINGS
    forms: tuple[str, ...] = ()  # what the column holds, for the description ("%" strings, h:mm:ss)
    decided_by: str = "from the values"  # from the values, named in the header, set in the config, preset X

    def describe(self) -> str:
        """The reading in words, as `narrator validate` prints it."""
        holds = " and ".join(self.forms)
        if self.unit == "percent":
            text = _WORDS[self.bare] if "bare numbers" in self.forms or not self.forms else '"%" strings'
        elif self.unit == "seconds":
            text = _WORDS[self.bare] if "bare numbers" in self.forms or not self.forms else holds
            if "bare numbers" in self.forms and len(self.forms) > 1:
                text = f"{holds}; bare numbers as {_WORDS[self.bare]}"
        else:
            text = f"{self.unit}, {_WORDS[self.bare]}"
        return f"{text} ({self.decided_by})"

    def parse(self, raw: object) -> float | None:
        """The cell in canonical units; ParseError for a cell the column's reading cannot take."""
        if self.unit == "percent":
            value = parse_percent(raw, READINGS[self.bare])
        elif self.unit == "seconds":
            value = _duration(raw, READINGS[self.bare])
        else:
            value = _scaled_number(raw, READINGS[self.bare] if self.bare in SCALE_READINGS else 1.0)
        if value is not None and value < 0 and self.unit in _NON_NEGATIVE:
            raise ParseError(f'expected a {_NON_NEGATIVE[self.unit]} of 0 or more, got "{show(raw)}"')
        return value


def fitting_readings(unit: KpiUnit) -> tuple[str, ...]:
    if unit == "percent":
        return tuple(PERCENT_READINGS)
    if unit == "seconds":
        return tuple(DURATION_READINGS)
    return tuple(SCALE_READINGS)


def chosen_reading(kpi_input, header: str, kpi, preset_units: dict | None = None) -> tuple[str, str] | None:
    """The reading the config names for this column (by header) or KPI (by id), else the preset's."""
    units = getattr(kpi_input, "units", None) or {}
    for key in (header, kpi.id):
        if key in units:
            return units[key], f"set in inputs.kpis.units.{key}"
    return (preset_units or {}).get(header)


def default_reading(unit: KpiUnit) -> Reading:
    """The reading of a column with nothing to decide from (no cells): the plain one for its unit."""
    return Reading(unit, {"percent": "fraction", "seconds": "seconds"}.get(unit, "units"))


def header_reading(unit: KpiUnit, header: str) -> str | None:
    """The reading a header names: "AHT (ms)", "Avg_Queue_Time__seconds_", "Cost (£000)"."""
    text = header.lower().replace("_", " ")
    if unit == "seconds":
        if re.search(r"\bms\b|millisec", text):
            return "milliseconds"
        if re.search(r"\bsec(ond)?s?\b|\(s\)", text):
            return "seconds"
        if re.search(r"\bmins?\b|\bminutes?\b", text):
            return "minutes"
        if re.search(r"\bhours?\b|\(h\)|\bhrs?\b", text):
            return "hours"
    if unit in {"money", "count"}:
        if re.search(r"000s?\b|\(\D?k\)|thousands", text):
            return "thousands"
        if re.search(r"\(\D?m\)|\(\D?mn\)|millions", text):
            return "millions"
    return None


def decide(
    unit: KpiUnit, header: str, cells: Iterable[tuple[int, object]], chosen: tuple[str, str] | None = None
) -> tuple[Reading, list[str]]:
    """The column's reading, and the problems that make no one reading hold (each a short clause).

    ``chosen`` is (reading, who chose it) from the config or a preset; it wins over the values.
    """
    forms, bare, explicit = _survey(unit, cells)
    shown = tuple(forms)
    refused = []
    if chosen is not None:
        allowed = fitting_readings(unit)
        if chosen[0] in allowed:
            return Reading(unit, chosen[0], shown, chosen[1]), []
        refused.append(
            f'{chosen[1]} reads it as "{chosen[0]}", which does not fit a {unit} KPI; use one of '
            f"{', '.join(allowed)}"
        )
    named = header_reading(unit, header)
    if named is not None:
        return Reading(unit, named, shown, "named in the header"), refused
    if unit == "percent":
        reading, clashes = _decide_percent(shown, bare, explicit)
    elif unit == "seconds":
        reading, clashes = _decide_duration(shown, bare, explicit)
    else:
        reading, clashes = Reading(unit, "units", shown), []
    return reading, refused + clashes


def _survey(unit: KpiUnit, cells: Iterable[tuple[int, object]]):
    """The forms a column holds, its bare numbers (row, value) and its self-describing values."""
    forms: dict[str, None] = {}
    bare: list[tuple[int, float]] = []
    explicit: list[float] = []
    seen: dict[object, tuple[str, float | None]] = {}
    for row, raw in cells:
        if is_blank(raw):
            continue
        key = raw if isinstance(raw, str) else None
        kind_value = seen.get(key) if key is not None else None
        if kind_value is None:
            kind_value = _kind(unit, raw)
            if key is not None:
                seen[key] = kind_value
        kind, value = kind_value
        if value is None:
            continue  # an unreadable cell is reported when it is parsed
        forms.setdefault(kind, None)
        if kind == "bare numbers":
            bare.append((row, value))
        else:
            explicit.append(value)
    return forms, bare, explicit


def _kind(unit: KpiUnit, raw: object) -> tuple[str, float | None]:
    """("bare numbers", n) or (the form, canonical value) of one cell."""
    try:
        if unit == "percent" and isinstance(raw, str) and raw.strip().endswith("%"):
            value = parse_number(raw.strip()[:-1])
            return '"%" strings', None if value is None else value  # in points, like the bare points
        if unit == "seconds":
            if isinstance(raw, dt.time | dt.timedelta):
                return "time cells", parse_duration(raw)
            if isinstance(raw, str):
                text = raw.strip().lower()
                if _CLOCK.match(text):
                    return "h:mm:ss", parse_duration(raw)
                units = _UNITS.match(text)
                if units and any(units.groups()) and not text.replace(".", "").isdigit():
                    return "2m 14s texts", parse_duration(raw)
        if isinstance(raw, str) and _SCALED_CELL.match(raw.strip()) and unit in {"money", "count"}:
            return "scaled texts (1.2k)", _scaled_number(raw, 1.0)
        return "bare numbers", parse_number(raw)
    except ParseError:
        return "unreadable", None


def _decide_percent(forms, bare, points_strings) -> tuple[Reading, list[str]]:
    above_one = [v for _, v in bare if v > 1]
    if above_one:
        # Any bare number over 1 can only be points, so every bare number is: unless some of them fit
        # among the rest only as fractions.
        others = above_one + points_strings
        clashes = _clashes(bare, others, scale=100)
        if clashes:
            return Reading("percent", "points", forms), [
                f"{_rows(clashes)} would read as {_pct(clashes[0][1] * 100)} only as a fraction, beside "
                f"values from {_pct(min(others))} to {_pct(max(others))} in percent points; write them all in "
                'one form ("93%", 93 or 0.93 throughout) or set inputs.kpis.units for this column to points '
                "or fraction"
            ]
        return Reading("percent", "points", forms), []
    if points_strings and bare and _fit_only_unscaled(bare, points_strings, scale=100):
        # "2.1%" and "0.9%" beside a bare 0.5: as a fraction it would be 50%, as points it fits.
        return Reading("percent", "points", forms), []
    return Reading("percent", "fraction", forms), []


def _decide_duration(forms, bare, clock_seconds) -> tuple[Reading, list[str]]:
    non_zero = [v for _, v in bare if v]
    if non_zero and all(v < 1 for v in non_zero):
        return Reading("seconds", "day_fraction", forms), []
    others = [v for _, v in bare if v >= 1] + clock_seconds
    clashes = _clashes(bare, others, scale=86_400) if others else []
    if clashes:
        return Reading("seconds", "seconds", forms), [
            f"{_rows(clashes)} would read as {clashes[0][1] * 86_400:,.0f} seconds only as Excel day fractions, "
            f"beside values from {min(others):,.0f} to {max(others):,.0f} seconds; write the column in one form "
            "or set inputs.kpis.units for this column to seconds or day_fraction"
        ]
    return Reading("seconds", "seconds", forms), []


def _clashes(bare: list[tuple[int, float]], others: list[float], scale: float) -> list[tuple[int, float]]:
    """Small bare numbers that fit among the others only on the larger scale, and fall far below them
    on their own: the mark of a column written in two conventions."""
    if not others:
        return []
    low, high = min(others), max(others)
    return [(row, v) for row, v in bare if 0 < v <= 1 and low / 3 <= v * scale <= high * 3 and v < low / 10]


def _fit_only_unscaled(bare: list[tuple[int, float]], others: list[float], scale: float) -> bool:
    """True when every non-zero bare number fits among the others as it is and would stand far above
    them scaled up."""
    low, high = min(others), max(others)
    values = [v for _, v in bare if v]
    return bool(values) and all(low / 10 <= v <= high * 10 and v * scale > high * 10 for v in values)


def _rows(found: list[tuple[int, float]]) -> str:
    shown = ", ".join(f"row {row} ({show(value)})" for row, value in found[:_EXAMPLES])
    more = f" and {len(found) - _EXAMPLES} more" if len(found) > _EXAMPLES else ""
    return f"{shown}{more}"


def _pct(points: float) -> str:
    return f"{points:.4g}%"


def _duration(raw: object, bare_factor: float) -> float | None:
    if is_blank(raw):
        return None
    if isinstance(raw, numbers.Real) and not isinstance(raw, bool):
        value = parse_number(raw)
        return None if value is None else value * bare_factor
    if isinstance(raw, str):
        text = raw.strip().lower()
        units = _UNITS.match(text)
        if not _CLOCK.match(text) and not (units and any(units.groups()) and not text.replace(".", "").isdigit()):
            try:
                value = parse_number(raw)
            except ParseError:
                raise ParseError(
                    f'expected a duration such as 0:02:14, 2:14 or 134 (seconds), got "{show(raw)}"'
                ) from None
            return None if value is None else value * bare_factor
    return parse_duration(raw)


def _scaled_number(raw: object, bare_factor: float) -> float | None:
    if isinstance(raw, str):
        match = _SCALED_CELL.match(raw.strip())
        if match:
            value = parse_number(match[1])
            return None if value is None else value * _CELL_SCALE[match[2].lower()]
    value = parse_number(raw)
    return None if value is None else value * bare_factor
