"""Rows finer than the reporting period (intervals, days, weeks, per-commissioner rows) rolled up to it.

Counts (offered, handled, abandoned, answered within the threshold, cost) are summed; rates and averages
are weighted by the volume they describe in the same row (ASA by contacts handled, service level by
contacts offered), never averaged across rows. Two rows for the same time, segment and other cells are a
duplicate the user must resolve, as before.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict

from narrator.catalogue import Catalogue
from narrator.dataset import Observation
from narrator.load.cells import LoadState
from narrator.load.problems import Problems
from narrator.load.tables import Table
from narrator.periods import Period
from narrator.provenance import Source

# A month is partial when its rows stop more than this many days before its end (or start this many
# after its start): a weekend and a bank holiday are not a cut-off export.
PARTIAL_MARGIN_DAYS = 3


def roll_up(
    table: Table,
    found: list[tuple[int | None, Observation]],
    state: LoadState,
    catalogue: Catalogue,
    problems: Problems,
) -> list[tuple[int | None, Observation]]:
    """One observation per period, KPI and segment; duplicates reported, finer rows combined."""
    groups: dict[tuple, list[tuple[int | None, Observation]]] = defaultdict(list)
    for row, obs in found:
        groups[(obs.period, obs.kpi, obs.segment)].append((row, obs))
    _report_duplicates(table, groups, state, problems)
    row_values = {(row, obs.kpi): obs.value for row, obs in found if row is not None}
    result = []
    for (_, kpi_id, _), members in groups.items():
        if len(members) == 1:
            result.append(members[0])
            continue
        result.append((None, _combined(table, members, catalogue.get(kpi_id), row_values, catalogue, state)))
    return result


def _report_duplicates(table: Table, groups: dict, state: LoadState, problems: Problems) -> None:
    """Two values for one time, KPI and segment (and the same other cells): narrator cannot know which
    is right, so it asks. One line per pair of rows, naming the KPIs."""
    clashes: dict[tuple, list[str]] = {}
    for (period, kpi_id, segment), members in groups.items():
        if len(members) < 2:
            continue
        first: dict[object, int] = {}
        for row, _ in members:
            if row is None:
                continue
            when = state.times.get(row)
            if when in first:
                clashes.setdefault((first[when], row, period, segment), []).append(kpi_id)
            else:
                first[when] = row
    for (one, two, period, segment), kpis in clashes.items():
        in_segment = f' in segment "{segment}"' if segment is not None else ""
        problems.add(
            f"{table.name}, {table.row_word}s {one} and {two}: duplicated period {period.key()} for "
            f"{', '.join(kpis)}{in_segment}; keep one of the rows"
        )


def _combined(table, members, kpi, row_values, catalogue: Catalogue, state: LoadState) -> Observation:
    first = members[0][1]
    values = [(row, obs.value) for row, obs in members if obs.value is not None]
    column = first.source.column
    days = sorted(state.days.get(first.period, ()))
    span = f", {days[0]:%d %b %Y} to {days[-1]:%d %b %Y}" if days else ""
    if not values:
        value, how = None, "no values"
    elif kpi.additive:
        value, how = sum(v for _, v in values), f"sum of {len(values):,} rows{span}"
    else:
        value, how = _weighted(values, kpi, row_values, catalogue)
        how = f"{how}{span}"
    return Observation(
        period=first.period,
        kpi=first.kpi,
        value=value,
        target=next((o.target for _, o in members if o.target is not None), None),
        benchmark=next((o.benchmark for _, o in members if o.benchmark is not None), None),
        segment=first.segment,
        source=Source(file=table.name, column=f"{column} ({how})"),
    )


def _weighted(values, kpi, row_values, catalogue: Catalogue) -> tuple[float, str]:
    """The mean of rows weighted by the volume the KPI describes in the same row."""
    for weight_id in dict.fromkeys(w for w in (kpi.weight, "contacts_handled", "contacts_offered") if w):
        weights = [row_values.get((row, weight_id)) for row, _ in values]
        if any(w is not None for w in weights):
            pairs = [(v, w) for (_, v), w in zip(values, weights, strict=True) if w]
            total = sum(w for _, w in pairs)
            if total:
                label = catalogue.get(weight_id).label if weight_id in catalogue else weight_id
                return sum(v * w for v, w in pairs) / total, f"mean of {len(pairs):,} rows weighted by {label}"
    return sum(v for _, v in values) / len(values), f"mean of {len(values):,} rows (no volume to weight by)"


def partial_periods(state: LoadState) -> dict[Period, str]:
    """Periods of day-level data whose rows do not cover the period (the export starts or stops inside
    it), with the days they do cover. Only for data finer than the period: a monthly file dated at month
    end has one day per month and says nothing about coverage."""
    if not any(len(days) > 1 for days in state.days.values()):
        return {}
    partial = {}
    for period, days in state.days.items():
        start, end = _first_day(period), period.end_date()
        first, last = min(days), max(days)
        if (first - start).days > PARTIAL_MARGIN_DAYS or (end - last).days > PARTIAL_MARGIN_DAYS:
            partial[period] = f"{first:%d %b %Y} to {last:%d %b %Y}"
    return partial


def _first_day(period: Period) -> dt.date:
    return period.shift(-1).end_date() + dt.timedelta(days=1)
