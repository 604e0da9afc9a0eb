"""The standard contact-centre KPI catalogue: unit, favourable direction, additivity, and aliases."""

from __future__ import annotations

import difflib
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
        ["offered", "calls offered", "volume", "contacts", "calls", "calls presented", "incoming calls",
         "calls received", "contacts received", "contacts offered", "calls in", "received"],
        "contacts that reached the centre",
    ),
    _kpi(
        "contacts_handled",
        "contacts handled",
        "count",
        "up",
        True,
        None,
        ["handled", "answered", "calls answered", "calls handled", "answered calls", "handled calls",
         "contacts answered", "acd calls", "contacts handled incoming"],
        "contacts an agent handled",
    ),
    _kpi(
        "contacts_abandoned",
        "contacts abandoned",
        "count",
        "down",
        True,
        None,
        ["abandoned", "calls abandoned", "abandoned calls", "abandoned contacts", "abandons", "aban calls",
         "total abandon"],
        "contacts that ended before an agent answered",
    ),
    _kpi(
        "answered_within_threshold",
        "contacts answered within the threshold",
        "count",
        "up",
        True,
        None,
        ["answered within threshold", "answered within sl", "handled within sl", "calls answered within sl"],
        "contacts answered within the service-level threshold (inputs.kpis.threshold_seconds)",
    ),
    _kpi(
        "service_level",
        "service level",
        "percent",
        "up",
        False,
        "contacts_offered",
        ["sl", "service level %", "sla", "grade of service", "% within service level", "pct in svc level"],
        "contacts answered within the threshold / contacts offered",
    ),
    _kpi(
        "average_speed_of_answer",
        "average speed of answer",
        "seconds",
        "down",
        False,
        "contacts_handled",
        ["asa", "speed of answer", "avg speed of answer", "answer speed", "avg speed ans", "speed to answer",
         "average queue answer time", "avg answer time", "average time to answer",
         "average speedof answer", "avg speedof answer"],
        "queue wait of answered contacts / answered",
    ),
    _kpi(
        "abandonment_rate",
        "abandonment rate",
        "percent",
        "down",
        False,
        "contacts_offered",
        ["abandon rate", "abandoned %", "abandonment", "abandon %", "% abandoned", "abandonment %",
         "abandoned rate", "% aban calls", "aban rate"],
        "abandoned contacts / contacts offered",
    ),
    _kpi(
        "answer_rate",
        "answer rate",
        "percent",
        "up",
        False,
        "contacts_offered",
        ["answered %", "answer %", "% answered"],
        "answered contacts / contacts offered",
    ),
    _kpi(
        "average_wait_time",
        "average wait time",
        "seconds",
        "down",
        False,
        "contacts_offered",
        ["waiting time", "wait time", "avg wait", "average wait", "avg queue time", "average queue time",
         "queue time"],
        "queue wait of all contacts offered / offered",
    ),
    _kpi(
        "average_hold_time",
        "average hold time",
        "seconds",
        "down",
        False,
        "contacts_handled",
        ["hold time", "avg hold", "average customer hold time", "avg hold time"],
        "hold time of handled contacts / handled",
    ),
    _kpi(
        "average_abandon_time",
        "average time to abandon",
        "seconds",
        "down",
        False,
        "contacts_abandoned",
        ["avg time to abandon", "avg aban time", "average queue abandon time", "abandon time",
         "average abandon"],
        "time abandoned contacts waited / abandoned",
    ),
    _kpi(
        "average_handle_time",
        "average handle time",
        "seconds",
        "down",
        False,
        "contacts_handled",
        ["aht", "handle time", "avg handle time", "average handling time"],
        "(talk + hold + after-call work) / handled",
    ),
    _kpi(
        "average_talk_time",
        "average talk time",
        "seconds",
        "down",
        False,
        "contacts_handled",
        ["talk time", "avg talk duration", "avgtalkduration", "talk duration", "avg talk", "average talk"],
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


# Unit and aggregation words exports add to a header: "Calls presented (count)", "ASA (sec)", "AHT_ms",
# "Talk Duration (AVG)". They say how a value is written, not which KPI it is.
_SUFFIX = re.compile(
    r"_(?:ms|s|sec|secs|seconds|min|mins|minutes|hours|hrs|hh_mm_ss|count|counts|cnt|num|number|no|pct|percent|"
    r"avg|average|mean|total|sum|%|000s?|k|m|gbp|usd|eur)$"
)


_SECONDS = r"\(?\s*(\d+)\s*(?:s|sec|secs|seconds)?\s*\)?\s*%?"
_THRESHOLD_HEADERS = (
    (re.compile(rf"^(?:service level|sl|% within service level|service level %)\s*{_SECONDS}$"), "service_level"),
    (re.compile(r"(?:answered|handled|answ)\w*\s+(?:in\s+|within\s+|<\s*)?\(?(\d+)\s*(?:s|sec|secs|seconds)\b"),
     "answered_within_threshold"),
    (re.compile(r"abandon\w*\s+(?:in\s+|within\s+|<\s*)?\(?(\d+)\s*(?:s|sec|secs|seconds)\b"), "abandoned"),
)


def threshold_column(header: str) -> tuple[str, int] | None:
    """(KPI id, seconds) for a header that names a count or rate at a threshold: "Service level 60
    seconds", "Service Level (20 Seconds)", "Contacts answered in 60 seconds", "Calls Answ <30 secs".
    Abandoned-within counts come back as ("abandoned", seconds): short abandons, which no KPI reads."""
    text = re.sub(r"[_\s]+", " ", header.strip().lower())
    for pattern, kpi_id in _THRESHOLD_HEADERS:
        match = pattern.search(text)
        if match:
            if kpi_id == "answered_within_threshold" and re.search(r"%|percent|pct|\brate\b", text):
                kpi_id = "service_level"  # "Answered within 30s %" is the rate, not the count
            return kpi_id, int(match[1])
    return None


def fold_header(name: str) -> str:
    """A header folded for matching: case, spaces, underscores, camel case, brackets and unit suffixes
    gone, so "CallsPresented", "Calls_Presented" and "Calls presented (count)" all read calls_presented."""
    text = re.sub(r"(?<=[a-z])(?=[A-Z])", " ", name.strip())
    text = re.sub(r"[£$€]", " ", text)
    folded = normalise_name(text.replace("(", " ").replace(")", " "))
    while True:
        shorter = _SUFFIX.sub("", folded)
        if shorter == folded or not shorter:
            return folded
        folded = shorter


class Catalogue:
    """The KPIs a run knows: the standard set plus the config's custom KPIs and overrides."""

    def __init__(self, kpis: tuple[KpiDef, ...]):
        self._by_id = {k.id: k for k in kpis}
        self._by_name: dict[str, str] = {}
        self._by_folded: dict[str, str] = {}
        for kpi in kpis:
            for name in (kpi.id, kpi.label, *kpi.aliases):
                self._by_name.setdefault(normalise_name(name), kpi.id)
                self._by_folded.setdefault(fold_header(name), kpi.id)

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
        if kpi_id is None:
            kpi_id = self._by_folded.get(fold_header(name))
        return self._by_id.get(kpi_id) if kpi_id else None

    def closest(self, name: str, count: int = 3) -> list[str]:
        """The catalogue ids nearest to ``name`` ("Contacts answered" -> contacts_handled, ...), best
        first: by spelling of ids, labels and aliases, then by shared words."""
        folded = fold_header(name)
        names = list(self._by_folded)
        ids: list[str] = []
        for match in difflib.get_close_matches(folded, names, n=12, cutoff=0.6):
            if self._by_folded[match] not in ids:
                ids.append(self._by_folded[match])
        words = set(folded.split("_")) - {"of", "the", "in", "to", "a", "and", "per", "avg", "average"}
        scored = sorted(
            ((len(words & set(n.split("_"))), self._by_folded[n]) for n in names if words & set(n.split("_"))),
            key=lambda pair: -pair[0],
        )
        for _, kpi_id in scored:
            if kpi_id not in ids:
                ids.append(kpi_id)
        return ids[:count]

    def hint(self, name: str) -> str:
        """"the closest catalogue ids are a, b, c" for a name that matches none (or a pointer to the list)."""
        near = self.closest(name)
        if near:
            return f"the closest catalogue ids are {', '.join(near)}"
        return "see narrator kpis for the catalogue"

    def __contains__(self, kpi_id: object) -> bool:
        return kpi_id in self._by_id

    def __iter__(self):
        return iter(self._by_id.values())


def describe_kpi(kpi: KpiDef) -> dict:
    """One KPI as `narrator kpis` shows it (and `--json` gives it): every field a config author needs."""
    return {
        "id": kpi.id,
        "label": kpi.label,
        "unit": kpi.unit,
        "favourable": "higher" if kpi.direction == "up" else "lower",
        "combine": "sum" if kpi.additive else f"weighted by {kpi.weight}" if kpi.weight else "mean",
        "aliases": list(kpi.aliases),
        "definition": kpi.definition,
    }


def check_kpi_references(config, catalogue: Catalogue, config_name: str) -> list[str]:
    """Every KPI the config names outside the data mapping, checked against the catalogue: a misspelt
    headline KPI silently dropped the sections that lead with it."""
    problems = []
    for i, kpi_id in enumerate(config.headline_kpis):
        if kpi_id not in catalogue:
            problems.append(f'{config_name}: headline_kpis[{i}]: "{kpi_id}" is not a KPI id; {catalogue.hint(kpi_id)}')
    for kpi_id, spec in config.kpis.items():
        if spec.weight is not None and spec.weight not in catalogue:
            problems.append(
                f'{config_name}: kpis.{kpi_id}.weight: "{spec.weight}" is not a KPI id; {catalogue.hint(spec.weight)}'
            )
    return problems
