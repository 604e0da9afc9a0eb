"""Fixed XML snippets parsed once and handed out as copies: each caller gets a tree of its own."""

from __future__ import annotations

from lxml import etree

from narrator.render import chart_style
from narrator.render.deck_text import _new_run, run_properties


def test_a_chart_fragment_is_a_fresh_copy_each_time():
    first = chart_style.fragment('<a:lumMod val="55000"/>')
    first.set("val", "1")
    second = chart_style.fragment('<a:lumMod val="55000"/>')
    assert second is not first
    assert second.get("val") == "55000"  # the change to the first copy did not reach the second
    assert etree.tostring(second) == etree.tostring(
        chart_style.parse_xml(
            f'<a:lumMod xmlns:c="{chart_style._C[1:-1]}" xmlns:a="{chart_style._A[1:-1]}" val="55000"/>'
        )
    )


def test_a_run_is_a_fresh_copy_each_time():
    properties = run_properties(1400, True, None)
    first = _new_run(properties)
    first[-1].text = "first"
    second = _new_run(properties)
    assert second is not first
    assert second[-1].text is None
    assert etree.tostring(second) == (
        b'<a:r xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main"><a:rPr sz="1400" b="1"/><a:t/></a:r>'
    )
