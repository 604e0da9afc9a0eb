"""Incomplete data refused: a latest period with fewer segments or KPIs than the one before it.

A file cut off mid-row, or a half-finished export, looks like a normal file with a short last month. Its
pack would compare a few segments now with all of them last month and report the difference as a fall.
So the build stops and names what is missing, unless the config accepts that period as it is
(``inputs.kpis.accept_incomplete``). A value missing for one segment while the segment reports other
KPIs is not refused: it is stated, and the whole-centre figures of that KPI for the two periods are
taken over the same segments, so the comparison stays like for like.
"""

from __future__ import annotations

from collections import defaultdict

from narrator.catalogue import Catalogue
from narrator.dataset import Observation
from narrator.periods import Period, parse_period
from narrator.provenance import Source


def reporting_period(wanted: str, observations, partial) -> Period | None:
    """The period the pack will report, as compute will choose it: the config's, or the last complete one."""
    if wanted != "latest":
        return parse_period(wanted)
    periods = sorted({o.period for o in observations if o.value is not None and o.period not in partial})
    return periods[-1] if periods else None


def check_complete(
    observations: tuple[Observation, ...],
    current: Period | None,
    accepted: set[str],
    catalogue: Catalogue,
    name: str,
    config_name: str,
) -> tuple[list[str], list[str], list[Observation]]:
    """(problems, notes, extra whole-centre observations) for the reporting period ``current``."""
    if current is None:
        return [], [], []
    periods = sorted({o.period for o in observations if o.value is not None})
    earlier = [p for p in periods if p < current]
    if current not in periods or not earlier:
        return [], [], []
    before = earlier[-1]
    have: dict[Period, dict[str | None, set[str]]] = defaultdict(lambda: defaultdict(set))
    for obs in observations:
        if obs.value is not None and obs.period in (current, before):
            have[obs.period][obs.segment].add(obs.kpi)
    kpis_now = set().union(*have[current].values())
    kpis_then = set().union(*have[before].values())
    lost_segments = sorted(s for s in have[before] if s is not None and s not in have[current])
    lost_kpis = sorted(kpis_then - kpis_now)
    if (lost_segments or lost_kpis) and current.key() not in accepted:
        missing = []
        if lost_segments:
            missing.append(f"segment{'s' if len(lost_segments) > 1 else ''} {', '.join(map(repr, lost_segments))}")
        if lost_kpis:
            missing.append(f"KPI{'s' if len(lost_kpis) > 1 else ''} {', '.join(lost_kpis)}")
        return [
            f"{name}: the latest period {current.key()} has no values for {' or '.join(missing)}, which "
            f"{before.key()} has; the file may be cut off or half-exported; export it again, or add "
            f'{current.key()} to inputs.kpis.accept_incomplete in {config_name} to report it as it is'
        ], [], []
    notes, extra = [], []
    if lost_segments or lost_kpis:
        notes.append(
            f"{current.key()} is reported as it is (inputs.kpis.accept_incomplete): it has no values for "
            + " or ".join(filter(None, [", ".join(lost_segments), ", ".join(lost_kpis)]))
            + f" that {before.key()} has"
        )
    for segment in sorted(s for s in have[current] if s is not None):
        for kpi_id in sorted((have[before].get(segment, set()) - have[current][segment]) & kpis_now):
            notes.append(
                f"{catalogue.get(kpi_id).label} has no {current.key()} value for segment {segment!r} (it had one "
                f"in {before.key()}); its whole-centre figures for {before.key()} and {current.key()} cover the "
                "same other segments, so they compare like for like"
            )
            extra.extend(_like_for_like(observations, kpi_id, (before, current), segment, catalogue, name))
    return [], notes, extra


def _like_for_like(observations, kpi_id, periods, missing, catalogue: Catalogue, name: str) -> list[Observation]:
    """Whole-centre values of ``kpi_id`` in ``periods`` from the segments that report it in both."""
    if any(o.kpi == kpi_id and o.segment is None and o.period in periods for o in observations):
        return []  # the file gives whole-centre rows of its own
    kpi = catalogue.get(kpi_id)
    by = {(o.period, o.segment, o.kpi): o.value for o in observations if o.value is not None}
    segments = {
        s for (_, s, k) in by
        if k == kpi_id and s is not None and s != missing and all((q, s, k) in by for q in periods)
    }
    result = []
    for period in periods:
        values = [(s, by[(period, s, kpi_id)]) for s in sorted(segments)]
        if not values:
            continue
        if kpi.additive:
            value = sum(v for _, v in values)
        else:
            weights = [by.get((period, s, kpi.weight)) for s, _ in values] if kpi.weight else []
            if weights and all(weights):
                value = sum(v * w for (_, v), w in zip(values, weights, strict=True)) / sum(weights)
            else:
                value = sum(v for _, v in values) / len(values)
        target = next(
            (o.target for o in observations if o.kpi == kpi_id and o.period == period and o.target is not None), None
        )
        result.append(
            Observation(
                period=period, kpi=kpi_id, value=value, segment=None, target=target,
                source=Source(file=name, column=f"{kpi_id} (segments reporting in both periods)"),
            )
        )
    return result
