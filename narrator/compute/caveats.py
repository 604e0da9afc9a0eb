"""Caveats: what a reader must know before relying on the figures, as facts (no wording here).

The domain's honesty rule: say when a link is a correlation, when a survey sample is small, where a
benchmark comes from and how old it is, and where the data has gaps. Each ``Caveat`` names its kind
and the facts it rests on; tell/phrases.py words it and the storyline's caveats section states it.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field

from narrator.compute.facts import Fact, FactBook
from narrator.compute.kpi_facts import KpiSeries, PeriodFrame
from narrator.compute.value_facts import ValueFacts

SURVEY_KPIS = ("csat", "nps", "customer_effort", "csat_score")
RESPONSE_IDS = re.compile(r"^(survey_)?(responses|respondents)$|^(csat|nps|survey)_(responses|respondents|count)$")
SMALL_SAMPLE = 400
"""Below this many responses a satisfaction share moves by more than about 5 points on sampling alone."""
OLD_SOURCE_YEARS = 4
"""A benchmark or parameter this many years older than the reporting period is worth a caveat."""


def is_indicative(item) -> bool:
    """Marked indicative, or resting on a grade-C benchmark or a correlation by its own account."""
    words = " ".join([item.source, *item.assumptions]).lower()
    return item.indicative or "indicative" in words or "grade c" in words or "correlat" in words


@dataclass(frozen=True)
class Caveat:
    kind: str  # indicative_lever, survey_sample, survey_no_count, benchmark_grade, benchmark_unsourced, data_gap
    facts: dict[str, Fact] = field(default_factory=dict)
    kpi: str | None = None
    detail: str = ""  # for a parameter: "secondary" (grade C) or "dated" (old)


def find_caveats(
    series: dict[str, KpiSeries],
    kpis: dict[str, dict],
    frame: PeriodFrame,
    value: ValueFacts,
    indicative: set[str],
    parameters: dict,
    segments: dict[str, dict[str, KpiSeries]],
    book: FactBook,
) -> tuple[Caveat, ...]:
    """Every caveat of the pack, in the order a methodology note would give them."""
    found: list[Caveat] = []
    for item_facts in value.items:
        if item_facts.item.id in indicative:
            found.append(Caveat("indicative_lever", {"label": book.get(f"value.{item_facts.item.id}.label"),
                                                     "amount": item_facts.amount}))
    found += _surveys(kpis, series, frame, book)
    found += _sources(parameters, frame, book)
    if any(facts.get("benchmark") is not None for facts in kpis.values()):
        found.append(Caveat("benchmark_unsourced", {"file": book.get("source.kpis")} if "source.kpis" in book
                            else {}))
    found += _gaps(series, kpis, frame, segments, book)
    return tuple(found)


def _surveys(kpis, series, frame: PeriodFrame, book: FactBook) -> list[Caveat]:
    responses_id = next((k for k in sorted(series) if RESPONSE_IDS.match(k)), None)
    out = []
    for kpi_id in SURVEY_KPIS:
        facts = kpis.get(kpi_id)
        if not facts or facts.get("latest") is None:
            continue
        if responses_id is None or series[responses_id].values.get(frame.current) is None:
            out.append(Caveat("survey_no_count", {"latest": facts["latest"]}, kpi=kpi_id))
            continue
        count = series[responses_id].values[frame.current]
        responses = book.get(f"kpi.{responses_id}.latest")
        found = {"latest": facts["latest"], "responses": responses}
        share = facts["latest"].value
        if series[kpi_id].kpi.unit == "percent" and 0 < share < 1 and count > 0:
            margin = 1.96 * math.sqrt(share * (1 - share) / count)
            found["margin"] = book.add(Fact(
                id=f"kpi.{kpi_id}.margin", label=f"{series[kpi_id].kpi.label}, 95% margin of error", value=margin,
                unit="pp", derivation=f"1.96 x sqrt(p(1-p)/n) with p = {kpi_id} latest, n = {responses_id} latest",
                sources=responses.sources,
            ))
        out.append(Caveat("survey_sample" if count < SMALL_SAMPLE else "survey_count", found, kpi=kpi_id))
    return out


def _sources(parameters: dict, frame: PeriodFrame, book: FactBook) -> list[Caveat]:
    """Parameters graded C (vendor or secondary) or old: their source and year, stated."""
    out = []
    for name, parameter in sorted(parameters.items()):
        old = frame.current.year - parameter.year >= OLD_SOURCE_YEARS
        if parameter.grade != "C" and not old:
            continue
        base = f"caveat.parameter.{name}"
        out.append(Caveat("benchmark_grade", {
            "source": book.add(Fact(id=f"{base}.source", label=f"source of {name}", value=parameter.source,
                                    unit="text")),
            "year": book.add(Fact(id=f"{base}.year", label=f"year of {name}", value=str(parameter.year),
                                  unit="text")),
            "grade": book.add(Fact(id=f"{base}.grade", label=f"grade of {name}", value=parameter.grade, unit="text")),
        }, detail="secondary" if parameter.grade == "C" else "dated"))
    return out


def _gaps(series, kpis, frame: PeriodFrame, segments, book: FactBook) -> list[Caveat]:
    """Months of the trend window a KPI has no value for, and segments missing from the reporting period."""
    out = []
    for kpi_id, s in sorted(series.items()):
        if kpis.get(kpi_id, {}).get("latest") is None:
            continue
        missing = [p for p in frame.trend if s.values.get(p) is None]
        if missing:
            count = book.add(Fact(id=f"kpi.{kpi_id}.missing_periods", label=f"{s.kpi.label}, periods without data",
                                  value=len(missing), unit="count", derivation=", ".join(p.key() for p in missing)))
            out.append(Caveat("data_gap", {"missing": count}, kpi=kpi_id))
    seen = set()
    for kpi_id, by_segment in sorted(segments.items()):
        for name, s in sorted(by_segment.items()):
            if name in seen or s.values.get(frame.current) is not None:
                continue
            if any(s.values.get(p) is not None for p in frame.trend):
                seen.add(name)
                fact_id = f"segment.{re.sub(r'[^a-z0-9]+', '_', name.lower()).strip('_')}.name"
                if fact_id not in book:
                    book.add(Fact(id=fact_id, label="segment", value=name, unit="text"))
                out.append(Caveat("segment_gap", {"segment": book.get(fact_id)}, kpi=kpi_id))
    return out
