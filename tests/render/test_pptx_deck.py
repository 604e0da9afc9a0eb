"""The deck: structure, native charts, furniture, notes, accessibility, metadata and reproducibility."""

from __future__ import annotations

import io
import re

import pytest
from pptx import Presentation
from pptx.util import Pt

from narrator.render import render_pptx
from narrator.render.metrics import Measure
from narrator.tell.story import Segment


@pytest.fixture(scope="module")
def blob(story) -> bytes:
    return render_pptx(story)


@pytest.fixture(scope="module")
def deck(blob):
    return Presentation(io.BytesIO(blob))


def titles(deck) -> list[str]:
    return [slide.shapes.title.text_frame.text for slide in deck.slides]


def test_one_slide_per_section_with_continuation(deck, story):
    expected = [story.title.plain()] + [s.title.plain() for s in story.sections if s.kind != "cover"]
    expected.append(expected[-1] + " (continued)")
    assert titles(deck) == expected
    assert len(set(titles(deck))) == len(expected)  # unique titles, for screen-reader navigation


def test_widescreen(deck):
    assert (deck.slide_width, deck.slide_height) == (12192000, 6858000)


def test_continued_table_repeats_header(deck, story):
    appendix = story.sections[-1].table
    tables = [[s for s in slide.shapes if s.has_table][0].table for slide in list(deck.slides)[-2:]]
    header = [s.plain() for s in appendix.header]
    for table in tables:
        assert [c.text for c in table.rows[0].cells] == header
        assert table.first_row  # marked as a header row for assistive technology
    body_rows = sum(len(t.rows) - 1 for t in tables)
    assert body_rows == len(appendix.rows)


def test_table_alignment_follows_spec(deck):
    table = next(s for s in deck.slides[4].shapes if s.has_table).table
    assert (
        table.rows[1].cells[0].text_frame.paragraphs[0].alignment is None
        or table.rows[1].cells[0].text_frame.paragraphs[0].alignment == 1
    )
    for cell in list(table.rows[1].cells)[1:]:
        assert cell.text_frame.paragraphs[0].alignment == 3  # PP_ALIGN.RIGHT


def test_native_charts_with_data_and_formats(deck, story):
    charts = [s for slide in deck.slides for s in slide.shapes if s.has_chart]
    assert len(charts) == 2
    line, bar = charts[0].chart, charts[1].chart
    spec = story.sections[2].chart
    values = list(line.plots[0].series[0].values)
    assert values == list(spec.series[0].values)  # the gap stays a gap (None), never zero or NaN
    xml = line._chartSpace.xml
    assert "<c:formatCode>0.0%</c:formatCode>" in xml
    assert 'formatCode="0%"' in xml
    assert 'sourceLinked="0"' in xml
    assert '<a:prstDash val="dash"/>' in xml  # the target series
    assert "NaN" not in xml
    assert list(bar.plots[0].categories) == list(story.sections[3].chart.categories)
    assert 'formatCode="&quot;£&quot;0.0&quot;m&quot;"' in bar._chartSpace.xml


def test_chart_workbook_embedded(blob, parts):
    names = parts(blob)
    assert sum(n.startswith("ppt/embeddings/") and n.endswith(".xlsx") for n in names) == 2


def test_chart_alt_text(deck, story):
    specs = [s.chart for s in story.sections if s.chart]
    frames = [s for slide in deck.slides for s in slide.shapes if s.has_chart]
    for frame, spec in zip(frames, specs, strict=True):
        assert frame._element.nvGraphicFramePr.cNvPr.get("descr") == spec.alt_text


def test_source_line_under_each_chart(deck):
    for slide in deck.slides:
        for chart in (s for s in slide.shapes if s.has_chart):
            below = [
                s
                for s in slide.shapes
                if s.has_text_frame
                and s.text_frame.text.startswith("Source:")
                and s.top >= chart.top + chart.height
            ]
            assert below


def test_notes_on_every_content_slide(deck):
    for slide in list(deck.slides)[1:]:
        assert slide.has_notes_slide
        assert slide.notes_slide.notes_text_frame.text.strip()
    problem = deck.slides[2].notes_slide.notes_text_frame.text
    assert "Sources:" in problem
    assert "ACD interval reports" in problem


def test_slide_numbers_and_furniture(deck, blob, parts):
    entries = parts(blob)
    for n in range(2, len(deck.slides) + 1):
        xml = entries[f"ppt/slides/slide{n}.xml"].decode()
        assert re.search(rf'<a:fld [^>]*type="slidenum"[^>]*>.*?<a:t>{n}</a:t>', xml)
        assert "Data as of 31 March 2025" in xml
        assert "Acme Utilities: Customer Operations" in xml


def test_no_prompt_text_or_empty_placeholders(deck, blob, parts):
    for name, data in parts(blob).items():
        if name.startswith(("ppt/slides/", "ppt/notesSlides/")):
            text = data.decode()
            assert not any(word in text for word in ("Click to edit", "Click to add")), name
    for slide in deck.slides:
        for ph in slide.placeholders:
            assert ph.text_frame.text.strip()


def test_titles_fit_two_lines_above_floor(deck):
    measure = Measure("Arial")
    for slide in list(deck.slides)[1:]:
        title = slide.shapes.title
        run = title.text_frame.paragraphs[0].runs[0]
        assert run.font.size >= Pt(20)
        width = (title.width - 182880) / 12700
        assert measure.lines(title.text_frame.text, run.font.size.pt, width, bold=True) <= 2


def test_body_text_never_below_floor(deck):
    for slide in deck.slides:
        for shape in slide.shapes:
            if shape.has_text_frame and shape.name not in (
                "Data as of",
                "Footer",
                "Slide number",
                "Source",
                "Table caption",
            ):
                for para in shape.text_frame.paragraphs:
                    for run in para.runs:
                        assert run.font.size is None or run.font.size >= Pt(12), shape.name


def test_long_title_shrinks_then_wraps(story):
    words = "Service level has fallen below the agreed target in every month of the second half " * 3
    section = story.sections[2].model_copy(update={"title": Segment.literal("t", words.strip())})
    deck = Presentation(io.BytesIO(render_pptx(story.model_copy(update={"sections": (section,)}))))
    title = deck.slides[1].shapes.title
    assert title.text_frame.paragraphs[0].runs[0].font.size == Pt(20)
    chart = next(s for s in deck.slides[1].shapes if s.has_chart)
    assert chart.top >= title.top + title.height  # the body moved down rather than overlapping


def test_clean_document_properties(deck, blob, parts, leftovers):
    core = deck.core_properties
    assert core.title == "Contact centre: restoring service to protect £5.6m"
    assert core.author == core.last_modified_by == "Jane Smith, Director of Customer Operations"
    assert core.revision == 1
    assert core.created == core.modified
    assert core.created.date().isoformat() == "2025-04-14"
    assert core.keywords == "contact centre; service level; investment"
    docprops = b"".join(v for k, v in parts(blob).items() if k.startswith("docProps/")).decode()
    assert "<Company>Acme Utilities plc</Company>" in docprops
    assert not any(word in docprops for word in leftovers)
    assert "docProps/thumbnail.jpeg" not in parts(blob)


def test_byte_identical_builds(story, blob):
    assert render_pptx(story) == blob


def test_zip_entries_have_fixed_timestamps(blob):
    import zipfile

    with zipfile.ZipFile(io.BytesIO(blob)) as zf:
        stamps = {info.date_time for info in zf.infolist()}
    assert stamps == {(2025, 4, 14, 0, 0, 0)}


def test_valid_open_xml(blob, audit):
    assert audit("deck.pptx", blob) == []


def test_combo_and_waterfall_charts(rich_story, audit):
    blob = render_pptx(rich_story)
    deck = Presentation(io.BytesIO(blob))
    charts = [s.chart for slide in deck.slides for s in slide.shapes if s.has_chart]
    combo, waterfall = charts[2], charts[3]
    plot_area = combo._chartSpace.chart.plotArea
    assert plot_area.find("{*}barChart") is not None
    assert plot_area.find("{*}lineChart") is not None
    axes = plot_area.findall("{*}valAx")
    assert len(axes) == 2
    assert axes[1].find("{*}axPos").get("val") == "r"
    assert 'formatCode="0%"' in combo._chartSpace.xml
    bars = waterfall.plots[0]
    assert bars._element.find("{*}grouping").get("val") == "stacked"
    base, rise, fall, total = (list(s.values) for s in bars.series)
    assert base == [None, 4.1, pytest.approx(4.5), pytest.approx(3.1), None]
    assert rise == [None, 2.2, None, None, None]
    assert fall == [None, None, 1.8, 1.4, None]
    assert total == [4.1, None, None, None, 3.1]
    assert "<a:noFill/>" in waterfall.plots[0].series[0]._element.xml  # the invisible base
    assert audit("rich.pptx", blob) == []


def test_nan_values_become_gaps(story):
    chart = story.sections[2].chart
    series = chart.series[0].model_copy(update={"values": (0.8, float("nan"), 0.82) + (0.8,) * 9})
    spec = chart.model_copy(update={"series": (series, chart.series[1])})
    section = story.sections[2].model_copy(update={"chart": spec})
    deck = Presentation(io.BytesIO(render_pptx(story.model_copy(update={"sections": (section,)}))))
    plotted = next(s for s in deck.slides[1].shapes if s.has_chart).chart
    assert list(plotted.plots[0].series[0].values)[:3] == [0.8, None, 0.82]


def test_libreoffice_converts_the_deck(blob, to_pdf):
    pdf = to_pdf("deck.pptx", blob)
    assert pdf.startswith(b"%PDF")
    assert pdf.count(b"/Type /Page\n") + pdf.count(b"/Type/Page") >= 1
