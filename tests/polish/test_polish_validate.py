"""The deterministic checks a masked rewrite must pass before its values are restored."""

from __future__ import annotations

import pytest

from narrator.polish.validate import check_rewrite

ORIGINAL = "Service level fell to ⟦V1⟧ in ⟦V2⟧, below the ⟦V3⟧ target."


@pytest.mark.parametrize(
    "rewrite",
    [
        ORIGINAL,
        "Service levels fell to ⟦V1⟧ in ⟦V2⟧, below the ⟦V3⟧ target.",
        "Our service level fell to ⟦V1⟧ during ⟦V2⟧, below the ⟦V3⟧ target.",
        "In the period, service level fell to ⟦V1⟧ in ⟦V2⟧ — below the ⟦V3⟧ target.",
    ],
)
def test_faithful_rewrites_pass(rewrite):
    assert check_rewrite(ORIGINAL, rewrite) is None


@pytest.mark.parametrize(
    ("rewrite", "reason"),
    [
        ("Service level fell to 71% in ⟦V2⟧, below the ⟦V3⟧ target.", "validation: token ⟦V1⟧ dropped"),
        (
            "Service level fell to ⟦V1⟧ in ⟦V2⟧, below the ⟦V3⟧ target (⟦V1⟧).",
            "validation: token ⟦V1⟧ duplicated",
        ),
        (
            "Service level fell to ⟦V1⟧ in ⟦V2⟧, below the ⟦V9⟧ target ⟦V3⟧.",
            "validation: token ⟦V9⟧ invented",
        ),
        ("Service level fell to ⟦V1⟧ in ⟦V2, below the ⟦V3⟧ target.", "validation: malformed token"),
        (
            "Service level fell to ⟦V1⟧ in ⟦V2⟧, twelve points below the ⟦V3⟧ target.",
            "validation: number word 'twelve' added",
        ),
        ("Service level fell to ⟦V1⟧ in ⟦V2⟧, 9 below the ⟦V3⟧ target.", "validation: number '9' added"),
        (
            "Service level halved to ⟦V1⟧ in ⟦V2⟧, below the ⟦V3⟧ target.",
            "validation: number word 'halved' added",
        ),
        ("Service level rose to ⟦V1⟧ in ⟦V2⟧, below the ⟦V3⟧ target.", "validation: claim word 'rose' added"),
        (
            "Service level fell to ⟦V1⟧ in ⟦V2⟧, above the ⟦V3⟧ target.",
            "validation: claim word 'above' added",
        ),
        ("Service level fell to ⟦V1⟧ in ⟦V2⟧ the ⟦V3⟧ target.", "validation: claim word 'below' removed"),
        (
            "Service level fell to ⟦V1⟧ in ⟦V2⟧, below the ⟦V3⟧ target, because of staffing.",
            "validation: claim word 'because' added",
        ),
        (
            "Service level will fall to ⟦V1⟧ in ⟦V2⟧, below the ⟦V3⟧ target.",
            "validation: claim word 'will' added",
        ),
        (
            "Service level didn't fall to ⟦V1⟧ in ⟦V2⟧, below the ⟦V3⟧ target.",
            "validation: claim word 'not' added",
        ),
        (
            "Service level fell to a record ⟦V1⟧ in ⟦V2⟧, below the ⟦V3⟧ target.",
            "validation: claim word 'record' added",
        ),
        (
            "Service level fell to ⟦V1⟧ in ⟦V2⟧, below the ⟦V3⟧ target (see https://example.com).",
            "validation: link added",
        ),
        ("Service level fell to **⟦V1⟧** in ⟦V2⟧, below the ⟦V3⟧ target.", "validation: markdown added"),
        ("Service level fell to <b>⟦V1⟧</b> in ⟦V2⟧, below the ⟦V3⟧ target.", "validation: HTML added"),
        ("Service level fell to ⟦V1⟧ in ⟦V2⟧,\nbelow the ⟦V3⟧ target.", "validation: line break added"),
        (
            "Service level fell to ⟦V1⟧ in ⟦V2⟧. It is below the ⟦V3⟧ target.",
            "validation: a value moved to another sentence",
        ),
        (
            "Service level fell to ⟦V1⟧ in ⟦V2⟧, below the ⟦V3⟧target.",
            "validation: token ⟦V3⟧ glued to a word",
        ),
        ("Fell.", "validation: token ⟦V1⟧ dropped"),
    ],
)
def test_unfaithful_rewrites_fail_with_the_reason(rewrite, reason):
    assert check_rewrite(ORIGINAL, rewrite) == reason


def test_swapped_directions_are_caught_by_order():
    original = "Costs rose by ⟦V1⟧ and satisfaction fell by ⟦V2⟧."
    assert check_rewrite(original, "Costs fell by ⟦V1⟧ and satisfaction rose by ⟦V2⟧.") == (
        "validation: values or claim words reordered"
    )


def test_values_moved_to_another_metric_are_caught():
    original = "Service level reached ⟦V1⟧ and abandonment ⟦V2⟧."
    reason = check_rewrite(original, "Abandonment reached ⟦V1⟧ and service level ⟦V2⟧.")
    assert (
        reason == "validation: token ⟦V1⟧ lost the words that introduced it ('service', 'level', 'reached')"
    )


def test_reordered_values_fail_closed():
    original = "The centre answered ⟦V1⟧ of calls in ⟦V2⟧."
    assert check_rewrite(original, "In ⟦V2⟧, the centre answered ⟦V1⟧ of calls.") is not None


def test_number_words_already_in_the_original_may_stay():
    original = "First-contact resolution held at ⟦V1⟧."
    assert check_rewrite(original, "First-contact resolution remained at ⟦V1⟧.") is None
    assert check_rewrite(original, "Resolution held at ⟦V1⟧.") == "validation: number word 'first' removed"


def test_unicode_digits_and_fractions_count_as_numbers():
    original = "Costs rose by ⟦V1⟧."
    assert check_rewrite(original, "Costs rose by ⟦V1⟧ ½.").startswith("validation: number")
    assert check_rewrite(original, "Costs rose by ⟦V1⟧ ٣.").startswith("validation: number")


@pytest.mark.parametrize(
    ("original", "rewrite", "ok"),
    [
        ("Recommendation", "Our recommendation for the board", True),  # short: absolute slack
        ("Costs rose by ⟦V1⟧ across the contact centre this year.", "Costs rose by ⟦V1⟧.", True),
        (
            "Contact volume reached ⟦V1⟧ across the regional centres and their digital channels this year.",
            "Contact volume reached ⟦V1⟧.",
            False,
        ),
        (
            "Costs rose by ⟦V1⟧.",
            "Costs rose by ⟦V1⟧, which the team attributes to seasonal demand "
            "and the wider market, as reported in the paper.",
            False,
        ),
    ],
)
def test_length_bounds(original, rewrite, ok):
    reason = check_rewrite(original, rewrite)
    assert reason is None if ok else reason.startswith("validation: length"), reason
