"""Investment-case facts: the figures of the ask, its return, its lines and its scenarios, as Facts."""

from __future__ import annotations

from narrator.catalogue import Catalogue
from narrator.compute.facts import Fact, FactBook
from narrator.compute.investment import SENSITIVITY_STEP, InvestmentCase, OptionsComparison
from narrator.dataset import InvestmentAsk
from narrator.periods import parse_period

_KPI_FACT_UNITS = {"percent": "percent", "seconds": "seconds", "money": "money", "count": "count",
                   "score": "score", "ratio": "ratio", "per_1k": "per_1k", "number": "number"}

_CASE = "TEI-style investment case"

_CONCEPTS = {
    "one_off": "up_front", "recurring": "recurring", "pv_benefits": "pv_benefits", "pv_costs": "pv_costs",
    "npv": "npv", "roi": "roi", "irr": "irr", "payback_month": "payback", "full_year_benefit": "full_year_benefit",
    "cost_of_inaction_pv": "pv_benefits",
    "option.proposed.npv": "npv", "option.proposed.roi": "roi", "option.proposed.payback_month": "payback",
    "option.proposed.pv_benefits": "pv_benefits", "option.proposed.pv_costs": "pv_costs",
    "option.proposed.run_rate": "full_year_benefit",
    "scenario.expected.npv": "npv", "scenario.expected.roi": "roi", "scenario.expected.payback_month": "payback",
}
"""Ask facts that state a concept of the ledger (``narrator.compute.ledger.CONCEPTS``); they must agree."""


def _concept(fact_id: str) -> str | None:
    return _CONCEPTS.get(fact_id)


def ask_facts(
    case: InvestmentCase,
    ask: InvestmentAsk,
    currency: str,
    locale: str,
    book: FactBook,
    *,
    options: OptionsComparison | None = None,
    alternative: InvestmentCase | None = None,
    catalogue: Catalogue | None = None,
) -> None:
    rate, horizon = case.discount_rate, case.horizon_years
    basis = f"{horizon}-year horizon at {rate:.1%}"

    def add(fact_id: str, label: str, value, unit: str, derivation: str = "") -> None:
        if value is None:
            return
        book.add(
            Fact(id=f"ask.{fact_id}", label=label, value=value, unit=unit,
                 currency=currency if unit == "money" else None, derivation=derivation or basis,
                 concept=_concept(fact_id))
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
    add("optimism_bias", "optimism-bias uplift on costs", case.optimism_bias or None, "percent",
        "HM Treasury Green Book optimism bias, applied after the cost risk adjustment")
    add("one_off_adjusted", "risk-adjusted up-front cost", case.yearly_costs[0], "money",
        "up-front cost x (1 + cost risk adjustment) x (1 + optimism bias)")
    if ask.recurring_cost:
        add("recurring_adjusted", "risk-adjusted recurring cost per year", case.yearly_costs[1], "money",
            "recurring cost x (1 + cost risk adjustment) x (1 + optimism bias)")
    add("zero_cost", "the ask has no cost", "yes" if case.pv_costs == 0 else None, "text")
    for year, share in enumerate(case.ramp, start=1):
        add(f"ramp.{year}", f"share of full benefit in year {year}", share, "percent", "the ask's ramp")
    if case.irr_note:
        add("irr_note", "why there is no IRR", case.irr_note, "text")
    if alternative is not None:
        alt_basis = f"{horizon}-year horizon at {alternative.discount_rate:.1%}"
        add("alt_rate", "alternative discount rate", alternative.discount_rate, "percent",
            "the other customary rate: 3.5% HM Treasury Green Book, 10% Forrester TEI")
        add("alt_npv", "net present value at the alternative rate", alternative.npv, "money",
            f"PV benefits - PV costs, {alt_basis}")
        add("alt_roi", "return on investment at the alternative rate", alternative.roi, "percent",
            f"NPV / PV costs, {alt_basis}")
    if options is not None:
        add("cost_of_inaction_pv", "present value of benefits forgone by doing nothing",
            options.cost_of_inaction_pv, "money", f"PV of the proposal's risk-adjusted benefits, {basis}")
        for option in options.options:
            key = f"option.{option.name}"
            add(f"{key}.label", "option", option.label, "text")
            add(f"{key}.pv_benefits", f"{option.label}: PV benefits", option.pv_benefits, "money", basis)
            add(f"{key}.pv_costs", f"{option.label}: PV costs", option.pv_costs, "money", basis)
            add(f"{key}.npv", f"{option.label}: NPV", option.npv, "money", basis)
            add(f"{key}.roi", f"{option.label}: ROI", option.roi, "percent", "NPV / PV costs")
            add(f"{key}.payback_month", f"{option.label}: payback month", option.payback_month, "number")
            add(f"{key}.run_rate", f"{option.label}: risk-adjusted benefit a year at full ramp",
                option.annual_run_rate, "money")
    for i, step in enumerate(ask.realisation):
        kpi_def = catalogue.find(step.kpi) if catalogue is not None else None
        unit = _KPI_FACT_UNITS.get(kpi_def.unit if kpi_def else "number", "number")
        kpi_id = kpi_def.id if kpi_def else step.kpi
        add(f"realisation.{i}.kpi", "KPI tracked", kpi_def.label if kpi_def else step.kpi, "text")
        add(f"realisation.{i}.target", f"{kpi_id} target", step.target, unit, "benefits-realisation plan")
        add(f"realisation.{i}.owner", "owner", step.owner, "text")
        add(f"realisation.{i}.review", "review", step.review, "text")
        if step.by:
            by = parse_period(step.by)
            add(f"realisation.{i}.by", "target date", by.label(locale) if by else step.by, "period")
    if ask.funding:
        add("funding", "funding source", ask.funding, "text")
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
        add(f"scenario.{name}.scale", f"{name} scenario benefit scale", scenario.benefit_scale, "ratio")
        for year, share in enumerate(scenario.ramp, start=1):
            add(f"scenario.{name}.ramp.{year}", f"{name} scenario ramp, year {year}", share, "percent")
    add("sensitivity_step", "how far each driver moves in the sensitivity test", SENSITIVITY_STEP, "percent")
    for bar in case.sensitivity:
        add(f"sensitivity.{bar.driver}.low", f"NPV with {bar.label} {SENSITIVITY_STEP:.0%} lower", bar.npv_low,
            "money", f"{bar.label} x {1 - SENSITIVITY_STEP:g}, everything else as expected")
        add(f"sensitivity.{bar.driver}.high", f"NPV with {bar.label} {SENSITIVITY_STEP:.0%} higher",
            bar.npv_high, "money", f"{bar.label} x {1 + SENSITIVITY_STEP:g}, everything else as expected")
    for i, risk in enumerate(ask.risks):
        add(f"risk.{i}", "delivery risk", risk, "text")
    for i, benefit in enumerate(ask.non_financial):
        add(f"non_financial.{i}", "non-financial benefit", benefit, "text")
    if ask.owner:
        add("owner", "benefits owner", ask.owner, "text")
    if ask.start:
        start = parse_period(ask.start)
        add("start", "start of spending", start.label(locale) if start else ask.start, "period")
