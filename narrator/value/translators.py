"""The built-in value translators: one function per lever of the domain table, from KPI movement to money.

Every function takes explicit numbers (KPI movements and parameters), each either a plain number or a
``Parameter`` carrying its source, grade and range, and returns a ``TranslationResult``. Movements are
improvements as fractions (an uplift of 0.05 is 5 points). Amounts are per year unless said otherwise.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, fields

from narrator.errors import InputError
from narrator.value.lever import Lever, Num, evaluate, finish, resolve
from narrator.value.levers import (
    AHT_CAPACITY,
    AHT_CAPACITY_NET,
    ATTRITION,
    CHANNEL_SHIFT,
    CHURN_CLV,
    CITIZEN_TIME,
    COMPLAINTS,
    CONTAINMENT,
    DOWNTIME,
    FCR_REPEATS,
    FCR_REVENUE,
    RETENTION_SAVES,
    SLA_PENALTIES,
)
from narrator.value.result import TranslationResult
from narrator.value.text import money

CURRENCY, LOCALE = "USD", "en_US"


def containment(
    volume: Num,
    uplift: Num,
    assisted_cpc: Num,
    self_service_cpc: Num,
    *,
    currency: str = CURRENCY,
    locale: str = LOCALE,
) -> TranslationResult:
    """Deflection: volume x containment uplift x (assisted CPC - self-service CPC)."""
    return CONTAINMENT.translate(
        currency=currency,
        locale=locale,
        volume=volume,
        uplift=uplift,
        assisted_cpc=assisted_cpc,
        self_service_cpc=self_service_cpc,
    )


@dataclass(frozen=True)
class ChannelShift:
    """Contacts moved from one channel to another, with the unit cost of each."""

    from_channel: str
    to_channel: str
    volume: Num
    cost_from: Num
    cost_to: Num


def channel_shift(
    shifts: Sequence[ChannelShift], *, currency: str = CURRENCY, locale: str = LOCALE
) -> TranslationResult:
    """Cost to serve: sum over shifts of volume x (unit cost from - unit cost to)."""
    return _sum_of(
        CHANNEL_SHIFT,
        [_fields(s) for s in shifts],
        "shifts",
        ("from_channel", "to_channel"),
        currency,
        locale,
    )


def citizen_time_saved(
    contacts: Num, minutes_saved: Num, value_of_hour: Num, *, currency: str = CURRENCY, locale: str = LOCALE
) -> TranslationResult:
    """Public value: contacts x minutes saved / 60 x value of an hour (social value, not cash)."""
    return CITIZEN_TIME.translate(
        currency=currency,
        locale=locale,
        contacts=contacts,
        minutes_saved=minutes_saved,
        value_of_hour=value_of_hour,
    )


def fcr_repeat_contacts(
    volume: Num,
    fcr_uplift: Num,
    repeats_per_unresolved: Num,
    cost_per_contact: Num,
    *,
    currency: str = CURRENCY,
    locale: str = LOCALE,
) -> TranslationResult:
    """Repeat contacts avoided: volume x FCR uplift x extra contacts per unresolved issue x CPC."""
    return FCR_REPEATS.translate(
        currency=currency,
        locale=locale,
        volume=volume,
        fcr_uplift=fcr_uplift,
        repeats_per_unresolved=repeats_per_unresolved,
        cost_per_contact=cost_per_contact,
    )


def fcr_revenue_protected(
    issues: Num,
    fcr_uplift: Num,
    risk_unresolved: Num,
    risk_resolved: Num,
    clv: Num,
    *,
    currency: str = CURRENCY,
    locale: str = LOCALE,
) -> TranslationResult:
    """Revenue protected: unresolved issues avoided x (risk if unresolved - risk if resolved) x CLV."""
    return FCR_REVENUE.translate(
        currency=currency,
        locale=locale,
        issues=issues,
        fcr_uplift=fcr_uplift,
        risk_unresolved=risk_unresolved,
        risk_resolved=risk_resolved,
        clv=clv,
    )


def aht_capacity(
    volume: Num,
    aht_saved: Num,
    occupancy: Num,
    shrinkage: Num,
    paid_hours_per_fte: Num,
    loaded_fte_cost: Num,
    *,
    extra_repeat_contacts: Num = 0,
    aht_after: Num = 0,
    currency: str = CURRENCY,
    locale: str = LOCALE,
) -> TranslationResult:
    """Capacity: volume x AHT saved / 3600 / occupancy / (1 - shrinkage) / paid hours x loaded FTE cost.

    When resolution fell, pass the extra repeat contacts and the handle time after: their handling time
    is taken off the time saved.
    """
    given = dict(
        volume=volume,
        aht_saved=aht_saved,
        occupancy=occupancy,
        shrinkage=shrinkage,
        paid_hours_per_fte=paid_hours_per_fte,
        loaded_fte_cost=loaded_fte_cost,
    )
    if extra_repeat_contacts == 0:
        return AHT_CAPACITY.translate(currency=currency, locale=locale, **given)
    return AHT_CAPACITY_NET.translate(
        currency=currency,
        locale=locale,
        extra_repeat_contacts=extra_repeat_contacts,
        aht_after=aht_after,
        **given,
    )


def attrition(
    headcount: Num,
    attrition_reduction: Num,
    cost_per_attrit: Num,
    *,
    currency: str = CURRENCY,
    locale: str = LOCALE,
) -> TranslationResult:
    """Hiring cost avoided: headcount x (attrition before - after) x cost per attrit."""
    return ATTRITION.translate(
        currency=currency,
        locale=locale,
        headcount=headcount,
        attrition_reduction=attrition_reduction,
        cost_per_attrit=cost_per_attrit,
    )


def retention_saves(
    saves: Num,
    durability: Num,
    remaining_clv: Num,
    offer_cost: Num = 0,
    *,
    currency: str = CURRENCY,
    locale: str = LOCALE,
) -> TranslationResult:
    """Revenue protected: saves x durability x remaining CLV - saves x offer cost."""
    return RETENTION_SAVES.translate(
        currency=currency,
        locale=locale,
        saves=saves,
        durability=durability,
        remaining_clv=remaining_clv,
        offer_cost=offer_cost,
    )


def churn_clv(
    customers: Num,
    churn_reduction: Num,
    annual_margin: Num,
    retention_rate: Num,
    discount_rate: Num,
    *,
    currency: str = CURRENCY,
    locale: str = LOCALE,
) -> TranslationResult:
    """Lifetime value kept: customers x (churn before - after) x CLV, CLV = margin x r / (1 + i - r)."""
    return CHURN_CLV.translate(
        currency=currency,
        locale=locale,
        customers=customers,
        churn_reduction=churn_reduction,
        annual_margin=annual_margin,
        retention_rate=retention_rate,
        discount_rate=discount_rate,
    )


def complaints_risk(
    complaints_avoided: Num,
    handling_cost: Num,
    referral_rate: Num,
    case_fee: Num,
    uphold_rate: Num,
    redress: Num,
    *,
    currency: str = CURRENCY,
    locale: str = LOCALE,
) -> TranslationResult:
    """Risk reduced: complaints avoided x (handling + referral rate x (case fee + uphold rate x redress))."""
    return COMPLAINTS.translate(
        currency=currency,
        locale=locale,
        complaints_avoided=complaints_avoided,
        handling_cost=handling_cost,
        referral_rate=referral_rate,
        case_fee=case_fee,
        uphold_rate=uphold_rate,
        redress=redress,
    )


@dataclass(frozen=True)
class SlaPenalty:
    """One contract measure: the penalty per point of shortfall, the shortfall avoided, periods a year."""

    metric: str
    penalty_per_point: Num
    shortfall_avoided: Num
    periods: Num = 1


def sla_penalties(
    penalties: Sequence[SlaPenalty], *, currency: str = CURRENCY, locale: str = LOCALE
) -> TranslationResult:
    """Penalties avoided: sum of penalty per point x points of shortfall avoided x periods a year."""
    return _sum_of(SLA_PENALTIES, [_fields(p) for p in penalties], "penalties", ("metric",), currency, locale)


def downtime_avoided(
    outage_hours_avoided: Num,
    idle_agents: Num,
    hourly_cost: Num,
    lost_revenue_per_hour: Num = 0,
    *,
    currency: str = CURRENCY,
    locale: str = LOCALE,
) -> TranslationResult:
    """Resilience: outage hours avoided x (idle agents x hourly cost + lost revenue per hour)."""
    return DOWNTIME.translate(
        currency=currency,
        locale=locale,
        outage_hours_avoided=outage_hours_avoided,
        idle_agents=idle_agents,
        hourly_cost=hourly_cost,
        lost_revenue_per_hour=lost_revenue_per_hour,
    )


def _fields(term: object) -> dict[str, object]:
    # Shallow, unlike dataclasses.asdict, so Parameters stay Parameters.
    return {f.name: getattr(term, f.name) for f in fields(term)}


def _sum_of(
    lever: Lever,
    terms: Sequence[Mapping[str, object]],
    list_name: str,
    names: Sequence[str],
    currency: str,
    locale: str,
) -> TranslationResult:
    """A lever that is a sum of independent terms: each term's range is found alone, then the ranges add."""
    if not terms:
        raise InputError(f"{lever.id}: {list_name} is empty; give at least one")
    problems: list[str] = []
    resolved = []
    for i, term in enumerate(terms):
        try:
            resolved.append(
                (term, resolve(lever.id, lever.args, term, currency, locale, f"{list_name}[{i}]."))
            )
        except InputError as error:
            problems += error.problems
    if problems:
        raise InputError(problems)
    amount = low = high = 0.0
    texts, inputs, quantities = [], [], {}
    for term, term_inputs in resolved:
        a, lo, hi = evaluate(lever.id, lever.compute, term_inputs)
        amount, low, high = amount + a, low + lo, high + hi
        shown = {name: i.shown for name, i in term_inputs.items()} | {n: term[n] for n in names}
        texts.append(lever.formula.format(**shown))
        inputs += term_inputs.values()
        for key, value in lever.quantities({n: i.value for n, i in term_inputs.items()}).items():
            quantities[key] = quantities.get(key, 0.0) + value
    formula = " + ".join(texts) + f" = {money(amount, currency, locale, whole=True)}"
    return finish(lever, inputs, amount, low, high, formula, quantities, currency)


TRANSLATORS = {
    "containment": containment,
    "channel_shift": channel_shift,
    "citizen_time_saved": citizen_time_saved,
    "fcr_repeat_contacts": fcr_repeat_contacts,
    "fcr_revenue_protected": fcr_revenue_protected,
    "aht_capacity": aht_capacity,
    "attrition": attrition,
    "retention_saves": retention_saves,
    "churn_clv": churn_clv,
    "complaints_risk": complaints_risk,
    "sla_penalties": sla_penalties,
    "downtime_avoided": downtime_avoided,
}
"""Every built-in translator by lever id (the default id of the value item each produces)."""
