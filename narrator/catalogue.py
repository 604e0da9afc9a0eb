"""The standard contact-centre KPI catalogue: unit, favourable direction, additivity, and aliases."""

from __future__ import annotations

import re
from typing import Literal

from pydantic import BaseModel, ConfigDict

from narrator.config import CustomKpi
from narrator.errors import ConfigError

KpiUnit = Literal["percent", "seconds", "money", "count", "score", "ratio", "per_1k", "number"]


class KpiDef(BaseModel):
    """What narrator knows about one KPI."""

    model_config = ConfigDict(frozen=True)

    id: str
    label: str  # lower case, as used mid-sentence: "service level"
    unit: KpiUnit
    direction: Literal["up", "down"]
    additive: bool  # True: segments sum to the total; False: combine as a weighted average
    weight: str | None = None  # KPI whose values weight this one across segments
    aliases: tuple[str, ...] = ()
    definition: str = ""

    @property
    def short_label(self) -> str:
        return self.label


def _kpi(id, label, unit, direction, additive, weight=None, aliases=(), definition=""):
    return KpiDef(
        id=id,
        label=label,
        unit=unit,
        direction=direction,
        additive=additive,
        weight=weight,
        aliases=tuple(aliases),
        definition=definition,
    )


# Weights follow the domain reference: rates over offered contacts weight by offered, quality measures
# of handled contacts by handled.
STANDARD_KPIS: tuple[KpiDef, ...] = (
    _kpi(
        "contacts_offered",
        "contacts offered",
        "count",
        "down",
        True,
        None,
        ["offered", "calls offered", "volume", "contacts", "calls"],
        "contacts that reached the centre",
    ),
    _kpi(
        "contacts_handled",
        "contacts handled",
        "count",
        "up",
        True,
        None,
        ["handled", "answered", "calls answered", "calls handled"],
        "contacts an agent handled",
    ),
    _kpi(
        "service_level",
        "service level",
        "percent",
        "up",
        False,
        "contacts_offered",
        ["sl", "service level %", "sla", "grade of service"],
        "contacts answered within the threshold / contacts offered",
    ),
    _kpi(
        "average_speed_of_answer",
        "average speed of answer",
        "seconds",
        "down",
        False,
        "contacts_handled",
        ["asa", "speed of answer", "avg speed of answer"],
        "queue wait of answered contacts / answered",
    ),
    _kpi(
        "abandonment_rate",
        "abandonment rate",
        "percent",
        "down",
        False,
        "contacts_offered",
        ["abandon rate", "abandoned %", "abandonment"],
        "abandoned contacts / contacts offered",
    ),
    _kpi(
        "answer_rate",
        "answer rate",
        "percent",
        "up",
        False,
        "contacts_offered",
        ["answered %"],
        "answered contacts / contacts offered",
    ),
    _kpi(
        "average_handle_time",
        "average handle time",
        "seconds",
        "down",
        False,
        "contacts_handled",
        ["aht", "handle time", "avg handle time"],
        "(talk + hold + after-call work) / handled",
    ),
    _kpi(
        "average_talk_time",
        "average talk time",
        "seconds",
        "down",
        False,
        "contacts_handled",
        ["talk time", "avg talk duration", "avgtalkduration"],
        "talk time / handled",
    ),
    _kpi(
        "occupancy",
        "occupancy",
        "percent",
        "up",
        False,
        "contacts_handled",
        ["occ"],
        "handle time / (handle + idle time)",
    ),
    _kpi("shrinkage", "shrinkage", "percent", "down", False, None, [], "1 - productive hours / paid hours"),
    _kpi(
        "schedule_adherence",
        "schedule adherence",
        "percent",
        "up",
        False,
        None,
        ["adherence"],
        "minutes in adherence / scheduled minutes",
    ),
    _kpi(
        "first_contact_resolution",
        "first-contact resolution",
        "percent",
        "up",
        False,
        "contacts_handled",
        ["fcr", "first call resolution", "resolution rate", "resolved"],
        "resolved first time / unique issues",
    ),
    _kpi(
        "repeat_contact_rate",
        "repeat contact rate",
        "percent",
        "down",
        False,
        "contacts_handled",
        ["repeat rate", "repeats"],
        "repeat contacts within 7 days / contacts",
    ),
    _kpi(
        "csat",
        "customer satisfaction",
        "percent",
        "up",
        False,
        "contacts_handled",
        ["customer satisfaction", "csat %"],
        "share of respondents scoring 4 or 5 of 5",
    ),
    _kpi(
        "csat_score",
        "customer satisfaction score",
        "score",
        "up",
        False,
        "contacts_handled",
        ["satisfaction rating", "satisfaction"],
        "mean satisfaction score",
    ),
    _kpi(
        "nps",
        "net promoter score",
        "number",
        "up",
        False,
        "contacts_handled",
        ["net promoter score"],
        "% promoters - % detractors",
    ),
    _kpi(
        "customer_effort",
        "customer effort score",
        "score",
        "up",
        False,
        "contacts_handled",
        ["ces", "effort score"],
        "mean ease score",
    ),
    _kpi(
        "self_service_containment",
        "self-service containment",
        "percent",
        "up",
        False,
        None,
        ["containment", "containment rate", "ivr containment"],
        "automated sessions ended without an agent / sessions started",
    ),
    _kpi(
        "digital_adoption",
        "digital adoption",
        "percent",
        "up",
        False,
        None,
        ["digital share", "digital %"],
        "digital completions / all completions",
    ),
    _kpi(
        "cost_per_contact",
        "cost per contact",
        "money",
        "down",
        False,
        "contacts_handled",
        ["cpc", "cost/contact"],
        "fully loaded cost / contacts",
    ),
    _kpi(
        "operating_cost",
        "operating cost",
        "money",
        "down",
        True,
        None,
        ["total cost", "cost"],
        "fully loaded cost of the centre in the period",
    ),
    _kpi(
        "agent_attrition",
        "agent attrition",
        "percent",
        "down",
        False,
        None,
        ["attrition", "staff turnover", "attrition rate"],
        "leavers / average headcount, annualised",
    ),
    _kpi(
        "agents_fte",
        "agent FTE",
        "number",
        "up",
        True,
        None,
        ["fte", "headcount", "agents"],
        "full-time-equivalent agents in post",
    ),
    _kpi(
        "complaint_rate",
        "complaint rate",
        "per_1k",
        "down",
        False,
        "contacts_handled",
        ["complaints per 1000", "complaints per 1k"],
        "complaints per 1,000 contacts",
    ),
    _kpi("complaints", "complaints", "count", "down", True, None, [], "complaints received"),
    _kpi(
        "transfer_rate",
        "transfer rate",
        "percent",
        "down",
        False,
        "contacts_handled",
        ["escalation rate", "transfers"],
        "transferred / answered",
    ),
    _kpi(
        "qa_score",
        "quality score",
        "percent",
        "up",
        False,
        "contacts_handled",
        ["qa", "quality score"],
        "points achieved / points possible",
    ),
)


def normalise_name(name: str) -> str:
    """Fold a column or KPI name so "Service Level %" and "service_level" compare equal."""
    return re.sub(r"[^a-z0-9%]+", "_", name.strip().lower()).strip("_")


class Catalogue:
    """The KPIs a run knows: the standard set plus the config's custom KPIs and overrides."""

    def __init__(self, kpis: tuple[KpiDef, ...]):
        self._by_id = {k.id: k for k in kpis}
        self._by_name: dict[str, str] = {}
        for kpi in kpis:
            for name in (kpi.id, kpi.label, *kpi.aliases):
                self._by_name.setdefault(normalise_name(name), kpi.id)

    @classmethod
    def build(cls, custom: dict[str, CustomKpi], config_file: str = "config") -> Catalogue:
        standard = {k.id: k for k in STANDARD_KPIS}
        problems = []
        for kpi_id, spec in custom.items():
            base = standard.get(kpi_id)
            if base is None:
                missing = [f for f in ("unit", "direction") if getattr(spec, f) is None]
                if missing:
                    problems.append(
                        f"{config_file}: kpis.{kpi_id}: a KPI the catalogue does not know needs "
                        f"{' and '.join(missing)}; add e.g. unit: percent, direction: up"
                    )
                    continue
                standard[kpi_id] = KpiDef(
                    id=kpi_id,
                    label=spec.label or kpi_id.replace("_", " "),
                    unit=spec.unit,
                    direction=spec.direction,
                    additive=bool(spec.additive),
                    weight=spec.weight,
                    aliases=tuple(spec.aliases),
                )
            else:
                overrides = {k: v for k, v in spec.model_dump(exclude_none=True).items() if k != "aliases"}
                standard[kpi_id] = base.model_copy(
                    update={**overrides, "aliases": base.aliases + tuple(spec.aliases)}
                )
        if problems:
            raise ConfigError(problems)
        return cls(tuple(standard.values()))

    def get(self, kpi_id: str) -> KpiDef:
        return self._by_id[kpi_id]

    def find(self, name: str) -> KpiDef | None:
        """The KPI a data label refers to ("SL %", "Service level", "service_level"), or None."""
        kpi_id = self._by_name.get(normalise_name(name))
        if kpi_id is None:
            kpi_id = self._by_name.get(normalise_name(name).rstrip("%").rstrip("_"))
        return self._by_id.get(kpi_id) if kpi_id else None

    def __contains__(self, kpi_id: object) -> bool:
        return kpi_id in self._by_id

    def __iter__(self):
        return iter(self._by_id.values())
