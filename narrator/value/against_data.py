"""Value inputs the KPI data also measures, each set against the data's own figure for the reporting period.

A lever costed at £4.24 a contact in a pack whose scorecard shows £4.81 states two figures for one concept,
and a director asks "which is it?". The lever's figure may well be the right one (a finance model's
blended or marginal unit cost leaves out overheads that fewer contacts do not remove), so a difference is
not an error; but the pack must say which figure the levers use and why. So narrator compares:

* every cost per contact a value item uses (a structured input or a number of its text formula, as
  ``reconcile.unit_costs`` finds them), and every cost-per-contact parameter of the assumptions file a
  computed lever uses: a blended one with the whole centre's ``cost_per_contact``, a channel's (phone,
  web chat, email, self-service) with the data's segment of that channel when exactly one segment is
  named for it;
* every structured input that is a handle time per contact as it stands (not one saved, cut or expected
  after a change), with ``average_handle_time``.

Contact volumes are not compared: a lever's volume is a scope by design (one channel, the contacts an
earlier lever leaves, a forecast year), so a difference from the data's contacts is not two figures for
one thing.

A figure further than ``TOLERANCE`` from the data's is a ``DataGap``; the methodology states both, and
the build warns unless a basis says why (``basis:`` on the input or parameter, or on the item for a
number of its text formula).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from narrator.dataset import ValueItem
from narrator.periods import Period
from narrator.provenance import Source
from narrator.value.assumptions import Parameter
from narrator.value.reconcile import channel_of, input_channel, unit_costs
from narrator.value.result import TranslationResult
from narrator.value.text import show

if TYPE_CHECKING:  # compute imports this module, so its series type is named for checkers only
    from narrator.compute.kpi_facts import KpiSeries

TOLERANCE = 0.05
"""How far (relative) a lever's figure may sit from the data's before it is a second figure (5%). A whole
centre's cost per contact or handle time moves a point or two a month with volume (the private-insurer
sample's largest monthly move is 2.4%; its phone and chat costs sit 0.2% and 1.2% from the model's), and a
finance model rounds to the penny; a gap under 5% is the same figure seen at another time. Beyond it the
lever and the scorecard disagree by more than a board would let pass unexplained, even where the gap is a
small channel's month-to-month swing (the council sample's online cost runs from 30p to 46p): that is
what the basis then says."""

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
    """The ids of the items that use the figure: the one whose figure is cited (a structured input, else a
    parameter, else a text formula) first, then the others in order."""
    written: str
    """How the figure is written where it is cited ("cost_per_contact = 4.24", "£4.24 blended cost ...")."""
    source: str
    basis: str
    """Why the figure differs on purpose; empty when nothing says."""
    place: str
    """Where the cited figure is written: "values.yaml, item 6 (fcr_knowledge)", "assumptions.yaml:
    parameters.cost_per_contact"."""
    basis_on: str
    """Where ``basis:`` would go: "the input cost_per_contact", "the item", "the parameter ..."."""
    data_sources: tuple[Source, ...] = ()

    @property
    def relative(self) -> float:
        return self.value / self.data - 1


@dataclass(frozen=True)
class _Use:
    """One use of a figure the data measures: by which item, written where, from which source."""

    item: str
    measure: str
    kpi: str
    channel: str | None
    unit: str
    value: float
    written: str
    source: str
    basis: str
    place: str
    basis_on: str
    rank: int
    """Which use a gap cites: 0 a structured input, 1 a parameter, 2 a number of a text formula."""


def compare_with_data(
    items: Sequence[ValueItem],
    places: Mapping[str, str],
    series: Mapping[str, KpiSeries],
    segments: Mapping[str, Mapping[str, KpiSeries]],
    current: Period,
    computed: Mapping[str, TranslationResult] | None = None,
    parameters: Mapping[str, Parameter] | None = None,
) -> tuple[DataGap, ...]:
    """Each figure the value items use further than ``TOLERANCE`` from the data's, one gap per figure.

    ``items`` are the supplied value items, ``places`` how messages name each ("values.yaml, item 6
    (fcr_knowledge)"); ``series`` are the whole-centre KPI series and ``segments`` each KPI's series per
    segment (as ``compute.kpi_facts`` builds them); ``computed`` are the levers narrator computed, by item
    id, whose cost-per-contact inputs from ``parameters`` are compared too. Items that share a figure (one
    cost per contact per channel, as reconciliation requires) make one gap naming them all.
    """
    uses = [use for item in items for use in _item_uses(item, places[item.id])]
    uses += _parameter_uses(computed or {}, parameters or {})
    grouped: dict[tuple, list[tuple[_Use, str | None, KpiSeries, Period, float]]] = {}
    for use in uses:
        target = _data_series(use, series, segments)
        latest = _latest(target[1], current) if target is not None else None
        if latest is None:
            continue
        period, figure = latest
        if figure <= 0 or abs(use.value / figure - 1) <= TOLERANCE:
            continue
        grouped.setdefault((use.kpi, target[0], round(use.value, 6)), []).append((use, *target, period, figure))
    return tuple(_gap(found) for found in grouped.values())


def _gap(found: list[tuple[_Use, str | None, KpiSeries, Period, float]]) -> DataGap:
    """One figure's gap, cited from a structured input where an item gives one (its own source, and the
    place basis: goes), else a parameter, else the first text formula."""
    lead, segment, data, period, figure = min(found, key=lambda f: f[0].rank)
    items = dict.fromkeys([lead.item, *(use.item for use, *_ in found)])
    return DataGap(
        concept=_concept(lead.measure, segment), kpi=lead.kpi, segment=segment, unit=lead.unit, value=lead.value,
        data=figure, period=period, items=tuple(items), written=lead.written, source=lead.source,
        basis=next((use.basis for use, *_ in found if use.basis), ""), place=lead.place, basis_on=lead.basis_on,
        data_sources=tuple(data.sources.get(period, ())),
    )


def _concept(measure: str, segment: str | None) -> str:
    """The figure as the pack names it: by the data's segment ("web chat cost per contact"), else the whole
    centre's ("blended cost per contact", "average handle time")."""
    if segment is None:
        return "blended cost per contact" if measure == "cost per contact" else "average handle time"
    first = segment.split(" ", 1)[0]
    shown = segment if len(first) > 1 and first[1:].lower() != first[1:] else segment[:1].lower() + segment[1:]
    return f"{shown} {measure}"


def _item_uses(item: ValueItem, place: str) -> list[_Use]:
    """The figures of one supplied item that the data measures too."""
    uses = []
    for cost in unit_costs(item):
        given = item.inputs.get(cost.input) if cost.input else None
        uses.append(_Use(
            item.id, "cost per contact", "cost_per_contact", _specific(cost.channel), "money", cost.value,
            cost.written, (given.source if given else "") or item.source,
            ((given.basis if given else "") or item.basis).strip(), place,
            f"the input {cost.input}" if given else "the item", 0 if given else 2,
        ))
    for name, given in item.inputs.items():
        words = f"{name.replace('_', ' ')} {given.label}".lower()
        if given.unit not in _SECONDS or not any(w in words for w in _HANDLE_TIME):
            continue
        if any(w in words for w in _NOT_A_LEVEL):
            continue
        uses.append(_Use(
            item.id, "handle time", "average_handle_time", _specific(channel_of(given.label)), "seconds",
            given.value * _SECONDS[given.unit], f"{name} = {given.value:g} {given.unit}", given.source,
            (given.basis or item.basis).strip(), place, f"the input {name}", 0,
        ))
    return uses


def _parameter_uses(computed: Mapping[str, TranslationResult], parameters: Mapping[str, Parameter]) -> list[_Use]:
    """The cost-per-contact parameters narrator's own levers were computed with (figures from the KPI data
    itself are the data's, so only parameters can differ)."""
    uses = []
    for item_id, result in computed.items():
        for given in result.inputs:
            key = given.provenance.key if given.provenance is not None else None
            name = key.removeprefix("parameters.") if key and key.startswith("parameters.") else None
            if name not in parameters or not (channel := input_channel(given.name, given.label, given.unit)):
                continue
            uses.append(_Use(
                item_id, "cost per contact", "cost_per_contact", _specific(channel), "money", given.value,
                f"{name} = {given.value:g}", given.source, parameters[name].basis.strip(),
                f"{given.provenance.file}: parameters.{name}", f"the parameter {name}", 1,
            ))
    return uses


def _specific(channel: str | None) -> str | None:
    """A named channel, compared with its segment; None (blended) is the whole centre's figure."""
    return None if channel == "blended" else channel


def _data_series(use: _Use, series, segments) -> tuple[str | None, KpiSeries] | None:
    """(segment, series) the figure is compared with: the whole centre, or the one segment of its channel."""
    if use.channel is None:
        whole = series.get(use.kpi)
        return (None, whole) if whole is not None else None
    named = [name for name in segments.get(use.kpi, {}) if channel_of(name) == use.channel]
    if len(named) != 1:  # no segment for the channel, or several (two phone queues): nothing to compare
        return None
    return named[0], segments[use.kpi][named[0]]


def _latest(series: KpiSeries, current: Period) -> tuple[Period, float] | None:
    """The data's figure for the reporting period, or the latest period before it that has one."""
    for period in sorted((p for p in series.values if p <= current), reverse=True):
        value = series.values[period]
        if value is not None:
            return period, value
    return None


def gap_warning(gap: DataGap, currency: str, locale: str) -> str:
    """The build's one line for a gap nothing explains: where, both figures, the period, what to do."""
    if gap.basis_on.startswith("the parameter"):  # a parameter's place names no lever: name each one
        also = f", used by {', '.join(gap.items)}"
    else:
        also = f", also used by {', '.join(gap.items[1:])}" if len(gap.items) > 1 else ""
    shown = "above" if gap.value > gap.data else "below"
    return (
        f"{gap.place}{also}: {gap.concept} {show(gap.value, gap.unit, currency, locale)} ({gap.source}) is "
        f"{abs(gap.relative):.1%} {shown} the KPI data's {show(gap.data, gap.unit, currency, locale)} for "
        f"{gap.period.label(locale)}; use the data's figure, or state why the levers use this one with basis: "
        f"on {gap.basis_on}"
    )
