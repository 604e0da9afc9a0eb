"""Tests for the built-in translators: hand-checked small numbers, ranges, flags, errors and monotonicity."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from narrator.dataset import ValueItem
from narrator.errors import InputError
from narrator.provenance import Source
from narrator.value import (
    TRANSLATORS,
    ChannelShift,
    Parameter,
    SlaPenalty,
    aht_capacity,
    attrition,
    channel_shift,
    churn_clv,
    citizen_time_saved,
    complaints_risk,
    containment,
    customer_lifetime_value,
    downtime_avoided,
    fcr_repeat_contacts,
    fcr_revenue_protected,
    retention_saves,
    sla_penalties,
)


def p(value, unit, grade="B", **kw) -> Parameter:
    return Parameter(value=value, unit=unit, source="study", year=2024, grade=grade, **kw)


# --- the worked example's lines, as the domain doc writes them ------------------------------------------


def test_worked_example_formulas():
    assert containment(1_000_000, 0.05, 8.01, 0.10).formula == (
        "1,000,000 contacts x 5.0 pts x ($8.01 - $0.10) = $395,500"
    )
    assert fcr_repeat_contacts(1_000_000, 0.03, 1.5, 8.01).formula == (
        "1,000,000 contacts x 3.0 pts x 1.5 x $8.01 = $360,450"
    )
    result = attrition(200, 0.05, 14_113)
    assert result.formula == "200 agents x 5.0 pts x $14,113 = $141,130"
    assert round(result.amount) == 141_130


# --- each lever hand-checked on small numbers -------------------------------------------------------------


def test_containment():
    r = containment(100, 0.10, 5, 1)
    assert r.amount == pytest.approx(40)
    assert r.formula == "100 contacts x 10.0 pts x ($5 - $1) = $40"
    assert r.quantities["contacts_removed"] == pytest.approx(10)
    assert (r.category, r.benefit_class, r.indicative) == ("cost_avoided", "cost_avoidance", False)


def test_channel_shift():
    r = channel_shift([ChannelShift("phone", "web", 10, 5, 1), ChannelShift("email", "chat", 20, 4, 3)])
    assert r.amount == pytest.approx(60)
    assert r.formula == "10 contacts phone to web x ($5 - $1) + 20 contacts email to chat x ($4 - $3) = $60"
    assert [i.name for i in r.inputs][:3] == ["shifts[0].volume", "shifts[0].cost_from", "shifts[0].cost_to"]
    assert r.quantities == {"contacts_shifted": 30}


def test_citizen_time_saved_is_non_cash():
    r = citizen_time_saved(120, 5, 12, currency="GBP", locale="en_GB")
    assert r.amount == pytest.approx(120)
    assert r.formula == "120 contacts x 5 min / 60 x £12 = £120"
    assert (r.category, r.benefit_class) == ("citizen_value", "non_cash")
    assert r.quantities["hours_saved"] == pytest.approx(10)


def test_fcr_repeat_contacts():
    r = fcr_repeat_contacts(1000, 0.02, 1.5, 4)
    assert r.amount == pytest.approx(120)
    assert r.quantities["contacts_removed"] == pytest.approx(30)


def test_fcr_revenue_protected_is_indicative():
    r = fcr_revenue_protected(1000, 0.05, 0.34, 0.03, 100)
    assert r.amount == pytest.approx(1550)
    assert r.formula == "1,000 issues x 5.0 pts x (34% - 3%) x $100 = $1,550"
    assert r.indicative
    assert "correlated" in r.indicative_reason
    assert r.confidence == "low"


def test_aht_capacity():
    r = aht_capacity(3600, 100, 0.5, 0.5, 100, 1000)
    # 360,000 s = 100 h; / 0.5 occupancy = 200; / 0.5 productive = 400 paid hours = 4 FTE.
    assert r.amount == pytest.approx(4000)
    assert r.quantities["fte_released"] == pytest.approx(4)
    assert r.formula == "3,600 contacts x 100 s / 3600 / 50% / (1 - 50%) / 100 h x $1,000 = $4,000"
    assert r.benefit_class == "capacity_released"
    assert any("cash only if" in note for note in r.notes)


def test_aht_capacity_net_of_repeats():
    r = aht_capacity(3600, 100, 0.5, 0.5, 100, 1000, extra_repeat_contacts=360, aht_after=500)
    assert r.amount == pytest.approx(2000)
    assert r.formula.startswith("(3,600 contacts x 100 s - 360 contacts x 500 s) / 3600")


def test_attrition():
    assert attrition(10, 0.1, 1000).amount == pytest.approx(1000)


def test_retention_saves_subtract_offer_cost():
    r = retention_saves(10, 0.5, 200, 20)
    assert r.amount == pytest.approx(800)
    assert r.formula == "10 saves x 50% x $200 - 10 saves x $20 = $800"


def test_churn_clv():
    assert customer_lifetime_value(100, 0.8, 0.0) == pytest.approx(400)
    r = churn_clv(1000, 0.02, 100, 0.8, 0.0)
    assert r.amount == pytest.approx(8000)
    assert r.quantities["clv"] == pytest.approx(400)
    assert r.indicative


def test_complaints_risk():
    r = complaints_risk(10, 100, 0.5, 200, 0.5, 400)
    assert r.amount == pytest.approx(3000)
    assert r.formula == "10 complaints x ($100 + 50% x ($200 + 50% x $400)) = $3,000"


def test_sla_penalties():
    r = sla_penalties([SlaPenalty("service level", 1000, 0.02, 12), SlaPenalty("answer rate", 500, 0.01)])
    assert r.amount == pytest.approx(24_500)
    assert r.formula == (
        "service level: $1,000 per pt x 2.0 pts x 12 periods + answer rate: $500 per pt x 1.0 pts x 1 periods"
        " = $24,500"
    )
    assert r.benefit_class == "cash_saving"


def test_downtime_avoided():
    r = downtime_avoided(2, 10, 20, 100)
    assert r.amount == pytest.approx(600)
    assert r.formula == "2 h x (10 agents x $20 + $100) = $600"


def test_every_lever_has_a_translator():
    assert set(TRANSLATORS) == {
        "containment",
        "channel_shift",
        "citizen_time_saved",
        "fcr_repeat_contacts",
        "fcr_revenue_protected",
        "aht_capacity",
        "attrition",
        "retention_saves",
        "churn_clv",
        "complaints_risk",
        "sla_penalties",
        "downtime_avoided",
    }


# --- ranges, sources and grades --------------------------------------------------------------------


def test_range_from_grade_band():
    r = attrition(10, 0.1, p(1000, "money", "B"))
    assert (r.low, r.amount, r.high) == pytest.approx((850, 1000, 1150))
    assert r.confidence == "medium"


def test_range_takes_each_input_the_way_it_pushes():
    # A higher self-service cost lowers the saving: the low end pairs low assisted with high self-service.
    r = containment(100, 0.1, p(5, "money", low=4, high=6), p(1, "money", low=0.5, high=2))
    assert (r.low, r.amount, r.high) == pytest.approx((20, 40, 55))


def test_plain_numbers_have_no_range():
    r = containment(100, 0.1, 5, 1)
    assert r.low == r.amount == r.high
    assert r.confidence == "medium"


def test_grade_c_input_makes_result_indicative():
    r = attrition(10, 0.1, p(1000, "money", "C"))
    assert r.indicative
    assert r.indicative_reason == "rests on grade-C benchmarks (cost per leaver replaced)"
    assert r.confidence == "low"


def test_inputs_are_cited():
    cpc = p(8.01, "money", provenance=Source(file="a.yaml", key="parameters.assisted_cpc"))
    r = containment(1000, 0.05, cpc, 0.10)
    used = r.inputs[2]
    assert (used.name, used.shown, used.source, used.year, used.grade) == (
        "assisted_cpc",
        "$8.01",
        "study",
        2024,
        "B",
    )
    assert used.provenance.key == "parameters.assisted_cpc"
    assert used.describe() == "assisted cost per contact = $8.01 (study, 2024, grade B)"


def test_to_value_item():
    r = containment(100, 0.1, p(5, "money", "A"), 1)
    item = r.to_value_item("deflection")
    assert isinstance(item, ValueItem)
    assert (item.id, item.amount, item.low, item.high) == ("deflection", r.amount, r.low, r.high)
    assert (item.category, item.benefit_class, item.period, item.confidence) == (
        "cost_avoided",
        "cost_avoidance",
        "year",
        "high",
    )
    assert item.formula == r.formula
    assert item.drivers == ["self_service_containment", "cost_per_contact"]
    assert "assisted cost per contact = $5 (study, 2024, grade A)" in item.assumptions
    assert r.to_value_item().id == "containment"
    indicative = churn_clv(1000, 0.02, 100, 0.8, 0.0).to_value_item()
    assert any(a.startswith("indicative: ") for a in indicative.assumptions)
    assert indicative.confidence == "low"


# --- errors ------------------------------------------------------------------------------------------------


def test_containment_uplift_over_100_percent():
    with pytest.raises(InputError) as err:
        containment(100, 1.5, 5, 1)
    assert err.value.problems == [
        "containment: uplift (containment uplift): is 1.5, above 1; "
        "give the improvement as a share between 0 and 1 (0.05 = 5 points)"
    ]


def test_negative_cost_per_contact():
    with pytest.raises(InputError) as err:
        containment(100, 0.1, -5, 1)
    assert err.value.problems == [
        "containment: assisted_cpc (assisted cost per contact): is -5, below 0; give an amount of 0 or more"
    ]


def test_discount_rate_250_percent():
    with pytest.raises(InputError) as err:
        churn_clv(1000, 0.02, 100, 0.8, 2.5)
    assert err.value.problems == [
        "churn_clv: discount_rate (discount rate): is 2.5, above 0.5; give an annual rate between 0 and 0.5 "
        "(0.10 = 10%)"
    ]


def test_all_input_problems_collected():
    with pytest.raises(InputError) as err:
        aht_capacity(-1, 30, 0, 1, 0, float("nan"))
    assert [line.split(" (")[0] for line in err.value.problems] == [
        "aht_capacity: volume",
        "aht_capacity: occupancy",
        "aht_capacity: shrinkage",
        "aht_capacity: paid_hours_per_fte",
        "aht_capacity: loaded_fte_cost",
    ]


def test_swapped_costs_are_caught():
    with pytest.raises(InputError, match="self-service cost per contact is above the assisted cost"):
        containment(100, 0.1, 0.1, 8.01)
    with pytest.raises(InputError, match="risk when resolved is above risk when unresolved"):
        fcr_revenue_protected(100, 0.1, 0.03, 0.34, 100)


def test_wrong_unit_parameter_names_its_file():
    rate = p(0.1, "rate", provenance=Source(file="a.yaml", key="parameters.discount_rate"))
    with pytest.raises(InputError) as err:
        containment(100, rate, 5, 1)
    assert err.value.problems == [
        "a.yaml, parameters.discount_rate, used as containment: uplift (containment uplift): unit is rate, "
        "expected pts; pass the right parameter"
    ]


def test_non_number_rejected():
    with pytest.raises(InputError, match=r"expected a number or a Parameter, got '5'"):
        attrition(10, 0.1, "5")
    with pytest.raises(InputError, match="expected a number or a Parameter, got True"):
        attrition(True, 0.1, 5)


def test_empty_lists_rejected():
    with pytest.raises(InputError, match="channel_shift: shifts is empty"):
        channel_shift([])
    with pytest.raises(InputError, match=r"sla_penalties: penalties\[0\]\.shortfall_avoided"):
        sla_penalties([SlaPenalty("sl", 100, 2.0)])


def test_overflow_is_an_input_error():
    with pytest.raises(InputError, match="overflows"):
        attrition(1e12, 1.0, 1e12)
    with pytest.raises(InputError, match=r"cost_per_attrit .*: is 1e\+300, implausibly large"):
        attrition(10, 0.1, 1e300)


# --- a larger improvement never yields a smaller benefit -----------------------------------------------

counts = st.floats(0, 1e6)
money = st.floats(0, 1e4)
shares = st.floats(0, 1)


def ordered(strategy):
    return st.tuples(strategy, strategy).map(sorted)


@given(ordered(shares), counts, money, money)
def test_containment_monotone(uplifts, volume, a, b):
    assisted, self_service = max(a, b), min(a, b)
    lo, hi = (containment(volume, u, assisted, self_service).amount for u in uplifts)
    assert lo <= hi


@given(ordered(counts), money, money)
def test_channel_shift_monotone(volumes, a, b):
    lo, hi = (channel_shift([ChannelShift("phone", "web", v, max(a, b), min(a, b))]).amount for v in volumes)
    assert lo <= hi


@given(ordered(st.floats(0, 600)), counts, money)
def test_citizen_time_monotone(minutes, contacts, value):
    lo, hi = (citizen_time_saved(contacts, m, value).amount for m in minutes)
    assert lo <= hi


@given(ordered(shares), counts, st.floats(0, 5), money)
def test_fcr_repeats_monotone(uplifts, volume, k, cpc):
    lo, hi = (fcr_repeat_contacts(volume, u, k, cpc).amount for u in uplifts)
    assert lo <= hi


@given(ordered(shares), counts, shares, shares, money)
def test_fcr_revenue_monotone(uplifts, issues, a, b, clv):
    lo, hi = (fcr_revenue_protected(issues, u, max(a, b), min(a, b), clv).amount for u in uplifts)
    assert lo <= hi


@given(
    ordered(st.floats(0, 3600)), counts, st.floats(0.05, 1), st.floats(0, 0.95), st.floats(100, 2500), money
)
def test_aht_capacity_monotone(saved, volume, occupancy, shrinkage, hours, cost):
    lo, hi = (aht_capacity(volume, s, occupancy, shrinkage, hours, cost).amount for s in saved)
    assert lo <= hi


@given(ordered(shares), st.floats(0, 1e5), money)
def test_attrition_monotone(reductions, headcount, cost):
    lo, hi = (attrition(headcount, r, cost).amount for r in reductions)
    assert lo <= hi


@given(ordered(shares), counts, money, money)
def test_retention_saves_monotone(durability, saves, clv, offer):
    lo, hi = (retention_saves(saves, d, clv, offer).amount for d in durability)
    assert lo <= hi


@given(ordered(shares), counts, money, st.floats(0, 0.99), st.floats(0, 0.5))
def test_churn_clv_monotone(reductions, customers, margin, retention, rate):
    lo, hi = (churn_clv(customers, r, margin, retention, rate).amount for r in reductions)
    assert lo <= hi


@given(ordered(counts), money, shares, money, shares, money)
def test_complaints_monotone(avoided, handling, referral, fee, uphold, redress):
    lo, hi = (complaints_risk(a, handling, referral, fee, uphold, redress).amount for a in avoided)
    assert lo <= hi


@given(ordered(shares), money, st.integers(1, 12))
def test_sla_monotone(shortfalls, penalty, periods):
    lo, hi = (sla_penalties([SlaPenalty("sl", penalty, s, periods)]).amount for s in shortfalls)
    assert lo <= hi


@given(ordered(st.floats(0, 8760)), counts, money, money)
def test_downtime_monotone(hours, agents, cost, revenue):
    lo, hi = (downtime_avoided(h, agents, cost, revenue).amount for h in hours)
    assert lo <= hi


@given(st.floats(0, 1), st.sampled_from(["A", "B", "C"]), counts)
def test_range_always_brackets_amount(uplift, grade, volume):
    r = containment(volume, p(uplift, "pts", grade), p(8.01, "money", grade), p(0.10, "money", grade))
    assert r.low <= r.amount <= r.high
    r.to_value_item()  # ValueItem's own check that low <= amount <= high
