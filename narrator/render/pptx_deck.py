"""The deck: a cover and one slide per section on the reference template, boxes sized with real metrics.

Which layout each slide takes, and where its title, text and exhibits go, is ``layouts``' decision;
the footer line is ``deck_furniture``'s; colours that must stay readable on the template's backgrounds
come from ``contrast``. This module fills the slides: fitting titles, leads, bullets, charts and tables
into the areas it is given, continuing what does not fit on further slides.
"""

from __future__ import annotations

import copy
from dataclasses import dataclass, field
from pathlib import Path

from lxml import etree
from pptx import Presentation
from pptx.opc.constants import CONTENT_TYPE as CT
from pptx.opc.constants import RELATIONSHIP_TYPE as RT
from pptx.oxml import parse_xml
from pptx.oxml.ns import qn
from pptx.parts.slide import NotesSlidePart
from pptx.shapes.placeholder import ChartPlaceholder, PicturePlaceholder, SlidePlaceholder, TablePlaceholder
from pptx.util import Emu

from narrator.errors import OfficeTemplateError
from narrator.render import charts
from narrator.render.contrast import Palette, deck_palette
from narrator.render.deck_furniture import Furniture
from narrator.render.deck_parts import (
    add_chart,
    add_slide,
    add_textbox,
    drop_slides,
    index_part_names,
    notes_body,
    place,
    prune_placeholders,
    set_name,
    text_fonts,
    theme_fonts,
    theme_fonts_of,
)
from narrator.render.deck_text import fit_size, set_plain_text, set_text, table_rows
from narrator.render.layouts import IN, Box, Choice, LayoutPlan, all_layouts, example_title_boxes, plan_layouts
from narrator.render.metrics import LINE_PITCH, Measure
from narrator.render.ooxml import open_reference
from narrator.render.tables import fits_width, paginate, row_height
from narrator.resources import reference_template
from narrator.tell.story import Section, Story, TableSpec

TITLE_MAX, TITLE_FLOOR = 28, 20
COVER_MAX, COVER_FLOOR = 40, 20
BODY_MAX, BODY_FLOOR = 18, 12
LEAD_MAX = 16
SUBTITLE_PT = (20, 16, 12)  # the cover's subtitle, purpose and classification lines
SUBTITLE_FLOOR = 12  # the gate's floor for body text
TABLE_PT, TABLE_MIN_PT, SOURCE_PT, CHART_PT = 12, 9, 10, 12
INSET = 0.1 * IN  # PowerPoint's default left/right text inset
GAP = int(0.2 * IN)
PURPOSE = {"decision": "For decision", "discussion": "For discussion", "information": "For information"}
_NO_STYLE_TABLE = "{2D5ABB26-0587-4C30-8999-92F81FD0307C}"  # "No Style, No Grid": our fills are explicit
_P = "http://schemas.openxmlformats.org/presentationml/2006/main"
_PLACEHOLDER_PROXIES = {
    "clipArt": PicturePlaceholder,
    "chart": ChartPlaceholder,
    "pic": PicturePlaceholder,
    "tbl": TablePlaceholder,
}
_A = "http://schemas.openxmlformats.org/drawingml/2006/main"
# The placeholder marks of a slide's p:sp shapes in document order, in one compiled XPath rather than a
# path find per shape (each makes a proxy for every element on its way).
_SHAPE_PLACEHOLDER_MARKS = etree.XPath("./p:sp/p:nvSpPr/p:nvPr/p:ph", namespaces={"p": _P})


@dataclass(frozen=True)
class _Template:
    """What the deck takes from a reference template, found once per template file, overrides and process."""

    key: tuple | None  # the template file (path, modification time, size); None when it cannot be stat'ed
    plan: LayoutPlan
    fonts: tuple[str, str]
    palette: Palette
    # Blank slides by layout index (deck_parts.add_slide): at most one per layout of this template.
    blanks: dict[int, object] = field(default_factory=dict, compare=False)
    # A blank notes slide cloned from the notes master (Deck._notes_slide): empty until the first deck.
    notes: list[object] = field(default_factory=list, compare=False)


_TEMPLATES: dict[tuple, _Template] = {}


def template_plan(prs, path: Path, overrides: dict[str, str] | None = None) -> _Template:
    """The layout plan, fonts and palette of a template, kept per file while its mtime and size hold."""
    try:
        stat = path.stat()
        key = (str(path.resolve()), stat.st_mtime_ns, stat.st_size, tuple(sorted((overrides or {}).items())))
    except OSError:
        key = None
    if key in _TEMPLATES:
        return _TEMPLATES[key]
    plan = plan_layouts(prs, path, overrides, example_title_boxes(prs))
    content_master = all_layouts(prs)[plan.choices["content"].index].slide_master
    fonts = text_fonts(content_master, theme_fonts(prs))
    found = _Template(key=key, plan=plan, fonts=fonts, palette=deck_palette(prs, plan))
    if key is not None:
        if len(_TEMPLATES) >= 16:
            _TEMPLATES.clear()
        _TEMPLATES[key] = found
    return found


def open_deck_template(path: Path):
    try:
        return Presentation(open_reference(path, "pptx"))
    except OfficeTemplateError:
        raise
    except Exception as exc:  # python-pptx raises many kinds on a damaged part; the user needs one message
        raise OfficeTemplateError(
            f"{path}: cannot be read as a PowerPoint template ({type(exc).__name__}); re-save it "
            "from PowerPoint as .pptx or .potx, or remove the template setting to use the built-in default"
        ) from exc


def render_deck(story: Story, reference: Path | None = None, layouts: dict[str, str] | None = None) -> bytes:
    from narrator.render.ooxml import finalise_entries, package_entries

    path = reference or reference_template("pptx")
    prs = open_deck_template(path)
    deck = _Deck(prs, path, story, layouts)
    deck.cover()
    for section in story.sections:
        if section.in_deck and section.kind != "cover":
            deck.section(section)
    for slide in prs.slides:
        prune_placeholders(slide)
    counts = {"Slides": len(prs.slides), "Notes": sum(s.has_notes_slide for s in prs.slides)}
    return finalise_entries(package_entries(prs.part.package), story.properties, counts)


class _Deck:
    def __init__(self, prs, path: Path, story: Story, overrides: dict[str, str] | None):
        self.prs, self.story = prs, story
        template = template_plan(prs, path, overrides)
        drop_slides(prs)
        self.plan, self.palette, self.blanks = template.plan.choices, template.palette, template.blanks
        self.layouts = all_layouts(prs)
        self.colours = charts.series_colours(s.chart for s in story.sections if s.in_deck and s.chart)
        self.continued: dict[str, int] = {}
        self.notes_blank = template.notes  # a fresh notes slide, cloned from the notes master once
        index_part_names(prs.part.package)
        self.theme_fonts = theme_fonts(prs)
        self.measures: dict[int, tuple[Measure, Measure]] = {}
        self.title_measure, self.body_measure = Measure(template.fonts[0]), Measure(template.fonts[1])
        self.furniture = Furniture(prs, story, template.key, self.body_measure, template.palette.furniture)

    # -- slides -------------------------------------------------------------------------------------

    def cover(self) -> None:
        story = self.story
        choice = self.plan["cover"]
        self._measure_for(choice)
        slide = add_slide(self.prs, self.layouts[choice.index], self.blanks, choice.index)
        colours = self.palette.on(choice.index)
        lines = [story.subtitle.plain(), PURPOSE[story.purpose], story.furniture.classification]
        lines = [line for line in lines if line]
        area = choice.text
        bottom = area.bottom if area is not None else int(self.prs.slide_height * 0.85)
        # The title may grow down to the subtitle's area; the subtitle then starts below the title.
        room = max(
            choice.title.h, (area.y if area is not None and area.y > choice.title.y else bottom) - choice.title.y
        )
        title_area = Box(choice.title.x, choice.title.y, choice.title.w, room)
        size, count = self._fit_title(story.title.plain(), title_area, COVER_MAX, self._floor(COVER_FLOOR))
        need = int(count * size * LINE_PITCH * 12700 + 0.1 * IN)
        # Taller than its area even at the floor: the title keeps what it needs, the subtitle moves down.
        title_box = Box(title_area.x, title_area.y, title_area.w, max(need, choice.title.h))
        self._title(slide, choice, title_box, story.title.plain(), size, colours.title)
        top = max(area.y if area is not None else 0, title_box.bottom + int(0.1 * IN))
        sub_area = Box(
            area.x if area is not None else title_box.x,
            top,
            area.w if area is not None else title_box.w,
            max(bottom - top, 0),
        )
        self._subtitle(slide, choice, sub_area, lines, colours.subtitle)
        cover = next((s for s in story.sections if s.kind == "cover"), None)
        notes = [n.plain() for n in cover.notes] if cover else []
        if story.resolution:
            notes.append(f"Resolution: {story.resolution.plain()}")
        self._notes(slide, notes, [])
        prune_placeholders(slide)

    def _subtitle(self, slide, choice: Choice, area: Box, lines: list[str], fill: str | None) -> None:
        """Subtitle, purpose and classification, a size down each, shrunk together (to 12 pt) to fit the
        area, which grows towards the foot of the page when even that is not enough."""
        scale = 1.0
        # Measured as a body placeholder is (room for a bullet's indent, half a line after each
        # paragraph) even where the text box has neither: the estimate then holds for both.
        width = area.pt_width() - 0.3125 * 72

        def height(k: float) -> float:
            total = 0.0
            for t, pt in zip(lines, SUBTITLE_PT, strict=False):
                size = max(SUBTITLE_FLOOR, pt * k)
                total += self.body_measure.lines(t, size, width, bold=True) * size * LINE_PITCH + max(8, size * 0.5)
            return total

        while scale > 0.5 and height(scale) > area.pt_height():
            scale -= 0.05
        need = int(height(scale) * 12700 + 0.1 * IN)
        floor = self.prs.slide_height - int(0.5 * IN)
        box = Box(area.x, area.y, area.w, max(area.h, min(need, floor - area.y)))
        if box.h < need:  # still short: start higher, overlapping nothing but empty page
            box = Box(area.x, max(0, floor - need), area.w, need)
        shape = self._placeholder(slide, choice.text_idx) if choice.text_idx is not None else None
        if shape is None:
            shape = add_textbox(slide, box)
            set_name(shape, "Subtitle")
        place(shape, box)
        frame = shape.text_frame
        set_text(frame, lines, max(SUBTITLE_FLOOR, SUBTITLE_PT[0] * scale), fill=fill)
        for i, para in enumerate(frame.paragraphs):
            pt = max(SUBTITLE_FLOOR, SUBTITLE_PT[min(i, 2)] * scale)
            for run in para.runs:
                run.font.size = Emu(int(pt * 12700))
                run.font.bold = i == 1
            pPr = para._p.get_or_add_pPr()
            pPr.set("marL", "0")
            pPr.set("indent", "0")
            if pPr.find(qn("a:buNone")) is None:
                pPr.append(parse_xml(f'<a:buNone xmlns:a="{_A}"/>'))
            para.space_before = Emu(0 if i == 0 else 8 * 12700)

    def section(self, section: Section) -> None:
        bullets = [b.plain() for b in section.bullets]
        table_alone = section.table is not None and not self._table_fits_beside(section, bullets)
        beside = [v for v in (section.chart, None if table_alone else section.table) if v is not None]
        role = "exhibit" if section.chart or section.table else "content"
        choice = self.plan[role]
        slide, region, text_box, visual_box = self._content_slide(
            choice, section.title.plain(), section.lead.plain() if section.lead else "", bool(bullets and beside)
        )
        if not bullets:
            visual_box = region
        elif not beside:
            text_box = region
        overflow: list[str] = []
        if bullets:
            overflow = self._bullets(slide, choice, bullets, text_box)
        chart_box = table_box = visual_box
        if section.chart and section.table and not table_alone:
            if bullets or visual_box.w < visual_box.h * 1.6:
                top_h = int(visual_box.h * 0.55)
                chart_box = Box(visual_box.x, visual_box.y, visual_box.w, top_h)
                table_box = Box(visual_box.x, visual_box.y + top_h + GAP, visual_box.w, visual_box.h - top_h - GAP)
            else:
                half = (visual_box.w - GAP) // 2
                chart_box = Box(visual_box.x, visual_box.y, half, visual_box.h)
                table_box = Box(visual_box.x + half + GAP, visual_box.y, half, visual_box.h)
        if section.chart:
            self._chart(slide, section.chart, chart_box, choice)
        sources = [s.plain() for s in section.sources]
        if section.chart:
            sources.append(section.chart.source.plain())
        if section.table and section.table.source:
            sources.append(section.table.source.plain())
        notes = [n.plain() for n in section.notes]
        self._notes(slide, notes, sources)
        self.furniture.add(slide, choice.text.union(choice.visual) if choice.visual else choice.text)
        prune_placeholders(slide)
        while overflow:
            # Bullets that do not fit even at the floor size carry on to a slide of their own.
            more, region, choice = self._continuation(section, f"Continuation of {section.heading}.", sources)
            overflow = self._bullets(more, choice, overflow, region)
        if section.table:
            self._table_pages(slide, section, None if table_alone else table_box, sources, choice)

    def _table_fits_beside(self, section: Section, bullets: list[str]) -> bool:
        """Whether the table's longest words fit side by side, at the smallest table size, in the room it
        would share with the bullets or the chart; if not, it moves to a slide of its own, full width."""
        choice = self.plan["exhibit"]
        region = choice.text.union(choice.visual) if choice.visual is not None else choice.text
        width = region.w
        if bullets:
            width = choice.visual.w if choice.visual is not None else region.w - int(region.w * 0.36) - GAP
        elif section.chart is not None and region.w >= region.h * 1.6:
            width = (region.w - GAP) // 2
        return fits_width(section.table, self.body_measure, TABLE_MIN_PT, width)

    def _content_slide(self, choice: Choice, title_text: str, lead: str, split: bool):
        """A slide on ``choice``'s layout with its title (grown down to the content area when it needs
        more lines) and lead set; returns the slide, the content region, and the text and visual areas."""
        self._measure_for(choice)
        slide = add_slide(self.prs, self.layouts[choice.index], self.blanks, choice.index)
        colours = self.palette.on(choice.index)
        region = choice.text
        if choice.visual is not None:  # an exhibit layout: text and exhibit areas together
            region = region.union(choice.visual)
        room = (
            max(choice.title.h, region.y - choice.title.y - int(0.05 * IN))
            if region.y > choice.title.y
            else choice.title.h
        )
        # The layout's own title box first (a title band stays inside its band), down to the floor size;
        # only a title that cannot fit it takes the room down to the content area.
        own = Box(choice.title.x, choice.title.y, choice.title.w, choice.title.h)
        size, lines = self._fit_title(title_text, own, TITLE_MAX, self._floor(TITLE_FLOOR))
        title_area = own
        if not self._title_fits(title_text, own, size):
            title_area = Box(choice.title.x, choice.title.y, choice.title.w, room)
            size, lines = self._fit_title(title_text, title_area, TITLE_MAX, self._floor(TITLE_FLOOR))
        need = int(lines * size * LINE_PITCH * 12700 + 0.1 * IN)
        title_box = Box(title_area.x, title_area.y, title_area.w, max(choice.title.h, min(need, room)))
        push = 0
        if need > room:  # a title that needs three lines even at the floor: grow the box, push the body down
            push = need - room
            title_box = Box(title_box.x, title_box.y, title_box.w, need)
        self._title(slide, choice, title_box, title_text, size, colours.title)
        region = Box(region.x, region.y + push, region.w, region.h - push)
        if lead:
            region = self._lead(slide, lead, region, colours.lead)
        if split and choice.visual is not None:
            # Each area starts where the layout puts it, or below the title and lead if they reach further.
            text_top, visual_top = max(choice.text.y, region.y), max(choice.visual.y, region.y)
            text_box = Box(choice.text.x, text_top, choice.text.w, choice.text.bottom - text_top)
            visual_box = Box(choice.visual.x, visual_top, choice.visual.w, choice.visual.bottom - visual_top)
        elif split:
            left_w = int(region.w * 0.36)
            text_box = Box(region.x, region.y, left_w, region.h)
            visual_box = Box(region.x + left_w + GAP, region.y, region.w - left_w - GAP, region.h)
        else:
            text_box = visual_box = region
        return slide, region, text_box, visual_box

    def _title(self, slide, choice: Choice, box: Box, text: str, size: float, fill: str | None) -> None:
        shape = self._placeholder(slide, choice.title_idx) if choice.title_idx is not None else None
        if shape is None:
            shape = _add_title(slide, box)
        place(shape, box)
        set_text(shape.text_frame, [text], size, fill=fill)  # wrapping, not auto-fitting

    @staticmethod
    def _placeholder(slide, idx: int | None):
        if idx is None:
            return None
        seen = set()
        for ph in _SHAPE_PLACEHOLDER_MARKS(slide.shapes._spTree):
            element = ph.getparent().getparent().getparent()
            if element in seen:
                continue  # only a shape's first ph counts
            seen.add(element)
            if int(ph.get("idx", "0")) == idx:
                # The proxy python-pptx's shape factory makes for a placeholder p:sp of this type,
                # without the factory's XPath lookups of the ph element found just above.
                return _PLACEHOLDER_PROXIES.get(ph.get("type", "obj"), SlidePlaceholder)(element, slide.shapes)
        return None

    def _lead(self, slide, text: str, region: Box, fill: str | None) -> Box:
        size = fit_size(
            lambda pt: self.body_measure.lines(text, pt, region.pt_width(), bold=True) <= 2,
            LEAD_MAX,
            BODY_FLOOR,
        )
        lines = self.body_measure.lines(text, size, region.pt_width(), bold=True)
        height = int(lines * size * LINE_PITCH * 12700 + 0.1 * IN)
        shape = add_textbox(slide, Box(region.x, region.y, region.w, height))
        set_name(shape, "Lead")
        set_text(shape.text_frame, [text], size, bold=True, fill=fill)
        used = height + int(0.12 * IN)
        return Box(region.x, region.y + used, region.w, region.h - used)

    def _bullets(self, slide, choice: Choice, bullets: list[str], box: Box) -> list[str]:
        """Fill the text area with as many bullets as fit at or above the floor; return those left over.

        The layout's own text placeholder takes them where it has one (any idx), else a bulleted text box.
        At least one bullet always goes, so a continuation slide always makes progress."""
        body = self._placeholder(slide, choice.text_idx)
        if body is not None and body._element.tag != qn("p:sp"):
            body = None
        own_box = body is None
        if own_box:
            body = add_textbox(slide, box)
            set_name(body, "Bullets")
        place(body, box)
        indent = 0.3125 * 72  # the hanging indent of a level-one bullet

        def fits(pt: float, items: list[str] = bullets) -> bool:
            used = sum(
                self.body_measure.lines(b, pt, box.pt_width() - indent) * pt * LINE_PITCH + pt * 0.5 for b in items
            )
            return used <= box.pt_height()

        size = fit_size(fits, BODY_MAX, BODY_FLOOR)
        shown = list(bullets)
        while len(shown) > 1 and not fits(size, shown):
            shown.pop()
        colours = self.palette.on(choice.index)
        # set_text leaves the frame wrapping and not auto-fitting
        set_text(body.text_frame, shown, size, bullets=own_box, fill=colours.body if own_box else colours.text)
        return bullets[len(shown) :]

    def _chart(self, slide, spec, box: Box, choice: Choice) -> None:
        source = spec.source.plain()
        source_h = self._source_height(source, box)
        frame = add_chart(slide, spec, Box(box.x, box.y, box.w, box.h - source_h))
        set_name(frame, f"Chart: {spec.title}"[:250])
        frame._element.nvGraphicFramePr.cNvPr.set("descr", spec.alt_text)
        charts.build(
            frame.chart_part._element, spec, CHART_PT, colours=self.colours, palette=self.palette.chart(choice.index)
        )
        self._source(slide, source, Box(box.x, box.y + box.h - source_h, box.w, source_h), choice)

    def _source_height(self, text: str, box: Box) -> int:
        lines = self.body_measure.lines(text, SOURCE_PT, box.pt_width())
        return int(lines * SOURCE_PT * LINE_PITCH * 12700 + 0.1 * IN)

    def _source(self, slide, text: str, box: Box, choice: Choice) -> None:
        shape = add_textbox(slide, box)
        set_name(shape, "Source")
        set_text(shape.text_frame, [text], SOURCE_PT, fill=self.palette.on(choice.index).source)

    def _table_pages(self, slide, section: Section, first: Box | None, sources: list[str], choice: Choice) -> None:
        """The table from ``first`` on (None: from a slide of its own), continuing on further slides."""
        spec = section.table
        caption = spec.caption.plain() if spec.caption else ""
        source = spec.source.plain() if spec.source else ""

        def frame(box: Box) -> Box:
            top = self._source_height(caption, box) if caption else 0
            bottom = self._source_height(source, box) if source else 0
            return Box(box.x, box.y + top, box.w, box.h - top - bottom)

        full = self._continuation_region(section)
        boxes = [frame(first or full), frame(full)]
        measure = self.body_measure
        narrowest = min(b.w for b in boxes)
        # A short table reads better a size up; a long one continues on further slides at 12 pt; only a
        # table whose longest words cannot sit side by side at 12 pt is set smaller.
        one_slide = [
            pt
            for pt in (14, 13)
            if fits_width(spec, measure, pt, narrowest) and len(paginate(spec, measure, pt, boxes)) == 1
        ]
        size = one_slide[0] if one_slide else TABLE_PT
        while size > TABLE_MIN_PT and not fits_width(spec, measure, size, narrowest):
            size -= 1
        pages = paginate(spec, measure, size, boxes)
        if first is not None and len(pages) > 1 and len(pages[-1][0]) == 1:
            # A continuation slide for one row: the table goes to slides of its own instead, whole if
            # it fits one, so no reader turns a page for a single line.
            alone = paginate(spec, measure, size, [boxes[1], boxes[1]])
            if len(alone) == 1 or len(alone[-1][0]) > 1:
                first, pages = None, alone
        for i, (rows, widths) in enumerate(pages):
            box = first
            if i > 0 or first is None:
                slide, box, choice = self._continuation(
                    section, f"Continuation of the table: {caption or section.heading}.", sources
                )
            self._table(slide, spec, rows, widths, box, caption, source, size, choice)

    def _continuation_title(self, section: Section, n: int | None = None) -> str:
        n = self.continued.get(section.id, 0) + 1 if n is None else n
        # Every slide title stays unique, so a screen reader's slide list tells the slides apart.
        return f"{section.title.plain()} (continued{'' if n == 1 else f', part {n + 1}'})"

    def _continuation(self, section: Section, note: str, sources: list[str]):
        """A further slide for a section whose bullets or table did not fit; returns it, its region and layout."""
        title = self._continuation_title(section)
        self.continued[section.id] = self.continued.get(section.id, 0) + 1
        choice = self.plan["content"]
        slide, region, _, _ = self._content_slide(choice, title, "", False)
        self._notes(slide, [note], sources)
        self.furniture.add(slide, choice.text.union(choice.visual) if choice.visual else choice.text)
        return slide, region, choice

    def _continuation_region(self, section: Section) -> Box:
        choice = self.plan["content"]
        title = self._continuation_title(section, n=9)  # the longest suffix: every continuation fits it
        room = (
            max(choice.title.h, choice.text.y - choice.title.y - int(0.05 * IN))
            if choice.text.y > choice.title.y
            else choice.title.h
        )
        size, lines = self._fit_title(
            title, Box(choice.title.x, choice.title.y, choice.title.w, room), TITLE_MAX, self._floor(TITLE_FLOOR)
        )
        push = max(0, int(lines * size * LINE_PITCH * 12700 + 0.1 * IN) - room)
        return Box(choice.text.x, choice.text.y + push, choice.text.w, choice.text.h - push)

    def _table(self, slide, spec: TableSpec, rows, widths, box: Box, caption: str, source: str, size: float, choice):
        colours = self.palette.on(choice.index)
        y = box.y
        if caption:
            h = self._source_height(caption, box)
            shape = add_textbox(slide, Box(box.x, y, box.w, h))
            set_name(shape, "Table caption")
            set_text(shape.text_frame, [caption], SOURCE_PT + 1, bold=True, fill=colours.caption)
            y += h
        heights = [h for _, h in rows]
        cells = [tuple(s.plain() for s in spec.header)] + [tuple(s.plain() for s in r) for r, _ in rows]
        # One row to start with: the rows are written as XML below, not cell by cell through python-pptx.
        frame = slide.shapes.add_table(1, len(widths), box.x, y, sum(widths), 1)
        set_name(frame, "Table")
        frame._element.nvGraphicFramePr.cNvPr.set("descr", caption or "Table")
        table = frame.table
        table._tbl.tblPr.find(qn("a:tableStyleId")).text = _NO_STYLE_TABLE
        # Each gridCol's width as python-pptx's column setter writes it; the frame is already their sum,
        # which is all the setter's notification would write again after every column.
        for grid_col, width in zip(table._tbl.tblGrid.gridCol_lst, widths, strict=True):
            grid_col.set("w", str(int(width)))
        header = [s.plain() for s in spec.header]
        row_heights = [row_height(header, widths, self.body_measure, size, bold=True)] + heights
        aligns = [spec.align[c] if c < len(spec.align) else "left" for c in range(len(widths))]
        table_rows(table._tbl, cells, row_heights, aligns, size, self.palette.table)
        frame.height = Emu(sum(row_heights))  # what python-pptx sets as each row's height is set
        if source:
            top = y + sum(row_heights)
            self._source(
                slide, source, Box(box.x, top + int(0.05 * IN), box.w, self._source_height(source, box)), choice
            )

    # -- text ---------------------------------------------------------------------------------------

    def _measure_for(self, choice: Choice) -> None:
        """Measure text in the fonts of the master ``choice``'s layout sits on (masters may differ)."""
        if choice.index not in self.measures:
            master = self.layouts[choice.index].slide_master
            master_theme = theme_fonts_of(master) or self.theme_fonts
            title, body = text_fonts(master, master_theme)
            self.measures[choice.index] = Measure(title), Measure(body)
        self.title_measure, self.body_measure = self.measures[choice.index]

    def _floor(self, floor: float) -> float:
        """A title's smallest size, in proportion to the page: 20 pt on a 13.33 in slide reads as 15 pt
        does on a 10 in one, so a small page may go that far (never below 16 pt, 14 pt on a portrait
        page) before a title needs a third line."""
        least = 14.0 if self.prs.slide_width < self.prs.slide_height else 16.0
        return max(least, min(floor, floor * self.prs.slide_width / (13.333 * IN)))

    def _title_fits(self, text: str, box: Box, pt: float) -> bool:
        # Title placeholders are bold in most corporate templates; measuring bold errs on the safe side.
        lines = self.title_measure.lines(text, pt, box.pt_width(), bold=True)
        return lines <= 2 and lines * pt * LINE_PITCH * 12700 <= box.h - 0.1 * IN

    def _fit_title(self, text: str, box: Box, top: int, floor: int) -> tuple[float, int]:
        size = fit_size(lambda pt: self._title_fits(text, box, pt), top, floor)
        return size, self.title_measure.lines(text, size, box.pt_width(), bold=True)

    def _notes(self, slide, notes: list[str], sources: list[str]) -> None:
        lines = list(notes)
        if sources:
            lines += ["", "Sources:"] + [f"- {s}" for s in sources]
        if not any(line.strip() for line in lines):
            return
        set_plain_text(notes_body(self._notes_slide(slide)), "\n".join(lines))

    def _notes_slide(self, slide):
        """The slide's notes slide: python-pptx clones the notes master's placeholders for the template's
        first, the rest are copies of that one (the same XML, without re-reading the master each time)."""
        if not self.notes_blank or slide.has_notes_slide:
            notes = slide.notes_slide
            if not self.notes_blank:
                self.notes_blank.append(copy.deepcopy(notes._element))
            return notes
        part = slide.part
        package = part.package
        # The master first, as python-pptx does: a template without one gets its default master here.
        master = package.presentation_part.notes_master_part
        notes_part = NotesSlidePart(
            package.next_partname("/ppt/notesSlides/notesSlide%d.xml"),
            CT.PML_NOTES_SLIDE,
            package,
            copy.deepcopy(self.notes_blank[0]),
        )
        notes_part.relate_to(master, RT.NOTES_MASTER)
        notes_part.relate_to(part, RT.SLIDE)
        part.relate_to(notes_part, RT.NOTES_SLIDE)
        return notes_part.notes_slide


def _add_title(slide, box: Box):
    """A title placeholder for a slide whose layout has none: it inherits the master's title style, and
    screen readers and the slide list still find the slide's title."""
    tree = slide.shapes._spTree
    next_id = max((int(v) for v in tree.xpath("//@id") if v.isdigit()), default=1) + 1
    sp = parse_xml(
        f'<p:sp xmlns:p="{_P}" xmlns:a="{_A}"><p:nvSpPr><p:cNvPr id="{next_id}" name="Title {next_id}"/>'
        '<p:cNvSpPr><a:spLocks noGrp="1"/></p:cNvSpPr><p:nvPr><p:ph type="title"/></p:nvPr></p:nvSpPr>'
        f'<p:spPr><a:xfrm><a:off x="{box.x}" y="{box.y}"/><a:ext cx="{box.w}" cy="{box.h}"/></a:xfrm></p:spPr>'
        '<p:txBody><a:bodyPr wrap="square" anchor="b"><a:normAutofit/></a:bodyPr><a:lstStyle/><a:p/></p:txBody></p:sp>'
    )
    tree.insert_element_before(sp, "p:extLst")
    # The title goes first in reading order, as a layout's own title placeholder would.
    tree.remove(sp)
    tree.insert(2, sp)
    return slide.shapes._shape_factory(sp)
