"""Reporting periods (month, quarter, year): parsing the labels real exports use, ordering, and naming."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from functools import total_ordering
from typing import Literal

from babel.dates import format_date

Freq = Literal["M", "Q", "Y"]

_MONTHS = {
    name: i
    for i, names in enumerate(
        [
            ("jan", "january"), ("feb", "february"), ("mar", "march"), ("apr", "april"), ("may",),
            ("jun", "june"), ("jul", "july"), ("aug", "august"), ("sep", "sept", "september"),
            ("oct", "october"), ("nov", "november"), ("dec", "december"),
        ],
        start=1,
    )
    for name in names
}
_ISO_MONTH = re.compile(r"^(\d{4})[-/.](\d{1,2})$")
_ISO_DATE = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})(?:[ T].*)?$")
_DMY_DATE = re.compile(r"^(\d{1,2})/(\d{1,2})/(\d{4})$")
_MONTH_NAME_YEAR = re.compile(r"^([A-Za-z]+)[\s\-']+(\d{2}|\d{4})$")
_YEAR_MONTH_NAME = re.compile(r"^(\d{4})[\s\-]+([A-Za-z]+)$")
_QUARTER = re.compile(r"^(\d{4})\s*[-_ ]?\s*Q([1-4])$|^Q([1-4])\s*[-_ ]?\s*(\d{4})$", re.IGNORECASE)
_YEAR = re.compile(r"^(?:FY\s*)?(\d{4})$", re.IGNORECASE)
# Periods are hashed and compared by ordinal on every dictionary lookup, so this is not rebuilt per call.
_PER_YEAR = {"M": 12, "Q": 4, "Y": 1}


@total_ordering
class Period:
    """A month, quarter or year. Immutable, hashable, ordered within one frequency."""

    __slots__ = ("freq", "year", "index")

    def __init__(self, freq: Freq, year: int, index: int = 1):
        self.freq = freq
        self.year = year
        self.index = index  # month 1-12, quarter 1-4, or 1 for a year

    @property
    def ordinal(self) -> int:
        per_year = _PER_YEAR[self.freq]
        return self.year * per_year + self.index - 1

    def shift(self, steps: int) -> Period:
        per_year = _PER_YEAR[self.freq]
        ordinal = self.ordinal + steps
        return Period(self.freq, ordinal // per_year, ordinal % per_year + 1)

    def prior(self) -> Period:
        return self.shift(-1)

    def same_last_year(self) -> Period:
        return Period(self.freq, self.year - 1, self.index)

    @property
    def per_year(self) -> int:
        return _PER_YEAR[self.freq]

    def key(self) -> str:
        """Stable machine form: 2025-03, 2025-Q1, 2025."""
        if self.freq == "M":
            return f"{self.year:04d}-{self.index:02d}"
        if self.freq == "Q":
            return f"{self.year:04d}-Q{self.index}"
        return f"{self.year:04d}"

    def label(self, locale: str, short: bool = False) -> str:
        """As a reader expects it: "March 2025" (or "Mar 2025"), "Q1 2025", "2025"."""
        if self.freq == "M":
            return format_date(
                dt.date(self.year, self.index, 1), "MMM yyyy" if short else "MMMM yyyy",
                locale=locale.replace("-", "_"),
            )
        if self.freq == "Q":
            return f"Q{self.index} {self.year}"
        return str(self.year)

    def end_date(self) -> dt.date:
        nxt = self.shift(1)
        first_month_of_next = {"M": nxt.index, "Q": (nxt.index - 1) * 3 + 1, "Y": 1}[self.freq]
        return dt.date(nxt.year, first_month_of_next, 1) - dt.timedelta(days=1)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Period) and (self.freq, self.ordinal) == (other.freq, other.ordinal)

    def __lt__(self, other: Period) -> bool:
        return self.ordinal < other.ordinal

    def __hash__(self) -> int:
        return hash((self.freq, self.ordinal))

    def __repr__(self) -> str:
        return f"Period({self.key()})"


def parse_period(raw: object) -> Period | None:
    """Read a period label as exports write it; None when it is not one."""
    if isinstance(raw, dt.datetime | dt.date):
        return Period("M", raw.year, raw.month)
    if hasattr(raw, "to_pydatetime"):  # pandas Timestamp
        stamp = raw.to_pydatetime()
        return Period("M", stamp.year, stamp.month)
    if isinstance(raw, int | float) and not isinstance(raw, bool):
        if float(raw).is_integer() and 1900 <= raw <= 2200:
            return Period("Y", int(raw))
        return None
    text = str(raw).strip()
    if not text:
        return None
    for pattern, build in (
        (_ISO_MONTH, lambda m: (int(m[1]), int(m[2]))),
        (_ISO_DATE, lambda m: (int(m[1]), int(m[2]))),
        (_DMY_DATE, lambda m: (int(m[3]), int(m[2]))),
    ):
        match = pattern.match(text)
        if match:
            year, month = build(match)
            return Period("M", year, month) if 1 <= month <= 12 else None
    match = _MONTH_NAME_YEAR.match(text)
    if match and match[1].lower() in _MONTHS:
        year = int(match[2])
        return Period("M", year + 2000 if year < 100 else year, _MONTHS[match[1].lower()])
    match = _YEAR_MONTH_NAME.match(text)
    if match and match[2].lower() in _MONTHS:
        return Period("M", int(match[1]), _MONTHS[match[2].lower()])
    match = _QUARTER.match(text)
    if match:
        year, quarter = (match[1], match[2]) if match[1] else (match[4], match[3])
        return Period("Q", int(year), int(quarter))
    match = _YEAR.match(text)
    if match:
        return Period("Y", int(match[1]))
    return None


# Dates and times finer than a month, as exports write them. A moment's month is its local wall-clock
# month: "2026-02-28T23:30:00+01:00" is February where the centre is, whatever UTC says.
_ISO_STAMP = re.compile(r"^\d{4}-\d{2}-\d{2}[T ]\d{1,2}:\d{2}")
_DAY_MON_YEAR = re.compile(r"^(\d{1,2})[-\s/]([A-Za-z]{3,9})[-\s/](\d{2}|\d{4})$")
_ISO_WEEK = re.compile(r"^(\d{4})-?W(\d{2})$", re.IGNORECASE)
_DIGITS = re.compile(r"^\d{6}$|^\d{8}$")


@dataclass(frozen=True)
class Moment:
    """The time a row is for: the reporting period it falls in, and what makes two rows the same time."""

    period: Period
    key: object  # the Period for a month label; the date or datetime for finer rows
    day: dt.date | None = None  # the calendar day, for day-level and finer rows


def at_grain(period: Period, grain: Freq) -> Period:
    """A month as the quarter or year it falls in, when the pack reports by quarter or year."""
    if period.freq == "M" and grain == "Q":
        return Period("Q", period.year, (period.index - 1) // 3 + 1)
    if period.freq in {"M", "Q"} and grain == "Y":
        return Period("Y", period.year)
    return period


def parse_moment(
    raw: object, grain: Freq = "M", zone: str | None = None, month_first: bool = False
) -> Moment | None:
    """The moment a period cell names: a month label, a date, a timestamp (with its offset), a YYMMDD
    or YYYYMMDD number, "22-Apr-15", an ISO week; None when it is none of them. ``zone`` (an IANA name)
    converts timestamps that carry an offset before their month is taken; ``month_first`` reads
    3/4/2025 as 4 March (US exports) rather than 3 April."""
    day = _day_or_stamp(raw, zone, month_first)
    if day is not None:
        date = day.date() if isinstance(day, dt.datetime) else day
        return Moment(at_grain(Period("M", date.year, date.month), grain), day, date)
    period = parse_period(raw)
    if period is None:
        return None
    return Moment(at_grain(period, grain), period)


def _day_or_stamp(raw: object, zone: str | None, month_first: bool = False) -> dt.date | dt.datetime | None:
    if hasattr(raw, "to_pydatetime"):  # pandas Timestamp
        raw = raw.to_pydatetime()
    if isinstance(raw, dt.datetime):
        return _in_zone(raw, zone)
    if isinstance(raw, dt.date):
        return raw
    if isinstance(raw, int | float) and not isinstance(raw, bool) and float(raw).is_integer():
        raw = str(int(raw))
    if not isinstance(raw, str):
        return None
    text = raw.strip()
    if _ISO_STAMP.match(text):
        try:
            return _in_zone(dt.datetime.fromisoformat(text.replace("z", "Z")), zone)
        except ValueError:
            return None
    if _ISO_DATE.match(text) and len(text) <= 10:
        try:
            return dt.date.fromisoformat("-".join(part.zfill(2) for part in text.split("-")))
        except ValueError:
            return None
    match = _DMY_DATE.match(text)
    if match:
        first, second = int(match[1]), int(match[2])
        return _date(int(match[3]), first, second) if month_first else _date(int(match[3]), second, first)
    match = _DAY_MON_YEAR.match(text)
    if match and match[2].lower() in _MONTHS:
        year = int(match[3])
        return _date(year + 2000 if year < 100 else year, _MONTHS[match[2].lower()], int(match[1]))
    match = _ISO_WEEK.match(text)
    if match:
        try:  # a week counts in the month of its Thursday, as ISO 8601 assigns weeks to years
            return dt.date.fromisocalendar(int(match[1]), int(match[2]), 4)
        except ValueError:
            return None
    if _DIGITS.match(text):
        if len(text) == 8:
            return _date(int(text[:4]), int(text[4:6]), int(text[6:]))
        year = int(text[:2])  # YYMMDD, as call logs write it: 990201 is 1 Feb 1999
        return _date(year + (1900 if year >= 50 else 2000), int(text[2:4]), int(text[4:]))
    return None


def _date(year: int, month: int, day: int) -> dt.date | None:
    try:
        return dt.date(year, month, day)
    except ValueError:
        return None


def _in_zone(stamp: dt.datetime, zone: str | None) -> dt.datetime:
    if zone is None or stamp.tzinfo is None:
        return stamp
    from zoneinfo import ZoneInfo

    return stamp.astimezone(ZoneInfo(zone))
