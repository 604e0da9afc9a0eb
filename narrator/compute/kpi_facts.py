"""KPI facts: the latest value against prior period, last year, target, benchmark and trend, per KPI."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from narrator.catalogue import Catalogue, KpiDef
from narrator.compute.facts import Fact, FactBook
from narrator.config import Thresholds
from narrator.dataset import Observation
from narrator.periods import Period
from narrator.provenance import Source

TOTAL = None  # the segment key of whole-centre values


@dataclass
class KpiSeries:
    """One KPI's whole-centre values by period, combined across segments where needed."""

    kpi: KpiDef
    values: dict[Period, float | None] = field(default_factory=dict)
    targets: dict[Period, float | None] = field(default_factory=dict)
    benchmarks: dict[Period, float | None] = field(default_factory=dict)
    sources: dict[Period, tuple[Source, ...]] = field(default_factory=dict)
    derivation: str = ""


def combine_segments(observations: list[Observation], catalogue: Catalogue) -> dict[str, KpiSeries]:
    """Whole-centre series per KPI. Where the data gives only segments, additive KPIs are summed and
    rates and averages are weighted by volume, never averaged naively (a 2% channel must not count as
    much as a 60% one)."""
    by_kpi: dict[str, dict] = defaultdict(lambda: defaultdict(list))
    for obs in observations:
        by_kpi[obs.kpi][obs.period].append(obs)

    # Each period's volumes by segment, indexed once: scanning every segment's rows for every segment
    # made combining a thousand sites a million lookups a period, and ten thousand a hundred million.
    volumes: dict[tuple[str, Period], dict] = {}

    def volume(kpi_id: str, period: Period, segment: str) -> float | None:
        index = volumes.get((kpi_id, period))
        if index is None:
            index = volumes[(kpi_id, period)] = {}
            for obs in reversed(by_kpi.get(kpi_id, {}).get(period, [])):
                index[obs.segment] = obs.value  # reversed, so the first row of a segment wins as before
        return index.get(segment)

    result: dict[str, KpiSeries] = {}
    for kpi_id, periods in by_kpi.items():
        kpi = catalogue.get(kpi_id)
        series = KpiSeries(kpi=kpi)
        weight_ids = [w for w in (kpi.weight, "contacts_handled", "contacts_offered") if w and w in by_kpi]
        for period, rows in sorted(periods.items()):
            total = [o for o in rows if o.segment is TOTAL]
            if total:
                obs = total[0]
                series.values[period] = obs.value
                series.targets[period] = obs.target
                series.benchmarks[period] = obs.benchmark
                series.sources[period] = (obs.source,)
                continue
            parts = [o for o in rows if o.value is not None]
            series.sources[period] = tuple(o.source for o in parts)
            series.targets[period] = _first(o.target for o in rows)
            series.benchmarks[period] = _first(o.benchmark for o in rows)
            if not parts:
                series.values[period] = None
            elif kpi.additive:
                series.values[period] = sum(o.value for o in parts)
                series.derivation = "sum of segments"
            else:
                series.values[period], series.derivation = _weighted(parts, weight_ids, period, volume)
        result[kpi_id] = series
    return result


def segment_series(observations: list[Observation], catalogue: Catalogue) -> dict[str, dict[str, KpiSeries]]:
    """Each KPI's own series per segment (channel, site, queue), for per-segment targets and drivers.
    KPIs the data gives for fewer than two segments are left out: there is nothing to compare."""
    by_kpi: dict[str, dict[str, KpiSeries]] = defaultdict(dict)
    for obs in observations:
        if obs.segment is TOTAL:
            continue
        series = by_kpi[obs.kpi].get(obs.segment)
        if series is None:
            series = by_kpi[obs.kpi][obs.segment] = KpiSeries(kpi=catalogue.get(obs.kpi))
        series.values[obs.period] = obs.value
        series.targets[obs.period] = obs.target
        series.benchmarks[obs.period] = obs.benchmark
        series.sources[obs.period] = (obs.source,)
    return {kpi_id: segments for kpi_id, segments in by_kpi.items() if len(segments) >= 2}


def _weighted(parts, weight_ids, period, volume) -> tuple[float, str]:
    for weight_id in weight_ids:
        weights = [volume(weight_id, period, o.segment) for o in parts]
        if all(w is not None and w > 0 for w in weights):
            total_weight = sum(weights)
            value = sum(o.value * w for o, w in zip(parts, weights, strict=True)) / total_weight
            return value, f"average of segments weighted by {weight_id.replace('_', ' ')}"
    return sum(o.value for o in parts) / len(parts), "simple mean of segments (no volume data to weight by)"


def _first(values):
    return next((v for v in values if v is not None), None)


@dataclass(frozen=True)
class PeriodFrame:
    """The periods a pack compares: the reporting period and its reference points."""

    current: Period
    prior: Period
    year_ago: Period
    trend_start: Period
    trend: tuple[Period, ...]


def frame_periods(current: Period, available: list[Period], trend_periods: int) -> PeriodFrame:
    trend = tuple(p for p in available if current.shift(-(trend_periods - 1)) <= p <= current)
    return PeriodFrame(
        current=current,
        prior=current.prior(),
        year_ago=current.same_last_year(),
        trend_start=trend[0] if trend else current,
        trend=trend,
    )


def kpi_facts(
    series: KpiSeries, frame: PeriodFrame, thresholds: Thresholds, book: FactBook
) -> dict[str, Fact | None]:
    """Add the facts of one KPI to the book and return them by short name (latest, vs_prior, ...)."""
    kpi = series.kpi
    base = f"kpi.{kpi.id}"
    unit = kpi.unit
    out: dict[str, Fact | None] = {}

    def level(name: str, value: float | None, period: Period, label: str) -> Fact | None:
        if value is None:
            return None
        return book.add(
            Fact(
                id=f"{base}.{name}",
                label=f"{kpi.label}, {label}",
                value=value,
                unit=unit,
                sources=series.sources.get(period, ()),
                derivation=series.derivation,
            )
        )

    cur = series.values.get(frame.current)
    out["latest"] = level("latest", cur, frame.current, frame.current.key())
    out["prior"] = level("prior", series.values.get(frame.prior), frame.prior, frame.prior.key())
    out["year_ago"] = level(
        "year_ago", series.values.get(frame.year_ago), frame.year_ago, frame.year_ago.key()
    )
    out["trend_start"] = level(
        "trend_start", series.values.get(frame.trend_start), frame.trend_start, frame.trend_start.key()
    )
    out["target"] = level("target", series.targets.get(frame.current), frame.current, "target")
    out["benchmark"] = level("benchmark", series.benchmarks.get(frame.current), frame.current, "benchmark")

    for name, ref in (
        ("vs_prior", out["prior"]),
        ("vs_year_ago", out["year_ago"]),
        ("vs_target", out["target"]),
        ("vs_benchmark", out["benchmark"]),
        ("vs_trend_start", out["trend_start"] if frame.trend_start != frame.current else None),
    ):
        out[name] = _change(kpi, base, name, out["latest"], ref, book)
        out[f"{name}_relative"] = _relative_change(kpi, base, name, out["latest"], ref, book)
        change = out[name]
        out[f"{name}_notable"] = change is not None and _notable(
            kpi, change, out[f"{name}_relative"], thresholds
        )

    for period in frame.trend:
        value = series.values.get(period)
        if value is not None:
            book.add(
                Fact(
                    id=f"{base}.series.{period.key()}",
                    label=f"{kpi.label}, {period.key()}",
                    value=value,
                    unit=unit,
                    sources=series.sources.get(period, ()),
                )
            )
        target = series.targets.get(period)
        if target is not None:
            book.add(
                Fact(
                    id=f"{base}.target_series.{period.key()}",
                    label=f"{kpi.label} target, {period.key()}",
                    value=target,
                    unit=unit,
                    sources=series.sources.get(period, ()),
                )
            )
    return out


def _change(kpi: KpiDef, base: str, name: str, latest: Fact | None, ref: Fact | None, book: FactBook):
    """latest - ref, in points for a percentage KPI and in the KPI's own unit otherwise."""
    if latest is None or ref is None:
        return None
    return _movement(
        kpi, book, f"{base}.{name}", f"{kpi.label}, change {name.replace('_', ' ')}", latest, ref,
        value=latest.value - ref.value, unit="pp" if kpi.unit == "percent" else kpi.unit,
        derivation=f"{latest.id} - {ref.id}",
    )


def _relative_change(kpi: KpiDef, base: str, name: str, latest: Fact | None, ref: Fact | None, book: FactBook):
    """(latest - ref) / ref, as a percentage; none when ref is zero."""
    if latest is None or ref is None or not ref.value:
        return None
    return _movement(
        kpi, book, f"{base}.{name}_relative", f"{kpi.label}, relative change {name.replace('_', ' ')}", latest, ref,
        value=(latest.value - ref.value) / abs(ref.value), unit="percent",
        derivation=f"({latest.id} - {ref.id}) / {ref.id}",
    )


def _movement(kpi: KpiDef, book: FactBook, fact_id: str, label: str, latest: Fact, ref: Fact, *, value: float,
              unit: str, derivation: str) -> Fact:
    """A change fact: which way it moved, and whether that is good news by the KPI's own direction."""
    direction = "flat" if abs(value) < 1e-12 else ("up" if value > 0 else "down")
    return book.add(
        Fact(
            id=fact_id, label=label, value=value, unit=unit, direction=direction,
            favourable=None if direction == "flat" else direction == kpi.direction,
            derivation=derivation, sources=latest.sources + ref.sources,
        )
    )


def _notable(kpi: KpiDef, change: Fact, relative: Fact | None, thresholds: Thresholds) -> bool:
    if kpi.unit == "percent":
        return abs(change.value) >= thresholds.points
    return relative is not None and abs(relative.value) >= thresholds.relative
