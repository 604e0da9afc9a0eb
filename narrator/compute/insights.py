"""Insights: what the data says that a board should hear, as typed facts ranked by materiality.

Each ``Insight`` names its kind (a change on the prior period, a target missed, demand outgrowing
capacity ...), the KPI and segment it is about, the facts it rests on (so every number it leads to is
traceable) and a materiality score. The score weighs the size of the movement against the KPI's
threshold and against the KPI's own month-to-month volatility, the share of volume a segment carries,
and the money a value lever ties to the KPI. The storyline picks what to lead with from this ranking;
templates never decide what matters. No wording here: tell/phrases.py words each kind.
"""

from __future__ import annotations

import math
import re
import statistics
from dataclasses import dataclass, field

from narrator.catalogue import Catalogue, KpiDef
from narrator.compute.facts import Fact, FactBook
from narrator.compute.kpi_facts import KpiSeries, PeriodFrame
from narrator.compute.value_facts import ValueFacts
from narrator.config import Thresholds
from narrator.periods import Period

DEMAND_KPIS = frozenset({"contacts_offered", "contacts_handled"})
"""Volumes are demand, not performance: a rise is neither good nor bad news in itself."""

SERVICE_KPIS = ("service_level", "average_speed_of_answer", "abandonment_rate", "answer_rate")
"""The measures that fall when demand outgrows capacity, most telling first."""

TRADE_OFFS = (
    ("average_handle_time", "first_contact_resolution"),
    ("average_handle_time", "csat"),
    ("cost_per_contact", "csat"),
    ("cost_per_contact", "first_contact_resolution"),
    ("self_service_containment", "csat"),
    ("occupancy", "agent_attrition"),
)
"""(efficiency measure, quality measure) pairs where a gain in the first can be paid for by the second."""

HIDDEN_MISS_SHARE = 0.20
"""A segment carrying this share of volume or more that misses its own target is worth a sentence even
when the whole centre meets its target (issue: a blended figure must not hide a failing channel)."""

KIND_WEIGHT = {
    "demand_capacity": 1.8,
    "hidden_miss": 1.6,
    "target": 1.5,
    "money_at_stake": 1.4,
    "trade_off": 1.3,
    "year_change": 1.2,
    "trend": 1.1,
    "record": 0.9,
    "driver_segment": 0.9,
    "prior_change": 0.8,
}
"""How much each kind matters to a board, other things equal: a miss hidden under a blend outranks a
month-on-month wobble of the same size."""


@dataclass(frozen=True)
class Insight:
    """One thing the data says: its kind, subject, the facts it rests on, and how much it matters."""

    id: str  # "insight.service_level.year_change"
    kind: str  # a key of KIND_WEIGHT
    kpi: str | None
    score: float
    facts: dict[str, Fact] = field(default_factory=dict)  # role -> fact: "change", "latest", "target" ...
    favourable: bool | None = None  # good news by the KPI's own direction; None for demand or mixed news
    segment: str | None = None  # the segment's name, for segment insights
    other_kpi: str | None = None  # the second KPI of a trade-off or a demand-against-capacity pair
    status: str = ""  # kind-specific detail: "missed", "met", "crossed_up", "high", "low", "turned" ...
    comparison: str = ""  # "prior", "year_ago" or "trend_start": what the movement is measured against
    notable: bool = True  # the movement passes the config's threshold (a smaller one is not news)
    non_cash: bool = False  # money at stake that is not cash (revenue protected, CLV, citizen time)

    @property
    def fact_ids(self) -> tuple[str, ...]:
        return tuple(f.id for f in self.facts.values())


@dataclass
class _Scorer:
    thresholds: Thresholds
    headline: tuple[str, ...]
    money_total: float

    def size(self, kpi: KpiDef, change: Fact | None, relative: Fact | None) -> float:
        """The movement as a multiple of the threshold worth a sentence (1.0 = just worth saying)."""
        if change is None:
            return 0.0
        if kpi.unit == "percent":
            return abs(change.value) / self.thresholds.points
        if relative is None:
            return 0.0
        return abs(relative.value) / self.thresholds.relative

    def score(self, kind: str, kpi_id: str | None, size: float, surprise: float = 1.0, share: float = 1.0,
              money: float = 0.0) -> float:
        weight = KIND_WEIGHT[kind]
        # Logarithmic: a movement twice the size matters more, not twice as much, and no cap makes ties.
        magnitude = 0.5 * math.log2(1 + size) + 0.5 * math.log2(1 + surprise)
        if size < 1.0:
            magnitude *= 0.3  # below the threshold a movement is noise, whatever its kind
        value = weight * magnitude * share
        if money and self.money_total:
            value += 3.0 * money / self.money_total
        if kpi_id in self.headline:
            value *= 1.25
        if kpi_id in DEMAND_KPIS and kind in ("prior_change", "year_change", "trend", "record"):
            value *= 0.5  # a volume alone is context; with service falling it is demand_capacity's story
        return round(value, 4)


def find_insights(
    series: dict[str, KpiSeries],
    segments: dict[str, dict[str, KpiSeries]],
    kpis: dict[str, dict],
    frame: PeriodFrame,
    thresholds: Thresholds,
    catalogue: Catalogue,
    value: ValueFacts,
    headline: tuple[str, ...],
    book: FactBook,
    locale: str = "en-GB",
) -> tuple[Insight, ...]:
    """Every insight of the pack, most material first (ties broken by id, so the order is stable)."""
    money_total = sum(f.amount.value for f in value.items)
    scorer = _Scorer(thresholds, tuple(headline), money_total)
    found: list[Insight] = []
    for kpi_id, facts in sorted(kpis.items()):
        if facts.get("latest") is None:
            continue
        kpi = catalogue.get(kpi_id)
        volatility = _volatility(series[kpi_id], frame, thresholds)
        found += _changes(kpi, facts, scorer, volatility, frame)
        found += _target(kpi, facts, series[kpi_id], frame, scorer, book)
        found += _record(kpi, series[kpi_id], frame, scorer, volatility, book)
        found += _trend(kpi, facts, series[kpi_id], frame, scorer, volatility, book, locale)
        if kpi_id in segments:
            found += _segment_insights(kpi, facts, segments, frame, scorer, thresholds, book)
    found += _demand_capacity(kpis, catalogue, scorer)
    found += _trade_offs(kpis, catalogue, scorer)
    found += _money_at_stake(kpis, catalogue, value, scorer, book)
    found.sort(key=lambda i: (-i.score, i.id))
    for rank, insight in enumerate(found, 1):
        book.add(Fact(
            id=f"{insight.id}.rank", label=f"insight: {insight.kind}", value=rank, unit="number",
            derivation=f"materiality {insight.score:g}; rests on " + ", ".join(insight.fact_ids),
        ))
    return tuple(found)


def comparison_of(facts: dict) -> str | None:
    """The longest-run comparison the data allows: a year earlier, else the start of the trend window."""
    if facts.get("vs_year_ago") is not None:
        return "year_ago"
    if facts.get("vs_trend_start") is not None:
        return "trend_start"
    return None


# --- per KPI -------------------------------------------------------------------------------------
def _changes(kpi: KpiDef, facts: dict, scorer: _Scorer, volatility: float | None, frame: PeriodFrame):
    out = []
    for kind, name, steps in (("prior_change", "vs_prior", 1), ("year_change", "vs_year_ago", 12)):
        change = facts.get(name)
        if change is None:
            continue
        size = scorer.size(kpi, change, facts.get(f"{name}_relative"))
        surprise = _surprise(change.value, volatility, steps)
        out.append(Insight(
            id=f"insight.{kpi.id}.{kind}", kind=kind, kpi=kpi.id,
            score=scorer.score(kind, kpi.id, size, surprise),
            facts=_present({"change": change, "relative": facts.get(f"{name}_relative"),
                            "latest": facts["latest"], "reference": facts.get(name[3:])}),
            favourable=None if kpi.id in DEMAND_KPIS else change.favourable,
            comparison=name[3:], notable=size >= 1.0,
        ))
    return out


def _target(kpi, facts, series: KpiSeries, frame: PeriodFrame, scorer: _Scorer, book: FactBook):
    gap = facts.get("vs_target")
    if gap is None or kpi.id in DEMAND_KPIS:
        return []
    met = gap.favourable is not False
    before = _on_target(series, frame.prior)
    status = "met" if met else "missed"
    if before is not None and before != met:
        status = "crossed_up" if met else "crossed_down"
    size = scorer.size(kpi, gap, _relative_gap(gap, facts["target"]))
    weight = 1.0 if not met or status == "crossed_up" else 0.4  # a target kept is good news, told briefly
    return [Insight(
        id=f"insight.{kpi.id}.target", kind="target", kpi=kpi.id,
        score=round(scorer.score("target", kpi.id, max(size, 1.0), 1.0) * weight, 4),
        facts={"gap": gap, "latest": facts["latest"], "target": facts["target"]},
        favourable=met, status=status,
    )]


def _record(kpi, series: KpiSeries, frame: PeriodFrame, scorer, volatility, book: FactBook):
    """The latest value is the highest or lowest of the trend window (six periods at least)."""
    values = [(p, series.values.get(p)) for p in frame.trend if series.values.get(p) is not None]
    if len(values) < 6 or values[-1][0] != frame.current:
        return []
    latest = values[-1][1]
    earlier = [v for _, v in values[:-1]]
    if latest > max(earlier):
        status = "high"
    elif latest < min(earlier):
        status = "low"
    else:
        return []
    base = f"kpi.{kpi.id}"
    periods = book.add(Fact(id=f"{base}.record_periods", label=f"{kpi.label}, periods in the record window",
                            value=len(values), unit="count", derivation=f"periods with data, {frame.trend_start.key()}"
                            f" to {frame.current.key()}"))
    good = (status == "high") == (kpi.direction == "up")
    margin = abs(latest - (max(earlier) if status == "high" else min(earlier)))
    return [Insight(
        id=f"insight.{kpi.id}.record", kind="record", kpi=kpi.id,
        score=scorer.score("record", kpi.id, 1.0, _surprise(margin, volatility, 1)),
        facts={"latest": book.get(f"{base}.latest"), "periods": periods},
        favourable=None if kpi.id in DEMAND_KPIS else good, status=status,
    )]


def _trend(kpi, facts, series: KpiSeries, frame: PeriodFrame, scorer, volatility, book: FactBook, locale: str):
    """Start to end over the window, the run of moves in one direction that ends now, and a turning
    point: the window's extreme, when it lies inside the window and the KPI has since moved back."""
    change = facts.get("vs_trend_start")
    if change is None:
        return []
    points = [(p, series.values[p]) for p in frame.trend if series.values.get(p) is not None]
    if len(points) < 3:
        return []
    base = f"kpi.{kpi.id}"
    run = _run_length(points)
    run_fact = book.add(Fact(id=f"{base}.run_length", label=f"{kpi.label}, periods moving the same way",
                             value=run, unit="count", derivation="consecutive period-on-period moves in one "
                             "direction ending in the reporting period"))
    found = {"change": change, "relative": facts.get("vs_trend_start_relative"), "latest": facts["latest"],
             "start": facts["trend_start"], "run": run_fact}
    status = "steady"
    turn = _turning_point(points, kpi, scorer.thresholds)
    if turn is not None:
        period, _ = turn
        found["turn"] = book.get(f"{base}.series.{period.key()}")
        found["turn_period"] = book.add(Fact(id=f"{base}.turn_period", label=f"{kpi.label}, turning point",
                                             value=period.label(locale), unit="period"))
        back = facts["latest"].value - found["turn"].value
        found["since_turn"] = book.add(Fact(
            id=f"{base}.since_turn", label=f"{kpi.label}, change since the turning point",
            value=back, unit="pp" if kpi.unit == "percent" else kpi.unit,
            direction="flat" if abs(back) < 1e-12 else ("up" if back > 0 else "down"),
            favourable=None if kpi.id in DEMAND_KPIS or abs(back) < 1e-12 else (back > 0) == (kpi.direction == "up"),
            derivation=f"{base}.latest - {found['turn'].id}", sources=found["turn"].sources,
        ))
        status = "turned"
    size = scorer.size(kpi, change, facts.get("vs_trend_start_relative"))
    steps = max(len(points) - 1, 1)
    surprise = _surprise(change.value, volatility, steps)
    if status == "turned":
        # The reversal is the news: its back leg is sized too, and a turn outranks a plain comparison.
        back_size = abs(found["since_turn"].value) / (scorer.thresholds.points if kpi.unit == "percent" else
                                                       max(abs(found["turn"].value), 1e-9) * scorer.thresholds.relative)
        size = max(size, back_size) * 1.5
        surprise = max(surprise, _surprise(found["since_turn"].value, volatility, 1))
    score = scorer.score("trend", kpi.id, size, surprise)
    if facts.get("vs_year_ago") is not None and status != "turned":
        score *= 0.5  # a year-on-year comparison tells the same story more exactly
    return [Insight(
        id=f"insight.{kpi.id}.trend", kind="trend", kpi=kpi.id, score=round(score, 4), facts=_present(found),
        favourable=None if kpi.id in DEMAND_KPIS else change.favourable, status=status,
        comparison="trend_start", notable=size >= 1.0,
    )]


# --- segments ------------------------------------------------------------------------------------
def _segment_insights(kpi, facts, segments, frame, scorer: _Scorer, thresholds: Thresholds, book: FactBook):
    """Per-segment targets (a miss hidden by the blend is stated), and the segment that drives a change."""
    out: list[Insight] = []
    shares = _shares(segments, frame.current, book)
    whole_met = facts.get("vs_target") is None or facts["vs_target"].favourable is not False
    for name, seg in sorted(segments[kpi.id].items()):
        seg_facts = _segment_facts(kpi, name, seg, frame, book)
        if seg_facts is None:
            continue
        share = shares.get(name)
        gap = seg_facts.get("vs_target")
        if gap is not None and kpi.id not in DEMAND_KPIS and gap.favourable is False:
            hidden = whole_met and facts.get("vs_target") is not None and share is not None \
                and share.value >= HIDDEN_MISS_SHARE
            kind = "hidden_miss" if hidden else "target"
            size = max(scorer.size(kpi, seg_facts["vs_target"], _relative_gap(seg_facts["vs_target"],
                                                                              seg_facts["target"])), 1.0)
            weight = share.value if share is not None else 0.5
            found = {"gap": seg_facts["vs_target"], "latest": seg_facts["latest"], "target": seg_facts["target"],
                     "segment": seg_facts["name"]}
            if share is not None:
                found["share"] = share
            if hidden:
                found["whole"] = facts["latest"]
                found["whole_target"] = facts["target"]
            out.append(Insight(
                id=f"insight.{kpi.id}.segment.{_slug(name)}.{kind}", kind=kind, kpi=kpi.id,
                score=scorer.score(kind, kpi.id, size, 1.0, share=1.0 if hidden else weight),
                facts=found, favourable=False, segment=name, status="missed",
            ))
    driver = _driver(kpi, facts, segments, frame, shares, scorer, book)
    if driver is not None:
        out.append(driver)
    return out


def _driver(kpi, facts, segments, frame, shares, scorer: _Scorer, book: FactBook) -> Insight | None:
    """The segment whose own movement accounts for most of the whole centre's change."""
    comparison = "year_ago" if facts.get("vs_year_ago") is not None else "prior"
    total = facts.get(f"vs_{comparison}")
    if total is None or total.direction == "flat" or len(segments[kpi.id]) < 2:
        return None
    if not scorer.size(kpi, total, facts.get(f"vs_{comparison}_relative")) >= 1.0:
        return None
    then = frame.year_ago if comparison == "year_ago" else frame.prior
    contributions = {}
    for name, seg in segments[kpi.id].items():
        now_v, then_v = seg.values.get(frame.current), seg.values.get(then)
        if now_v is None or then_v is None:
            continue
        weight = 1.0 if kpi.additive else (shares[name].value if name in shares else None)
        if weight is None:
            return None
        contributions[name] = (now_v - then_v) * weight
    if not contributions:
        return None
    name = max(sorted(contributions), key=lambda n: contributions[n] * (1 if total.value > 0 else -1))
    part = contributions[name] / total.value if total.value else 0
    if part < 0.5:
        return None
    seg_change = book.get(f"kpi.{kpi.id}.segment.{_slug(name)}.vs_{comparison}")
    found = {"change": total, "segment_change": seg_change, "segment": book.get(f"segment.{_slug(name)}.name")}
    if name in shares:
        found["share"] = shares[name]
    return Insight(
        id=f"insight.{kpi.id}.driver", kind="driver_segment", kpi=kpi.id,
        score=scorer.score("driver_segment", kpi.id, scorer.size(kpi, total, facts.get(f"vs_{comparison}_relative")),
                           min(part * 2, 6.0)),
        facts=found, favourable=None if kpi.id in DEMAND_KPIS else total.favourable, segment=name,
        comparison=comparison,
    )


def _shares(segments, current: Period, book: FactBook) -> dict[str, Fact]:
    """Each segment's share of contacts (offered, else handled) in the reporting period."""
    for volume_id in ("contacts_offered", "contacts_handled"):
        by_segment = segments.get(volume_id)
        if not by_segment:
            continue
        values = {name: s.values.get(current) for name, s in by_segment.items()}
        total = sum(v for v in values.values() if v)
        if not total:
            continue
        out = {}
        for name, v in values.items():
            fact_id = f"segment.{_slug(name)}.share"
            if v is None:
                continue
            if fact_id not in book:
                book.add(Fact(id=fact_id, label=f"{name}, share of {volume_id.replace('_', ' ')}",
                              value=v / total, unit="percent", derivation=f"{volume_id} of {name} / all segments",
                              sources=by_segment[name].sources.get(current, ())))
            out[name] = book.get(fact_id)
        return out
    return {}


def _segment_facts(kpi: KpiDef, name: str, seg: KpiSeries, frame: PeriodFrame, book: FactBook) -> dict | None:
    """The segment's latest value, target and changes, added to the book once."""
    latest = seg.values.get(frame.current)
    if latest is None:
        return None
    slug = _slug(name)
    base = f"kpi.{kpi.id}.segment.{slug}"
    name_id = f"segment.{slug}.name"
    if name_id not in book:
        book.add(Fact(id=name_id, label="segment", value=name, unit="text"))
    out = {"name": book.get(name_id)}
    sources = seg.sources.get(frame.current, ())

    def level(key: str, value, period: Period, label: str):
        if value is None:
            return None
        return book.add(Fact(id=f"{base}.{key}", label=f"{kpi.label}, {name}, {label}", value=value, unit=kpi.unit,
                             sources=seg.sources.get(period, sources)))

    out["latest"] = level("latest", latest, frame.current, frame.current.key())
    out["target"] = level("target", seg.targets.get(frame.current), frame.current, "target")
    for key, period in (("prior", frame.prior), ("year_ago", frame.year_ago)):
        ref = level(key, seg.values.get(period), period, period.key())
        if ref is not None:
            out[f"vs_{key}"] = _difference(kpi, f"{base}.vs_{key}", f"{kpi.label}, {name}, change on {key}",
                                           out["latest"], ref, book)
    if out["target"] is not None:
        out["vs_target"] = _difference(kpi, f"{base}.vs_target", f"{kpi.label}, {name}, against target",
                                       out["latest"], out["target"], book)
    return out


def _difference(kpi: KpiDef, fact_id: str, label: str, latest: Fact, ref: Fact, book: FactBook) -> Fact:
    value = latest.value - ref.value
    direction = "flat" if abs(value) < 1e-12 else ("up" if value > 0 else "down")
    return book.add(Fact(
        id=fact_id, label=label, value=value, unit="pp" if kpi.unit == "percent" else kpi.unit, direction=direction,
        favourable=None if direction == "flat" else direction == kpi.direction,
        derivation=f"{latest.id} - {ref.id}", sources=latest.sources + ref.sources,
    ))


# --- across KPIs ---------------------------------------------------------------------------------
def _demand_capacity(kpis: dict, catalogue: Catalogue, scorer: _Scorer) -> list[Insight]:
    """Volume up while service falls: the centre is short of capacity, not performing worse at the same load."""
    volume = kpis.get("contacts_offered") or kpis.get("contacts_handled")
    if not volume or volume.get("latest") is None:
        return []
    comparison = comparison_of(volume)
    if comparison is None:
        return []
    demand = volume.get(f"vs_{comparison}_relative")
    if demand is None or demand.value < scorer.thresholds.relative:
        return []
    for service_id in SERVICE_KPIS:
        facts = kpis.get(service_id)
        if not facts or facts.get(f"vs_{comparison}") is None:
            continue
        change = facts[f"vs_{comparison}"]
        kpi = catalogue.get(service_id)
        size = scorer.size(kpi, change, facts.get(f"vs_{comparison}_relative"))
        if change.favourable is False and size >= 1.0:
            demand_size = demand.value / scorer.thresholds.relative
            return [Insight(
                id="insight.demand_capacity", kind="demand_capacity", kpi=service_id,
                score=scorer.score("demand_capacity", service_id, max(size, demand_size), min(size, demand_size)),
                facts={"demand": demand, "demand_latest": volume["latest"], "change": change,
                       "latest": facts["latest"], "reference": facts[comparison]},
                favourable=False, other_kpi="contacts_offered" if "contacts_offered" in kpis else "contacts_handled",
                comparison=comparison,
            )]
    return []


def _trade_offs(kpis: dict, catalogue: Catalogue, scorer: _Scorer) -> list[Insight]:
    out = []
    for gain_id, cost_id in TRADE_OFFS:
        gain, cost = kpis.get(gain_id), kpis.get(cost_id)
        if not gain or not cost:
            continue
        comparison = "year_ago" if gain.get("vs_year_ago") is not None and cost.get("vs_year_ago") is not None \
            else "prior"
        g, c = gain.get(f"vs_{comparison}"), cost.get(f"vs_{comparison}")
        if g is None or c is None or not g.favourable or c.favourable is not False:
            continue
        g_size = scorer.size(catalogue.get(gain_id), g, gain.get(f"vs_{comparison}_relative"))
        c_size = scorer.size(catalogue.get(cost_id), c, cost.get(f"vs_{comparison}_relative"))
        if g_size < 1.0 or c_size < 1.0:
            continue
        out.append(Insight(
            id=f"insight.{gain_id}.trade_off.{cost_id}", kind="trade_off", kpi=gain_id, other_kpi=cost_id,
            score=scorer.score("trade_off", cost_id, c_size, g_size),
            facts={"gain": g, "gain_latest": gain["latest"], "cost": c, "cost_latest": cost["latest"]},
            favourable=False, comparison=comparison,
        ))
    return out


def _money_at_stake(kpis: dict, catalogue: Catalogue, value: ValueFacts, scorer: _Scorer,
                    book: FactBook) -> list[Insight]:
    """What a KPI's movement is worth, where a value lever names the KPI as its driver."""
    out = []
    for item_facts in value.items:
        item = item_facts.item
        for driver in item.drivers:
            kpi = catalogue.find(driver)
            if kpi is None or kpi.id not in kpis or kpis[kpi.id].get("latest") is None:
                continue
            facts = kpis[kpi.id]
            comparison = comparison_of(facts)
            found = {"amount": item_facts.amount, "latest": facts["latest"]}
            if f"value.{item.id}.label" in book:
                found["lever"] = book.get(f"value.{item.id}.label")
            if comparison is not None:
                found["change"] = facts[f"vs_{comparison}"]
            out.append(Insight(
                id=f"insight.{kpi.id}.money.{item.id}", kind="money_at_stake", kpi=kpi.id,
                score=scorer.score("money_at_stake", kpi.id, 1.0, 1.0, money=item_facts.amount.value),
                facts=found, favourable=True if item.realised else None,
                status="delivered" if item.realised else "at_stake", comparison=comparison or "",
                non_cash=item.benefit_class == "non_cash",
            ))
    return out


# --- helpers -------------------------------------------------------------------------------------
def _volatility(series: KpiSeries, frame: PeriodFrame, thresholds: Thresholds) -> float | None:
    """The standard deviation of period-on-period moves over the trend window; None with too few, or when
    the moves are too even to measure against (a spread under a twentieth of the smallest change worth a
    sentence is rounding in the export, not volatility)."""
    values = [series.values.get(p) for p in frame.trend]
    moves = [b - a for a, b in zip(values, values[1:], strict=False) if a is not None and b is not None]
    if len(moves) < 3:
        return None
    spread = statistics.pstdev(moves)
    scale = max(abs(v) for v in values if v is not None) or 1.0
    floor = thresholds.points if series.kpi.unit == "percent" else thresholds.relative * scale
    return spread if spread > floor / 20 else None


def _surprise(change: float, volatility: float | None, steps: int) -> float:
    """How unusual a move of this size is for this KPI: moves over ``steps`` periods scale with sqrt(steps)."""
    if volatility is None:
        return 1.0
    return min(abs(change) / (volatility * math.sqrt(max(steps, 1))), 20.0)


def _run_length(points: list[tuple[Period, float]]) -> int:
    moves = [b - a for (_, a), (_, b) in zip(points, points[1:], strict=False)]
    if not moves or moves[-1] == 0:
        return 0
    sign = moves[-1] > 0
    run = 0
    for move in reversed(moves):
        if move == 0 or (move > 0) != sign:
            break
        run += 1
    return run


def _turning_point(points, kpi: KpiDef, thresholds: Thresholds) -> tuple[Period, float] | None:
    """The window's extreme when it is inside the window and both legs are worth a sentence."""
    values = [v for _, v in points]
    for pick in (max, min):
        extreme = pick(values)
        index = values.index(extreme)
        if index < 2 or index > len(values) - 3:
            continue  # a turn at the window's edge is a start or an end, not a turning point
        before, after = extreme - values[0], values[-1] - extreme
        if (before > 0) == (after > 0):
            continue
        if _worth(kpi, before, values[0], thresholds) and _worth(kpi, after, extreme, thresholds):
            return points[index]
    return None


def _worth(kpi: KpiDef, move: float, base: float, thresholds: Thresholds) -> bool:
    if kpi.unit == "percent":
        return abs(move) >= 2 * thresholds.points
    return bool(base) and abs(move / base) >= 2 * thresholds.relative


def _on_target(series: KpiSeries, period: Period) -> bool | None:
    value, target = series.values.get(period), series.targets.get(period)
    if value is None or target is None:
        return None
    return (value >= target) if series.kpi.direction == "up" else (value <= target)


def _relative_gap(gap: Fact, target: Fact) -> Fact | None:
    if not target.value:
        return None
    return Fact(id=f"{gap.id}_relative", label=gap.label, value=gap.value / abs(target.value), unit="percent")


def _present(facts: dict) -> dict:
    return {k: v for k, v in facts.items() if v is not None}


def _slug(name: str) -> str:
    return re.sub(r"[^a-z0-9]+", "_", name.lower()).strip("_") or "segment"
