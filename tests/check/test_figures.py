"""One figure per concept: the gate refuses a pack that states one concept twice or a total off its parts."""

from __future__ import annotations

import pytest

from narrator.check.figures import check_figures, shown_interval
from narrator.compute.facts import Fact, FactBook
from narrator.pipeline import prepare
from narrator.tell.story import DocumentProperties, Furniture, Section, Segment, Story, ValuePart


def money(fact_id: str, value: float, **extra) -> Fact:
    return Fact(id=fact_id, label=fact_id, value=value, unit="money", currency="GBP", **extra)


def story(*segments: Segment) -> Story:
    words = Segment.literal("w", "x")
    return Story(
        slug="pack", title=words, subtitle=words, purpose="decision",
        sections=(Section(id="s", heading="S", title=words, body=segments),),
        furniture=Furniture(data_as_of=words, footer=words),
        properties=DocumentProperties(title="t", subject="s", author="a", company="c", created="2025-12-31"),
        locale="en-GB", currency="GBP",
    )


def seg(seg_id: str, *values: tuple[str, str]) -> Segment:
    parts = []
    for i, (text, fact_id) in enumerate(values):
        parts += [" and ", ValuePart(token=f"V{seg_id}{i}", text=text, fact_id=fact_id)]
    return Segment(id=seg_id, parts=tuple(parts))


@pytest.mark.parametrize(
    ("text", "low", "high"),
    [("£1.1m", 1_050_000, 1_150_000), ("$408,994", 408_993.5, 408_994.5), ("+36.4%", 0.3635, 0.3645),
     ("−$225,805", 225_804.5, 225_805.5), ("£890k", 889_500, 890_500)],
)
def test_a_shown_figure_is_read_as_the_numbers_it_can_be_a_rounding_of(text, low, high):
    assert shown_interval(text) == pytest.approx((low, high), rel=1e-8)


def test_two_values_for_the_cost_of_doing_nothing_fail_the_gate():
    concept = "cost_of_inaction"
    book = FactBook([money("a", 1_100_000, concept=concept), money("b", 930_000, concept=concept)])
    problems = check_figures(story(seg("p1", ("£1.1m", "a")), seg("p2", ("£930k", "b"))), book)
    assert [str(p) for p in problems] == [
        "pack: figures: the cost of inaction is stated as £930k in section 's' (p2) and as £1.1m in section 's' "
        "(p1); state one figure for one concept (use the fact b in both)"
    ]


def test_one_value_at_two_roundings_passes():
    book = FactBook([money("a", 408_994, concept="npv"), money("b", 408_994.2, concept="npv")])
    assert check_figures(story(seg("p1", ("$409K", "a")), seg("p2", ("$408,994", "b"))), book) == []


def test_a_total_shown_with_its_parts_must_be_their_sum_and_not_list_what_it_leaves_out():
    book = FactBook([
        money("x", 485_352), money("y", 349_800), money("z", 1_150_000),
        money("total", 835_152, parts=("x", "y"), beside=("z",)),
        money("wrong", 935_152, parts=("x", "y")),
    ])
    good = seg("g", ("£835,152", "total"), ("£485,352", "x"), ("£349,800", "y"))
    mixed = seg("m", ("£835,152", "total"), ("£485,352", "x"), ("£349,800", "y"), ("£1,150,000", "z"))
    off = seg("o", ("£935,152", "wrong"), ("£485,352", "x"), ("£349,800", "y"))
    assert check_figures(story(good), book) == []
    assert [p.message for p in check_figures(story(mixed), book)] == [
        "the total £835,152 is shown with £1,150,000, which it does not include; state what is left out of a "
        "total apart from its parts"
    ]
    assert [p.message for p in check_figures(story(off), book)] == [
        "the total £935,152 is not the sum of the parts shown beside it (£485,352, £349,800)"
    ]


@pytest.mark.parametrize("name", ["tei-worked-example", "private-insurer", "outsourcer-client", "public-council"])
def test_every_sample_states_each_concept_with_one_value(name, sample):
    prepared = prepare(sample(name) / "report.yaml")
    stated = {p.fact_id for s in prepared.story.segments() for p in s.values()}
    concepts = {prepared.computed.book.get(f).concept for f in stated if f in prepared.computed.book}
    assert "value_delivered" in concepts  # the check has something to hold the pack to
    assert check_figures(prepared.story, prepared.computed.book) == []
