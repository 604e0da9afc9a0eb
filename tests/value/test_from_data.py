"""Levers computed from the pack's own KPI data and cited parameters, and checks of the user's claims."""

from __future__ import annotations

import pytest

from narrator.catalogue import Catalogue
from narrator.dataset import ValueItem
from narrator.errors import InputError
from narrator.periods import Period
from narrator.value.assumptions import parse_assumptions
from narrator.value.from_data import KpiData, translate_plan

DEC25 = Period("M", 2025, 12)


def param(value, unit, grade="B"):
    return {"value": value, "unit": unit, "source": "test source", "year": 2025, "grade": grade}


PARAMETERS = {
    "containment_uplift": param(0.05, "pts"),
    "fcr_uplift": param(0.03, "pts"),
    "assisted_cpc": param(8.01, "money"),
    "self_service_cpc": param(0.10, "money"),
    "cost_per_contact": param(8.01, "money"),
    "repeats_per_unresolved": param(1.5, "ratio"),
    "cost_per_attrit": param(14113, "money"),
    "attrition_reduction": param(0.05, "pts"),
    "headcount": param(200, "count", "A"),
}


def kpis(**overrides) -> KpiData:
    values = {
        "contacts_offered": {DEC25.shift(-k): 1_000_000 / 12 for k in range(12)},
        "self_service_containment": {DEC25: 0.242, DEC25.same_last_year(): 0.218},
        "first_contact_resolution": {DEC25: 0.68, DEC25.same_last_year(): 0.66},
        "agent_attrition": {DEC25: 0.338, DEC25.same_last_year(): 0.362},
    }
    values.update(overrides)
    return KpiData(values=values, catalogue=Catalogue.build({}, "config"), current=DEC25, file="kpis.csv")


def plan(*levers, parameters=PARAMETERS):
    return parse_assumptions({"parameters": parameters, "levers": list(levers)}, "assumptions.yaml")


def test_planned_levers_reproduce_the_worked_example_and_run_in_sequence():
    result = translate_plan(
        plan(
            {"lever": "containment", "id": "deflection"},
            {"lever": "fcr_repeat_contacts", "id": "fcr"},
            {"lever": "attrition"},
        ),
        kpis(),
        "USD",
    )
    amounts = {i.id: round(i.amount, 2) for i in result.items}
    assert amounts == {"deflection": 395_500.0, "fcr": 342_427.5, "attrition": 141_130.0}
    fcr = result.results["fcr"]
    assert fcr.formula == "950,000 contacts x 3.0 pts x 1.5 x $8.01 = $342,428"
    assert any("left after deflection" in n for n in fcr.notes)
    assert not any(i.realised for i in result.items)
    assert result.items[0].benefit_class == "cost_avoidance"
    assert result.items[0].low < result.items[0].amount < result.items[0].high


def test_observed_levers_value_this_years_movement():
    result = translate_plan(plan({"lever": "containment", "basis": "observed"}), kpis(), "USD")
    (item,) = result.items
    assert item.realised
    assert round(item.amount, 2) == round(1_000_000 * 0.024 * 7.91, 2)
    assert any("21.8% in 2024-12 to 24.2% in 2025-12" in a for a in item.assumptions)


def test_missing_kpi_names_the_lever_the_kpi_and_the_fix():
    data = kpis()
    del data.values["agent_attrition"]
    with pytest.raises(InputError) as error:
        translate_plan(plan({"lever": "attrition", "basis": "observed"}), data, "USD")
    assert error.value.problems == [
        "assumptions.yaml: levers[0] (attrition): needs the KPI agent_attrition (agent attrition), "
        "but kpis.csv has no value for it in 2025-12; add it to the data, or set basis: planned and give "
        "attrition_reduction under parameters"
    ]


def test_missing_year_ago_value_and_missing_parameter_are_reported_together():
    parameters = {k: v for k, v in PARAMETERS.items() if k != "self_service_cpc"}
    data = kpis(first_contact_resolution={DEC25: 0.68})
    with pytest.raises(InputError) as error:
        translate_plan(
            plan(
                {"lever": "containment"},
                {"lever": "fcr_repeat_contacts", "basis": "observed"},
                parameters=parameters,
            ),
            data,
            "USD",
        )
    assert len(error.value.problems) == 2
    assert "needs the parameter self_service_cpc" in error.value.problems[0]
    assert "a year earlier, in 2024-12" in error.value.problems[1]


def test_a_movement_the_wrong_way_leaves_the_lever_out_with_a_warning():
    data = kpis(first_contact_resolution={DEC25: 0.64, DEC25.same_last_year(): 0.66})
    result = translate_plan(plan({"lever": "fcr_repeat_contacts", "basis": "observed"}), data, "USD")
    assert result.items == ()
    assert "no improvement" in result.warnings[0]
    assert "left out" in result.warnings[0]


def test_supplied_claims_are_checked_and_an_overclaim_is_flagged():
    supplied = [
        ValueItem(id="deflection", label="d", category="cost_avoided", amount=395_500, currency="USD"),
        ValueItem(id="fcr", label="f", category="cost_avoided", amount=360_450, currency="USD"),
        ValueItem(id="attrition", label="a", category="cost_avoided", amount=141_130, currency="USD"),
        ValueItem(id="churn", label="c", category="customer_lifetime_value", amount=1, currency="USD"),
    ]
    result = translate_plan(plan(), kpis(), "USD", supplied)
    verdicts = {c.item: c.ok for c in result.checks}
    assert verdicts == {"deflection": True, "fcr": False, "attrition": True}
    assert "value item 'fcr' claims $360,450 a year, 5% more than the data support" in result.warnings[0]
    assert "contacts left after deflection" in result.warnings[0]
    assert "value item 'churn' is not checked" in result.notes[0]


def test_a_supplied_item_and_a_computed_lever_on_the_same_value_warn_of_double_counting():
    supplied = [ValueItem(id="deflection", label="d", category="cost_avoided", amount=1, currency="USD")]
    result = translate_plan(plan({"lever": "containment", "id": "self_service"}), kpis(), "USD", supplied)
    assert any("counted twice" in w for w in result.warnings)


@pytest.mark.parametrize(
    ("lever", "message"),
    [
        ({"lever": "teleport"}, "levers[0] (teleport): lever: unknown lever"),
        ({"lever": "citizen_time_saved", "basis": "observed"}, "basis: observed needs a KPI movement"),
        ({"lever": "containment", "inputs": {"speed": "x"}}, "inputs.speed: containment has no such input"),
        ({"lever": "containment", "inputs": {"volume": "nowhere"}}, "no parameter 'nowhere' in this file"),
        ({"lever": "containment", "colour": "red"}, "levers[0].colour: unknown key"),
    ],
)
def test_plan_problems_name_the_lever_and_the_fix(lever, message):
    with pytest.raises(InputError) as error:
        plan(lever)
    assert any(message in p for p in error.value.problems), error.value.problems


def test_duplicate_lever_ids_are_refused():
    with pytest.raises(InputError, match="id 'containment' is already used by levers"):
        plan({"lever": "containment"}, {"lever": "containment"})


def test_inputs_can_point_at_other_parameters_and_kpis():
    parameters = {**PARAMETERS, "phone_cpc": param(5.25, "money")}
    result = translate_plan(
        plan(
            {
                "lever": "containment",
                "inputs": {"assisted_cpc": "phone_cpc", "uplift": "kpi:self_service_containment:change"},
            },
            parameters=parameters,
        ),
        kpis(),
        "USD",
    )
    assert round(result.items[0].amount, 2) == round(1_000_000 * 0.024 * (5.25 - 0.10), 2)
