"""The run record: which inputs (with hashes) made which outputs, and every fact the documents state."""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING

from narrator import __version__
from narrator.files import sha256_bytes, sha256_file
from narrator.tell.story import Story

if TYPE_CHECKING:
    from narrator.pipeline import Prepared


def facts_used(story: Story) -> list[str]:
    """Ids of the facts the story states, in text or in charts, in first-use order."""
    seen: dict[str, None] = {}
    for segment in _all_segments(story):
        for value in segment.values():
            seen.setdefault(value.fact_id, None)
    for section in story.sections:
        if section.chart:
            for series in section.chart.series:
                for fact_id in series.fact_ids:
                    seen.setdefault(fact_id, None)
    return list(seen)


def _all_segments(story: Story):
    yield from story.segments()
    yield story.furniture.data_as_of
    yield story.furniture.footer
    for section in story.sections:
        yield from section.sources
        if section.chart:
            yield section.chart.source
        if section.table:
            yield from section.table.header
            for row in section.table.rows:
                yield from row
            if section.table.caption:
                yield section.table.caption
            if section.table.source:
                yield section.table.source


def build_run_record(prepared: Prepared, story: Story, outputs: dict[Path, bytes], polish_report) -> dict:
    """Deterministic by design (no timestamps): re-running on the same inputs rewrites nothing."""
    loaded = prepared.loaded
    book = prepared.computed.book
    inputs = {"config": {"path": str(loaded.path), "sha256": sha256_file(loaded.path)}}
    for role, path in sorted(prepared.dataset.input_files.items()):
        inputs[role] = {"path": str(path), "sha256": sha256_file(Path(path))}
    if prepared.dataset.kpi_source:  # KPI rows from a database: its URL (no password) and the rows' checksum
        inputs["kpis"] = dict(prepared.dataset.kpi_source)
    facts = []
    for fact_id in facts_used(story):
        fact = book.get(fact_id)
        facts.append(
            {
                "id": fact.id,
                "label": fact.label,
                "value": fact.value,
                "unit": fact.unit,
                **({"currency": fact.currency} if fact.currency else {}),
                **({"direction": fact.direction} if fact.direction else {}),
                **({"favourable": fact.favourable} if fact.favourable is not None else {}),
                **({"derivation": fact.derivation} if fact.derivation else {}),
                "sources": [s.describe() for s in fact.sources],
            }
        )
    record = {
        "narrator": __version__,
        "pack": story.slug,
        "period": prepared.computed.frame.current.key(),
        "locale": loaded.config.locale,
        "currency": loaded.config.currency,
        "inputs": inputs,
        "outputs": {
            path.name: {"sha256": sha256_bytes(data), "bytes": len(data)} for path, data in outputs.items()
        },
        "facts": facts,
        "kpis": _kpi_status(prepared.computed.kpis),
        "warnings": list(prepared.computed.warnings),
    }
    if polish_report is not None:
        polish = polish_report.as_dict()
        polish.pop("elapsed", None)  # timing would make every polished record differ from the last
        record["polish"] = polish
    return record


def _kpi_status(kpis: dict) -> dict:
    """Every KPI's latest value and target status, so next month's pack can say what crossed a target
    whether or not this month's text mentioned it."""
    status = {}
    for kpi_id, facts in sorted(kpis.items()):
        latest, gap = facts.get("latest"), facts.get("vs_target")
        if latest is None:
            continue
        status[kpi_id] = {
            "latest": latest.value,
            "target": facts["target"].value if facts.get("target") else None,
            "on_target": None if gap is None else gap.favourable is not False,
        }
    return status


def record_problem(record: object) -> str | None:
    """Why ``record`` cannot serve as the last report's run record, or None when it can.

    A record is read back next month, and one damaged by hand or by a tool must not break every later
    build of the pack: what the "since the last report" facts read is checked here, shape and type."""
    from narrator.periods import parse_period

    if not isinstance(record, dict) or "period" not in record or not isinstance(record.get("facts"), list):
        return "no period or facts"
    period, facts, kpis = record.get("period"), record.get("facts"), record.get("kpis", {})
    if not isinstance(period, str) or parse_period(period) is None:
        return "no period, or one that is not a month or quarter such as 2025-11"
    if not isinstance(record.get("pack", ""), str):
        return "pack is not a name"
    if not isinstance(facts, list) or not all(isinstance(f, dict) and isinstance(f.get("id"), str) for f in facts):
        return "facts is not a list of facts with ids"
    for fact in facts:
        value = fact.get("value")
        if fact["id"] == "value.total.realised" and (isinstance(value, bool) or not isinstance(value, int | float)):
            return "value.total.realised has no number"
        if fact["id"].startswith("ask.risk.") and not isinstance(value, str):
            return f"{fact['id']} is not a sentence"
    if not isinstance(kpis, dict) or not all(isinstance(k, dict) for k in kpis.values()):
        return "kpis is not a mapping of KPI ids to their status"
    if any(not isinstance(k.get("on_target"), bool | None) for k in kpis.values()):
        return "a KPI's on_target is not true, false or null"
    return None


def record_bytes(record: dict) -> bytes:
    return (json.dumps(record, indent=2, ensure_ascii=False, sort_keys=False) + "\n").encode("utf-8")
