"""The investment case: risk-adjusted, ramped, discounted benefits and costs with NPV, ROI, IRR and payback.

Conventions follow Forrester TEI (see docs/domain "Investment case math"):

* cash flows are indexed by year t = 0..N; year 0 holds the up-front cost and is not discounted, and
  benefits start in year 1, so every yearly tuple below has N + 1 entries with t0 first;
* each benefit line is cut by its own risk adjustment, then phased in with the ramp (the last share holds
  for later years); a one-off benefit line is counted once, in year 1, and is not ramped;
* costs are raised by ``cost_risk_adjustment`` and then by ``optimism_bias`` (HM Treasury Green Book);
* PV = sum CF_t / (1 + i)^t, NPV = PV(benefits) - PV(costs), ROI = NPV / PV(costs);
* payback spreads each year's figures evenly over its 12 months, with the year-0 cost at month 0.

Everything here is pure: no I/O, no globals, no NaN in any result (inputs are checked first).
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence

from pydantic import BaseModel, ConfigDict, Field

from narrator.dataset import BenefitLink, InvestmentAsk, Scenario, ValueItem
from narrator.errors import InputError

GREEN_BOOK_DISCOUNT_RATE = 0.035
"""HM Treasury Green Book real discount rate for the first 30 years."""

SENSITIVITY_STEP = 0.20
"""How far each driver moves either way in the tornado (0.20 = ±20%)."""

_WHERE = "investment ask"


class _Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class BenefitLine(_Frozen):
    """One value item as the case counts it."""

    item: str
    label: str
    gross_annual: float
    """The value item's annual amount before any risk cut."""
    risk_adjustment: float
    """Share cut for risk (0.15 = 15%)."""
    adjusted_annual: float
    """gross_annual x (1 - risk_adjustment): the full run-rate counted."""
    one_off: bool = False
    """True for a one-off benefit: counted once in year 1, not ramped."""
    yearly: tuple[float, ...]
    """Risk-adjusted, ramped benefit by year, t0..tN (t0 is always 0)."""


class ScenarioResult(_Frozen):
    """The case re-run with scaled benefits and its own ramp, costs unchanged."""

    name: str
    benefit_scale: float
    ramp: tuple[float, ...]
    yearly_benefits: tuple[float, ...]
    pv_benefits: float
    npv: float
    roi: float | None
    payback_month: int | None


class SensitivityBar(_Frozen):
    """One bar of the tornado: NPV when one driver moves down and up by ``SENSITIVITY_STEP``."""

    driver: str
    """'line.<item id>', 'costs', 'discount_rate' or 'ramp'."""
    label: str
    npv_low: float
    """NPV with the driver 20% lower."""
    npv_high: float
    """NPV with the driver 20% higher."""
    swing: float
    """|npv_high - npv_low|: the bar's length."""
    note: str = ""


class InvestmentCase(_Frozen):
    """The finished investment case; every figure comes with the inputs that produced it."""

    title: str
    currency: str | None
    # Inputs used, so every figure below can be traced and re-derived.
    discount_rate: float
    horizon_years: int
    ramp: tuple[float, ...]
    """Ramp share for years 1..N as applied (the last given share repeated)."""
    one_off_cost: float
    recurring_cost: float
    cost_risk_adjustment: float
    optimism_bias: float
    # Results.
    lines: tuple[BenefitLine, ...]
    yearly_benefits: tuple[float, ...]
    """Risk-adjusted, ramped benefits, t0..tN."""
    yearly_costs: tuple[float, ...]
    """Risk-adjusted costs (optimism bias included), t0..tN."""
    yearly_net: tuple[float, ...]
    cumulative_net: tuple[float, ...]
    """Undiscounted cumulative net at the end of each year, t0..tN."""
    pv_benefits: float
    pv_costs: float
    npv: float
    roi: float | None
    """NPV / PV(costs); None when PV(costs) is 0 and ROI is undefined."""
    irr: float | None
    """Rate at which NPV is 0; None when no such rate exists or it is not unique (see ``irr_note``)."""
    irr_note: str
    payback_month: int | None
    """First month the undiscounted cumulative net turns positive; None = not within the horizon."""
    discounted_payback_month: int | None
    benefit_cost_ratio: float | None
    """PV(benefits) / PV(costs); None when PV(costs) is 0."""
    scenarios: dict[str, ScenarioResult] = Field(default_factory=dict)
    """conservative / expected / optimistic, in that order (those the ask defines)."""
    sensitivity: tuple[SensitivityBar, ...] = ()
    """Tornado bars, longest swing first."""
    notes: tuple[str, ...] = ()
    """Plain-language caveats a reader of the figures should see."""

    @property
    def total_benefits(self) -> float:
        return sum(self.yearly_benefits)

    @property
    def total_costs(self) -> float:
        return sum(self.yearly_costs)


class DoMinimum(_Frozen):
    """The do-minimum option: a subset of the ask's benefit lines for a smaller cost."""

    label: str = "do minimum"
    benefits: list[str] = Field(min_length=1)
    """Ids of the ask's benefit lines this option still delivers (their risk adjustments are kept)."""
    one_off_cost: float = Field(ge=0)
    recurring_cost: float = Field(0.0, ge=0)


class OptionResult(_Frozen):
    """One option side by side with the others, at the same rate and horizon."""

    name: str
    """'do_nothing', 'do_minimum' or 'proposed'."""
    label: str
    pv_benefits: float
    pv_costs: float
    npv: float
    roi: float | None
    payback_month: int | None
    annual_run_rate: float
    """Risk-adjusted annual benefit at full ramp."""


class OptionsComparison(_Frozen):
    """Do nothing, (do minimum,) proposed; the cost of inaction is the proposal's benefits forgone."""

    discount_rate: float
    horizon_years: int
    options: tuple[OptionResult, ...]
    cost_of_inaction_pv: float
    """PV of the risk-adjusted benefits the proposal would bring and doing nothing forgoes."""
    cost_of_inaction_annual: float
    """The same at full run-rate, per year."""
    proposed_case: InvestmentCase


# --- arithmetic --------------------------------------------------------------------------------------


def present_value(flows: Sequence[float], rate: float) -> float:
    """PV of flows indexed t = 0..N (t0 not discounted)."""
    return sum(cf / (1.0 + rate) ** t for t, cf in enumerate(flows))


def find_irr(flows: Sequence[float]) -> tuple[float | None, str]:
    """The rate at which the PV of ``flows`` is 0, and a note when there is none or several.

    Works on x = 1 / (1 + r), where PV is a polynomial: a log-spaced scan over x from 1e-4 to 1e3 (rates
    from 999,900% down to -99.9%) finds every sign change, and bisection refines each. Without a unique
    root the IRR is not meaningful, so it returns None with the reason.
    """
    signs = {math.copysign(1, f) for f in flows if f != 0}
    if len(signs) < 2:
        return None, "IRR does not exist: the cash flows never change sign"

    def g(x: float) -> float:
        return sum(cf * x**t for t, cf in enumerate(flows))

    roots = _single_root(g, _IRR_GRID) if _sign_changes(flows) == 1 else _all_roots(g, _IRR_GRID)
    rates = sorted(1.0 / x - 1.0 for x in roots)
    if not rates:
        return None, "IRR does not exist: no discount rate between -99.9% and 999,900% makes NPV zero"
    if len(rates) > 1:
        shown = ", ".join(f"{r:.1%}" for r in rates)
        return None, f"IRR is not unique (NPV is zero at {shown}); judge the case on NPV instead"
    return rates[0], ""


_IRR_STEPS = 4000
_IRR_GRID = tuple(10 ** (-4 + 7 * k / _IRR_STEPS) for k in range(_IRR_STEPS + 1))


def _sign_changes(flows: Sequence[float]) -> int:
    signs = [f > 0 for f in flows if f != 0]
    return sum(a != b for a, b in zip(signs, signs[1:], strict=False))


def _all_roots(g, xs: Sequence[float]) -> list[float]:
    """Every sign change of g on the grid, each refined by bisection."""
    roots: list[float] = []
    prev_x, prev_g = xs[0], g(xs[0])
    if prev_g == 0:
        roots.append(prev_x)
    for x in xs[1:]:
        gx = g(x)
        if gx == 0:
            roots.append(x)
        elif prev_g != 0 and (gx > 0) != (prev_g > 0):
            roots.append(_bisect(g, prev_x, x))
        prev_x, prev_g = x, gx
    return roots


def _single_root(g, xs: Sequence[float]) -> list[float]:
    """``_all_roots`` for flows whose signs change once (spend, then benefits: nearly every case).

    By Descartes' rule of signs g then has exactly one positive root, a simple one, so its sign on the
    grid changes once: a binary search finds the same grid interval the scan would (a dozen evaluations
    of g instead of 4,001: 8.5 -> 0.13 ms an IRR), and the same bisection refines it to the same root."""
    first = g(xs[0])
    if first == 0:
        return [xs[0]]
    # Invariant: g(xs[lo]) has the sign of ``first`` and g(xs[hi]) has not (or is 0); hi ends at the first
    # grid point that has not.
    lo, hi = 0, len(xs) - 1
    g_hi = g(xs[hi])
    if g_hi != 0 and (g_hi > 0) == (first > 0):
        return []  # the root lies outside the grid's range of rates
    while hi - lo > 1:
        mid = (lo + hi) // 2
        g_mid = g(xs[mid])
        if g_mid != 0 and (g_mid > 0) == (first > 0):
            lo = mid
        else:
            hi, g_hi = mid, g_mid
    return [xs[hi]] if g_hi == 0 else [_bisect(g, xs[hi - 1], xs[hi])]


def _bisect(g, lo: float, hi: float) -> float:
    g_lo = g(lo)
    for _ in range(200):
        mid = (lo + hi) / 2
        g_mid = g(mid)
        if g_mid == 0 or hi - lo < 1e-15:
            return mid
        if (g_mid > 0) == (g_lo > 0):
            lo, g_lo = mid, g_mid
        else:
            hi = mid
    return (lo + hi) / 2


def payback_month(net_flows: Sequence[float], rate: float | None = None) -> int | None:
    """First month in which cumulative net turns positive; None when it never does within the flows.

    ``net_flows`` are yearly, t0..tN: t0 falls at month 0, year t is spread evenly over months
    12(t-1)+1 .. 12t. With ``rate`` each year's flow is discounted first (discounted payback).
    """
    flows = (
        [cf / (1.0 + rate) ** t for t, cf in enumerate(net_flows)] if rate is not None else list(net_flows)
    )
    # Rounding noise of a break-even case must not read as "repaid".
    tolerance = 1e-9 * max(1.0, sum(abs(f) for f in flows))
    cumulative = flows[0]
    if cumulative > tolerance:
        return 0
    for year, flow in enumerate(flows[1:], start=1):
        for month in range(1, 13):
            cumulative += flow / 12
            if cumulative > tolerance:
                return 12 * (year - 1) + month
    return None


def _ratio(numerator: float, denominator: float) -> float | None:
    # A cost so small the ratio overflows is, for a board, no cost: the ratio is undefined, not infinite.
    if denominator == 0 or not math.isfinite(ratio := numerator / denominator):
        return None
    return ratio


# --- building the case -------------------------------------------------------------------------------


def _ramp_for(ramp: Sequence[float], horizon: int) -> tuple[float, ...]:
    return tuple(ramp[min(y, len(ramp) - 1)] for y in range(horizon))


def _line_flows(adjusted: float, one_off: bool, ramp: Sequence[float], horizon: int) -> tuple[float, ...]:
    if one_off:
        return (0.0, adjusted) + (0.0,) * (horizon - 1)
    return (0.0,) + tuple(adjusted * share for share in _ramp_for(ramp, horizon))


def _cost_flows(one_off: float, recurring: float, uplift: float, horizon: int) -> tuple[float, ...]:
    return (one_off * uplift,) + (recurring * uplift,) * horizon


def _sum_flows(flows: Sequence[Sequence[float]], horizon: int) -> tuple[float, ...]:
    return tuple(sum(f[t] for f in flows) for t in range(horizon + 1))


def _check_inputs(
    ask: InvestmentAsk, items: Mapping[str, ValueItem], optimism_bias: float
) -> list[tuple[BenefitLink, ValueItem]]:
    """Every problem with the ask and its items, collected and raised once."""
    problems: list[str] = []
    numbers = {
        "one_off_cost": ask.one_off_cost,
        "recurring_cost": ask.recurring_cost,
        "cost_risk_adjustment": ask.cost_risk_adjustment,
        "discount_rate": ask.discount_rate,
    }
    for name, value in numbers.items():
        if not math.isfinite(value):
            problems.append(f"{_WHERE}: {name} is {value}; give a finite number")
    if not (math.isfinite(optimism_bias) and 0 <= optimism_bias <= 2):
        problems.append(
            f"{_WHERE}: optimism bias is {optimism_bias}; give a share between 0 and 2 (0.2 = 20% uplift)"
        )
    problems += _ramp_problems("ramp", ask.ramp)
    for name, scenario in ask.scenarios.items():
        if scenario.ramp is not None:
            problems += _ramp_problems(f"scenarios.{name}.ramp", scenario.ramp)
    if not ask.benefits:
        problems.append(f"{_WHERE}: benefits is empty; link at least one value item the investment buys")

    pairs: list[tuple[BenefitLink, ValueItem]] = []
    seen: set[str] = set()
    currencies: set[str] = set()
    for i, link in enumerate(ask.benefits):
        where = f"{_WHERE}: benefits[{i}] ({link.item})"
        if link.item in seen:
            problems.append(f"{where}: linked twice; list each value item once so it is not counted twice")
            continue
        seen.add(link.item)
        item = items.get(link.item)
        if item is None:
            known = ", ".join(sorted(items)) or "none"
            problems.append(f"{where}: no value item with this id; known ids: {known}")
            continue
        if not math.isfinite(item.amount):
            problems.append(f"{where}: amount is {item.amount}; give a finite number")
        if item.realised:
            problems.append(
                f"{where}: the value item is marked realised (already delivered); an investment case counts "
                "only value it would unlock, so link another item or set realised: false"
            )
        if item.currency:
            currencies.add(item.currency)
        pairs.append((link, item))
    if len(currencies) > 1:
        problems.append(
            f"{_WHERE}: the linked value items are in several currencies ({', '.join(sorted(currencies))}); "
            "convert them to one currency first"
        )
    if problems:
        raise InputError(problems)
    return pairs


def _ramp_problems(name: str, ramp: Sequence[float]) -> list[str]:
    if not ramp:
        return [f"{_WHERE}: {name} is empty; give the share of full benefit per year, e.g. [0.5, 1.0, 1.0]"]
    return [
        f"{_WHERE}: {name}[{i}] is {share}; give a share between 0 and 1 (0.5 = half the benefit)"
        for i, share in enumerate(ramp)
        if not (math.isfinite(share) and 0 <= share <= 1)
    ]


def build_case(
    ask: InvestmentAsk, items: Mapping[str, ValueItem], *, optimism_bias: float | None = None
) -> InvestmentCase:
    """Compute the investment case for ``ask`` from the value items it links (by id).

    ``optimism_bias`` (Green Book) raises costs after the cost risk adjustment; None takes the ask's own.
    """
    if optimism_bias is None:
        optimism_bias = getattr(ask, "optimism_bias", 0.0)
    pairs = _check_inputs(ask, items, optimism_bias)
    horizon, rate = ask.horizon_years, ask.discount_rate
    lines = tuple(_benefit_line(link, item, ask.ramp, horizon) for link, item in pairs)
    cost_uplift = (1 + ask.cost_risk_adjustment) * (1 + optimism_bias)
    costs = _cost_flows(ask.one_off_cost, ask.recurring_cost, cost_uplift, horizon)
    benefits = _sum_flows([line.yearly for line in lines], horizon)
    net = tuple(b - c for b, c in zip(benefits, costs, strict=True))
    pv_b, pv_c = present_value(benefits, rate), present_value(costs, rate)
    irr, irr_note = find_irr(net)

    notes = [irr_note] if irr_note else []
    if any(line.one_off for line in lines):
        notes.append("one-off benefits are counted once, in year 1, and are not ramped")
    if optimism_bias:
        notes.append(f"costs include an optimism-bias uplift of {optimism_bias:.0%} (Green Book)")
    notes += _class_notes(pairs)

    case = InvestmentCase(
        title=ask.title,
        currency=next((item.currency for _, item in pairs if item.currency), None),
        discount_rate=rate,
        horizon_years=horizon,
        ramp=_ramp_for(ask.ramp, horizon),
        one_off_cost=ask.one_off_cost,
        recurring_cost=ask.recurring_cost,
        cost_risk_adjustment=ask.cost_risk_adjustment,
        optimism_bias=optimism_bias,
        lines=lines,
        yearly_benefits=benefits,
        yearly_costs=costs,
        yearly_net=net,
        cumulative_net=tuple(_cumulate(net)),
        pv_benefits=pv_b,
        pv_costs=pv_c,
        npv=pv_b - pv_c,
        roi=_ratio(pv_b - pv_c, pv_c),
        irr=irr,
        irr_note=irr_note,
        payback_month=payback_month(net),
        discounted_payback_month=payback_month(net, rate),
        benefit_cost_ratio=_ratio(pv_b, pv_c),
        scenarios=_scenarios(ask, lines, costs),
        sensitivity=_sensitivity(ask, lines, costs),
        notes=tuple(notes),
    )
    _check_finite(case)
    return case


def _class_notes(pairs: Sequence[tuple[BenefitLink, ValueItem]]) -> list[str]:
    """Say which lines are not cash, so a reader does not take the NPV for money in the bank."""
    notes = []
    by_class = {
        "non_cash": "count non-cash (social or revenue) value, which a financial case would leave out",
        "capacity_released": "count released capacity, which is cash only if headcount, overtime or "
        "outsourcing actually falls",
    }
    for benefit_class, what in by_class.items():
        ids = [item.id for _, item in pairs if item.benefit_class == benefit_class]
        if ids:
            notes.append(f"the benefits {what}: {', '.join(ids)}")
    return notes


def _benefit_line(link: BenefitLink, item: ValueItem, ramp: Sequence[float], horizon: int) -> BenefitLine:
    gross = item.annual_amount
    adjusted = gross * (1 - link.risk_adjustment)
    one_off = item.period == "one_off"
    return BenefitLine(
        item=item.id,
        label=item.label,
        gross_annual=gross,
        risk_adjustment=link.risk_adjustment,
        adjusted_annual=adjusted,
        one_off=one_off,
        yearly=_line_flows(adjusted, one_off, ramp, horizon),
    )


def _cumulate(flows: Sequence[float]) -> list[float]:
    total, out = 0.0, []
    for flow in flows:
        total += flow
        out.append(total)
    return out


def _npv_of(
    lines: Sequence[BenefitLine],
    costs: Sequence[float],
    rate: float,
    ramp: Sequence[float],
    horizon: int,
    scale: float = 1.0,
    line_scale: Mapping[str, float] | None = None,
) -> tuple[tuple[float, ...], float]:
    """Yearly benefits and NPV of the lines re-phased with ``ramp`` and scaled; costs as given."""
    line_scale = line_scale or {}
    flows = [
        _line_flows(
            line.adjusted_annual * scale * line_scale.get(line.item, 1.0), line.one_off, ramp, horizon
        )
        for line in lines
    ]
    benefits = _sum_flows(flows, horizon)
    return benefits, present_value(benefits, rate) - present_value(costs, rate)


def _scenarios(
    ask: InvestmentAsk, lines: Sequence[BenefitLine], costs: Sequence[float]
) -> dict[str, ScenarioResult]:
    wanted: dict[str, Scenario] = {"expected": Scenario()}
    wanted.update(ask.scenarios)
    order = ["conservative", "expected", "optimistic"]
    results: dict[str, ScenarioResult] = {}
    pv_c = present_value(costs, ask.discount_rate)
    for name in sorted(wanted, key=order.index):
        scenario = wanted[name]
        ramp = scenario.ramp or ask.ramp
        benefits, npv = _npv_of(
            lines, costs, ask.discount_rate, ramp, ask.horizon_years, scenario.benefit_scale
        )
        results[name] = ScenarioResult(
            name=name,
            benefit_scale=scenario.benefit_scale,
            ramp=_ramp_for(ramp, ask.horizon_years),
            yearly_benefits=benefits,
            pv_benefits=present_value(benefits, ask.discount_rate),
            npv=npv,
            roi=_ratio(npv, pv_c),
            payback_month=payback_month([b - c for b, c in zip(benefits, costs, strict=True)]),
        )
    return results


def _sensitivity(
    ask: InvestmentAsk, lines: Sequence[BenefitLine], costs: Sequence[float]
) -> tuple[SensitivityBar, ...]:
    rate, ramp, horizon = ask.discount_rate, ask.ramp, ask.horizon_years
    down, up = 1 - SENSITIVITY_STEP, 1 + SENSITIVITY_STEP

    def npv(*, rate=rate, ramp=ramp, costs=costs, line_scale=None) -> float:
        return _npv_of(lines, costs, rate, ramp, horizon, line_scale=line_scale)[1]

    def ramp_times(factor: float) -> list[float]:
        # A share above 100% would count benefit that cannot exist, so the upward move is capped at 1.
        return [min(1.0, share * factor) for share in ramp]

    bars = [
        (
            f"line.{line.item}",
            line.label,
            npv(line_scale={line.item: down}),
            npv(line_scale={line.item: up}),
            "",
        )
        for line in lines
    ]
    bars.append(
        ("costs", "costs", npv(costs=[c * down for c in costs]), npv(costs=[c * up for c in costs]), "")
    )
    bars.append(("discount_rate", "discount rate", npv(rate=rate * down), npv(rate=rate * up), ""))
    bars.append(
        (
            "ramp",
            "benefit ramp",
            npv(ramp=ramp_times(down)),
            npv(ramp=ramp_times(up)),
            "ramp shares are capped at 100% when raised",
        )
    )
    result = [
        SensitivityBar(driver=d, label=label, npv_low=lo, npv_high=hi, swing=abs(hi - lo), note=note)
        for d, label, lo, hi, note in bars
    ]
    return tuple(sorted(result, key=lambda bar: (-bar.swing, bar.driver)))


def _check_finite(case: InvestmentCase) -> None:
    """Amounts near the float limit overflow to inf (and inf - inf to NaN); stop them here."""
    values = [case.pv_benefits, case.pv_costs, case.npv, case.roi, case.irr, case.benefit_cost_ratio]
    values += [*case.yearly_benefits, *case.yearly_costs, *case.cumulative_net]
    values += [v for s in case.scenarios.values() for v in (s.npv, s.roi, s.pv_benefits)]
    values += [v for bar in case.sensitivity for v in (bar.npv_low, bar.npv_high)]
    if any(v is not None and not math.isfinite(v) for v in values):
        raise InputError(
            f"{_WHERE}: the figures overflow (amounts too large to compute); check the costs and value "
            "item amounts for a misplaced exponent or unit"
        )


# --- options ---------------------------------------------------------------------------------------


def compare_options(
    ask: InvestmentAsk,
    items: Mapping[str, ValueItem],
    *,
    do_minimum: DoMinimum | None = None,
    optimism_bias: float | None = None,
) -> OptionsComparison:
    """Do nothing, an optional do-minimum, and the proposal side by side at the ask's rate and horizon.

    Do nothing costs nothing and brings nothing; what it loses is stated as the cost of inaction, the
    proposal's risk-adjusted benefits forgone. Do minimum keeps a subset of the proposal's benefit lines
    (same risk adjustments, ramp, rate and horizon) for its own cost, raised for risk and optimism bias
    like the proposal's.
    """
    proposed = build_case(ask, items, optimism_bias=optimism_bias)
    options = [
        OptionResult(
            name="do_nothing",
            label="do nothing",
            pv_benefits=0.0,
            pv_costs=0.0,
            npv=0.0,
            roi=None,
            payback_month=None,
            annual_run_rate=0.0,
        )
    ]
    if do_minimum is not None:
        linked = {link.item: link for link in ask.benefits}
        unknown = [item for item in do_minimum.benefits if item not in linked]
        if unknown:
            raise InputError(
                f"{_WHERE}: do minimum: {', '.join(unknown)} is not a benefit of the proposal; choose from "
                f"{', '.join(linked)}"
            )
        minimum_ask = ask.model_copy(
            update={
                "benefits": [linked[item] for item in do_minimum.benefits],
                "one_off_cost": do_minimum.one_off_cost,
                "recurring_cost": do_minimum.recurring_cost,
            }
        )
        options.append(
            _option(
                "do_minimum", do_minimum.label, build_case(minimum_ask, items, optimism_bias=optimism_bias)
            )
        )
    options.append(_option("proposed", ask.title, proposed))
    return OptionsComparison(
        discount_rate=ask.discount_rate,
        horizon_years=ask.horizon_years,
        options=tuple(options),
        cost_of_inaction_pv=proposed.pv_benefits,
        cost_of_inaction_annual=sum(line.adjusted_annual for line in proposed.lines if not line.one_off),
        proposed_case=proposed,
    )


def _option(name: str, label: str, case: InvestmentCase) -> OptionResult:
    return OptionResult(
        name=name,
        label=label,
        pv_benefits=case.pv_benefits,
        pv_costs=case.pv_costs,
        npv=case.npv,
        roi=case.roi,
        payback_month=case.payback_month,
        annual_run_rate=sum(line.adjusted_annual for line in case.lines if not line.one_off),
    )
