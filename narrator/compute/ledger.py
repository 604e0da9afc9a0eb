"""The concept ledger: each figure a board reads is defined once, as one fact, and every mention uses it.

A pack that says the cost of doing nothing is £1.1m on one slide and £930k on the next, or asks the board
to "approve £850k" without the £180k a year, has stated two figures for one concept. Here each concept
gets its one fact (or several facts that must agree, tagged with the same ``concept``), and the quality
gate (``narrator.check.figures``) refuses a pack in which one concept shows two values.

The concepts a board reads:

* value delivered a year, by class: the headline (cash saving + cost avoidance), capacity released and
  non-cash value beside it (``value_facts``);
* the cost of doing nothing: the proposal's risk-adjusted cash and cost-avoidance benefit forgone each year
  once fully ramped, with the non-cash benefit forgone beside it;
* the whole commitment: up front plus recurring over the horizon, as asked, and its present value;
* NPV, ROI, IRR and payback of the proposal; and, where non-cash benefits are counted, the cash-only NPV,
  ROI and payback;
* the gate that limits the downside when the conservative case loses money: a pilot with a stop-go test
  tied to the KPI that drives the largest benefit.
"""

from __future__ import annotations

from collections.abc import Mapping

from narrator.catalogue import Catalogue
from narrator.compute.facts import Fact, FactBook
from narrator.compute.investment import InvestmentCase, OptionsComparison, build_case, present_value
from narrator.compute.value_facts import HEADLINE_CLASSES
from narrator.dataset import InvestmentAsk, ValueItem
from narrator.periods import parse_period
from narrator.value.reconcile import LEVERS

_MOVEMENTS = ("uplift", "fcr_uplift", "attrition_reduction", "churn_reduction")
"""Structured inputs that state a lever's planned KPI improvement."""

CONCEPTS = {
    "value_delivered": "value delivered a year: cash saving and cost avoidance",
    "value_unlocked_gross": "value the ask unlocks a year, before risk adjustment",
    "cost_of_inaction": "cost of doing nothing a year: cash and cost-avoidance benefit forgone",
    "cost_of_inaction_non_cash": "non-cash benefit forgone a year by doing nothing",
    "up_front": "up-front cost, as asked",
    "recurring": "recurring cost a year, as asked",
    "commitment": "whole commitment over the horizon, as asked",
    "commitment_pv": "present value of the whole commitment, as asked",
    "pv_benefits": "present value of the proposal's risk-adjusted benefits",
    "pv_costs": "present value of the proposal's risk-adjusted costs",
    "npv": "net present value of the proposal",
    "roi": "return on investment of the proposal",
    "irr": "internal rate of return of the proposal",
    "payback": "payback month of the proposal",
    "full_year_benefit": "risk-adjusted benefit a year at full ramp",
    "cash_npv": "net present value of the cash benefits alone",
    "cash_roi": "return on investment of the cash benefits alone",
    "cash_payback": "payback month of the cash benefits alone",
}
"""Every concept the gate holds to one value, with what it means."""


def cash_case(ask: InvestmentAsk, items: Mapping[str, ValueItem]) -> InvestmentCase | None:
    """The case counting cash saving and cost avoidance alone; None when every line is already that.

    Non-cash value (revenue protected, citizens' time) and capacity released are real, but not money the
    organisation banks, so a CFO reads the return of the cash lines on their own beside the full one.
    """
    cash_links = [link for link in ask.benefits if items[link.item].benefit_class in HEADLINE_CLASSES]
    if len(cash_links) == len(ask.benefits):
        return None
    if cash_links:
        return build_case(ask.model_copy(update={"benefits": cash_links}), items, optimism_bias=ask.optimism_bias)
    return None


def ledger_facts(
    book: FactBook,
    case: InvestmentCase,
    ask: InvestmentAsk,
    items: Mapping[str, ValueItem],
    currency: str,
    locale: str,
    catalogue: Catalogue | None = None,
    options: OptionsComparison | None = None,
) -> None:
    """The ledger's own facts: commitment, cost of doing nothing by class, cash-only case, downside gate."""
    basis = f"{case.horizon_years}-year horizon at {case.discount_rate:.1%}"

    def add(fact_id: str, label: str, value, unit: str, derivation: str = "", **extra) -> Fact | None:
        if value is None:
            return None
        return book.add(Fact(id=f"ask.{fact_id}", label=label, value=value, unit=unit,
                             currency=currency if unit == "money" else None, derivation=derivation or basis,
                             **extra))

    horizon = case.horizon_years
    add("commitment", CONCEPTS["commitment"], ask.one_off_cost + ask.recurring_cost * horizon, "money",
        f"up-front cost + {horizon} x recurring cost, as asked, before risk adjustment", concept="commitment",
        parts=("ask.one_off",) + (("ask.recurring",) * horizon if ask.recurring_cost else ()))
    add("commitment_pv", CONCEPTS["commitment_pv"],
        present_value((ask.one_off_cost,) + (ask.recurring_cost,) * horizon, case.discount_rate), "money",
        f"up-front cost + recurring cost discounted, as asked, {basis}", concept="commitment_pv")

    cash_lines = [line for line in case.lines if items[line.item].benefit_class in HEADLINE_CLASSES and
                  not line.one_off]
    other_lines = [line for line in case.lines if line not in cash_lines and not line.one_off]
    add("cost_of_inaction", CONCEPTS["cost_of_inaction"], sum(line.adjusted_annual for line in cash_lines),
        "money", "sum of the proposal's risk-adjusted cash and cost-avoidance lines at full ramp",
        concept="cost_of_inaction", parts=tuple(f"ask.line.{line.item}.adjusted" for line in cash_lines),
        beside=tuple(f"ask.line.{line.item}.adjusted" for line in other_lines))
    if other_lines:
        add("cost_of_inaction_non_cash", CONCEPTS["cost_of_inaction_non_cash"],
            sum(line.adjusted_annual for line in other_lines), "money",
            "sum of the proposal's risk-adjusted non-cash and capacity lines at full ramp",
            concept="cost_of_inaction_non_cash",
            parts=tuple(f"ask.line.{line.item}.adjusted" for line in other_lines))

    cash = cash_case(ask, items)
    if cash is not None:
        add("cash_npv", CONCEPTS["cash_npv"], cash.npv, "money",
            f"PV of cash-saving and cost-avoidance lines - PV costs, {basis}", concept="cash_npv")
        add("cash_roi", CONCEPTS["cash_roi"], cash.roi, "percent", "cash NPV / PV costs", concept="cash_roi")
        add("cash_payback_month", CONCEPTS["cash_payback"], cash.payback_month, "number",
            "first month the cumulative cash-only net benefit turns positive", concept="cash_payback")
        add("non_cash_pv", "present value of non-cash benefits", case.pv_benefits - cash.pv_benefits, "money",
            f"PV of the non-cash and capacity lines, {basis}")
    elif any(items[link.item].benefit_class not in HEADLINE_CLASSES for link in ask.benefits):
        # Every line is non-cash: the cash-only case has no benefit at all.
        add("cash_npv", CONCEPTS["cash_npv"], -case.pv_costs, "money", f"no cash lines - PV costs, {basis}",
            concept="cash_npv")
        add("non_cash_pv", "present value of non-cash benefits", case.pv_benefits, "money", basis)

    if options is not None:
        _incremental(add, options)
    _downside_gate(add, case, ask, items, locale, catalogue)


def _incremental(add, options: OptionsComparison) -> None:
    """Each option against the one before it (do nothing, do minimum, the proposal): what the step adds."""
    previous = None
    for option in options.options:
        if previous is not None:
            npv = option.npv - previous.npv
            cost = option.pv_costs - previous.pv_costs
            key = f"option.{option.name}.step"
            add(f"{key}.npv", f"{option.label}: net present value added over {previous.label}", npv, "money",
                f"NPV {option.name} - NPV {previous.name}")
            add(f"{key}.pv_costs", f"{option.label}: present value of cost added over {previous.label}", cost,
                "money", f"PV costs {option.name} - PV costs {previous.name}")
            add(f"{key}.roi", f"{option.label}: return on the added cost", npv / cost if cost > 0 else None,
                "percent", "added NPV / added PV costs")
            add(f"{key}.from", "the option it is compared with", previous.label, "text")
        previous = option


def _downside_gate(add, case: InvestmentCase, ask: InvestmentAsk, items, locale: str, catalogue) -> None:
    """When the conservative case loses money: the pilot and stop-go test that limit the downside."""
    conservative = case.scenarios.get("conservative")
    if conservative is None or conservative.npv >= 0 or not case.lines:
        return
    largest = max(case.lines, key=lambda line: line.adjusted_annual)
    add("downside.line", "benefit line the pilot tests", largest.label, "text")
    item = items[largest.item]
    lever = LEVERS.get(item.lever or "")
    drivers = list(lever.drivers if lever is not None else ()) + list(item.drivers)
    step = next((s for s in ask.realisation if s.benefit == largest.item), None)
    kpi = step.kpi if step is not None else (drivers[0] if drivers else None)
    if kpi is None:
        return
    movement = next((item.inputs[name] for name in _MOVEMENTS if name in item.inputs), None)
    if step is None and movement is not None and movement.unit == "pts":
        add("downside.uplift", "planned improvement the stop-go test looks for", movement.value, "pp",
            f"{largest.item}: planned improvement, from its inputs")
    kpi_def = catalogue.find(kpi) if catalogue is not None else None
    add("downside.kpi", "KPI the stop-go test reads", kpi_def.label if kpi_def else kpi.replace("_", " "), "text")
    if step is not None:
        unit = {"percent": "percent", "seconds": "seconds", "money": "money"}.get(
            kpi_def.unit if kpi_def else "number", "number")
        add("downside.target", "stop-go target", step.target, unit, "benefits-realisation plan")
        if step.by:
            by = parse_period(step.by)
            add("downside.by", "stop-go date", by.label(locale) if by else step.by, "period")
