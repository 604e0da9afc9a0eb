"""A generator of small packs: monthly KPI series (optionally by channel, with targets), value items and
an ask, written as a new user would write them (a tidy CSV and a report.yaml), for the scenario suite."""

from __future__ import annotations

import csv
from dataclasses import dataclass, field
from pathlib import Path

import pytest
import yaml

from narrator.catalogue import STANDARD_KPIS


@dataclass
class Pack:
    """What a scenario's data holds. ``kpis``: KPI id -> monthly values (oldest first), or, with
    ``segments``, KPI id -> segment -> values. ``targets``: KPI id -> target (or segment -> target)."""

    kpis: dict
    months: int = 13
    start: tuple[int, int] = (2024, 12)
    targets: dict = field(default_factory=dict)
    values: list[dict] = field(default_factory=list)
    investment: dict | None = None
    headline: list[str] | None = None
    organisation: str = "Northfield Energy"


def month_keys(pack: Pack) -> list[str]:
    year, month = pack.start
    keys = []
    for _ in range(pack.months):
        keys.append(f"{year:04d}-{month:02d}")
        month += 1
        if month == 13:
            year, month = year + 1, 1
    return keys


def write_pack(pack: Pack, folder: Path) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    keys = month_keys(pack)
    rows = []
    for kpi, series in pack.kpis.items():
        by_segment = series if isinstance(series, dict) else {None: series}
        for segment, values in by_segment.items():
            assert len(values) == len(keys), (kpi, segment)
            target = pack.targets.get(kpi)
            if isinstance(target, dict):
                target = target.get(segment)
            for period, value in zip(keys, values, strict=True):
                rows.append({"period": period, "segment": segment or "", "kpi": kpi, "value": _cell(kpi, value),
                             "target": "" if target is None else _cell(kpi, target)})
    segmented = any(isinstance(s, dict) for s in pack.kpis.values())
    fields = ["period", *(["segment"] if segmented else []), "kpi", "value", "target"]
    with (folder / "kpis.csv").open("w", newline="", encoding="utf-8") as out:
        writer = csv.DictWriter(out, fieldnames=fields, extrasaction="ignore")
        writer.writeheader()
        writer.writerows(rows)
    config = {
        "organisation": pack.organisation,
        "inputs": {"kpis": {"path": "kpis.csv", "layout": "tidy",
                            "columns": {name: name for name in fields}}},
    }
    if pack.values:
        (folder / "values.yaml").write_text(yaml.safe_dump({"items": pack.values}), encoding="utf-8")
        config["inputs"]["values"] = "values.yaml"
    if pack.investment:
        (folder / "investment.yaml").write_text(yaml.safe_dump(pack.investment), encoding="utf-8")
        config["inputs"]["investment"] = "investment.yaml"
    if pack.headline:
        config["headline_kpis"] = pack.headline
    path = folder / "report.yaml"
    path.write_text(yaml.safe_dump(config, sort_keys=False), encoding="utf-8")
    return path


PERCENT = {k.id for k in STANDARD_KPIS if k.unit == "percent"}


def _cell(kpi: str, value: float | str) -> str:
    """Percentages as exports write them ("97.5%"), so no reading of bare fractions is involved; "" is a gap."""
    if value == "":
        return ""
    return f"{value * 100:.2f}%" if kpi in PERCENT else f"{value:g}"


def ramp(start: float, end: float, n: int = 13) -> list[float]:
    return [round(start + (end - start) * i / (n - 1), 4) for i in range(n)]


@pytest.fixture
def make_pack(tmp_path):
    return lambda pack, name="pack": write_pack(pack, tmp_path / name)
