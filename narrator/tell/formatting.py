"""Locale-aware wording of values (money, percentages, points, durations, counts) through Babel."""

from __future__ import annotations

import math
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from functools import lru_cache, wraps

from babel import Locale
from babel.numbers import NumberPattern, format_currency, format_decimal, format_percent, get_currency_symbol
from babel.numbers import parse_pattern as _parse_pattern

from narrator.compute.facts import Fact


def _remembered(method):
    """A Formatter method's wording remembered by locale, currency and argument: a pack words each value
    several times (the phrase, its table cell, the claim check reading it back; 564 calls for 194
    distinct values on the insurer sample), and Babel's formatting is most of what telling costs."""
    name = method.__name__

    @wraps(method)
    def remembered(self, *args, **kwargs):
        # repr, not the value: -0.0 == 0.0 but may be worded differently.
        key = (name, self.locale, self.currency, *map(repr, args), *sorted(kwargs.items()))
        found = _WORDED.get(key)
        if found is None:
            if len(_WORDED) >= _MAX_WORDED:
                _WORDED.clear()
            found = _WORDED[key] = method(self, *args, **kwargs)
        return found

    return remembered


_WORDED: dict[tuple, str] = {}
_MAX_WORDED = 50_000  # a batch of site packs words mostly new values: start afresh rather than grow


@dataclass(frozen=True)
class Formatter:
    """Formats facts for one locale and currency. Magnitudes are unsigned unless a signed form is asked:
    templates carry direction in words ("fell by 2.1 points"), which the polish step keeps locked."""

    locale: str
    currency: str

    @property
    def _babel_locale(self) -> Locale:
        return _locale_for(self.locale)

    # --- the unit-specific forms -------------------------------------------------------------
    @_remembered
    def money(self, value: float, currency: str | None = None) -> str:
        """Whole currency units, rounded half up as finance tables are: "$440,127", "$769,575"."""
        return format_currency(
            _half_up(value),
            currency or self.currency,
            format=_pattern("¤#,##0"),
            locale=self._babel_locale,
            currency_digits=False,
        )

    @_remembered
    def money_exact(self, value: float, currency: str | None = None) -> str:
        """With the currency's minor units: "$8.01"."""
        return format_currency(value, currency or self.currency, locale=self._babel_locale)

    @_remembered
    def money_short(self, value: float, currency: str | None = None) -> str:
        """Board shorthand: "£1.2m", "£385k", "£950"."""
        symbol = get_currency_symbol(currency or self.currency, locale=self._babel_locale)
        size = abs(value)
        million, thousand = ("M", "K") if self.locale.lower().endswith("us") else ("m", "k")
        if size >= 999_500:
            return symbol + format_decimal(size / 1e6, _pattern("#,##0.0"), locale=self._babel_locale) + million
        if size >= 10_000:
            return symbol + format_decimal(size / 1e3, _pattern("#,##0"), locale=self._babel_locale) + thousand
        return symbol + format_decimal(size, _pattern("#,##0"), locale=self._babel_locale)

    @_remembered
    def percent(self, value: float, decimals: int = 1) -> str:
        if decimals and round(value * 100, decimals) == round(value * 100):
            decimals = 0  # "80%", not "80.0%"
        pattern = "#,##0" + ("." + "0" * decimals if decimals else "") + "%"
        return format_percent(value, _pattern(pattern), locale=self._babel_locale)

    @_remembered
    def points(self, value: float) -> str:
        """A difference of two percentages: "2.1 pts" (0.021)."""
        amount = format_decimal(abs(value) * 100, _pattern("#,##0.0"), locale=self._babel_locale)
        return f"{amount} pts"

    def duration(self, seconds: float) -> str:
        """ "45 seconds", "3 min 05 s", "1 h 02 min"."""
        seconds = abs(seconds)
        if seconds < 100:
            whole = round(seconds)
            return f"{whole} second" if whole == 1 else f"{whole} seconds"
        total = round(seconds)
        if total < 3600:
            return f"{total // 60} min {total % 60:02d} s"
        return f"{total // 3600} h {(total % 3600) // 60:02d} min"

    @_remembered
    def count(self, value: float) -> str:
        return format_decimal(round(abs(value)), _pattern("#,##0"), locale=self._babel_locale)

    @_remembered
    def number(self, value: float, decimals: int = 0) -> str:
        pattern = "#,##0" + ("." + "0" * decimals if decimals else "")
        return format_decimal(abs(value), _pattern(pattern), locale=self._babel_locale)

    @_remembered
    def score(self, value: float) -> str:
        return format_decimal(abs(value), _pattern("#,##0.00"), locale=self._babel_locale)

    @_remembered
    def ratio(self, value: float) -> str:
        return format_decimal(abs(value), _pattern("#,##0.0#"), locale=self._babel_locale) + "x"

    @_remembered
    def per_1k(self, value: float) -> str:
        return format_decimal(abs(value), _pattern("#,##0.0"), locale=self._babel_locale) + " per 1,000 contacts"

    def months(self, value: float) -> str:
        whole = round(abs(value))
        return f"{whole} month" if whole == 1 else f"{whole} months"

    def years(self, value: float) -> str:
        whole = round(abs(value))
        return f"{whole} year" if whole == 1 else f"{whole} years"

    # --- dispatch by a fact's unit ---------------------------------------------------------------
    def default(self, fact: Fact) -> str:
        """The natural unsigned wording of a fact, chosen by its unit."""
        value = fact.value
        if value is None:
            return "not available"
        if isinstance(value, str):
            return value
        if isinstance(value, float) and not math.isfinite(value):
            return "not defined"
        unit = fact.unit
        if unit == "money":
            return (
                self.money(abs(value), fact.currency)
                if abs(value) >= 100
                else self.money_exact(abs(value), fact.currency)
            )
        return {
            "percent": lambda v: self.percent(abs(v)),
            "pp": self.points,
            "seconds": self.duration,
            "count": self.count,
            "score": self.score,
            "ratio": self.ratio,
            "months": self.months,
            "years": self.years,
            "per_1k": self.per_1k,
            "number": lambda v: self.number(v, 0 if float(v).is_integer() else 1),
        }[unit](value)

    def signed(self, fact: Fact) -> str:
        """With an explicit sign, for tables: "+2.1 pts", "−$12,400"."""
        text = self.default(fact)
        if not isinstance(fact.value, int | float) or fact.value == 0:
            return text
        return ("+" if fact.value > 0 else "\u2212") + text


# Babel parses a locale name and a number pattern on every call; a pack formats a few hundred values
# with a dozen patterns, so both are parsed once per process. Same objects Babel would build itself.
@lru_cache(maxsize=32)
def _locale_for(name: str) -> Locale:
    return Locale.parse(name.replace("-", "_"))


@lru_cache(maxsize=256)
def _pattern(text: str) -> NumberPattern:
    return _parse_pattern(text)


def _half_up(value: float) -> Decimal:
    # Python's round() and Babel both round half to even (769,574.50 -> 769,574); finance rounds half up.
    # Rounding to 6 places first keeps float noise (769,574.4999999) from deciding the last dollar.
    return Decimal(repr(round(value, 6))).quantize(Decimal(1), rounding=ROUND_HALF_UP)
