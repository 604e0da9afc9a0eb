"""Investment-case facts: the figures of the ask, its return, its lines and its scenarios, as Facts."""

from __future__ import annotations

from narrator.compute.facts import Fact, FactBook
from narrator.compute.investment import InvestmentCase
from narrator.dataset import InvestmentAsk
from narrator.periods import parse_period

_CASE = "TEI-style investment case"


def ask_facts(case: InvestmentCase, ask: InvestmentAsk, currency: str, locale: str, book: FactBook) -> None:
    rate, horizon = case.discount_rate, case.horizon_years
    basis = f"{horizon}-year horizon at {rate:.1%}"

    def add(fact_id: str, label: str, value, unit: str, derivation: str = "") -> None:
        if value is None:
            return
        book.add(
            Fact(id=f"ask.{fact_id}", label=label, value=value, unit=unit,
                 currency=currency if unit == "money" else None, derivation=derivation or basis)
        )

    add("title", "what the investment buys", ask.title, "text")
    add("one_off", "up-front cost", ask.one_off_cost, "money", "as asked, before risk adjustment")
    if ask.recurring_cost:
        add("recurring", "recurring cost per year", ask.recurring_cost, "money", "as asked, before risk adjustment")
    add("total_cost", "risk-adjusted cost over the horizon", sum(case.yearly_costs), "money",
        "sum of risk-adjusted costs, years 0 to horizon, undiscounted")
    add("pv_benefits", "present value of benefits", case.pv_benefits, "money", f"sum B_t / (1 + i)^t, {basis}")
    add("pv_costs", "present value of costs", case.pv_costs, "money", f"sum C_t / (1 + i)^t, {basis}")
    add("npv", "net present value", case.npv, "money", f"PV benefits - PV costs, {basis}")
    add("roi", "return on investment", case.roi, "percent", "NPV / PV costs")
    add("irr", "internal rate of return", case.irr, "percent", "rate at which NPV = 0")
    add("payback_month", "payback month", case.payback_month, "number",
        "first month in which cumulative undiscounted risk-adjusted net benefit turns positive")
    add("discounted_payback_month", "discounted payback month", case.discounted_payback_month, "number",
        "first month in which cumulative discounted net benefit turns positive")
    add("benefit_cost_ratio", "benefit-cost ratio", case.benefit_cost_ratio, "ratio", "PV benefits / PV costs")
    add("horizon", "appraisal horizon", horizon, "years")
    add("discount_rate", "discount rate", rate, "percent")
    add("first_year_benefit", "risk-adjusted benefit in year one", case.yearly_benefits[1], "money",
        "year-one benefit after risk adjustment and ramp")
    add("full_year_benefit", "risk-adjusted benefit in a full year", max(case.yearly_benefits), "money",
        "largest yearly benefit after risk adjustment and ramp")
    add("cost_risk_adjustment", "risk uplift on costs", case.cost_risk_adjustment, "percent")
    for year, (b, c, n) in enumerate(zip(case.yearly_benefits, case.yearly_costs, case.cumulative_net, strict=True)):
        add(f"year.{year}.benefit", f"benefit, year {year}", b, "money")
        add(f"year.{year}.cost", f"cost, year {year}", c, "money")
        add(f"year.{year}.cumulative", f"cumulative net, year {year}", n, "money")
        add(f"year.{year}.label", "year", f"Year {year}", "text")
    for line in case.lines:
        add(f"line.{line.item}.label", "benefit line", line.label, "text")
        add(f"line.{line.item}.gross", f"{line.label}, gross per year", line.gross_annual, "money")
        add(f"line.{line.item}.risk_adjustment", f"{line.label}, risk adjustment", line.risk_adjustment, "percent")
        add(f"line.{line.item}.adjusted", f"{line.label}, risk-adjusted per year", line.adjusted_annual, "money",
            f"gross x (1 - {line.risk_adjustment:.0%})")
    for name, scenario in case.scenarios.items():
        add(f"scenario.{name}.npv", f"{name} scenario NPV", scenario.npv, "money",
            f"benefits x {scenario.benefit_scale:g}, ramp {', '.join(f'{r:.0%}' for r in scenario.ramp)}")
        add(f"scenario.{name}.roi", f"{name} scenario ROI", scenario.roi, "percent")
        add(f"scenario.{name}.payback_month", f"{name} scenario payback month", scenario.payback_month, "number")
    for bar in case.sensitivity:
        add(f"sensitivity.{bar.driver}.low", f"NPV with {bar.label} low", bar.npv_low, "money")
        add(f"sensitivity.{bar.driver}.high", f"NPV with {bar.label} high", bar.npv_high, "money")
    for i, risk in enumerate(ask.risks):
        add(f"risk.{i}", "delivery risk", risk, "text")
    for i, benefit in enumerate(ask.non_financial):
        add(f"non_financial.{i}", "non-financial benefit", benefit, "text")
    if ask.owner:
        add("owner", "benefits owner", ask.owner, "text")
    if ask.start:
        start = parse_period(ask.start)
        add("start", "start of spending", start.label(locale) if start else ask.start, "period")
