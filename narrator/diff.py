"""Compares two run records: what the board was told last time against what it is told now."""

from __future__ import annotations

import json
import os
from dataclasses import dataclass
from pathlib import Path

from narrator.compute.facts import Fact
from narrator.errors import InputError, UserError
from narrator.limits import RECORD, read_text
from narrator.record import record_problem
from narrator.tell.formatting import Formatter


@dataclass(frozen=True)
class FactChange:
    id: str
    label: str
    before: str  # worded as the documents word it
    after: str
    # The label in the earlier record. Between two months the same fact id names a different month
    # ("prior" was October last time, November now), so the line must say which month each figure is.
    before_label: str | None = None

    def labels(self) -> str:
        if self.before_label is None or self.before_label == self.label:
            return self.label
        head, _, then = self.before_label.rpartition(", ")
        same_head, _, now = self.label.rpartition(", ")
        if head and head == same_head:
            return f"{head}, {then} -> {now}"  # "service level, 2025-11 -> 2025-12"
        return f"{self.before_label} -> {self.label}"


@dataclass(frozen=True)
class RecordDiff:
    before_period: str
    after_period: str
    changed: list[FactChange]
    added: list[str]
    removed: list[str]

    def lines(self) -> list[str]:
        out = [f"period: {self.before_period} -> {self.after_period}"]
        out += [f"changed {c.id} ({c.labels()}): {c.before} -> {c.after}" for c in self.changed]
        out += [f"added {fact_id}" for fact_id in self.added]
        out += [f"removed {fact_id}" for fact_id in self.removed]
        return out


def read_record(path: Path) -> dict:
    try:
        record = json.loads(read_text(path, str(path), RECORD, InputError, encoding="utf-8"))
    except (json.JSONDecodeError, UnicodeDecodeError, RecursionError):
        raise InputError(f"{path}: not a run record (invalid JSON); give the <slug>.run.json of a build") from None
    problem = record_problem(record)
    if problem:
        raise InputError(f"{path}: not a run record ({problem}); give the <slug>.run.json of a build")
    return record


def find_previous_record(
    explicit: Path | None, folder: Path | None, slug: str, period_key: str
) -> tuple[dict, str] | None:
    """The last report's run record and its file name: ``explicit``, or in ``folder`` the latest record of
    the same pack (same slug apart from the period) for an earlier period. None when there is none."""
    if explicit is not None:
        return read_record(explicit), explicit.name
    if folder is None or not folder.is_dir():
        return None
    base = slug.removesuffix(f"-{period_key}")
    best: tuple[dict, str] | None = None
    # A pack's records are named after its slug ("<base>-<period>.run.json"), so only files starting with
    # the base can be one. Reading every record in the folder instead made each pack of a batch read them
    # all: a thousand sites with a year of records in one folder is twelve thousand files per pack.
    with os.scandir(folder) as entries:
        names = sorted(e.name for e in entries if e.name.startswith(base) and e.name.endswith(".run.json"))
    for path in (folder / name for name in names):
        try:
            record = json.loads(read_text(path, str(path), RECORD, InputError, encoding="utf-8"))
        except (UserError, ValueError, RecursionError):
            continue  # not ours to judge: only a valid record of this pack counts
        if record_problem(record):
            continue  # a damaged record is skipped, so it cannot break every later build of the pack
        period, pack = str(record.get("period", "")), str(record.get("pack", ""))
        if pack.removesuffix(f"-{period}") != base or not period or period >= period_key:
            continue
        if best is None or period > best[0]["period"]:
            best = (record, path.name)
    return best


def as_fact(entry: dict) -> Fact:
    return Fact(
        id=entry["id"],
        label=entry.get("label", entry["id"]),
        value=entry.get("value"),
        unit=entry["unit"],
        currency=entry.get("currency"),
        direction=entry.get("direction"),
        favourable=entry.get("favourable"),
    )


def diff_records(before: dict, after: dict) -> RecordDiff:
    formatter = Formatter(after.get("locale", "en-GB"), after.get("currency", "GBP"))
    old = {f["id"]: f for f in before["facts"]}
    new = {f["id"]: f for f in after["facts"]}

    def word(entry: dict) -> str:
        # Changes carry a direction and read best signed (+2.1 pts); levels read as the documents word them.
        fact = as_fact(entry)
        return formatter.signed(fact) if fact.direction else formatter.default(fact)

    changed = []
    for fact_id in sorted(old.keys() & new.keys()):
        if old[fact_id].get("value") == new[fact_id].get("value"):
            continue
        before_text, after_text = word(old[fact_id]), word(new[fact_id])
        if before_text == after_text:
            continue  # moved below the precision the documents state it at: no stated figure changed
        label = new[fact_id].get("label", fact_id)
        changed.append(FactChange(fact_id, label, before_text, after_text, old[fact_id].get("label", fact_id)))
    return RecordDiff(
        before_period=before["period"],
        after_period=after["period"],
        changed=changed,
        added=sorted(new.keys() - old.keys()),
        removed=sorted(old.keys() - new.keys()),
    )
