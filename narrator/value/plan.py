"""Lever plans: which built-in levers narrator computes for a pack, on what basis, from which inputs.

The ``levers:`` list of an assumptions file::

    levers:
      - lever: containment        # a built-in lever (see SOURCES)
        id: self_service          # the value item's id; default: the lever's id
        basis: observed           # observed: this year's KPI movement (value delivered);
                                  # planned: the uplift a parameter states (value the investment unlocks)
        inputs:                   # optional: where an input comes from, overriding the default
          assisted_cpc: phone_cpc #   a parameter of the same file, or kpi:<id> (latest value),
                                  #   kpi:<id>:change (latest vs a year earlier),
                                  #   kpi:<id>:annual (sum over a year)

Levers that act on the same contacts (containment, fcr_repeat_contacts, aht_capacity) are applied one
after another, in the order listed, on the volume the earlier ones leave.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError

VOLUME = "volume"
"""The annual contact volume from the KPI data (contacts offered, else contacts handled)."""


@dataclass(frozen=True)
class Movement:
    """An input that is a KPI's movement: observed in the data, or a planned uplift from a parameter."""

    kpi: str
    sign: int
    """+1 when a rise is the improvement (FCR), -1 when a fall is (attrition, handle time)."""
    parameter: str
    """The parameter holding the planned improvement."""


@dataclass(frozen=True)
class Either:
    """A parameter by this name, else the KPI's latest value in the data."""

    parameter: str
    kpi: str


Source = str | Movement | Either
"""Where one lever input comes from by default: VOLUME, a parameter name, a Movement or an Either."""

SOURCES: dict[str, dict[str, Source]] = {
    "containment": {
        "volume": VOLUME,
        "uplift": Movement("self_service_containment", 1, "containment_uplift"),
        "assisted_cpc": "assisted_cpc",
        "self_service_cpc": "self_service_cpc",
    },
    "fcr_repeat_contacts": {
        "volume": VOLUME,
        "fcr_uplift": Movement("first_contact_resolution", 1, "fcr_uplift"),
        "repeats_per_unresolved": "repeats_per_unresolved",
        "cost_per_contact": Either("cost_per_contact", "cost_per_contact"),
    },
    "aht_capacity": {
        "volume": VOLUME,
        "aht_saved": Movement("average_handle_time", -1, "aht_saved"),
        "occupancy": Either("occupancy", "occupancy"),
        "shrinkage": Either("shrinkage", "shrinkage"),
        "paid_hours_per_fte": "paid_hours_per_fte",
        "loaded_fte_cost": "loaded_fte_cost",
    },
    "attrition": {
        "headcount": Either("headcount", "agents_fte"),
        "attrition_reduction": Movement("agent_attrition", -1, "attrition_reduction"),
        "cost_per_attrit": "cost_per_attrit",
    },
    "fcr_revenue_protected": {
        "issues": VOLUME,
        "fcr_uplift": Movement("first_contact_resolution", 1, "fcr_uplift"),
        "risk_unresolved": "risk_unresolved",
        "risk_resolved": "risk_resolved",
        "clv": "clv",
    },
    "citizen_time_saved": {n: n for n in ("contacts", "minutes_saved", "value_of_hour")},
    "retention_saves": {n: n for n in ("saves", "durability", "remaining_clv", "offer_cost")},
    "churn_clv": {
        n: n for n in ("customers", "churn_reduction", "annual_margin", "retention_rate", "discount_rate")
    },
    "complaints_risk": {
        n: n
        for n in (
            "complaints_avoided",
            "handling_cost",
            "referral_rate",
            "case_fee",
            "uphold_rate",
            "redress",
        )
    },
    "downtime_avoided": {
        n: n for n in ("outage_hours_avoided", "idle_agents", "hourly_cost", "lost_revenue_per_hour")
    },
}
"""Every lever narrator computes from a plan, with the default source of each input."""

SEQUENCED = ("containment", "fcr_repeat_contacts", "aht_capacity")
"""Levers that act on the contact volume and so are applied one after another on what is left."""

_REFERENCE = re.compile(
    r"^(?:kpi:(?P<kpi>[a-z][a-z0-9_]*)(?::(?P<measure>change|annual|latest))?|(?P<param>[a-z][a-z0-9_]*))$"
)


class LeverSpec(BaseModel):
    """One lever narrator computes: the built-in lever, its item id and label, basis and input sources."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    lever: str
    """The built-in lever: containment, fcr_repeat_contacts, aht_capacity, attrition, ... (see SOURCES)."""
    id: str | None = Field(None, pattern=r"^[a-z][a-z0-9_]*$")
    """The value item's id (what the investment ask links to); default: the lever's id."""
    label: str | None = None
    """How the value item is named in text; default: the lever's own label."""
    basis: Literal["observed", "planned"] = "planned"
    """observed: the KPI's movement over the year in the data (value delivered, realised); planned: the
    improvement a parameter states (value the investment would unlock)."""
    inputs: dict[str, str] = Field(default_factory=dict)
    """Input name -> a parameter name, kpi:<id>, kpi:<id>:change or kpi:<id>:annual."""

    @property
    def item_id(self) -> str:
        return self.id or self.lever


def parse_levers(
    data: Any, file: str, parameters: Mapping[str, object]
) -> tuple[tuple[LeverSpec, ...], list[str]]:
    """The lever plans of an assumptions file and every problem with them, one line each."""
    if data is None:
        return (), []
    if not isinstance(data, list):
        return (), [f"{file}: levers: expected a list of levers, each with lever: and basis:"]
    problems: list[str] = []
    specs: list[LeverSpec] = []
    seen: dict[str, int] = {}
    for i, raw in enumerate(data):
        where = f"{file}: levers[{i}]"
        if not isinstance(raw, Mapping):
            problems.append(
                f"{where}: expected a mapping with lever:, basis: and optionally id:, label:, inputs:"
            )
            continue
        try:
            spec = LeverSpec.model_validate(raw)
        except ValidationError as error:
            for item in error.errors():
                key = ".".join(map(str, item.get("loc", ()))) or "(top level)"
                message = (
                    "unknown key; allowed keys: lever, id, label, basis, inputs"
                    if item.get("type") == "extra_forbidden"
                    else item.get("msg", "invalid value")
                )
                problems.append(f"{where}.{key}: {message}")
            continue
        where = f"{where} ({spec.lever})"
        sources = SOURCES.get(spec.lever)
        if sources is None:
            problems.append(
                f"{where}: lever: unknown lever; narrator computes {', '.join(SOURCES)} "
                "(give channel shift and SLA penalties as value items in inputs.values)"
            )
            continue
        if spec.basis == "observed" and not any(isinstance(s, Movement) for s in sources.values()):
            problems.append(
                f"{where}: basis: observed needs a KPI movement, and {spec.lever} has none; "
                "use basis: planned"
            )
        for name, reference in spec.inputs.items():
            if name not in sources:
                problems.append(
                    f"{where}: inputs.{name}: {spec.lever} has no such input; its inputs are "
                    f"{', '.join(sources)}"
                )
                continue
            match = _REFERENCE.match(reference)
            if match is None:
                problems.append(
                    f"{where}: inputs.{name}: cannot read {reference!r}; give a parameter name, kpi:<id>, "
                    "kpi:<id>:change or kpi:<id>:annual"
                )
            elif match["param"] and match["param"] not in parameters:
                problems.append(
                    f"{where}: inputs.{name}: no parameter {match['param']!r} in this file; add it under "
                    "parameters with value, unit, source, year and grade"
                )
        if spec.item_id in seen:
            problems.append(
                f"{where}: id {spec.item_id!r} is already used by levers[{seen[spec.item_id]}]; give each "
                "lever its own id:"
            )
        seen[spec.item_id] = i
        specs.append(spec)
    return tuple(specs), problems
