"""Fixtures for the quality-gate tests: small decks and papers with known faults."""

from __future__ import annotations

import io

import pytest


@pytest.fixture
def faulty_deck() -> bytes:
    """python-pptx's defaults plus the faults the gate exists to catch."""
    from pptx import Presentation
    from pptx.chart.data import CategoryChartData
    from pptx.enum.chart import XL_CHART_TYPE
    from pptx.util import Inches

    prs = Presentation()
    one = prs.slides.add_slide(prs.slide_layouts[1])
    one.shapes.title.text = "Service held steady"
    one.placeholders[1].text = "Hello {{ name }}"
    two = prs.slides.add_slide(prs.slide_layouts[5])
    two.shapes.title.text = "Service held steady"
    data = CategoryChartData()
    data.categories = ["Jan", "Feb"]
    data.add_series("Calls", (1, 2))
    two.shapes.add_chart(XL_CHART_TYPE.COLUMN_CLUSTERED, Inches(1), Inches(2), Inches(4), Inches(3), data)
    box = two.shapes.add_textbox(Inches(5.5), Inches(2), Inches(1.5), Inches(0.3))
    box.text_frame.word_wrap = True
    box.text_frame.text = "A sentence far too long for the little box it has been given on this slide"
    table = two.shapes.add_table(2, 2, Inches(5.5), Inches(4), Inches(2), Inches(0.8)).table
    table.columns[0].width = Inches(0.5)
    table.cell(0, 0).text = "Confidence"
    out = io.BytesIO()
    prs.save(out)
    return out.getvalue()


@pytest.fixture
def faulty_paper() -> bytes:
    import docx

    document = docx.Document()
    document.add_paragraph("Action title: the board should approve")
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()
