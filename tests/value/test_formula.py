"""Text formulas as finance models write them: evaluated exactly, or refused with the reason."""

from __future__ import annotations

import pytest

from narrator.value.formula import FormulaError, evaluate_formula

EXACT = {
    # The samples' own lines, as corrected, and the figures a reviewer gets by hand.
    "690,000 calls a year x 14 pts containment uplift x (£5.55 phone - £0.10 self-service)": 526_470,
    "(1.1m contacts - 96,600 contained by the IVR) x 6 pts FCR uplift x 1.5 x £4.24 blended cost": 382_897.44,
    "9,000 extra chat contacts a month x 12 x (£6.10 phone - £3.45 chat) x 2.14": 612_468,
    "4,100 saves x 68% still in force after 12 months x £412 annual margin": 1_148_656,
    "412,000 contacts x 4.1 minutes saved / 60 x £10.35 value of an hour (DfT non-work time)": 291_387,
    "200 agents x 5 pts lower attrition x $14,113 cost per attrit = $141,130": 141_130,
    "640,000 calls / 1,000 x 0.9 fewer complaints per thousand calls x £100 cost": 57_600,
    "£40k x 2 + 5 × 3 − 1": 80_014,
}


@pytest.mark.parametrize(("text", "expected"), list(EXACT.items()))
def test_a_formula_evaluates_to_the_figure_a_reviewer_computes(text, expected):
    assert evaluate_formula(text).value == pytest.approx(expected, abs=0.005)


def test_numbers_keep_the_words_that_label_them():
    text = "690,000 calls a year x 14 pts containment uplift x (£5.55 phone - £0.10 self-service)"
    terms = evaluate_formula(text).terms
    assert [(t.written, t.label) for t in terms] == [
        ("690,000", "calls a year"), ("14 pts", "containment uplift"), ("£5.55", "phone"),
        ("£0.10", "self-service"),
    ]
    assert [t.money for t in terms] == [False, False, True, True]


def test_structured_inputs_are_named_in_the_formula():
    names = {"volume": 1_000_000, "uplift": 0.05, "assisted_cpc": 8.01, "self_service_cpc": 0.10}
    assert evaluate_formula("volume x uplift x (assisted_cpc - self_service_cpc)", names).value == pytest.approx(
        395_500
    )


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("see the finance model", "it has no numbers to compute with"),
        ("0.9 fewer complaints per 1,000 x £100", "has a number inside its label"),
        ("5 x (3 + 4", "a bracket is opened and not closed"),
        ("3 x x 4", "stands where a number is expected"),
        ("10 / (5 - 5)", "it divides by zero"),
    ],
)
def test_a_formula_that_cannot_be_read_one_way_is_refused(text, reason):
    with pytest.raises(FormulaError, match=reason.replace("(", r"\(")):
        evaluate_formula(text)
