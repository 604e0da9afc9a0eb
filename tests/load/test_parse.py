"""The cell parsers, table-driven: what real exports write and what narrator reads it as."""

from __future__ import annotations

import datetime as dt
import math

import pytest

from narrator.load.parse import (
    ParseError,
    is_blank,
    parse_duration,
    parse_flag,
    parse_number,
    parse_percent,
    parse_value,
)


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("1234", 1234.0),
        ("1,234", 1234.0),
        ("1 234", 1234.0),
        ("1\u00a0234", 1234.0),
        ("1'234", 1234.0),
        ("1,234,567.5", 1234567.5),
        ("1.234.567", 1234567.0),
        ("1.234,5", 1234.5),
        ("84,2", 84.2),
        ("£1,200", 1200.0),
        ("$8.01", 8.01),
        ("€3,82", 3.82),
        ("GBP 1,200", 1200.0),
        ("1,200 USD", 1200.0),
        ("(1,200)", -1200.0),
        ("-£1,200", -1200.0),
        ("−5", -5.0),
        ("+5", 5.0),
        (".5", 0.5),
        ("1.2e3", 1200.0),
        (42, 42.0),
        (4.5, 4.5),
    ],
)
def test_parse_number_reads_export_formats(raw, expected):
    assert parse_number(raw) == pytest.approx(expected)


@pytest.mark.parametrize(
    "raw", ["", "  ", "-", "–", "n/a", "N/A", "#N/A", "null", "None", "nan", None, math.nan]
)
def test_blank_cells_read_as_none(raw):
    assert is_blank(raw)
    assert parse_number(raw) is None
    assert parse_percent(raw) is None
    assert parse_duration(raw) is None


@pytest.mark.parametrize(
    ("raw", "shown"),
    [
        ("abc", "abc"),
        ("12 abc", "12 abc"),
        ("1.2.3,4,5", "1.2.3,4,5"),
        ("94%", "94%"),
        (True, "True"),
        (math.inf, "inf"),
    ],
)
def test_parse_number_rejects_text_with_the_cell_in_the_message(raw, shown):
    with pytest.raises(ParseError) as caught:
        parse_number(raw)
    assert caught.value.message == f'expected a number, got "{shown}"'
    assert caught.value.fix == "fix or blank the cell"


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("94.01%", 0.9401),
        ("94.01 %", 0.9401),
        ("94,01%", 0.9401),
        ("100%", 1.0),
        ("0%", 0.0),
        (84.2, 0.842),  # over 1 and at most 100: percent points
        ("84.2", 0.842),
        (100, 1.0),
        (0.842, 0.842),  # at most 1: already a fraction (an Excel cell formatted as %)
        (1, 1.0),  # a bare 1 is 100%, as the documented rule says
        (0, 0.0),
    ],
)
def test_parse_percent_returns_a_fraction(raw, expected):
    assert parse_percent(raw) == pytest.approx(expected)


@pytest.mark.parametrize("raw", ["112%", 150, "-3%", -0.2])
def test_parse_percent_rejects_values_outside_0_to_100(raw):
    with pytest.raises(ParseError, match=r"expected a percentage between 0% and 100%, got"):
        parse_percent(raw)


def test_parse_percent_rejects_text():
    with pytest.raises(ParseError) as caught:
        parse_percent("high")
    assert caught.value.message == 'expected a percentage, got "high"'


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("0:02:14", 134.0),
        ("2:14", 134.0),
        ("1:00:00", 3600.0),
        ("0:02:14.5", 134.5),
        ("134", 134.0),
        (134, 134.0),
        ("134s", 134.0),
        ("134 sec", 134.0),
        ("2m 14s", 134.0),
        ("1h", 3600.0),
        (dt.time(0, 2, 14), 134.0),
        (dt.timedelta(minutes=2, seconds=14), 134.0),
    ],
)
def test_parse_duration_returns_seconds(raw, expected):
    assert parse_duration(raw) == pytest.approx(expected)


def test_parse_duration_reads_excel_day_fractions_when_told():
    assert parse_duration(134 / 86_400, day_fraction=True) == pytest.approx(134.0)
    assert parse_duration("0.00155", day_fraction=True) == pytest.approx(133.92)
    # a time cell is a time cell whatever the column holds
    assert parse_duration(dt.time(0, 2, 14), day_fraction=True) == pytest.approx(134.0)


def test_parse_duration_rejects_text():
    with pytest.raises(ParseError) as caught:
        parse_duration("two minutes")
    assert (
        caught.value.message
        == 'expected a duration such as 0:02:14, 2:14 or 134 (seconds), got "two minutes"'
    )


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("Y", True),
        ("n", False),
        ("Yes", True),
        ("FALSE", False),
        (1, True),
        (0, False),
        (True, True),
        ("", None),
    ],
)
def test_parse_flag(raw, expected):
    assert parse_flag(raw) is expected


def test_parse_flag_rejects_other_text():
    with pytest.raises(ParseError, match='expected Y or N, got "maybe"'):
        parse_flag("maybe")


@pytest.mark.parametrize(
    ("raw", "unit", "expected"),
    [
        ("84.2%", "percent", 0.842),
        ("0:02:14", "seconds", 134.0),
        ("£8.01", "money", 8.01),
        ("1,234", "count", 1234.0),
        ("-12", "number", -12.0),  # NPS and other plain numbers may be negative
        ("4.1", "score", 4.1),
    ],
)
def test_parse_value_by_unit(raw, unit, expected):
    assert parse_value(raw, unit) == pytest.approx(expected)


@pytest.mark.parametrize(
    ("raw", "unit", "message"),
    [
        ("-5", "count", 'expected a count of 0 or more, got "-5"'),
        ("(1,200)", "money", 'expected a money amount of 0 or more, got "(1,200)"'),
        ("-30", "seconds", 'expected a duration of 0 or more, got "-30"'),
    ],
)
def test_parse_value_rejects_negative_volumes_money_and_durations(raw, unit, message):
    with pytest.raises(ParseError) as caught:
        parse_value(raw, unit)
    assert caught.value.message == message
