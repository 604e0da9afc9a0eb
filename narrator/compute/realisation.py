"""The benefits-realisation plan against the case: each KPI target is where the ramp says the KPI will be.

A plan that promises the full first-contact resolution uplift by the end of year one, while the case
counts half of the benefit in year one, tells the board two different things. For every plan step tied
to a benefit whose planned KPI improvement is known (the item's structured inputs, or the assumption
parameter of its lever), the target must be the latest value moved by that improvement times the ramp
share of the year the target date falls in.
"""

from __future__ import annotations

from collections.abc import Mapping

from narrator.catalogue import Catalogue
from narrator.dataset import InvestmentAsk, ValueItem
from narrator.periods import parse_period
from narrator.value.reconcile import LEVERS

_MOVEMENT_INPUTS = ("uplift", "fcr_uplift", "attrition_reduction", "churn_reduction")
_LEVER_PARAMETERS = {
    "containment": "containment_uplift",
    "fcr_repeat_contacts": "fcr_uplift",
    "attrition": "attrition_reduction",
}
TOLERANCE = 0.001
"""How far a target may sit from the ramp's figure: a tenth of a point, the rounding a plan shows."""


def realisation_problems(
    ask: InvestmentAsk,
    items: Mapping[str, ValueItem],
    latest: Mapping[str, float | None],
    catalogue: Catalogue,
    file: str,
    parameters: Mapping[str, object] | None = None,
) -> list[str]:
    """One line per plan step whose target disagrees with the latest value, the uplift and the ramp."""
    start = parse_period(ask.start) if ask.start else None
    problems = []
    for i, step in enumerate(ask.realisation):
        item = items.get(step.benefit or "")
        kpi = catalogue.find(step.kpi)
        if item is None or kpi is None or kpi.unit != "percent" or start is None or step.by is None:
            continue
        uplift = _uplift(item, parameters or {})
        now, by = latest.get(kpi.id), parse_period(step.by)
        if uplift is None or now is None or by is None:
            continue
        months = (by.year - start.year) * 12 + (by.end_date().month - start.end_date().month) + 1
        if months < 1:
            continue
        year = min((months - 1) // 12, len(ask.ramp) - 1)
        share = ask.ramp[year]
        sign = 1 if kpi.direction == "up" else -1
        expected = now + sign * uplift * share
        if abs(step.target - expected) > TOLERANCE:
            problems.append(
                f"{file}: realisation[{i}].target: {step.target:.2%} for {kpi.label} by {step.by} disagrees with "
                f"the case: {now:.2%} now {'+' if sign > 0 else '-'} {uplift * 100:.2f} pts x the ramp's "
                f"{share:.0%} in year {year + 1} = {expected:.2%}; set the target to that, or change the date "
                "or the ramp"
            )
    return problems


def _uplift(item: ValueItem, parameters: Mapping[str, object]) -> float | None:
    for name in _MOVEMENT_INPUTS:
        if name in item.inputs:
            return item.inputs[name].value
    lever = item.lever if item.lever in LEVERS else None
    parameter = parameters.get(_LEVER_PARAMETERS.get(lever or _guess(item), ""))
    return getattr(parameter, "value", None)


def _guess(item: ValueItem) -> str:
    from narrator.value.checks import LEVER_ALIASES

    return LEVER_ALIASES.get(item.id, item.id)
