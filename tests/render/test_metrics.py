"""Text measurement: wrapping with real font metrics and a safe fallback."""

from __future__ import annotations

from narrator.render.metrics import Measure


def test_wrap_respects_width():
    measure = Measure("Arial")
    text = "Service level has been below the 80% target for seven consecutive months"
    lines = measure.wrap(text, 28, 400)
    assert len(lines) >= 2
    assert " ".join(lines) == text
    assert all(measure.width(line, 28) <= 400 for line in lines if " " in line)


def test_bold_is_wider_and_size_scales():
    measure = Measure("Arial")
    assert measure.width("Revenue protected", 20, bold=True) > measure.width("Revenue protected", 20)
    assert abs(measure.width("abc", 20) * 2 - measure.width("abc", 40)) < 0.01


def test_unknown_family_still_measures():
    assert Measure("No Such Font Family").width("Revenue", 12) > 0
