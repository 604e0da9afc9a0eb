"""Value figures the KPI data also measures, set against the data's figure: which are compared, and the warning."""

from __future__ import annotations

from narrator.catalogue import Catalogue
from narrator.compute.kpi_facts import KpiSeries
from narrator.dataset import ValueItem
from narrator.periods import parse_period
from narrator.provenance import Source
from narrator.value.against_data import compare_with_data, gap_warning

CATALOGUE = Catalogue.build({})
DEC, NOV = parse_period("2025-12"), parse_period("2025-11")


def series(kpi: str, **by_period: float | None) -> KpiSeries:
    return KpiSeries(kpi=CATALOGUE.get(kpi), values={parse_period(p.replace("_", "-")): v
                                                     for p, v in by_period.items()})


def item(i: int, **fields) -> ValueItem:
    base = {"id": f"item_{i}", "label": f"lever {i}", "category": "cost_avoided", "amount": 1.0}
    return ValueItem(**{**base, **fields, "provenance": Source(file="values.yaml", key=f"item {i}")})


def priced(cost: float, label="blended cost per contact", name="cost_per_contact", **extra) -> ValueItem:
    return item(1, id="fcr_knowledge", inputs={
        "volume": {"value": 1_100_000, "unit": "count", "source": "ACD"},
        name: {"value": cost, "unit": "money", "label": label, "source": "Cost-to-serve model v4", **extra},
    })


def compare(items, series, segments, current, **kw):
    places = {i.id: f"values.yaml, {i.provenance.key} ({i.id})" for i in items}
    return compare_with_data(items, places, series, segments, current, **kw)


WHOLE = {"cost_per_contact": series("cost_per_contact", **{"2025_11": 4.92, "2025_12": 4.81})}


def test_a_blended_cost_five_per_cent_or_more_from_the_data_is_a_gap_naming_both_figures_and_the_period():
    (gap,) = compare([priced(4.24)], WHOLE, {}, DEC)
    assert (gap.concept, gap.value, gap.data, gap.period, gap.items) == (
        "blended cost per contact", 4.24, 4.81, DEC, ("fcr_knowledge",))
    assert gap_warning(gap, "GBP", "en_GB") == (
        "values.yaml, item 1 (fcr_knowledge): blended cost per contact £4.24 (Cost-to-serve model v4) is 11.9% "
        "below the KPI data's £4.81 for December 2025; use the data's figure, or state why the levers use this "
        "one with basis: on the input cost_per_contact"
    )


def test_a_cost_within_five_per_cent_of_the_data_is_the_same_figure():
    assert compare([priced(4.81)], WHOLE, {}, DEC) == ()
    assert compare([priced(4.60)], WHOLE, {}, DEC) == ()  # 4.4% below


def test_the_basis_on_the_input_is_carried_so_the_pack_can_state_it_instead_of_warning():
    (gap,) = compare([priced(4.24, basis="the model's marginal cost")], WHOLE, {}, DEC)
    assert gap.basis == "the model's marginal cost"


def test_the_reporting_period_is_compared_or_the_latest_before_it_with_a_value():
    data = {"cost_per_contact": series("cost_per_contact", **{"2025_11": 4.92, "2025_12": None})}
    (gap,) = compare([priced(4.24)], data, {}, DEC)
    assert (gap.data, gap.period) == (4.92, NOV)
    # A later month than the one reported is not the pack's figure.
    assert compare([priced(4.24)], WHOLE, {}, parse_period("2025-10")) == ()


def test_items_sharing_a_unit_cost_make_one_gap_cited_from_the_structured_input():
    text = item(2, id="fcr_repeat_calls", source="Repeat-contact study",
                formula="1.1m contacts x 5 pts x 1.5 repeats x £4.24 blended cost per contact")
    (gap,) = compare([text, priced(4.24)], WHOLE, {}, DEC)
    assert gap.items == ("fcr_knowledge", "fcr_repeat_calls")
    assert (gap.source, gap.place, gap.basis_on) == (
        "Cost-to-serve model v4", "values.yaml, item 1 (fcr_knowledge)", "the input cost_per_contact")
    # On its own, a text formula's figure cites the item's source and asks for basis: on the item.
    (alone,) = compare([text], WHOLE, {}, DEC)
    assert (alone.source, alone.basis_on) == ("Repeat-contact study", "the item")
    assert gap_warning(alone, "GBP", "en_GB").endswith(
        "with basis: on the item")
    assert compare([text.model_copy(update={"basis": "marginal cost"})], WHOLE, {}, DEC)[0].basis


def test_a_channel_cost_is_compared_with_the_data_segment_of_that_channel_only():
    segments = {"cost_per_contact": {"Phone": series("cost_per_contact", **{"2025_12": 5.56}),
                                     "Web chat": series("cost_per_contact", **{"2025_12": 3.00})}}
    phone = priced(5.55, label="phone cost per call", name="assisted_cpc")
    chat = priced(3.45, label="chat cost per contact", name="chat_cpc")
    assert compare([phone], WHOLE, segments, DEC) == ()
    (gap,) = compare([chat], WHOLE, segments, DEC)
    assert (gap.concept, gap.segment, gap.data) == ("web chat cost per contact", "Web chat", 3.00)
    # Two segments of one channel (two phone queues): no one figure to compare with.
    queues = {"cost_per_contact": {"Phone claims": series("cost_per_contact", **{"2025_12": 7.0}),
                                   "Phone sales": series("cost_per_contact", **{"2025_12": 3.0})}}
    assert compare([phone], WHOLE, queues, DEC) == ()


def test_a_handle_time_as_it_stands_is_compared_but_one_saved_or_expected_after_is_not():
    data = {"average_handle_time": series("average_handle_time", **{"2025_12": 425.0})}

    def aht(name: str, label: str, value: float, unit="seconds") -> ValueItem:
        return item(3, id="aht_lever", inputs={name: {"value": value, "unit": unit, "label": label, "source": "WFM"}})

    (gap,) = compare([aht("aht", "handle time per contact", 6.0, "minutes")], data, {}, DEC)
    assert (gap.concept, gap.value, gap.data, gap.unit) == ("average handle time", 360.0, 425.0, "seconds")
    assert compare([aht("aht", "handle time per contact", 7.0, "minutes")], data, {}, DEC) == ()
    assert compare([aht("aht_saved", "handle time saved per contact", 30)], data, {}, DEC) == ()
    assert compare([aht("aht_after", "handle time per contact after", 380)], data, {}, DEC) == ()


def test_a_figure_the_data_does_not_measure_is_not_compared():
    assert compare([priced(4.24)], {}, {}, DEC) == ()
    leaver = item(4, formula="405 agents x 4.6 pts lower attrition x £9,980 cost per leaver")
    assert compare([leaver], WHOLE, {}, DEC) == ()
