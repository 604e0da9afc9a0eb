"""Since the last report: KPIs that crossed their target, value that moved, risks that are new."""

from __future__ import annotations

from dataclasses import dataclass

from narrator.compute.facts import Fact, FactBook
from narrator.periods import parse_period
from narrator.provenance import Source


@dataclass(frozen=True)
class SinceLast:
    previous_period: Fact
    now_on_target: tuple[str, ...]  # KPI ids off target last time, on target now
    now_off_target: tuple[str, ...]  # KPI ids on target last time, off target now
    value_before: Fact | None  # value delivered per year, as last reported
    value_change: Fact | None  # its change since, with direction
    new_risks: tuple[Fact, ...]  # delivery risks not in the last report


def since_last_facts(previous: dict, record_name: str, kpis: dict, book: FactBook, locale: str) -> SinceLast:
    """Facts comparing this pack with the run record of the last one (``previous``)."""
    source = (Source(file=record_name, key="facts"),)
    before = {f["id"]: f for f in previous.get("facts", [])}
    period = parse_period(previous["period"])
    previous_period = book.add(
        Fact(
            id="since.previous_period",
            label="period of the last report",
            value=period.label(locale) if period else str(previous["period"]),
            unit="period",
            sources=source,
        )
    )

    def on_target_before(kpi_id: str) -> bool | None:
        return previous.get("kpis", {}).get(kpi_id, {}).get("on_target")

    now_on, now_off = [], []
    for kpi_id, facts in sorted(kpis.items()):
        gap = facts.get("vs_target")
        was = on_target_before(kpi_id)
        if gap is None or was is None:
            continue
        is_on = gap.favourable is not False
        if is_on and not was:
            now_on.append(kpi_id)
        elif was and not is_on:
            now_off.append(kpi_id)

    value_before = value_change = None
    old_value = before.get("value.total.realised")
    # A record whose total was defined differently (before the headline counted cash and cost avoidance
    # alone, it added non-cash value too) is not a like-for-like figure: a "fall" would be a false claim.
    if (old_value is not None and "value.total.realised" in book
            and old_value.get("label", book.get("value.total.realised").label)
            == book.get("value.total.realised").label):
        current = book.get("value.total.realised")
        value_before = book.add(
            Fact(
                id="since.value.realised.before",
                label="value delivered per year, last report",
                value=old_value["value"],
                unit="money",
                currency=current.currency,
                sources=source,
            )
        )
        delta = current.value - old_value["value"]
        value_change = book.add(
            Fact(
                id="since.value.realised.change",
                label="change in value delivered since the last report",
                value=delta,
                unit="money",
                currency=current.currency,
                direction="flat" if abs(delta) < 0.5 else ("up" if delta > 0 else "down"),
                favourable=None if abs(delta) < 0.5 else delta > 0,
                derivation="value.total.realised - since.value.realised.before",
                sources=source,
            )
        )

    old_risks = {f["value"] for f in previous.get("facts", []) if f["id"].startswith("ask.risk.")}
    new_risks = tuple(
        fact for fact in book if fact.id.startswith("ask.risk.") and fact.value not in old_risks
    )
    return SinceLast(previous_period, tuple(now_on), tuple(now_off), value_before, value_change, new_risks)
