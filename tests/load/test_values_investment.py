"""Value items and the investment ask: formats, lenient money, driver and link checks, clear problem lines."""

from __future__ import annotations

import json

import pytest
import yaml

from narrator.load import load_investment, load_value_items
from narrator.provenance import Source

ITEMS = [
    {
        "id": "deflection",
        "label": "calls deflected to self-service",
        "category": "cost_avoided",
        "amount": 420000,
        "low": 300000,
        "high": 500000,
        "drivers": ["containment"],
        "confidence": "high",
    },
    {
        "id": "fcr_repeats",
        "label": "repeat calls avoided",
        "category": "cost_avoided",
        "amount": "£1,200,000",
        "drivers": ["FCR", "repeat_contact_rate"],
        "assumptions": ["k = 1.5 extra contacts per unresolved issue"],
    },
]


@pytest.mark.parametrize("form", ["yaml-list", "yaml-items", "json"])
def test_value_items_from_yaml_and_json(tmp_path, catalogue, form):
    if form == "json":
        path = tmp_path / "values.json"
        path.write_text(json.dumps(ITEMS))
    else:
        path = tmp_path / "values.yaml"
        path.write_text(yaml.safe_dump(ITEMS if form == "yaml-list" else {"items": ITEMS}))
    items = load_value_items(path, path.name, catalogue, "GBP")
    assert [i.id for i in items] == ["deflection", "fcr_repeats"]
    assert items[1].amount == 1_200_000
    # aliases become KPI ids so facts can look drivers up
    assert items[0].drivers == ["self_service_containment"]
    assert items[1].drivers == ["first_contact_resolution", "repeat_contact_rate"]
    assert items[1].provenance == Source(file=path.name, key="item 2")


def test_value_items_from_csv_with_semicolon_lists(tmp_path, catalogue):
    (tmp_path / "values.csv").write_text(
        "id,Label,Category,Amount,Low,High,Drivers,Assumptions,Confidence\n"
        'deflection,calls deflected,cost_avoided,"£420,000",,,containment; AHT,"CPC £5.25 (ContactBabel); '
        'containment +5 points",medium\n'
    )
    [item] = load_value_items(tmp_path / "values.csv", "values.csv", catalogue, "GBP")
    assert item.amount == 420_000
    assert item.low is None
    assert item.drivers == ["self_service_containment", "average_handle_time"]
    assert item.assumptions == ["CPC £5.25 (ContactBabel)", "containment +5 points"]
    assert item.provenance == Source(file="values.csv", row=2)


def test_value_item_problems_name_item_and_field(tmp_path, catalogue, problems_of):
    bad = [
        {"id": "Deflection", "label": "x", "category": "cost_avoided", "amount": 10},
        {"id": "fcr", "label": "x", "category": "savings", "amount": "lots", "drivers": ["web share"]},
        {
            "id": "aht",
            "label": "x",
            "category": "capacity_released",
            "amount": 100,
            "low": 200,
            "currency": "usd",
        },
        {"id": "aht", "label": "x", "category": "cost_avoided", "amount": 5, "colour": "red"},
        {"label": "no id", "category": "cost_avoided", "amount": 5},
    ]
    (tmp_path / "values.yaml").write_text(yaml.safe_dump(bad))
    assert problems_of(load_value_items, tmp_path / "values.yaml", "values.yaml", catalogue, "GBP") == [
        "values.yaml, item 1 (\"Deflection\"): id: got 'Deflection'; use lower case letters, digits and "
        "underscores, starting with a letter",
        'values.yaml, item 2 ("fcr"): amount: expected a number, got "lots"',
        'values.yaml, item 2 ("fcr"): drivers: "web share" is not a KPI the catalogue knows; use a KPI id '
        "such as first_contact_resolution, or declare it under kpis: in the config with unit and direction",
        "values.yaml, item 2 (\"fcr\"): category: got 'savings'; expected 'cost_avoided', 'cash_saving', "
        "'revenue_protected', 'customer_lifetime_value', 'risk_reduced', 'capacity_released', "
        "'citizen_value', "
        "'penalties_avoided' or 'resilience'",
        'values.yaml, item 3 ("aht"): currency: USD differs from the report\'s GBP; '
        "narrator does not convert "
        "currencies, so state the amount in GBP",
        'values.yaml, item 3 ("aht"): low (200) is above amount (100); swap or correct them',
        'values.yaml, item 4 ("aht"): colour: unknown field; check its spelling (or remove it)',
        "values.yaml, item 5: id: required field is missing; add it",
    ]


def test_duplicate_value_item_ids(tmp_path, catalogue, problems_of):
    (tmp_path / "values.yaml").write_text(yaml.safe_dump([ITEMS[0], ITEMS[0]]))
    assert problems_of(load_value_items, tmp_path / "values.yaml", "values.yaml", catalogue, "GBP") == [
        'values.yaml, item 2 ("deflection"): id "deflection" is already used by item 1; ids must be unique'
    ]


def test_value_file_shape_problems(tmp_path, catalogue, problems_of):
    (tmp_path / "values.yaml").write_text("deflection: 420000\n")
    assert problems_of(load_value_items, tmp_path / "values.yaml", "values.yaml", catalogue, "GBP") == [
        "values.yaml: expected a list of value items (or items: [...]); see samples/ for an example"
    ]
    (tmp_path / "values.yaml").write_text("- id: x\n  amount: [1\n")
    [line] = problems_of(load_value_items, tmp_path / "values.yaml", "values.yaml", catalogue, "GBP")
    assert line.startswith("values.yaml, line 3: not valid YAML")


ASK = {
    "title": "conversational IVR",
    "one_off_cost": "£250,000",
    "recurring_cost": 40000,
    "benefits": ["deflection", {"item": "fcr_repeats", "risk_adjustment": 0.2}],
    "discount_rate": 0.1,
}


def test_investment_ask_from_yaml_and_json(tmp_path):
    (tmp_path / "ask.yaml").write_text(yaml.safe_dump(ASK))
    (tmp_path / "ask.json").write_text(json.dumps(ASK))
    for name in ("ask.yaml", "ask.json"):
        ask = load_investment(tmp_path / name, name, ["deflection", "fcr_repeats"])
        assert ask.one_off_cost == 250_000
        assert [b.item for b in ask.benefits] == ["deflection", "fcr_repeats"]
        assert ask.benefits[1].risk_adjustment == 0.2


def test_investment_links_must_name_value_items(tmp_path, problems_of):
    (tmp_path / "ask.yaml").write_text(
        yaml.safe_dump({**ASK, "benefits": ["deflection", "chatbot", "deflection"]})
    )
    assert problems_of(load_investment, tmp_path / "ask.yaml", "ask.yaml", ["deflection", "fcr_repeats"]) == [
        'ask.yaml: benefits.1.item: "chatbot" is not a value item id; the ids are deflection, fcr_repeats',
        'ask.yaml: benefits.2.item: "deflection" is listed twice; keep one link per item',
    ]
    assert problems_of(load_investment, tmp_path / "ask.yaml", "ask.yaml", []) == [
        'ask.yaml: benefits.0.item: "deflection" is not a value item id; the ids are none: add inputs.values '
        "to the config",
        'ask.yaml: benefits.1.item: "chatbot" is not a value item id; the ids are none: add inputs.values '
        "to the config",
        'ask.yaml: benefits.2.item: "deflection" is listed twice; keep one link per item',
    ]


def test_investment_out_of_range_values_are_clear(tmp_path, problems_of):
    ask = {
        **ASK,
        "one_off_cost": -5000,
        "discount_rate": 8,
        "horizon_years": 0,
        "ramp": [0.5, 1.5],
        "benefits": [{"item": "deflection", "risk_adjustment": 1.2}],
    }
    (tmp_path / "ask.yaml").write_text(yaml.safe_dump(ask))
    assert problems_of(load_investment, tmp_path / "ask.yaml", "ask.yaml", ["deflection"]) == [
        "ask.yaml: one_off_cost: must be at least 0, got -5000",
        "ask.yaml: benefits.0.risk_adjustment: must be less than 1, got 1.2; "
        "rates are fractions (0.10 means 10%)",
        "ask.yaml: horizon_years: must be at least 1, got 0",
        "ask.yaml: discount_rate: must be at most 0.5, got 8; rates are fractions (0.10 means 10%)",
    ]
    (tmp_path / "ask.yaml").write_text(yaml.safe_dump({**ASK, "ramp": [0.5, 1.5]}))
    assert problems_of(load_investment, tmp_path / "ask.yaml", "ask.yaml", ["deflection", "fcr_repeats"]) == [
        "ask.yaml: ramp.1: must be between 0 and 1 (a share of the full benefit), got 1.5"
    ]


def test_investment_bad_money_text(tmp_path, problems_of):
    (tmp_path / "ask.yaml").write_text(yaml.safe_dump({**ASK, "one_off_cost": "a quarter million"}))
    assert problems_of(load_investment, tmp_path / "ask.yaml", "ask.yaml", ["deflection", "fcr_repeats"]) == [
        'ask.yaml: one_off_cost: expected a number, got "a quarter million"'
    ]
