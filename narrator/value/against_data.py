"""Value inputs the KPI data also measures, each set against the data's own figure for the reporting period.

A lever costed at £4.24 a contact in a pack whose scorecard shows £4.81 states two figures for one concept,
and a director asks "which is it?". The lever's figure may well be the right one (a finance model's
blended or marginal unit cost leaves out overheads that fewer contacts do not remove), so a difference is
not an error; but the pack must say which figure the levers use and why. So narrator compares:

* every cost per contact a value item uses (a structured input or a number of its text formula, as
  ``reconcile.unit_costs`` finds them): a blended one with the whole centre's ``cost_per_contact``, a
  channel's (phone, web chat, email, self-service) with the data's segment of that channel when exactly
  one segment is named for it;
* every structured input that is a handle time per contact as it stands (not one saved, cut or expected
  after a change), with ``average_handle_time``.

Contact volumes are not compared: a lever's volume is a scope by design (one channel, the contacts an
earlier lever leaves, a forecast year), so a difference from the data's contacts is not two figures for
one thing.

A figure further than ``TOLERANCE`` from the data's is a ``DataGap``; the methodology states both, and
the build warns unless the item says why (``basis:`` on the input, or on the item for a text formula).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from narrator.dataset import ValueItem
from narrator.periods import Period
from narrator.provenance import Source
from narrator.value.reconcile import channel_of, unit_costs
from narrator.value.text import show

TOLERANCE = 0.05
"""How far (relative) an item's figure may sit from the data's before it is a second figure (5%). A month's
cost per contact or handle time moves a point or two with that month's volume (the samples' largest
month-on-month move is 2.4%) and a finance model rounds to the penny, so a gap under 5% is the same figure
seen at another time; beyond it the lever and the scorecard disagree by more than a board would let pass."""

_SECONDS = {"seconds": 1.0, "minutes": 60.0, "hours": 3600.0}
_HANDLE_TIME = ("aht", "handle time", "handling time")
_NOT_A_LEVEL = ("saved", "saving", "cut", "reduc", "fewer", "less", "lower", "after", "before", "target",
                "new", "change", "uplift", "improve", "forecast", "planned")
"""Words that make a handle time a movement or another moment's level, which the data's latest need not
equal."""


@dataclass(frozen=True)
class DataGap:
    """A figure the value items use that the KPI data measures otherwise, for the reporting period."""

    concept: str
    """What the figure is, as the pack names it: "blended cost per contact", "phone cost per contact" (by
    the data's segment name), "average handle time"."""
    kpi: str
    segment: str | None
    """The data's segment the figure was compared with; None for the whole centre."""
    unit: str
    """money or seconds (the fact unit both figures are stated in)."""
    value: float
    data: float
    period: Period
    """The period the data's figure is for: the reporting period, or the latest before it with a value."""
    items: tuple[str, ...]
    """The ids of the items that use the figure: the one whose figure is cited first (an item with the
    figure as a structured input, where ``basis:`` goes), then the others in file order."""
    written: str
    """How that first item writes it ("cost_per_contact = 4.24", "£4.24 blended cost per contact")."""
    source: str
    basis: str
    """Why the figure differs on purpose; empty when no item says."""
    in_formula: bool
    """True when the first use is a number of a text formula (so ``basis:`` belongs on the item)."""
    data_sources: tuple[Source, ...] = ()

    @property
    def relative(self) -> float:
        return self.value / self.data - 1


@dataclass(frozen=True)
class _Use:
    item: ValueItem
    measure: str
    kpi: str
    channel: str | None
    unit: str
    value: float
    written: str
    source: str
    basis: str
    in_formula: bool


def compare_with_data(
    items: Sequence[ValueItem],
    series: Mapping[str, object],
    segments: Mapping[str, Mapping[str, object]],
    current: Period,
) -> tuple[DataGap, ...]:
    """Each figure of ``items`` further than ``TOLERANCE`` from the data's, one gap per figure.

    ``series`` are the whole-centre KPI series and ``segments`` each KPI's series per segment (as
    ``compute.kpi_facts`` builds them); items that share a figure (one cost per contact per channel, as
    reconciliation requires) make one gap naming them all.
    """
    gaps: dict[tuple, dict] = {}
    for use in (use for item in items for use in _uses(item)):
        target = _data_series(use, series, segments)
        if target is None:
            continue
        segment, data = target
        latest = _latest(data, current)
        if latest is None:
            continue
        period, figure = latest
        if figure <= 0 or abs(use.value / figure - 1) <= TOLERANCE:
            continue
        key = (use.kpi, segment, round(use.value, 6))
        if key not in gaps:
            gaps[key] = {"use": use, "segment": segment, "period": period, "data": figure, "items": [],
                         "basis": use.basis, "sources": tuple(data.sources.get(period, ()))}
        gap = gaps[key]
        if gap["use"].in_formula and not use.in_formula:
            gap["use"] = use  # a structured input names its own source, and is where basis: goes
        if use.item.id not in gap["items"]:
            gap["items"].append(use.item.id)
        gap["basis"] = gap["basis"] or use.basis
    return tuple(
        DataGap(
            concept=_concept(g["use"].measure, g["segment"]), kpi=g["use"].kpi, segment=g["segment"], unit=g["use"].unit,
            value=g["use"].value, data=g["data"], period=g["period"],
            items=(g["use"].item.id, *(i for i in g["items"] if i != g["use"].item.id)),
            written=g["use"].written, source=g["use"].source, basis=g["basis"],
            in_formula=g["use"].in_formula, data_sources=g["sources"],
        )
        for g in gaps.values()
    )


def _concept(measure: str, segment: str | None) -> str:
    """The figure as the pack names it: by the data's segment ("web chat cost per contact"), else the whole
    centre's ("blended cost per contact", "average handle time")."""
    if segment is None:
        return "blended cost per contact" if measure == "cost per contact" else "average handle time"
    first = segment.split(" ", 1)[0]
    shown = segment if len(first) > 1 and first[1:].lower() != first[1:] else segment[:1].lower() + segment[1:]
    return f"{shown} {measure}"


def _uses(item: ValueItem) -> list[_Use]:
    """The figures of one item that the data measures too."""
    uses = []
    for cost in unit_costs(item):
        given = item.inputs.get(cost.input) if cost.input else None
        uses.append(_Use(
            item, "cost per contact", "cost_per_contact", None if cost.channel == "blended" else cost.channel, "money",
            cost.value, cost.written, (given.source if given else item.source) or item.source,
            ((given.basis if given else "") or item.basis).strip(), given is None,
        ))
    for name, given in item.inputs.items():
        words = f"{name.replace('_', ' ')} {given.label}".lower()
        if given.unit not in _SECONDS or not any(w in words for w in _HANDLE_TIME):
            continue
        if any(w in words for w in _NOT_A_LEVEL):
            continue
        channel = channel_of(given.label or "")
        channel = None if channel == "blended" else channel
        uses.append(_Use(
            item, "handle time", "average_handle_time", channel, "seconds", given.value * _SECONDS[given.unit],
            f"{name} = {given.value:g} {given.unit}", given.source, (given.basis or item.basis).strip(), False,
        ))
    return uses


def _data_series(use: _Use, series, segments):
    """(segment, series) the figure is compared with: the whole centre, or the one segment of its channel."""
    if use.channel is None:
        whole = series.get(use.kpi)
        return (None, whole) if whole is not None else None
    named = [name for name in segments.get(use.kpi, {}) if channel_of(name) == use.channel]
    if len(named) != 1:  # no segment for the channel, or several (two phone queues): nothing to compare
        return None
    return named[0], segments[use.kpi][named[0]]


def _latest(series, current: Period) -> tuple[Period, float] | None:
    """The data's figure for the reporting period, or the latest period before it that has one."""
    for period in sorted((p for p in series.values if p <= current), reverse=True):
        value = series.values[period]
        if value is not None:
            return period, value
    return None


def gap_warning(gap: DataGap, place: str, currency: str, locale: str) -> str:
    """The build's one line for a gap no item explains: the item, both figures, the period, what to do."""
    also = f", also used by {', '.join(gap.items[1:])}" if len(gap.items) > 1 else ""
    where = "on the item" if gap.in_formula else f"on the input {gap.written.split(' = ')[0]}"
    shown = "above" if gap.value > gap.data else "below"
    return (
        f"{place}{also}: {gap.concept} {show(gap.value, gap.unit, currency, locale)} ({gap.source}) is "
        f"{abs(gap.relative):.1%} {shown} the KPI data's {show(gap.data, gap.unit, currency, locale)} for "
        f"{gap.period.label(locale)}; use the data's figure, or state why the levers use this one with basis: "
        f"{where}"
    )
