"""Tests for check_claim: a user's value item against what the KPI data support."""

from __future__ import annotations

import pytest

from narrator.dataset import ValueItem
from narrator.errors import InputError
from narrator.value import check_claim

OBSERVED = {"volume": 1_000_000, "uplift": 0.05, "assisted_cpc": 8.01, "self_service_cpc": 0.10}


def claim(amount: float, id_: str = "deflection", **kw) -> ValueItem:
    return ValueItem(id=id_, label="calls deflected", category="cost_avoided", amount=amount, **kw)


def test_overclaim_is_flagged_with_the_arithmetic():
    result = check_claim(claim(500_000), **OBSERVED)
    assert not result.ok
    assert result.lever == "containment"
    assert result.supported == pytest.approx(395_500)
    assert result.message == (
        "value item 'deflection' claims $500,000 a year, 26% more than the data support: "
        "1,000,000 contacts x 5.0 pts x ($8.01 - $0.10) = $395,500; "
        "lower the claim or correct the inputs behind it"
    )


def test_claim_within_the_data_passes():
    assert check_claim(claim(395_500), **OBSERVED).ok
    assert check_claim(claim(398_000), **OBSERVED).ok  # within the 1% tolerance
    assert check_claim(claim(300_000), **OBSERVED).ok  # conservative claims are the user's call
    assert check_claim(claim(395_500), **OBSERVED).message == ""


def test_monthly_claim_is_annualised():
    result = check_claim(claim(40_000, period="month"), **OBSERVED)
    assert result.claimed == 480_000
    assert not result.ok


def test_lever_given_explicitly_and_currency_followed():
    result = check_claim(
        claim(100_000, id_="repeat_calls", currency="GBP"),
        lever="fcr_repeat_contacts",
        volume=100_000,
        fcr_uplift=0.03,
        repeats_per_unresolved=1.5,
        cost_per_contact=5,
    )
    assert result.supported == pytest.approx(22_500)
    assert result.message.startswith("value item 'repeat_calls' claims £100,000 a year, 344% more than")


def test_unknown_lever():
    with pytest.raises(InputError, match="value item 'mystery': no lever to check it against; pass lever="):
        check_claim(claim(1, id_="mystery"))


def test_missing_inputs_named():
    with pytest.raises(InputError) as err:
        check_claim(claim(1), volume=1_000)
    assert err.value.problems[0].startswith("value item 'deflection': cannot check it as containment (")
    assert err.value.problems[0].endswith("give volume, uplift, assisted_cpc, self_service_cpc")


def test_supported_zero_still_flags():
    result = check_claim(claim(10), volume=1_000, uplift=0.0, assisted_cpc=8, self_service_cpc=1)
    assert not result.ok
    assert "claims $10 a year, more than the data support" in result.message
