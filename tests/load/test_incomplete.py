"""A latest period with fewer segments or KPIs than the one before it is refused (a cut-off export)."""

from __future__ import annotations

import json

import pytest

FULL = (
    "Month,Channel,Calls offered,CSAT\n"
    "2025-10,Phone,1000,80%\n2025-10,Chat,500,90%\n"
    "2025-11,Phone,1100,81%\n2025-11,Chat,600,88%\n"
)


def config(**kpis) -> dict:
    return {
        "organisation": "Test",
        "inputs": {"kpis": {"path": "k.csv", "layout": "wide", "columns": {"segment": "Channel"}, **kpis}},
    }


def test_a_latest_month_missing_a_segment_stops_the_build_naming_it(build_pack, problems_of):
    text = FULL + "2025-12,Phone,1050,79%\n"  # the export was cut off before Chat's December row
    assert problems_of(build_pack, config(), {"k.csv": text}) == [
        "k.csv: the latest period 2025-12 has no values for segment 'Chat', which 2025-11 has; the file may be "
        "cut off or half-exported; export it again, or add 2025-12 to inputs.kpis.accept_incomplete in "
        "config.yaml to report it as it is"
    ]
    dataset = build_pack(config(accept_incomplete=["Dec 2025"]), {"k.csv": text})
    assert dataset.periods[-1].key() == "2025-12"
    assert any("2025-12 is reported as it is" in note for note in dataset.notes)


def test_a_latest_month_missing_a_kpi_stops_the_build(build_pack, problems_of):
    text = FULL + "2025-12,Phone,1050,\n2025-12,Chat,640,\n"
    assert problems_of(build_pack, config(), {"k.csv": text})[0].startswith(
        "k.csv: the latest period 2025-12 has no values for KPI csat, which 2025-11 has"
    )


def test_one_segment_missing_one_value_is_stated_and_compared_like_for_like(build_pack):
    text = FULL + "2025-12,Phone,1050,79%\n2025-12,Chat,640,\n"
    dataset = build_pack(config(), {"k.csv": text})
    assert (
        "customer satisfaction has no 2025-12 value for segment 'Chat' (it had one in 2025-11); its whole-centre "
        "figures for 2025-11 and 2025-12 cover the same other segments, so they compare like for like"
    ) in dataset.notes
    centre = {o.period.key(): o.value for o in dataset.observations if o.kpi == "csat" and o.segment is None}
    assert centre == {"2025-11": pytest.approx(0.81), "2025-12": pytest.approx(0.79)}  # Phone in both


def test_the_missing_value_reaches_the_run_record(build_pack, tmp_path):
    from narrator.pipeline import build

    build_pack(config(), {"k.csv": FULL + "2025-12,Phone,1050,79%\n2025-12,Chat,640,\n"})
    result = build(tmp_path / "config.yaml", tmp_path / "out", check="off")
    record = json.loads(result.outputs["record"].read_text())
    assert any("no 2025-12 value for segment 'Chat'" in warning for warning in record["warnings"])
