"""Values are worded the way a reader in the report's locale expects."""

import pytest

from narrator.compute.facts import Fact
from narrator.tell.formatting import Formatter

GB = Formatter("en-GB", "GBP")
US = Formatter("en-US", "USD")


def fact(value, unit, **kw):
    return Fact(id="x", label="x", value=value, unit=unit, **kw)


@pytest.mark.parametrize(
    ("formatter", "value", "unit", "expected"),
    [
        (US, 440127.4, "money", "$440,127"),
        (GB, 1564011, "money", "£1,564,011"),
        (US, 8.01, "money", "$8.01"),
        (GB, 0.842, "percent", "84.2%"),
        (GB, 0.80, "percent", "80%"),
        (US, 0.392, "percent", "39.2%"),
        (GB, -0.021, "pp", "2.1 pts"),
        (GB, 67.5, "seconds", "68 seconds"),
        (GB, 425, "seconds", "7 min 05 s"),
        (GB, 41230, "count", "41,230"),
        (GB, 3.4, "score", "3.40"),
        (GB, 21, "months", "21 months"),
        (GB, 3, "years", "3 years"),
        (GB, 1.39, "ratio", "1.39x"),
    ],
)
def test_default_wording_by_unit(formatter, value, unit, expected):
    assert formatter.default(fact(value, unit)) == expected


def test_short_money_follows_the_locale_convention():
    assert GB.money_short(2_296_000) == "£2.3m"
    assert US.money_short(2_296_000) == "$2.3M"
    assert GB.money_short(462_648) == "£463k"
    assert GB.money_short(950) == "£950"


def test_signed_uses_a_true_minus_sign_for_tables():
    assert GB.signed(fact(-320061, "money")) == "\u2212£320,061"
    assert GB.signed(fact(0.009, "pp")) == "+0.9 pts"


def test_magnitudes_are_unsigned_so_direction_stays_in_words():
    assert GB.default(fact(-0.53, "money")) == "£0.53"
    assert GB.default(fact(-12, "count")) == "12"


def test_missing_and_text_values():
    assert GB.default(fact(None, "percent")) == "not available"
    assert GB.default(fact("March 2025", "period")) == "March 2025"
