"""Tests for apply_in_sequence: levers on the same contacts never count a contact twice."""

from __future__ import annotations

from functools import partial

import pytest
from hypothesis import given
from hypothesis import strategies as st

from narrator.errors import InputError
from narrator.value import (
    Parameter,
    aht_capacity,
    apply_in_sequence,
    attrition,
    containment,
    fcr_repeat_contacts,
)

DEFLECT = partial(containment, uplift=0.05, assisted_cpc=8.01, self_service_cpc=0.10)
FCR = partial(fcr_repeat_contacts, fcr_uplift=0.03, repeats_per_unresolved=1.5, cost_per_contact=8.01)
AHT = partial(
    aht_capacity,
    aht_saved=30,
    occupancy=0.85,
    shrinkage=0.30,
    paid_hours_per_fte=1650,
    loaded_fte_cost=45_000,
)


def test_deflection_removes_contacts_before_fcr_counts_repeats():
    deflection, fcr, aht = apply_in_sequence(1_000_000, [DEFLECT, FCR, AHT])
    # Deflection takes 50,000 contacts to self-service; FCR then works on the 950,000 left.
    assert round(deflection.amount) == 395_500
    assert fcr.formula == "950,000 contacts x 3.0 pts x 1.5 x $8.01 = $342,428"
    assert fcr.amount == pytest.approx(950_000 * 0.03 * 1.5 * 8.01)
    assert fcr.notes[-1] == "applied to the 950,000 contacts left after containment, so none is counted twice"
    # FCR removes 42,750 repeat contacts; handle-time capacity is on the 907,250 left.
    assert aht.quantities["volume"] == pytest.approx(907_250)
    assert aht.notes[-1].startswith(
        "applied to the 907,250 contacts left after containment, fcr_repeat_contacts"
    )


def test_sequence_total_is_below_independent_total():
    sequenced = sum(r.amount for r in apply_in_sequence(1_000_000, [DEFLECT, FCR]))
    independent = DEFLECT(volume=1_000_000).amount + FCR(volume=1_000_000).amount
    assert sequenced < independent
    assert independent - sequenced == pytest.approx(50_000 * 0.03 * 1.5 * 8.01)


def test_order_is_the_callers_statement():
    fcr_first = apply_in_sequence(1_000, [FCR, DEFLECT])
    assert fcr_first[0].quantities["volume"] == 1_000
    assert fcr_first[1].quantities["volume"] == pytest.approx(1_000 - 45)


def test_parameter_volume_keeps_source_and_shrinks_range():
    volume = Parameter(value=1_000_000, unit="count", source="ACD FY25", year=2025, grade="A")
    _, fcr = apply_in_sequence(volume, [DEFLECT, FCR])
    used = fcr.inputs[0]
    assert used.value == pytest.approx(950_000)
    assert (used.low, used.high) == pytest.approx((950_000 * 0.95, 950_000 * 1.05))
    assert used.source == "ACD FY25; less 50,000 contacts removed by containment"
    assert used.grade == "A"


def test_step_that_does_not_act_on_volume_is_refused():
    with pytest.raises(InputError, match=r"step 2 \(attrition\) does not act on the contact volume"):
        apply_in_sequence(1_000, [DEFLECT, lambda volume: attrition(10, 0.1, 1_000)])


def test_removing_more_than_remains_is_an_error():
    greedy = partial(fcr_repeat_contacts, fcr_uplift=0.9, repeats_per_unresolved=1.5, cost_per_contact=1)
    with pytest.raises(InputError, match="fcr_repeat_contacts removes 1,350 contacts but only 1,000 remain"):
        apply_in_sequence(1_000, [greedy, DEFLECT])


@given(st.floats(1, 1e6), st.floats(0, 0.5), st.floats(0, 0.3))
def test_no_contact_counted_twice(volume, deflect, fcr):
    steps = [
        partial(containment, uplift=deflect, assisted_cpc=8.01, self_service_cpc=0.10),
        partial(fcr_repeat_contacts, fcr_uplift=fcr, repeats_per_unresolved=1.5, cost_per_contact=8.01),
    ]
    first, second = apply_in_sequence(volume, steps)
    removed = first.quantities["contacts_removed"] + second.quantities["contacts_removed"]
    assert removed <= volume * (1 + 1e-12)
    assert second.quantities["volume"] == pytest.approx(volume - first.quantities["contacts_removed"])
