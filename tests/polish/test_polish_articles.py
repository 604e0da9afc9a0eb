"""a/an before a restored value follows how the value is spoken."""

from __future__ import annotations

import pytest

from narrator.polish.articles import article_for, fix_articles
from narrator.tell.story import Segment, ValuePart


@pytest.mark.parametrize(
    ("value", "article"),
    [
        ("8.2%", "an"),
        ("8", "an"),
        ("11", "an"),
        ("18", "an"),
        ("80", "an"),
        ("86%", "an"),
        ("800", "an"),
        ("8,000", "an"),
        ("11,500", "an"),
        ("18,250 contacts", "an"),
        ("80,000", "an"),
        ("800,000", "an"),
        ("1.2m", "a"),
        ("1", "a"),
        ("12%", "a"),
        ("110", "a"),
        ("1,100", "a"),
        ("0.8", "a"),
        ("2.6 points", "a"),
        ("100%", "a"),
        ("1,800", "a"),
        ("£8m", "an"),
        ("£1.2m", "a"),
        ("$11.5m", "an"),
        ("€80k", "an"),
        ("US$8m", "an"),
        ("£610k", "a"),
        ("March 2025", "a"),
        ("April 2025", "an"),
        ("August", "an"),
        ("October", "an"),
        ("NHS", "an"),
        ("FCR", "an"),
        ("SLA", "an"),
        ("UK", "a"),
        ("IVR", "an"),
        ("CSAT", "a"),
        ("hour", "an"),
        ("honest", "an"),
        ("unit", "a"),
        ("uniform", "a"),
        ("European", "a"),
        ("one-off", "a"),
        ("unplanned", "an"),
        ("inbound", "an"),
        ("outbound", "an"),
        ("Billing & Payments", "a"),
        ("n/a", "an"),
    ],
)
def test_article_for(value, article):
    assert article_for(value) == article


@pytest.mark.parametrize("value", ["", "£", "—", "-"])
def test_unclear_values_leave_the_article_alone(value):
    assert article_for(value) is None


def _segment(before: str, value: str, after: str = " rise.") -> Segment:
    return Segment(id="s", parts=(before, ValuePart(token="V1", text=value, fact_id="f"), after))


@pytest.mark.parametrize(
    ("before", "value", "expected"),
    [
        ("Abandonment saw a ", "8.2%", "Abandonment saw an 8.2% rise."),
        ("Abandonment saw an ", "12%", "Abandonment saw a 12% rise."),
        ("A ", "11%", "An 11% rise."),
        ("An ", "£1.2m", "A £1.2m rise."),
        ("Costs saw a ", "£8m", "Costs saw an £8m rise."),
        ("Costs saw a ", "£1.2m", "Costs saw a £1.2m rise."),
        ("A data ", "8%", "A data 8% rise."),  # the article belongs to another word
        ("Plan a ", "—", "Plan a — rise."),  # unclear: left as written
        ("Data ", "8%", "Data 8% rise."),
    ],
)
def test_fix_articles(before, value, expected):
    assert fix_articles(_segment(before, value)).plain() == expected


def test_fix_articles_keeps_values_and_ids():
    segment = _segment("Saw a ", "8%")
    fixed = fix_articles(segment)
    assert fixed.id == "s"
    assert fixed.values() == segment.values()
    # A right article stays; a wrong one before a restored value is corrected, the value untouched.
    assert fix_articles(_segment("Saw an ", "8%")).plain() == "Saw an 8% rise."
    assert fix_articles(_segment("Saw an ", "12%")).plain() == "Saw a 12% rise."
