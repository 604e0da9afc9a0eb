"""Counts in, rates out: answer rate, abandonment and service level derived from summed counts.

Real exports carry counts per interval, day, queue or provider, and often a rate beside them that is
right only for its own row. Averaging such rates across rows (or segments) weights a quiet half-hour
like a busy one, so where the counts are there the rate is recomputed from their sums, for each segment
and for the whole centre, and replaces whatever rate the file gave.
"""

from __future__ import annotations

from collections import defaultdict

from narrator.dataset import Observation
from narrator.periods import Period
from narrator.provenance import Source

# rate KPI -> (numerator count, denominator count)
RATES_FROM_COUNTS = {
    "answer_rate": ("contacts_handled", "contacts_offered"),
    "abandonment_rate": ("contacts_abandoned", "contacts_offered"),
    "service_level": ("answered_within_threshold", "contacts_offered"),
}
COUNTS = frozenset(count for pair in RATES_FROM_COUNTS.values() for count in pair)


def derive_rates(
    name: str,
    found: list[tuple[int | None, Observation]],
    headers: dict[str, str],
    threshold: int | None,
) -> tuple[list[tuple[int | None, Observation]], list[str]]:
    """``found`` with each rate the counts support recomputed from them; and notes saying which.

    ``headers`` names the file column of each count KPI, for the source; ``threshold`` is the service
    level's threshold in seconds, which the note states.
    """
    counts: dict[tuple[Period, str | None], dict[str, float]] = defaultdict(dict)
    segmented = any(obs.segment is not None for _, obs in found)
    for _, obs in found:
        if obs.kpi in COUNTS and obs.value is not None:
            counts[(obs.period, obs.segment)][obs.kpi] = obs.value
    if segmented:
        # The whole centre from the segments' summed counts, unless the file gives whole-centre rows.
        totals: dict[tuple[Period, None], dict[str, float]] = defaultdict(dict)
        for (period, segment), by_kpi in counts.items():
            if segment is None:
                continue
            for kpi_id, value in by_kpi.items():
                if (period, None) not in counts or kpi_id not in counts[(period, None)]:
                    totals[(period, None)][kpi_id] = totals[(period, None)].get(kpi_id, 0.0) + value
        for key, by_kpi in totals.items():
            counts[key] = {**by_kpi, **counts.get(key, {})}

    derived: dict[tuple[Period, str | None, str], Observation] = {}
    for (period, segment), by_kpi in counts.items():
        for rate, (numerator, denominator) in RATES_FROM_COUNTS.items():
            if numerator in by_kpi and by_kpi.get(denominator):
                derived[(period, segment, rate)] = Observation(
                    period=period,
                    kpi=rate,
                    value=min(by_kpi[numerator] / by_kpi[denominator], 1.0),
                    segment=segment,
                    source=Source(
                        file=name,
                        column=f"{_named(numerator, headers)} / {_named(denominator, headers)} (summed counts)",
                    ),
                )
    if not derived:
        return found, []
    kept = [(row, obs) for row, obs in found if (obs.period, obs.segment, obs.kpi) not in derived]
    rates = sorted({rate for _, _, rate in derived})
    targets = {(o.period, o.segment, o.kpi): o for _, o in found if o.kpi in rates}
    for key, obs in derived.items():
        given = targets.get(key)
        if given is not None and (given.target is not None or given.benchmark is not None):
            obs = obs.model_copy(update={"target": given.target, "benchmark": given.benchmark})
        kept.append((None, obs))
    return kept, [_note(rate, headers, threshold) for rate in rates]


def _named(kpi_id: str, headers: dict[str, str]) -> str:
    """The file's header for a count, or its name in words where the file has no column of its own."""
    return headers.get(kpi_id, kpi_id.replace("_", " "))


def _note(rate: str, headers: dict[str, str], threshold: int | None) -> str:
    numerator, denominator = RATES_FROM_COUNTS[rate]
    label = rate.replace("_", " ")
    how = f"{_named(numerator, headers)} / {_named(denominator, headers)}"
    if rate == "service_level":
        within = f"within {threshold} seconds" if threshold else "within the threshold"
        return (
            f"{label} is computed from the summed counts as contacts answered {within} / contacts offered "
            f"({how}): abandoned contacts count against it"
        )
    return f"{label} is computed from the summed counts ({how}), never averaged across rows"
