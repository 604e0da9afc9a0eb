"""Supplied value items reconciled with their own formulas, in sequence, at one unit cost per channel."""

from __future__ import annotations

import pytest

from narrator.dataset import ValueItem
from narrator.errors import InputError
from narrator.provenance import Source
from narrator.value.reconcile import reconcile_items
from narrator.value.sector import check_sector_fit


def item(i: int, **fields) -> ValueItem:
    base = {"id": f"item_{i}", "label": f"lever {i}", "category": "cost_avoided", "amount": 1.0}
    return ValueItem(**{**base, **fields, "provenance": Source(file="values.yaml", key=f"item {i}")})


def ivr(amount=526_470.0):
    return item(1, id="ivr_containment", amount=amount, lever="containment", inputs={
        "volume": {"value": 690_000, "unit": "count", "source": "ACD"},
        "uplift": {"value": 0.14, "unit": "pts", "source": "pilot"},
        "assisted_cpc": {"value": 5.55, "unit": "money", "label": "phone cost per call", "source": "model"},
        "self_service_cpc": {"value": 0.10, "unit": "money", "source": "model"},
    })


def knowledge_base(amount=382_897.0):
    return item(2, id="fcr_knowledge", amount=amount, lever="fcr_repeat_contacts", inputs={
        "volume": {"value": 1_100_000, "unit": "count", "source": "ACD"},
        "fcr_uplift": {"value": 0.06, "unit": "pts", "source": "case studies"},
        "repeats_per_unresolved": {"value": 1.5, "unit": "ratio", "source": "study"},
        "cost_per_contact": {"value": 4.24, "unit": "money", "label": "blended cost", "source": "model"},
    })


def run(*items, **kw):
    return reconcile_items(items, "values.yaml", "GBP", "en_GB", **kw)


def test_the_knowledge_base_acts_on_the_contacts_the_ivr_leaves():
    result = run(ivr(), knowledge_base())
    kb = next(r for r in result.records if r.item == "fcr_knowledge")
    assert kb.status == "reconciled"
    assert kb.computed == pytest.approx(382_897.44)  # (1,100,000 - 96,600) x 6 pts x 1.5 x £4.24
    assert kb.formula == "1,003,400 contacts x 6.0 pts x 1.5 x £4.24 = £382,897"
    counted = next(i for i in result.items if i.id == "fcr_knowledge")
    assert any("1,003,400 contacts left after ivr_containment" in a for a in counted.assumptions)


def test_an_amount_off_its_formula_by_more_than_one_percent_is_refused_with_the_arithmetic():
    with pytest.raises(InputError) as error:
        run(ivr(amount=540_000), knowledge_base(amount=420_000))
    assert error.value.problems == [
        "values.yaml, item 1 (ivr_containment): amount £540,000 differs from its formula by +2.6%: 690,000 "
        "contacts x 14.0 pts x (£5.55 - £0.10) = £526,470; correct the amount or the formula's inputs (or set "
        "value_claims: as_claimed in the config to keep the claim, flagged in the pack)",
        "values.yaml, item 2 (fcr_knowledge): amount £420,000 differs from its formula by +9.7%: 1,003,400 "
        "contacts x 6.0 pts x 1.5 x £4.24 = £382,897; correct the amount or the formula's inputs (or set "
        "value_claims: as_claimed in the config to keep the claim, flagged in the pack)",
    ]


def test_a_text_formula_within_rounding_reconciles():
    result = run(item(1, amount=186_000, formula="405 agents x 4.6 pts lower attrition x £9,980 cost per leaver"))
    assert result.records[0].status == "reconciled"
    assert result.records[0].computed == pytest.approx(185_927.4)


def test_as_claimed_keeps_the_amount_and_flags_it():
    result = run(ivr(amount=540_000), keep_claimed=True)
    record = result.records[0]
    assert (record.status, record.claimed, round(record.computed)) == ("as_claimed", 540_000, 526_470)
    assert result.items[0].amount == 540_000
    assert result.items[0].label.endswith("(as claimed, not reconciled)")


def test_an_unparseable_formula_is_refused_unless_claims_are_kept_and_then_marked_unreconciled():
    formula = "£15,500 credit per point x points of shortfall avoided against the 80% target"
    bad = item(1, amount=186_000, formula=formula)
    with pytest.raises(InputError, match=r"values.yaml, item 1 \(item_1\): formula .*cannot be evaluated"):
        run(bad)
    kept = run(bad, keep_claimed=True)
    assert kept.records[0].status == "unreconciled"


def test_two_levers_on_the_same_contacts_need_structured_inputs():
    text_fcr = item(2, id="fcr_knowledge", amount=419_760, formula="1.1m contacts x 6 pts x 1.5 x £4.24")
    with pytest.raises(InputError, match="act on the same contacts"):
        run(ivr(), text_fcr)


def test_two_costs_for_one_channel_name_both_sources():
    chat = item(3, id="chat_shift", amount=612_468,
                formula="9,000 chats a month x 12 x (£6.10 phone - £3.45 chat) x 2.14")
    with pytest.raises(InputError) as error:
        run(ivr(), chat)
    assert error.value.problems == [
        "values.yaml, item 3 (chat_shift): prices a phone contact at £6.10 (£6.10 phone), but values.yaml, "
        "item 1 (ivr_containment) (assisted_cpc = 5.55) prices it at £5.55; use one cost per contact per "
        "channel (from the data or a named parameter) in both"
    ]


def test_levers_that_need_customers_able_to_leave_are_refused_for_a_regulated_monopoly():
    saves = item(1, id="retained_customers", category="revenue_protected", benefit_class="non_cash")
    with pytest.raises(InputError, match="customers_can_switch: false"):
        check_sector_fit([saves], sector="private", customers_can_switch=False, places={})
    check_sector_fit([saves], sector="private", customers_can_switch=True, places={})


def test_an_outsourcer_does_not_claim_the_credits_it_avoided_as_its_clients_value():
    credits = item(1, id="service_credits", category="penalties_avoided", benefit_class="cash_saving")
    with pytest.raises(InputError, match="outsourcer's money, not value to its client"):
        check_sector_fit([credits], sector="outsourcer", customers_can_switch=True, places={})


def test_citizen_value_is_never_cash():
    time = item(1, category="citizen_value", benefit_class="cash_saving")
    with pytest.raises(InputError, match="set benefit_class: non_cash"):
        check_sector_fit([time], sector="public", customers_can_switch=True, places={})
