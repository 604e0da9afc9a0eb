"""Tests for the assumptions file: loading, ranges from grades, and one clear line per problem."""

from __future__ import annotations

import pytest

from narrator.errors import InputError
from narrator.provenance import Source
from narrator.value.assumptions import Parameter, load_assumptions, parse_assumptions

GOOD = """\
parameters:
  assisted_cpc:
    value: 8.01
    unit: money
    source: Gartner, cost per contact by channel
    year: 2019
    grade: B
  self_service_cpc:
    value: 0.10
    unit: money
    source: Gartner, cost per contact by channel
    year: 2019
    grade: B
    low: 0.05
    high: 0.50
  containment_uplift:
    value: 0.05
    unit: pts
    source: IVR reports FY25 vs FY24
    year: 2025
    grade: A
"""


def param(**kw) -> dict:
    return {"value": 1.0, "unit": "money", "source": "s", "year": 2024, "grade": "A"} | kw


def problems_of(parameters: dict, file: str = "assumptions.yaml") -> list[str]:
    with pytest.raises(InputError) as err:
        parse_assumptions({"parameters": parameters}, file)
    return err.value.problems


def test_load_good_file(tmp_path):
    path = tmp_path / "assumptions.yaml"
    path.write_text(GOOD, encoding="utf-8")
    assumptions = load_assumptions(path)
    cpc = assumptions["assisted_cpc"]
    assert (cpc.value, cpc.unit, cpc.year, cpc.grade) == (8.01, "money", 2019, "B")
    assert cpc.provenance == Source(file=str(path), key="parameters.assisted_cpc")
    assert cpc.cite() == "Gartner, cost per contact by channel, 2019, grade B"
    assert "containment_uplift" in assumptions


def test_range_from_grade_band_or_explicit_ends(tmp_path):
    path = tmp_path / "a.yaml"
    path.write_text(GOOD, encoding="utf-8")
    assumptions = load_assumptions(path)
    low, high = assumptions["assisted_cpc"].range()  # grade B: ±15%
    assert (low, high) == pytest.approx((8.01 * 0.85, 8.01 * 1.15))
    assert assumptions["self_service_cpc"].range() == (0.05, 0.50)
    assert assumptions["containment_uplift"].range() == pytest.approx((0.0475, 0.0525))


def test_band_is_kept_inside_bounds():
    share = Parameter(value=0.95, unit="share", source="s", year=2024, grade="C")
    assert share.range() == pytest.approx((0.665, 1.0))
    from narrator.value.assumptions import KNOWN_PARAMETERS

    retention = Parameter(value=0.995, unit="share", source="s", year=2024, grade="C")
    low, high = retention.range(KNOWN_PARAMETERS["retention_rate"][1])
    assert high == 0.995  # an open end (100% retention) is never reached, and the value stays in range
    assert low < 0.995


def test_out_of_range_values_each_get_a_line():
    problems = problems_of(
        {
            "containment_uplift": param(value=1.5, unit="pts"),
            "assisted_cpc": param(value=-2),
            "discount_rate": param(value=2.5, unit="rate"),
        }
    )
    assert problems == [
        "assumptions.yaml: parameters.containment_uplift.value: is 1.5, above 1; "
        "give the improvement as a share between 0 and 1 (0.05 = 5 points)",
        "assumptions.yaml: parameters.assisted_cpc.value: is -2, below 0; "
        "give a cost per contact of 0 or more",
        "assumptions.yaml: parameters.discount_rate.value: is 2.5, above 0.5; "
        "give an annual rate between 0 and 0.5 (0.10 = 10%)",
    ]


def test_structure_problems_name_key_and_fix():
    problems = problems_of(
        {
            "k": param(value="n/a", source="", grade="D", colour=1),
            "occupancy": param(value=0.8, low=0.9),
            "z": 5,
            "m": {"value": 1.0},
        }
    )
    assert (
        "assumptions.yaml: parameters.k.value: Input should be a valid number, unable to parse string as a "
        "number, got 'n/a'" in problems
    )
    assert "assumptions.yaml: parameters.k.grade: Input should be 'A', 'B' or 'C', got 'D'" in problems
    assert (
        "assumptions.yaml: parameters.k.colour: unknown key; allowed keys: value, unit, source, year, grade, "
        "low, high, note, basis" in problems
    )
    assert (
        "assumptions.yaml: parameters.occupancy.unit: is money, but occupancy is measured in share; fix the "
        "unit" in problems
    )
    assert (
        "assumptions.yaml: parameters.occupancy.low: 0.9 is above value 0.8; swap or correct them" in problems
    )
    assert "assumptions.yaml: parameters.z: expected value, unit, source, year and grade, got 5" in problems
    assert (
        "assumptions.yaml: parameters.m.unit: required key is missing; every parameter needs value, unit, "
        "source, year, grade" in problems
    )


def test_open_bounds_and_non_finite():
    problems = problems_of(
        {
            "occupancy": param(value=0.0, unit="share"),
            "retention_rate": param(value=1.0, unit="share"),
            "x": param(value=float("nan")),
        }
    )
    assert problems[0].startswith("assumptions.yaml: parameters.occupancy.value: is 0, at or below 0;")
    assert problems[1].startswith("assumptions.yaml: parameters.retention_rate.value: is 1, at or above 1;")
    assert problems[2] == "assumptions.yaml: parameters.x.value: Input should be a finite number, got nan"


def test_top_level_shape(tmp_path):
    with pytest.raises(InputError, match="expected a mapping with one key, parameters"):
        parse_assumptions(["a"], "a.yaml")
    with pytest.raises(InputError, match="expected a mapping with one key, parameters"):
        parse_assumptions({"parameters": {}, "other": 1}, "a.yaml")


def test_missing_file_and_bad_yaml(tmp_path):
    with pytest.raises(InputError, match="cannot read the assumptions file"):
        load_assumptions(tmp_path / "nope.yaml")
    bad = tmp_path / "bad.yaml"
    bad.write_text("parameters:\n  a: [1, 2\n", encoding="utf-8")
    with pytest.raises(InputError, match=r"bad.yaml, line \d+: not valid YAML"):
        load_assumptions(bad)


def test_missing_parameter_lookup(tmp_path):
    assumptions = parse_assumptions({"parameters": {}}, "a.yaml")
    with pytest.raises(
        InputError, match="a.yaml: parameter 'assisted_cpc' is missing; add it under parameters"
    ):
        assumptions["assisted_cpc"]


def test_provenance_cannot_be_written_in_the_file():
    problems = problems_of({"x": param(provenance={"file": "elsewhere"})})
    assert problems == [
        "assumptions.yaml: parameters.x.provenance: unknown key; "
        "allowed keys: value, unit, source, year, grade, low, high, note, basis"
    ]
