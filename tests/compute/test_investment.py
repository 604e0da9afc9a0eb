"""Tests for the investment case: the domain doc's worked example to the dollar, and the edge cases."""

from __future__ import annotations

import math
from decimal import ROUND_HALF_UP, Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from narrator.compute.investment import (
    DoMinimum,
    build_case,
    compare_options,
    find_irr,
    payback_month,
    present_value,
)
from narrator.dataset import BenefitLink, InvestmentAsk, Scenario, ValueItem
from narrator.errors import InputError


def dollars(x: float) -> int:
    """Round half up, as the domain doc does (Python's round() rounds 769,574.50 to even: 769,574)."""
    return int(Decimal(repr(round(x, 6))).quantize(Decimal(1), rounding=ROUND_HALF_UP))


def item(id_: str, amount: float, **kw) -> ValueItem:
    return ValueItem(id=id_, label=id_.replace("_", " "), category="cost_avoided", amount=amount, **kw)


@pytest.fixture
def items() -> dict[str, ValueItem]:
    # The worked example of docs/domain "Investment case math", inputs as written there.
    return {
        "deflection": item("deflection", 1_000_000 * 0.05 * (8.01 - 0.10)),
        "fcr": item("fcr", 1_000_000 * 0.03 * 1.5 * 8.01),
        "attrition": item("attrition", 200 * 0.05 * 14_113),
    }


@pytest.fixture
def ask() -> InvestmentAsk:
    return InvestmentAsk(
        title="conversational IVR and knowledge base",
        one_off_cost=400_000,
        recurring_cost=250_000,
        cost_risk_adjustment=0.10,
        benefits=[
            BenefitLink(item="deflection", risk_adjustment=0.15),
            BenefitLink(item="fcr", risk_adjustment=0.15),
            BenefitLink(item="attrition", risk_adjustment=0.10),
        ],
    )


@pytest.fixture
def case(ask, items):
    return build_case(ask, items)


# --- the worked example ------------------------------------------------------------------------------


def test_benefit_lines_gross_and_risk_adjusted(case):
    lines = {line.item: line for line in case.lines}
    assert round(lines["deflection"].gross_annual) == 395_500
    assert round(lines["deflection"].adjusted_annual) == 336_175
    assert round(lines["fcr"].gross_annual) == 360_450
    assert round(lines["fcr"].adjusted_annual, 2) == 306_382.50
    assert round(lines["attrition"].gross_annual) == 141_130
    assert round(lines["attrition"].adjusted_annual) == 127_017
    assert lines["fcr"].risk_adjustment == 0.15


def test_yearly_benefits_and_costs(case):
    assert [dollars(b) for b in case.yearly_benefits] == [0, 384_787, 769_575, 769_575]
    assert [round(c) for c in case.yearly_costs] == [440_000, 275_000, 275_000, 275_000]
    assert [dollars(n) for n in case.yearly_net] == [-440_000, 109_787, 494_575, 494_575]
    assert round(case.cumulative_net[-1]) == round(sum(case.yearly_net))


def test_headline_figures_at_ten_percent(case):
    assert round(case.pv_benefits) == 1_564_011
    assert round(case.pv_costs) == 1_123_884
    assert round(case.npv) == 440_127
    assert round(case.roi, 3) == 0.392
    assert case.irr == pytest.approx(0.499, abs=0.001)
    assert case.payback_month == 21
    assert round(case.benefit_cost_ratio, 2) == 1.39
    assert case.irr_note == ""


def test_inputs_used_are_recorded(case):
    assert (case.discount_rate, case.horizon_years) == (0.10, 3)
    assert case.ramp == (0.5, 1.0, 1.0)
    assert (case.one_off_cost, case.recurring_cost, case.cost_risk_adjustment) == (400_000, 250_000, 0.10)


def test_npv_at_green_book_rate(ask, items):
    case = build_case(ask.model_copy(update={"discount_rate": 0.035}), items)
    assert round(case.npv) == 573_843


def test_scenarios(case):
    assert list(case.scenarios) == ["conservative", "expected", "optimistic"]
    conservative, expected, optimistic = (
        case.scenarios[n] for n in ("conservative", "expected", "optimistic")
    )
    assert round(conservative.npv) == -207_564
    assert round(conservative.roi, 3) == -0.185
    assert conservative.payback_month is None
    assert conservative.ramp == (0.4, 0.8, 0.9)
    assert round(expected.npv) == 440_127
    assert expected.payback_month == 21
    assert round(optimistic.npv) == 920_836
    assert round(optimistic.roi, 3) == 0.819


def test_discounted_payback_is_no_earlier(case):
    assert case.discounted_payback_month == 22
    assert case.discounted_payback_month >= case.payback_month


def test_sensitivity_is_sorted_by_swing_and_brackets_the_npv(case):
    bars = case.sensitivity
    assert [b.swing for b in bars] == sorted((b.swing for b in bars), reverse=True)
    assert {b.driver for b in bars} == {
        "line.deflection",
        "line.fcr",
        "line.attrition",
        "costs",
        "discount_rate",
        "ramp",
    }
    costs = next(b for b in bars if b.driver == "costs")
    # Costs are linear in NPV: ±20% of PV costs either way.
    assert costs.npv_low == pytest.approx(case.npv + 0.2 * case.pv_costs)
    assert costs.npv_high == pytest.approx(case.npv - 0.2 * case.pv_costs)
    deflection = next(b for b in bars if b.driver == "line.deflection")
    assert deflection.npv_low < case.npv < deflection.npv_high
    assert bars[0].driver == "costs"


# --- edge cases ----------------------------------------------------------------------------------------


def test_payback_never_returns_none(items):
    ask = InvestmentAsk(title="too dear", one_off_cost=5_000_000, benefits=[BenefitLink(item="attrition")])
    case = build_case(ask, items)
    assert case.payback_month is None
    assert case.discounted_payback_month is None
    assert case.npv < 0


def test_zero_cost_ask_has_no_roi(items):
    ask = InvestmentAsk(
        title="free", one_off_cost=0, cost_risk_adjustment=0, benefits=[BenefitLink(item="fcr")]
    )
    case = build_case(ask, items)
    assert case.pv_costs == 0
    assert case.roi is None
    assert case.benefit_cost_ratio is None
    assert case.irr is None
    assert "never change sign" in case.irr_note
    assert case.payback_month == 1
    assert case.scenarios["expected"].roi is None


def test_irr_without_sign_change_is_none():
    assert find_irr([-100, -50, -10]) == (None, "IRR does not exist: the cash flows never change sign")
    assert find_irr([0, 0, 0])[0] is None
    assert find_irr([100, 10])[0] is None


def test_irr_of_simple_flows():
    rate, note = find_irr([-100, 110])
    assert rate == pytest.approx(0.10, abs=1e-9)
    assert note == ""
    assert find_irr([-100, 50])[0] == pytest.approx(-0.5, abs=1e-9)


def test_irr_not_unique_is_reported():
    # Roots at 10% and 20%: (1.1 - x)(1.2 - x) expanded as flows.
    rate, note = find_irr([-1.0, 2.3, -1.32])
    assert rate is None
    assert "not unique" in note
    assert "10.0%" in note
    assert "20.0%" in note


@given(
    spend=st.lists(st.floats(1, 1e7), min_size=1, max_size=3),
    benefits=st.lists(st.one_of(st.just(0.0), st.floats(1, 1e7)), min_size=1, max_size=8),
    flipped=st.booleans(),
)
def test_irr_of_spend_then_benefits_is_the_root_a_full_scan_finds(spend, benefits, flipped):
    """Flows that change sign once take a short cut to their single root: the rate must be the one the
    scan of every rate finds, bit for bit, or none where the scan finds none."""
    from narrator.compute import investment

    flows = [-s for s in spend] + benefits
    if flipped:
        flows = [-f for f in flows]

    def g(x: float) -> float:
        return sum(cf * x**t for t, cf in enumerate(flows))

    scanned = investment._all_roots(g, investment._IRR_GRID)
    rate, note = find_irr(flows)
    if investment._sign_changes(flows) != 1:
        return
    if len(scanned) == 1:
        assert (rate, note) == (1.0 / scanned[0] - 1.0, "")
    else:
        assert rate is None
        assert not scanned


def test_present_value_and_payback_helpers():
    assert present_value([-100, 110], 0.10) == pytest.approx(0)
    assert payback_month([-120, 121]) == 12
    assert payback_month([-120, 240]) == 7  # month 6 only breaks even; payback means turning positive
    assert payback_month([-120, 132], rate=0.1) is None
    assert payback_month([-120, 0, 250]) == 18


def test_break_even_exactly_is_not_repaid():
    assert payback_month([-0.3, 0.1, 0.1, 0.1]) is None


def test_optimism_bias_raises_costs(ask, items):
    biased = build_case(ask, items, optimism_bias=0.2)
    plain = build_case(ask, items)
    assert biased.yearly_costs[0] == pytest.approx(400_000 * 1.1 * 1.2)
    assert biased.npv == pytest.approx(plain.npv - 0.2 * plain.pv_costs)
    assert any("optimism" in note for note in biased.notes)


def test_ramp_last_share_holds_for_later_years(ask, items):
    case = build_case(ask.model_copy(update={"horizon_years": 5, "ramp": [0.25, 0.75]}), items)
    assert case.ramp == (0.25, 0.75, 0.75, 0.75, 0.75)
    full = sum(line.adjusted_annual for line in case.lines)
    assert case.yearly_benefits == pytest.approx(
        (0, 0.25 * full, 0.75 * full, 0.75 * full, 0.75 * full, 0.75 * full)
    )


def test_monthly_and_one_off_items(items):
    items = {
        "monthly": item("monthly", 10_000, period="month"),
        "penalty": item("penalty", 50_000, period="one_off"),
    }
    ask = InvestmentAsk(
        title="t",
        one_off_cost=0,
        cost_risk_adjustment=0,
        horizon_years=2,
        ramp=[1.0],
        benefits=[
            BenefitLink(item="monthly", risk_adjustment=0),
            BenefitLink(item="penalty", risk_adjustment=0),
        ],
    )
    case = build_case(ask, items)
    assert case.yearly_benefits == (0, 170_000, 120_000)
    assert any("one-off" in note for note in case.notes)


def test_input_problems_are_collected(ask, items):
    bad_items = {**items, "fcr": item("fcr", 1.0, realised=True)}
    del bad_items["attrition"]
    bad_ask = ask.model_copy(
        update={
            "ramp": [0.5, 1.5],
            "benefits": [*ask.benefits, BenefitLink(item="deflection")],
            "scenarios": {"conservative": Scenario(benefit_scale=0.7, ramp=[-0.1])},
        }
    )
    with pytest.raises(InputError) as err:
        build_case(bad_ask, bad_items, optimism_bias=-1)
    problems = err.value.problems
    assert "investment ask: ramp[1] is 1.5; give a share between 0 and 1 (0.5 = half the benefit)" in problems
    assert any("scenarios.conservative.ramp[0]" in p for p in problems)
    assert any("optimism bias is -1" in p for p in problems)
    assert any("benefits[1] (fcr): the value item is marked realised" in p for p in problems)
    assert any(
        "benefits[2] (attrition): no value item with this id; known ids: deflection, fcr" in p
        for p in problems
    )
    assert any("benefits[3] (deflection): linked twice" in p for p in problems)


def test_nan_inputs_raise_not_propagate(ask, items):
    with pytest.raises(InputError, match="amount is nan"):
        build_case(ask, {**items, "fcr": item("fcr", float("nan"))})
    with pytest.raises(InputError, match="optimism bias is nan"):
        build_case(ask, items, optimism_bias=float("nan"))


def test_overflow_raises_not_inf(ask, items):
    with pytest.raises(InputError, match="overflow"):
        build_case(ask, {**items, "fcr": item("fcr", 1e308)})


def test_mixed_currencies_rejected(ask, items):
    mixed = {
        **items,
        "fcr": item("fcr", 1.0, currency="GBP"),
        "attrition": item("attrition", 1.0, currency="USD"),
    }
    with pytest.raises(InputError, match="several currencies"):
        build_case(ask, mixed)


def finite_numbers(value) -> list[float]:
    """Every float reachable in a dumped model, to prove none is NaN or infinite."""
    if isinstance(value, float):
        return [value]
    if isinstance(value, dict):
        return [v for x in value.values() for v in finite_numbers(x)]
    if isinstance(value, list | tuple):
        return [v for x in value for v in finite_numbers(x)]
    return []


@given(
    amounts=st.lists(st.floats(-1e9, 1e9, allow_nan=False), min_size=1, max_size=4),
    one_off=st.floats(0, 1e9),
    recurring=st.floats(0, 1e9),
    rate=st.floats(0, 0.5),
    horizon=st.integers(1, 15),
    ramp=st.lists(st.floats(0, 1), min_size=1, max_size=5),
)
def test_no_nan_ever_escapes(amounts, one_off, recurring, rate, horizon, ramp):
    items = {f"l{i}": item(f"l{i}", a) for i, a in enumerate(amounts)}
    ask = InvestmentAsk(
        title="t",
        one_off_cost=one_off,
        recurring_cost=recurring,
        discount_rate=rate,
        horizon_years=horizon,
        ramp=ramp,
        benefits=[BenefitLink(item=k) for k in items],
    )
    case = build_case(ask, items)
    assert all(math.isfinite(v) for v in finite_numbers(case.model_dump()))
    assert case.npv == pytest.approx(case.pv_benefits - case.pv_costs)
    if case.irr is not None:
        # Zero within rounding of the discounted flows' size (huge when the IRR is near -100%).
        scale = sum(abs(cf) / (1 + case.irr) ** t for t, cf in enumerate(case.yearly_net))
        assert present_value(case.yearly_net, case.irr) == pytest.approx(0, abs=1e-9 * max(1.0, scale))


# --- options ---------------------------------------------------------------------------------------


def test_compare_options(ask, items):
    minimum = DoMinimum(benefits=["fcr"], one_off_cost=100_000, recurring_cost=50_000)
    result = compare_options(ask, items, do_minimum=minimum)
    names = [o.name for o in result.options]
    assert names == ["do_nothing", "do_minimum", "proposed"]
    nothing, do_min, proposed = result.options
    assert (nothing.npv, nothing.pv_costs, nothing.pv_benefits, nothing.roi) == (0, 0, 0, None)
    assert round(proposed.npv) == 440_127
    assert round(result.cost_of_inaction_pv) == 1_564_011
    assert round(result.cost_of_inaction_annual, 2) == 769_574.50
    assert round(do_min.annual_run_rate, 2) == 306_382.50
    assert do_min.pv_costs == pytest.approx(110_000 + 55_000 * (1 / 1.1 + 1 / 1.21 + 1 / 1.331))


def test_compare_options_without_do_minimum(ask, items):
    result = compare_options(ask, items)
    assert [o.name for o in result.options] == ["do_nothing", "proposed"]


def test_do_minimum_must_use_proposal_lines(ask, items):
    with pytest.raises(InputError, match="do minimum: chatbot is not a benefit of the proposal"):
        compare_options(ask, items, do_minimum=DoMinimum(benefits=["chatbot"], one_off_cost=1))


def test_negligible_cost_gives_undefined_ratios_not_infinity(items):
    ask = InvestmentAsk(title="t", one_off_cost=0, recurring_cost=1e-310, benefits=[BenefitLink(item="fcr")])
    case = build_case(ask, items)
    assert case.roi is None
    assert case.benefit_cost_ratio is None
    assert all(s.roi is None for s in case.scenarios.values())


def test_non_cash_and_capacity_lines_are_noted(items):
    items = {
        **items,
        "citizen_time": item("citizen_time", 1000, benefit_class="non_cash"),
        "capacity": item("capacity", 1000, benefit_class="capacity_released"),
    }
    ask = InvestmentAsk(
        title="t",
        one_off_cost=10,
        benefits=[BenefitLink(item=i) for i in ("fcr", "citizen_time", "capacity")],
    )
    notes = build_case(ask, items).notes
    assert (
        "the benefits count non-cash (social or revenue) value, which a financial case would leave out: "
        "citizen_time" in notes
    )
    assert any(
        n.startswith("the benefits count released capacity") and n.endswith(": capacity") for n in notes
    )


def test_optimism_bias_defaults_to_the_asks_own(ask, items):
    assert "optimism_bias" in InvestmentAsk.model_fields  # the ask states its own bias (Green Book)
    assert ask.optimism_bias == 0
    biased_ask = ask.model_copy(update={"optimism_bias": 0.2})
    assert build_case(biased_ask, items).npv < build_case(ask, items).npv  # the bias costs something
    assert build_case(biased_ask, items).npv == pytest.approx(build_case(ask, items, optimism_bias=0.2).npv)
    assert build_case(biased_ask, items, optimism_bias=0.0).npv == pytest.approx(build_case(ask, items).npv)
