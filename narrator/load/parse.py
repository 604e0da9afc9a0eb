"""Cell parsers for the values real exports hold: "1,234", "£8.01", "(1,200)", "94.01%", "0:02:14", blanks.

Every parser returns a float in narrator's canonical unit (percentages as fractions, durations in
seconds) or None for a blank cell, and raises ``ParseError`` with a short message such as
``expected a number, got "abc"``; the caller adds the file, row and column.

Rules worth knowing (they are documented for users in the README's data section):

- Blank cells: empty, whitespace, "-", "–", "—", "n/a", "na", "#n/a", "null", "none", "nan", NaN, None.
  Exports write these for "no value"; they load as a gap, never as zero.
- Thousands and decimals: "1,234", "1 234", "1'234" and "1.234.567" are thousands; "1,234.5" and
  "1.234,5" use the last separator as the decimal point; a single comma followed by other than three
  digits ("84,2") is a decimal comma. "1,234" is always read as one thousand two hundred and thirty-four.
- Money: currency symbols (£ $ € ¥) and a three-letter code ("GBP 1,200") are dropped; "(1,200)" is
  negative, as accountants write it.
- Percentages: "94.01%" is 0.9401. ``parse_percent`` reads one bare number on its own (over 1 as points,
  at most 1 as a fraction), for a single setting such as a config target; a KPI column's bare numbers
  are read one way for the whole column (``narrator.load.units``). Over 100% or below 0% is an error.
- Durations: "0:02:14" (h:mm:ss), "2:14" (m:ss), "134", "134s", "2m 14s", a datetime.time or timedelta
  (Excel cells formatted as time). A bare number is seconds, unless the caller says the column holds
  Excel day fractions (0.00155 -> 134 s).
"""

from __future__ import annotations

import contextvars
import datetime as dt
import math
import numbers
import re

from narrator.catalogue import KpiUnit
from narrator.limits import MAX_MAGNITUDE

BLANKS = frozenset({"", "-", "–", "—", "n/a", "na", "#n/a", "null", "none", "nan"})
SECONDS_PER_DAY = 86_400

# Upper-case codes only, so a word in a cell ("12 abc") is not mistaken for a currency and dropped.
_CURRENCY = re.compile(r"^[A-Z]{3}\s*|\s*[A-Z]{3}$|[£$€¥]")
_GROUPING = re.compile(r"[\s\u00a0\u202f']")  # spaces (incl. non-breaking) and Swiss apostrophes
_PLAIN = re.compile(r"\d+(?:\.\d*)?|\.\d+")
_CLOCK = re.compile(r"^(?:(\d+):)?(\d{1,2}):(\d{1,2}(?:\.\d+)?)$")
_UNITS = re.compile(
    r"^(?:(\d+(?:\.\d+)?)\s*h)?\s*(?:(\d+(?:\.\d+)?)\s*m(?:in)?)?\s*(?:(\d+(?:\.\d+)?)\s*s(?:ec)?)?$"
)

# Units whose values cannot be negative: a negative count, cost or duration is a broken export.
_NON_NEGATIVE = {"count": "count", "money": "money amount", "seconds": "duration", "per_1k": "rate per 1,000"}


class ParseError(ValueError):
    """A cell that does not hold what its column needs; ``fix`` is the next step for the user."""

    def __init__(self, message: str, fix: str = "fix or blank the cell"):
        super().__init__(message)
        self.message = message
        self.fix = fix


def show(raw: object) -> str:
    """A cell as the user typed it, for messages: 150.0 shows as 150, text as itself."""
    if isinstance(raw, float) and raw.is_integer():
        return str(int(raw))
    return str(raw).strip()


def is_blank(raw: object) -> bool:
    if raw is None:
        return True
    if isinstance(raw, float) and math.isnan(raw):
        return True
    if isinstance(raw, str):
        return raw.strip().lower() in BLANKS
    # pandas' own missing markers (NA, NaT) compare unequal to themselves or refuse to; test by type name
    return type(raw).__name__ in {"NAType", "NaTType"}


def parse_number(raw: object) -> float | None:
    """A plain number, money amount or count; None for a blank cell."""
    value = _parse_number(raw)
    if value is not None and abs(value) > MAX_MAGNITUDE:
        # "1e308" is a float, but every sum, rate and formatter after it overflows.
        raise ParseError(f'expected a real amount, got "{show(raw)}" (over {MAX_MAGNITUDE:g})')
    return value


def _parse_number(raw: object) -> float | None:
    if is_blank(raw):
        return None
    if isinstance(raw, numbers.Real) and not isinstance(raw, bool):
        value = float(raw)
        if not math.isfinite(value):
            raise ParseError(f'expected a number, got "{show(raw)}"')
        return value
    if not isinstance(raw, str):
        raise ParseError(f'expected a number, got "{show(raw)}"')
    value = _number_from_text(raw)
    if value is None:
        raise ParseError(f'expected a number, got "{show(raw)}"')
    _check_currency(raw)
    return value


# The currency of the pack (the config's), set by load_dataset while it reads the inputs. A cell that
# names another ("$5.56" in a pound pack) would otherwise be summed and averaged as pounds.
currency: contextvars.ContextVar[str | None] = contextvars.ContextVar("currency", default=None)
_SYMBOLS = {
    "£": {"GBP", "GIP", "FKP"},
    "€": {"EUR"},
    "$": {"USD", "AUD", "CAD", "NZD", "SGD", "HKD", "MXN"},
    "¥": {"JPY", "CNY"},
}
_CODE = re.compile(r"^\s*([A-Z]{3})\b|\b([A-Z]{3})\s*$")


def _check_currency(text: str) -> None:
    expected = currency.get()
    if expected is None:
        return
    for symbol, codes in _SYMBOLS.items():
        if symbol in text and expected not in codes:
            raise ParseError(
                f'"{text}" is in {symbol}, but the config\'s currency is {expected}; convert it to {expected} '
                "or set currency to match"
            )
    match = _CODE.search(text)
    code = match and (match[1] or match[2])
    if code and code != expected:
        raise ParseError(
            f'"{text}" is in {code}, but the config\'s currency is {expected}; convert it to {expected} '
            "or set currency to match"
        )


def _number_from_text(text: str) -> float | None:
    s = text.strip()
    negative = False
    if s.startswith("(") and s.endswith(")"):
        negative, s = True, s[1:-1].strip()
    s = _CURRENCY.sub("", s).strip()
    if s[:1] in {"-", "−"}:  # ASCII hyphen or the Unicode minus sign some exports use
        negative, s = not negative, s[1:]
    elif s[:1] == "+":
        s = s[1:]
    s = _CURRENCY.sub("", s)  # "-£1,200" puts the sign before the symbol
    s = _GROUPING.sub("", s)
    s = _decimal_point(s)
    if s is None:
        return None
    if _PLAIN.fullmatch(s):
        value = float(s)
    else:
        try:  # scientific notation ("1.2e3") from some exports
            value = float(s)
        except ValueError:
            return None
        if not math.isfinite(value) or not re.fullmatch(r"[\d.]+e[+-]?\d+", s, re.IGNORECASE):
            return None
    return -value if negative else value


# Whether the file being read writes decimals with a comma ("84,2%", "56.186" contacts), as many
# European exports do. Set per file by the KPI loader from the file's own cells (detect_decimal_comma),
# because "56.186" alone could be either fifty-six thousand or fifty-six point one.
decimal_comma: contextvars.ContextVar[bool] = contextvars.ContextVar("decimal_comma", default=False)
_COMMA_DECIMAL_CELL = re.compile(r"^[^\d]*\d{1,3}(?:\.\d{3})*,\d{1,2}(?!\d)\s*%?\s*$|^[^\d]*\d+\.\d{3},\d")
_DOT_DECIMAL_CELL = re.compile(r"^[^\d]*\d{1,3}(?:,\d{3})*\.\d{1,2}(?!\d)\s*%?\s*$|^[^\d]*\d+,\d{3}\.\d")


def detect_decimal_comma(cells) -> bool:
    """True when a file's cells show the decimal-comma convention and none shows the decimal point:
    a cell like "84,2" or "1.234,5" is evidence for the comma; "84.25" or "1,234.5" against it."""
    comma = dot = False
    # The answer depends only on which texts occur, and an export repeats a few texts (months, "80%")
    # on every row, so each distinct text is tested once.
    for cell in {cell for cell in cells if isinstance(cell, str)}:
        comma = comma or bool(_COMMA_DECIMAL_CELL.match(cell))
        dot = dot or bool(_DOT_DECIMAL_CELL.match(cell))
        if dot:
            break  # one decimal point settles it: the file does not use the comma
    return comma and not dot


def _decimal_point(s: str) -> str | None:
    """Rewrite thousands and decimal separators so the text reads as a Python float."""
    commas, dots = s.count(","), s.count(".")
    if decimal_comma.get() and not (commas and dots):
        # In a decimal-comma file a lone dot groups thousands ("56.186") and a comma is the decimal mark.
        if dots:
            return s.replace(".", "") if commas == 0 else None
        if commas > 1:
            return None
        return s.replace(",", ".")
    if commas and dots:
        decimal = "," if s.rfind(",") > s.rfind(".") else "."
        thousands = "." if decimal == "," else ","
        if s.count(decimal) > 1:
            return None
        return s.replace(thousands, "").replace(decimal, ".")
    if commas > 1:
        return s.replace(",", "")
    if commas == 1:
        whole, _, fraction = s.partition(",")
        # "1,234" is read as thousands (the English convention); "84,2" can only be a decimal comma
        if len(fraction) == 3 and 1 <= len(whole) <= 3:
            return whole + fraction
        return f"{whole}.{fraction}"
    if dots > 1:
        return s.replace(".", "")
    return s


def parse_percent(raw: object, bare_factor: float | None = None) -> float | None:
    """A percentage as a fraction: "94.01%" -> 0.9401; bare 84.2 -> 0.842; bare 0.842 -> 0.842.

    ``bare_factor`` is the column's reading of bare numbers (0.01 for points, 1 for fractions); without
    it a lone number is read on its own, as a config setting is."""
    if is_blank(raw):
        return None
    if isinstance(raw, str) and raw.strip().endswith("%"):
        try:
            value = parse_number(raw.strip()[:-1])
        except ParseError:
            raise ParseError(f'expected a percentage, got "{show(raw)}"') from None
        value = None if value is None else value / 100
    else:
        try:
            value = parse_number(raw)
        except ParseError:
            raise ParseError(f'expected a percentage, got "{show(raw)}"') from None
        if value is not None and bare_factor is not None:
            value = value * bare_factor
        elif value is not None and 1 < value <= 100:
            # A bare number over 1 can only be percent points; at most 1 it is already a fraction.
            value = value / 100
    if value is not None and not 0 <= value <= 1 + 1e-9:  # 1e-9: 100 points x 0.01 is not quite 1
        raise ParseError(f'expected a percentage between 0% and 100%, got "{show(raw)}"')
    return None if value is None else min(value, 1.0)


def parse_duration(raw: object, day_fraction: bool = False) -> float | None:
    """A duration in seconds. ``day_fraction``: bare numbers are Excel day fractions, not seconds."""
    if is_blank(raw):
        return None
    if isinstance(raw, dt.timedelta):
        return raw.total_seconds()
    if isinstance(raw, dt.time):
        return raw.hour * 3600 + raw.minute * 60 + raw.second + raw.microsecond / 1e6
    if isinstance(raw, numbers.Real) and not isinstance(raw, bool):
        value = parse_number(raw)
        return value * SECONDS_PER_DAY if day_fraction and value is not None else value
    expected = f'expected a duration such as 0:02:14, 2:14 or 134 (seconds), got "{show(raw)}"'
    if not isinstance(raw, str):
        raise ParseError(expected)
    text = raw.strip().lower()
    clock = _CLOCK.match(text)
    if clock:
        hours, minutes, seconds = clock.groups()
        return int(hours or 0) * 3600 + int(minutes) * 60 + float(seconds)
    units = _UNITS.match(text)
    if units and any(units.groups()):
        hours, minutes, seconds = (float(part or 0) for part in units.groups())
        return hours * 3600 + minutes * 60 + seconds
    try:
        value = parse_number(text)
    except ParseError:
        raise ParseError(expected) from None
    return value * SECONDS_PER_DAY if day_fraction and value is not None else value


def parse_flag(raw: object) -> bool | None:
    """A yes/no cell (Y/N, Yes/No, True/False, 1/0); None for a blank cell."""
    if is_blank(raw):
        return None
    if isinstance(raw, bool):
        return raw
    text = show(raw).lower()
    if text in {"y", "yes", "true", "1", "t"}:
        return True
    if text in {"n", "no", "false", "0", "f"}:
        return False
    raise ParseError(f'expected Y or N, got "{show(raw)}"')


def parse_value(raw: object, unit: KpiUnit) -> float | None:
    """A KPI cell in the KPI's canonical unit, rejecting negatives where the unit cannot have them."""
    if unit == "percent":
        return parse_percent(raw)
    value = parse_duration(raw) if unit == "seconds" else parse_number(raw)
    if value is not None and value < 0 and unit in _NON_NEGATIVE:
        raise ParseError(f'expected a {_NON_NEGATIVE[unit]} of 0 or more, got "{show(raw)}"')
    return value
