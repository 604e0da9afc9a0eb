"""European exports write decimals with a comma and group thousands with a dot: read them as meant."""

import pytest

from narrator.catalogue import Catalogue
from narrator.config import KpiInput
from narrator.load import load_observations
from narrator.load.parse import ParseError, decimal_comma, detect_decimal_comma, parse_value


def test_a_file_shows_its_convention_in_its_own_cells():
    assert detect_decimal_comma(["Jan-25", "56.186", "77,7%", "0:05:57"])
    assert not detect_decimal_comma(["62,115", "84.2%"])  # English grouping and decimal point
    assert not detect_decimal_comma(["62,115", "1,234"])  # no decimal evidence either way: English


@pytest.mark.parametrize(
    ("raw", "unit", "value"),
    [("56.186", "count", 56186), ("77,7%", "percent", 0.777), ("4,3", "per_1k", 4.3), ("1.234,5", "number", 1234.5)],
)
def test_decimal_comma_values(raw, unit, value):
    token = decimal_comma.set(True)
    try:
        assert parse_value(raw, unit) == pytest.approx(value)
    finally:
        decimal_comma.reset(token)


def test_a_semicolon_file_with_decimal_commas_loads_whole_numbers(tmp_path):
    path = tmp_path / "kpis.csv"
    path.write_bytes("\ufeffMonth;Calls offered;SL %\r\nJan-25;56.186;77,7%\r\nFeb-25;49.191;78,5%\r\n".encode())
    columns = {"period": "Month", "contacts_offered": "Calls offered", "service_level": "SL %"}
    found = load_observations(KpiInput(path=path, layout="wide", columns=columns), path, Catalogue.build({}))
    values = {(o.period.key(), o.kpi): o.value for o in found}
    assert values[("2025-01", "contacts_offered")] == 56186
    assert values[("2025-02", "service_level")] == pytest.approx(0.785)


def test_two_commas_in_a_decimal_comma_file_is_an_error():
    token = decimal_comma.set(True)
    try:
        with pytest.raises(ParseError):
            parse_value("1,234,5", "number")
    finally:
        decimal_comma.reset(token)
