"""Numbers as a formula shows them: "1,000,000 contacts", "5.0 pts", "$8.01", "$395,500" (via Babel)."""

from __future__ import annotations

import copy
from decimal import ROUND_HALF_UP, Decimal
from functools import lru_cache

from babel import Locale
from babel.numbers import NumberPattern, format_decimal, format_percent


def half_up(value: float, places: int = 0) -> float:
    """Round half away from zero, as finance tables do (Python's round() goes to even: 0.5 -> 0)."""
    if abs(value) >= 2**52:  # already whole, and beyond what Decimal's default precision can quantize
        return value
    return float(Decimal(repr(value)).quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP))


@lru_cache(maxsize=32)
def _currency_pattern(locale: str, digits: int) -> NumberPattern:
    pattern = copy.copy(Locale.parse(locale).currency_formats["standard"])
    pattern.frac_prec = (digits, digits)
    return pattern


def money(value: float, currency: str, locale: str, *, whole: bool | None = None) -> str:
    """An amount in the locale's currency format; cents only when the value has them (or ``whole`` says)."""
    if whole is None:
        whole = half_up(value, 2) == half_up(value)
    digits = 0 if whole else 2
    return _currency_pattern(locale, digits).apply(
        Decimal(repr(half_up(value, digits))), Locale.parse(locale), currency=currency, currency_digits=False
    )


def number(value: float, locale: str) -> str:
    """A count or multiplier: "1,000,000", "1.5"."""
    return format_decimal(half_up(value, 2), format="#,##0.##", locale=locale)


def points(value: float, locale: str) -> str:
    """A movement of a share as points: 0.05 -> "5.0 pts"."""
    return f"{format_decimal(half_up(value * 100, 2), format='#,##0.0#', locale=locale)} pts"


def percent(value: float, locale: str) -> str:
    """A share: 0.34 -> "34%", 0.035 -> "3.5%"."""
    return format_percent(half_up(value, 4), format="#,##0.##%", locale=locale)


def show(value: float, unit: str, currency: str, locale: str, noun: str = "") -> str:
    """``value`` as a formula shows it, by unit (see ``narrator.value.assumptions.Unit``)."""
    if unit == "money":
        text = money(value, currency, locale)
    elif unit == "pts":
        text = points(value, locale)
    elif unit in ("share", "rate"):
        text = percent(value, locale)
    elif unit == "seconds":
        text = f"{number(value, locale)} s"
    elif unit == "minutes":
        text = f"{number(value, locale)} min"
    elif unit == "hours":
        text = f"{number(value, locale)} h"
    else:
        text = number(value, locale)
    return f"{text} {noun}" if noun else text
