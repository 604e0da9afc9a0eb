"""The public entry point: one Dataset from a config, and every file's problems raised together."""

from __future__ import annotations

import pytest
import yaml

from narrator.errors import InputError

KPIS = "period,kpi,value\n2025-01,SL,80%\n2025-02,SL,82%\n"
VALUES = yaml.safe_dump(
    [
        {
            "id": "deflection",
            "label": "calls deflected",
            "category": "cost_avoided",
            "amount": 420000,
            "drivers": ["SL"],
        }
    ]
)
ASK = yaml.safe_dump({"title": "IVR", "one_off_cost": 250000, "benefits": ["deflection"]})


def config(**inputs):
    return {"organisation": "Acme", "inputs": {"kpis": {"path": "kpis.csv"}, **inputs}}


def test_load_dataset_reads_all_inputs(tmp_path, build_pack):
    dataset = build_pack(
        config(values="values.yaml", investment="ask.yaml"),
        {"kpis.csv": KPIS, "values.yaml": VALUES, "ask.yaml": ASK},
    )
    assert [p.key() for p in dataset.periods] == ["2025-01", "2025-02"]
    assert dataset.kpis == ["service_level"]
    assert [i.id for i in dataset.value_items] == ["deflection"]
    assert dataset.investment.benefits[0].item == "deflection"
    assert dataset.input_files == {
        "kpis": str(tmp_path / "kpis.csv"),
        "values": str(tmp_path / "values.yaml"),
        "investment": str(tmp_path / "ask.yaml"),
    }


def test_problems_of_every_file_come_together(build_pack):
    bad_values = VALUES.replace("amount: 420000", "amount: lots")
    with pytest.raises(InputError) as caught:
        build_pack(
            config(values="values.yaml", investment="ask.yaml"),
            {"kpis.csv": KPIS + "2025-03,SL,abc\n", "values.yaml": bad_values, "ask.yaml": ASK},
        )
    # the broken value file makes the ask's links unknowable, so they are not reported as broken too
    assert caught.value.problems == [
        'kpis.csv, row 4, column "value": expected a percentage, got "abc"; fix or blank the cell',
        'values.yaml, item 1 ("deflection"): amount: expected a number, got "lots"',
    ]
    assert caught.value.exit_code == 2


def test_kpis_only(build_pack):
    dataset = build_pack(config(), {"kpis.csv": KPIS})
    assert dataset.value_items == ()
    assert dataset.investment is None
