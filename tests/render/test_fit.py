"""Text that fits: table widths never break a word, rows grow with wrapped text, long content continues."""

from __future__ import annotations

import io

from pptx import Presentation

from narrator.render import render_docx, render_pptx
from narrator.render.metrics import Measure
from narrator.render.tables import CELL_PAD_X, column_widths, row_height
from narrator.tell.story import Section, Segment, TableSpec


def _lit(prefix: str, texts) -> tuple[Segment, ...]:
    return tuple(Segment.literal(f"{prefix}{i}", t) for i, t in enumerate(texts))


def methodology_table(rows: int = 6) -> TableSpec:
    long = (
        "Unit costs from the FY2025 cost-to-serve model (finance, March 2025); only chats resolved without a "
        "follow-up call are counted"
    )
    return TableSpec(
        header=_lit("h", ("Lever", "Formula", "Assumptions", "Source", "Confidence")),
        rows=tuple(
            _lit(
                f"r{r}.",
                (
                    "Repeat calls avoided through better first-contact resolution",
                    "1.1m contacts x 5 pts FCR gain x 1.5 repeat contacts per unresolved issue x £4.20",
                    long,
                    "Meridian cost-to-serve model v4, signed off by Finance",
                    "High" if r % 2 else "Medium",
                ),
            )
            for r in range(rows)
        ),
        align=("left", "left", "left", "left", "left"),
    )


def test_no_column_narrower_than_its_longest_word():
    measure = Measure("Arial")
    spec = methodology_table()
    widths = column_widths(spec, measure, 12, int(12.33 * 914400))
    for c, width in enumerate(widths):
        words = [w for row in [spec.header, *spec.rows] for w in row[c].plain().split()]
        longest = max(measure.width(w, 12, bold=True) for w in words)
        assert (width - CELL_PAD_X) / 12700 >= longest
    assert sum(widths) == int(12.33 * 914400)


def test_short_columns_get_their_whole_line():
    measure = Measure("Arial")
    widths = column_widths(methodology_table(), measure, 12, int(12.33 * 914400))
    confidence = (widths[-1] - CELL_PAD_X) / 12700
    assert measure.lines("Confidence", 12, confidence, bold=True) == 1
    assert measure.lines("Medium", 12, confidence) == 1


def test_wrapped_rows_are_measured_taller():
    measure = Measure("Arial")
    one = row_height(["Short"], [int(3 * 914400)], measure, 12)
    two = row_height(
        ["Repeat calls avoided through better first-contact resolution"], [int(2 * 914400)], measure, 12
    )
    assert two >= 2 * one - CELL_PAD_X


def test_tall_table_continues_with_header_and_unique_titles(rich_story):
    spec = methodology_table(rows=24)
    section = Section(
        id="method",
        kind="appendix",
        heading="Methodology",
        title=Segment.literal("method.title", "Appendix: how each value figure was calculated"),
        table=spec,
        notes=(Segment.literal("method.notes", "Reference."),),
    )
    story = rich_story.model_copy(update={"sections": (*rich_story.sections, section)})
    deck = Presentation(io.BytesIO(render_pptx(story)))
    slides = [s for s in deck.slides if s.shapes.title.text_frame.text.startswith("Appendix: how each")]
    assert len(slides) >= 3
    titles = [s.shapes.title.text_frame.text for s in slides]
    assert len(set(titles)) == len(titles)
    assert titles[1].endswith("(continued)")
    assert titles[2].endswith("(continued, part 3)")
    for slide in slides:
        frame = next(s for s in slide.shapes if s.has_table)
        assert [c.text for c in frame.table.rows[0].cells] == [h.plain() for h in spec.header]
        size = frame.table.cell(1, 0).text_frame.paragraphs[0].runs[0].font.size.pt
        assert size >= 12  # continued before shrinking below the floor
        assert frame.top + sum(r.height for r in frame.table.rows) <= deck.slide_height - 0.45 * 914400


def test_bullets_that_overflow_at_the_floor_continue(rich_story):
    bullets = tuple(
        Segment.literal(
            f"b{i}", f"Point {i}: " + "the value case rests on evidence the board has seen before " * 3
        )
        for i in range(12)
    )
    section = rich_story.sections[1].model_copy(update={"bullets": bullets, "chart": None, "table": None})
    story = rich_story.model_copy(update={"sections": (rich_story.sections[0], section)})
    deck = Presentation(io.BytesIO(render_pptx(story)))
    assert len(deck.slides) >= 3
    assert deck.slides[2].shapes.title.text_frame.text.endswith("(continued)")
    shown = [p.text for s in list(deck.slides)[1:] for p in s.placeholders[1].text_frame.paragraphs]
    assert shown == [b.plain() for b in bullets]
    for slide in list(deck.slides)[1:]:
        assert all(r.font.size.pt >= 12 for p in slide.placeholders[1].text_frame.paragraphs for r in p.runs)


def test_one_footnote_per_distinct_source_in_a_section(rich_story, parts):
    section = next(s for s in rich_story.sections if s.chart is not None)
    same = section.chart.source
    doubled = section.model_copy(update={"sources": (same, same)})
    story = rich_story.model_copy(update={"sections": (rich_story.sections[0], doubled)})
    footnotes = parts(render_docx(story))["word/footnotes.xml"].decode("utf-8")
    assert footnotes.count(same.plain()) == 1


def test_a_continued_table_never_ends_on_a_single_row():
    from types import SimpleNamespace

    from narrator.render.tables import paginate, row_height
    from narrator.tell.story import TableSpec

    measure = Measure("Arial")
    rows = tuple((Segment.literal(f"r{i}", f"Lever {chr(65 + i)}"), Segment.literal(f"v{i}", "High")) for i in range(9))
    spec = TableSpec(header=(Segment.literal("h0", "Lever"), Segment.literal("h1", "Confidence")), rows=rows)
    one = row_height(["Lever A", "High"], [int(4 * 914400), int(2 * 914400)], measure, 14)
    box = SimpleNamespace(w=int(6 * 914400), h=one * 5)  # header + four rows a slide: 4 + 4 + 1 would orphan one
    pages = paginate(spec, measure, 14, [box, box])
    counts = [len(rows) for rows, _ in pages]
    assert sum(counts) == 9
    assert counts[-1] >= 2
    assert [cells[0].plain() for page, _ in pages for cells, _ in page] == [f"Lever {chr(65 + i)}" for i in range(9)]
