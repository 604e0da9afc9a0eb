"""The levers of the domain table declared as data: inputs, formula, benefit class, caveats."""

from __future__ import annotations

from collections.abc import Mapping

from narrator.value.assumptions import KNOWN_PARAMETERS
from narrator.value.lever import Arg, Lever

_OCCUPANCY = KNOWN_PARAMETERS["occupancy"][1]
_SHRINKAGE = KNOWN_PARAMETERS["shrinkage"][1]
_RETENTION = KNOWN_PARAMETERS["retention_rate"][1]
_PAID_HOURS = KNOWN_PARAMETERS["paid_hours_per_fte"][1]
_CAPACITY_NOTE = "capacity is cash only if headcount, overtime or outsourcing actually falls"
_MARGIN_NOTE = "margin kept, not a cut in the cost base; use margin, not revenue, for lifetime value"


def customer_lifetime_value(annual_margin: float, retention_rate: float, discount_rate: float) -> float:
    """CLV = margin x r / (1 + i - r): the discounted margin of a customer retained with probability r."""
    return annual_margin * retention_rate / (1 + discount_rate - retention_rate)


CONTAINMENT = Lever(
    id="containment",
    label="contacts resolved in self-service instead of by an agent",
    category="cost_avoided",
    benefit_class="cost_avoidance",
    args=(
        Arg("volume", "contacts", "count", "contacts"),
        Arg("uplift", "containment uplift", "pts"),
        Arg("assisted_cpc", "assisted cost per contact", "money"),
        Arg("self_service_cpc", "self-service cost per contact", "money"),
    ),
    compute=lambda volume, uplift, assisted_cpc, self_service_cpc: (
        volume * uplift * (assisted_cpc - self_service_cpc)
    ),
    formula="{volume} x {uplift} x ({assisted_cpc} - {self_service_cpc})",
    drivers=("self_service_containment", "cost_per_contact"),
    notes=("only self-service sessions that resolved the need count as contained",),
    rules=(
        (
            lambda v: v["self_service_cpc"] <= v["assisted_cpc"],
            "self-service cost per contact is above the assisted cost; check the two are not swapped",
        ),
    ),
    quantities=lambda v: {"volume": v["volume"], "contacts_removed": v["volume"] * v["uplift"]},
)

CHANNEL_SHIFT = Lever(
    id="channel_shift",
    label="contacts moved to cheaper channels",
    category="cost_avoided",
    benefit_class="cost_avoidance",
    args=(
        Arg("volume", "contacts shifted", "count", "contacts"),
        Arg("cost_from", "unit cost of the channel left", "money"),
        Arg("cost_to", "unit cost of the channel taken", "money"),
    ),
    compute=lambda volume, cost_from, cost_to: volume * (cost_from - cost_to),
    formula="{volume} {from_channel} to {to_channel} x ({cost_from} - {cost_to})",
    drivers=("digital_adoption", "cost_per_contact"),
    notes=("public sector: use GDS channel costs where local unit costs are not measured",),
    quantities=lambda v: {"contacts_shifted": v["volume"]},
)

CITIZEN_TIME = Lever(
    id="citizen_time_saved",
    label="citizens' time saved",
    category="citizen_value",
    benefit_class="non_cash",
    args=(
        Arg("contacts", "contacts", "count", "contacts"),
        Arg("minutes_saved", "minutes saved per contact", "minutes"),
        Arg("value_of_hour", "value of an hour of citizens' time", "money"),
    ),
    compute=lambda contacts, minutes_saved, value_of_hour: contacts * minutes_saved / 60 * value_of_hour,
    formula="{contacts} x {minutes_saved} / 60 x {value_of_hour}",
    notes=("social value, not cash: report beside, never inside, the cash return",),
    quantities=lambda v: {"hours_saved": v["contacts"] * v["minutes_saved"] / 60},
)

FCR_REPEATS = Lever(
    id="fcr_repeat_contacts",
    label="repeat contacts avoided through better first-contact resolution",
    category="cost_avoided",
    benefit_class="cost_avoidance",
    args=(
        Arg("volume", "contacts", "count", "contacts"),
        Arg("fcr_uplift", "first-contact resolution uplift", "pts"),
        Arg("repeats_per_unresolved", "extra contacts per unresolved issue", "ratio"),
        Arg("cost_per_contact", "cost per contact", "money"),
    ),
    compute=lambda volume, fcr_uplift, repeats_per_unresolved, cost_per_contact: (
        volume * fcr_uplift * repeats_per_unresolved * cost_per_contact
    ),
    formula="{volume} x {fcr_uplift} x {repeats_per_unresolved} x {cost_per_contact}",
    drivers=("first_contact_resolution", "repeat_contact_rate"),
    notes=("measure the extra contacts per unresolved issue locally; about 1.5 is a common starting point",),
    quantities=lambda v: {
        "volume": v["volume"],
        "contacts_removed": v["volume"] * v["fcr_uplift"] * v["repeats_per_unresolved"],
    },
)

FCR_REVENUE = Lever(
    id="fcr_revenue_protected",
    label="revenue protected by resolving issues first time",
    category="revenue_protected",
    benefit_class="non_cash",
    args=(
        Arg("issues", "unique issues", "count", "issues"),
        Arg("fcr_uplift", "first-contact resolution uplift", "pts"),
        Arg("risk_unresolved", "share of customers at risk when unresolved", "share"),
        Arg("risk_resolved", "share of customers at risk when resolved", "share"),
        Arg("clv", "customer lifetime value (margin)", "money"),
    ),
    compute=lambda issues, fcr_uplift, risk_unresolved, risk_resolved, clv: (
        issues * fcr_uplift * (risk_unresolved - risk_resolved) * clv
    ),
    formula="{issues} x {fcr_uplift} x ({risk_unresolved} - {risk_resolved}) x {clv}",
    drivers=("first_contact_resolution",),
    notes=(_MARGIN_NOTE, "counts each issue once; a customer with several issues is at risk only once"),
    correlation="resolution and loyalty are correlated (SQM: 34% of unresolved vs 3% of resolved customers "
    "at risk), not shown to be cause and effect",
    rules=(
        (
            lambda v: v["risk_resolved"] <= v["risk_unresolved"],
            "risk when resolved is above risk when unresolved; check the two are not swapped",
        ),
    ),
    quantities=lambda v: {
        "issues_resolved": v["issues"] * v["fcr_uplift"],
        "customers_kept": v["issues"] * v["fcr_uplift"] * (v["risk_unresolved"] - v["risk_resolved"]),
    },
)

_CAPACITY_ARGS = (
    Arg("occupancy", "occupancy", "share", bounds=_OCCUPANCY),
    Arg("shrinkage", "shrinkage", "share", bounds=_SHRINKAGE),
    Arg("paid_hours_per_fte", "paid hours a year per FTE", "hours", bounds=_PAID_HOURS),
    Arg("loaded_fte_cost", "fully loaded cost of an FTE a year", "money"),
)
_CAPACITY_TEXT = " / 3600 / {occupancy} / (1 - {shrinkage}) / {paid_hours_per_fte} x {loaded_fte_cost}"


def _hours(capacity: Mapping[str, float]) -> dict[str, float]:
    return {k: capacity[k] for k in ("occupancy", "shrinkage", "paid_hours_per_fte")}


def _fte(seconds: float, occupancy: float, shrinkage: float, paid_hours_per_fte: float) -> float:
    return seconds / 3600 / occupancy / (1 - shrinkage) / paid_hours_per_fte


AHT_CAPACITY = Lever(
    id="aht_capacity",
    label="agent capacity released by shorter handling",
    category="capacity_released",
    benefit_class="capacity_released",
    args=(
        Arg("volume", "contacts", "count", "contacts"),
        Arg("aht_saved", "handle time saved per contact", "seconds"),
        *_CAPACITY_ARGS,
    ),
    compute=lambda volume, aht_saved, occupancy, shrinkage, paid_hours_per_fte, loaded_fte_cost: (
        _fte(volume * aht_saved, occupancy, shrinkage, paid_hours_per_fte) * loaded_fte_cost
    ),
    formula="{volume} x {aht_saved}" + _CAPACITY_TEXT,
    drivers=("average_handle_time",),
    notes=(_CAPACITY_NOTE, "shorter handling is value only while resolution and quality hold"),
    quantities=lambda v: {
        "volume": v["volume"],
        "contacts_removed": 0.0,
        "hours_saved": v["volume"] * v["aht_saved"] / 3600,
        "fte_released": _fte(
            v["volume"] * v["aht_saved"], v["occupancy"], v["shrinkage"], v["paid_hours_per_fte"]
        ),
    },
)

AHT_CAPACITY_NET = Lever(
    id="aht_capacity",
    label=AHT_CAPACITY.label,
    category="capacity_released",
    benefit_class="capacity_released",
    args=(
        *AHT_CAPACITY.args[:2],
        Arg("extra_repeat_contacts", "extra repeat contacts since resolution fell", "count", "contacts"),
        Arg("aht_after", "handle time per contact after", "seconds"),
        *_CAPACITY_ARGS,
    ),
    compute=lambda volume, aht_saved, extra_repeat_contacts, aht_after, **capacity: (
        _fte(volume * aht_saved - extra_repeat_contacts * aht_after, **_hours(capacity))
        * capacity["loaded_fte_cost"]
    ),
    formula="({volume} x {aht_saved} - {extra_repeat_contacts} x {aht_after})" + _CAPACITY_TEXT,
    drivers=("average_handle_time", "first_contact_resolution"),
    notes=(*AHT_CAPACITY.notes, "net of the handling time of extra repeat contacts, because resolution fell"),
    quantities=lambda v: {
        "volume": v["volume"],
        "contacts_removed": 0.0,
        "hours_saved": (v["volume"] * v["aht_saved"] - v["extra_repeat_contacts"] * v["aht_after"]) / 3600,
        "fte_released": _fte(
            v["volume"] * v["aht_saved"] - v["extra_repeat_contacts"] * v["aht_after"],
            v["occupancy"],
            v["shrinkage"],
            v["paid_hours_per_fte"],
        ),
    },
)

ATTRITION = Lever(
    id="attrition",
    label="hiring and training cost avoided through lower agent attrition",
    category="cost_avoided",
    benefit_class="cost_avoidance",
    args=(
        Arg("headcount", "agents", "count", "agents"),
        Arg("attrition_reduction", "attrition reduction", "pts"),
        Arg("cost_per_attrit", "cost per leaver replaced", "money"),
    ),
    compute=lambda headcount, attrition_reduction, cost_per_attrit: (
        headcount * attrition_reduction * cost_per_attrit
    ),
    formula="{headcount} x {attrition_reduction} x {cost_per_attrit}",
    drivers=("agent_attrition",),
    quantities=lambda v: {"leavers_avoided": v["headcount"] * v["attrition_reduction"]},
)

RETENTION_SAVES = Lever(
    id="retention_saves",
    label="revenue protected by retention saves",
    category="revenue_protected",
    benefit_class="non_cash",
    args=(
        Arg("saves", "customers saved", "count", "saves"),
        Arg("durability", "share of saves still customers a year on", "share"),
        Arg("remaining_clv", "remaining customer lifetime value (margin)", "money"),
        Arg("offer_cost", "cost of the retention offer per save", "money"),
    ),
    compute=lambda saves, durability, remaining_clv, offer_cost: (
        saves * durability * remaining_clv - saves * offer_cost
    ),
    formula="{saves} x {durability} x {remaining_clv} - {saves} x {offer_cost}",
    drivers=(),
    notes=(_MARGIN_NOTE,),
    quantities=lambda v: {"customers_kept": v["saves"] * v["durability"]},
)

CHURN_CLV = Lever(
    id="churn_clv",
    label="customer lifetime value kept through lower churn",
    category="customer_lifetime_value",
    benefit_class="non_cash",
    args=(
        Arg("customers", "customers", "count", "customers"),
        Arg("churn_reduction", "churn reduction", "pts"),
        Arg("annual_margin", "margin per customer a year", "money"),
        Arg("retention_rate", "retention rate", "share", bounds=_RETENTION),
        Arg("discount_rate", "discount rate", "rate"),
    ),
    compute=lambda customers, churn_reduction, annual_margin, retention_rate, discount_rate: (
        customers * churn_reduction * customer_lifetime_value(annual_margin, retention_rate, discount_rate)
    ),
    formula="{customers} x {churn_reduction} x {annual_margin} x {retention_rate} / "
    "(1 + {discount_rate} - {retention_rate})",
    drivers=(),
    notes=(_MARGIN_NOTE,),
    correlation="a fall in churn is linked to the contact centre by correlation; other causes are not "
    "ruled out",
    quantities=lambda v: {
        "customers_kept": v["customers"] * v["churn_reduction"],
        "clv": customer_lifetime_value(v["annual_margin"], v["retention_rate"], v["discount_rate"]),
    },
)

COMPLAINTS = Lever(
    id="complaints_risk",
    label="complaint handling and redress risk reduced",
    category="risk_reduced",
    benefit_class="cost_avoidance",
    args=(
        Arg("complaints_avoided", "complaints avoided", "count", "complaints"),
        Arg("handling_cost", "cost of handling a complaint", "money"),
        Arg("referral_rate", "share referred to the ombudsman", "share"),
        Arg("case_fee", "ombudsman case fee", "money"),
        Arg("uphold_rate", "share of referrals upheld", "share"),
        Arg("redress", "redress per upheld case", "money"),
    ),
    compute=lambda complaints_avoided, handling_cost, referral_rate, case_fee, uphold_rate, redress: (
        complaints_avoided * (handling_cost + referral_rate * (case_fee + uphold_rate * redress))
    ),
    formula="{complaints_avoided} x ({handling_cost} + {referral_rate} x ({case_fee} + {uphold_rate} x "
    "{redress}))",
    drivers=("complaints", "complaint_rate"),
    notes=("check the ombudsman's current case fees",),
)

SLA_PENALTIES = Lever(
    id="sla_penalties",
    label="contract penalties avoided by meeting service levels",
    category="penalties_avoided",
    benefit_class="cash_saving",
    args=(
        Arg("penalty_per_point", "penalty per point of shortfall", "money"),
        Arg("shortfall_avoided", "shortfall avoided", "pts"),
        Arg("periods", "measurement periods a year", "count", "periods"),
    ),
    # The shortfall is a fraction (0.02) and the penalty is per percentage point, hence x 100.
    compute=lambda penalty_per_point, shortfall_avoided, periods: (
        penalty_per_point * shortfall_avoided * 100 * periods
    ),
    formula="{metric}: {penalty_per_point} per pt x {shortfall_avoided} x {periods}",
    drivers=("service_level",),
    notes=("check the contract's penalty schedule and any cap",),
)

DOWNTIME = Lever(
    id="downtime_avoided",
    label="downtime cost avoided through resilience",
    category="resilience",
    benefit_class="cost_avoidance",
    args=(
        Arg("outage_hours_avoided", "outage hours avoided", "hours"),
        Arg("idle_agents", "agents idle during an outage", "count", "agents"),
        Arg("hourly_cost", "loaded cost of an agent hour", "money"),
        Arg("lost_revenue_per_hour", "revenue lost per outage hour", "money"),
    ),
    compute=lambda outage_hours_avoided, idle_agents, hourly_cost, lost_revenue_per_hour: (
        outage_hours_avoided * (idle_agents * hourly_cost + lost_revenue_per_hour)
    ),
    formula="{outage_hours_avoided} x ({idle_agents} x {hourly_cost} + {lost_revenue_per_hour})",
    notes=("outage hours avoided rest on an assumed outage frequency; state it",),
)
