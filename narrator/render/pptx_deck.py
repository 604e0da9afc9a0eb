"""The deck: a cover and one slide per section on the reference template, boxes sized with real metrics."""

from __future__ import annotations

import copy
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from xml.sax.saxutils import escape

from lxml import etree
from pptx import Presentation
from pptx.enum.dml import MSO_THEME_COLOR
from pptx.enum.shapes import PP_PLACEHOLDER
from pptx.enum.text import MSO_ANCHOR, MSO_AUTO_SIZE, PP_ALIGN
from pptx.opc.constants import CONTENT_TYPE as CT
from pptx.opc.constants import RELATIONSHIP_TYPE as RT
from pptx.opc.packuri import PackURI
from pptx.oxml import parse_xml
from pptx.oxml.ns import qn
from pptx.parts.chart import ChartPart
from pptx.parts.slide import NotesSlidePart
from pptx.util import Emu, Pt

from narrator.errors import OfficeTemplateError
from narrator.render import charts
from narrator.render.metrics import LINE_PITCH, Measure
from narrator.render.ooxml import finalise_entries, open_reference, package_entries, theme_typefaces
from narrator.render.speedups import install as _speed_up_libraries
from narrator.render.tables import fits_width, paginate, row_height
from narrator.resources import reference_template
from narrator.tell.story import Section, Story, TableSpec

_speed_up_libraries()

TITLE_MAX, TITLE_FLOOR = 28, 20
COVER_MAX, COVER_FLOOR = 40, 28
BODY_MAX, BODY_FLOOR = 18, 12
LEAD_MAX = 16
TABLE_PT, TABLE_MIN_PT, SOURCE_PT, CHART_PT, FURNITURE_PT = 12, 9, 10, 12, 9
IN = 914400
INSET = 0.1 * IN  # PowerPoint's default left/right text inset
GAP = int(0.2 * IN)
PURPOSE = {"decision": "For decision", "discussion": "For discussion", "information": "For information"}
_SLIDENUM_FIELD_ID = "{B6F15528-21DE-4FAA-801E-634DDDAF4B2B}"  # any GUID will do; a fixed one keeps builds stable
_NO_STYLE_TABLE = "{2D5ABB26-0587-4C30-8999-92F81FD0307C}"  # "No Style, No Grid": our fills are explicit


@dataclass(frozen=True)
class Box:
    x: int
    y: int
    w: int
    h: int

    def pt_width(self, inset: float = 2 * INSET) -> float:
        return (self.w - inset) / 12700

    def pt_height(self, inset: float = 0.1 * IN) -> float:
        return (self.h - inset) / 12700


@dataclass(frozen=True)
class _Layouts:
    """What the deck takes from its reference template's layouts, found once per template and process."""

    key: tuple | None  # the template file (path, modification time, size); None when it cannot be stat'ed
    content: int  # index of the content layout among the slide layouts
    cover: int
    fonts: tuple[str, str]
    title_box: Box
    body_box: Box


_LAYOUTS: dict[tuple, _Layouts] = {}
_FURNITURE: dict[tuple, list] = {}  # the built footer shapes of recent decks (see _Deck.__init__, _furniture)


def _template_layouts(prs, path: Path) -> _Layouts:
    """The content and cover layouts, theme fonts and the content layout's title and body boxes.

    Looking them up walks every layout's placeholders through python-pptx; the answer depends only on
    the template file, so it is kept per file while its modification time and size stay the same."""
    try:
        stat = path.stat()
        key = (str(path.resolve()), stat.st_mtime_ns, stat.st_size)
    except OSError:
        key = None
    if key in _LAYOUTS:
        return _LAYOUTS[key]
    content = find_content_layout(prs, path)
    cover = find_cover_layout(prs) or content
    title = _placeholder(content, PP_PLACEHOLDER.TITLE)
    body = _placeholder(content, PP_PLACEHOLDER.BODY, PP_PLACEHOLDER.OBJECT)
    layouts = list(prs.slide_layouts)
    found = _Layouts(
        key=key,
        content=layouts.index(content),
        cover=layouts.index(cover),
        fonts=theme_fonts(prs),
        title_box=Box(title.left, title.top, title.width, title.height),
        body_box=Box(body.left, body.top, body.width, body.height),
    )
    if key is not None:
        if len(_LAYOUTS) >= 16:
            _LAYOUTS.clear()
        _LAYOUTS[key] = found
    return found


def render_deck(story: Story, reference: Path | None = None) -> bytes:
    path = reference or reference_template("pptx")
    try:
        prs = Presentation(open_reference(path, "pptx"))
    except OfficeTemplateError:
        raise
    except Exception as exc:  # python-pptx raises many kinds on a damaged part; the user needs one message
        raise OfficeTemplateError(
            f"{path}: cannot be read as a PowerPoint template ({type(exc).__name__}); re-save it "
            "from PowerPoint as .pptx or .potx, or remove the template setting to use the built-in default"
        ) from exc
    deck = _Deck(prs, path, story)
    deck.cover()
    for section in story.sections:
        if section.in_deck and section.kind != "cover":
            deck.section(section)
    for slide in prs.slides:
        _prune_placeholders(slide)
    counts = {"Slides": len(prs.slides), "Notes": sum(s.has_notes_slide for s in prs.slides)}
    return finalise_entries(package_entries(prs.part.package), story.properties, counts)


class _Deck:
    def __init__(self, prs, path: Path, story: Story):
        self.prs, self.story = prs, story
        _drop_slides(prs)
        layouts = _template_layouts(prs, path)
        self.content = prs.slide_layouts[layouts.content]
        self.cover_layout = prs.slide_layouts[layouts.cover]
        self.colours = charts.series_colours(s.chart for s in story.sections if s.in_deck and s.chart)
        self.continued: dict[str, int] = {}
        # (template, layout, furniture wording) -> the furniture shapes, built once: shared by the packs of
        # a batch when the template file can be identified, else kept for this deck only.
        self.furniture: dict[tuple, list] = _FURNITURE if layouts.key is not None else {}
        self.furniture_key = (layouts.key, story.furniture.model_dump_json())
        self.notes_xml = None  # a fresh notes slide, cloned from the notes master once
        _index_part_names(prs.part.package)
        self.title_measure, self.body_measure = Measure(layouts.fonts[0]), Measure(layouts.fonts[1])
        self.title_box, self.body_box = layouts.title_box, layouts.body_box

    # -- slides -------------------------------------------------------------------------------------

    def cover(self) -> None:
        story = self.story
        slide = self.prs.slides.add_slide(self.cover_layout)
        title = slide.shapes.title
        box = Box(title.left, title.top, title.width, title.height)
        size, _ = self._fit_title(story.title.plain(), box, COVER_MAX, COVER_FLOOR)
        _set_text(title.text_frame, [story.title.plain()], size)
        subtitle = next((p for p in slide.placeholders if p.placeholder_format.idx != 0), None)
        lines = [
            (story.subtitle.plain(), 20, False),
            (PURPOSE[story.purpose], 16, True),
            (story.furniture.classification, 12, False),
        ]
        if subtitle is not None:
            tf = subtitle.text_frame
            tf.word_wrap = True
            for i, (text, pt, bold) in enumerate(lines):
                para = tf.paragraphs[0] if i == 0 else tf.add_paragraph()
                run = para.add_run()
                run.text, run.font.size, run.font.bold = text, Pt(pt), bold
                para.space_before = Pt(0 if i == 0 else 8)
        cover = next((s for s in story.sections if s.kind == "cover"), None)
        notes = [n.plain() for n in cover.notes] if cover else []
        if story.resolution:
            notes.append(f"Resolution: {story.resolution.plain()}")
        self._notes(slide, notes, [])
        _prune_placeholders(slide)

    def section(self, section: Section) -> None:
        slide, region = self._content_slide(section.title.plain(), section.lead.plain() if section.lead else "")
        bullets = [b.plain() for b in section.bullets]
        visuals = [v for v in (section.chart, section.table) if v is not None]
        body = _placeholder_on(slide)
        if bullets and visuals:
            left_w = int(region.w * 0.36)
            text_box = Box(region.x, region.y, left_w, region.h)
            visual_box = Box(region.x + left_w + GAP, region.y, region.w - left_w - GAP, region.h)
        else:
            text_box = visual_box = region
        overflow: list[str] = []
        if bullets and body is not None:
            overflow = self._bullets(body, bullets, text_box)
        chart_box = table_box = visual_box
        if section.chart and section.table:
            if bullets:
                top_h = int(visual_box.h * 0.55)
                chart_box = Box(visual_box.x, visual_box.y, visual_box.w, top_h)
                table_box = Box(visual_box.x, visual_box.y + top_h + GAP, visual_box.w, visual_box.h - top_h - GAP)
            else:
                half = (visual_box.w - GAP) // 2
                chart_box = Box(visual_box.x, visual_box.y, half, visual_box.h)
                table_box = Box(visual_box.x + half + GAP, visual_box.y, half, visual_box.h)
        if section.chart:
            self._chart(slide, section.chart, chart_box)
        sources = [s.plain() for s in section.sources]
        if section.chart:
            sources.append(section.chart.source.plain())
        if section.table and section.table.source:
            sources.append(section.table.source.plain())
        notes = [n.plain() for n in section.notes]
        self._notes(slide, notes, sources)
        self._furniture(slide)
        _prune_placeholders(slide)
        while overflow:
            # Bullets that do not fit even at the floor size carry on to a slide of their own.
            more, region = self._continuation(section, f"Continuation of {section.heading}.", sources)
            more_body = _placeholder_on(more)
            if more_body is None:
                break
            rest = self._bullets(more_body, overflow, region)
            overflow = rest if len(rest) < len(overflow) else []  # a bullet taller than a slide: stop
        if section.table:
            self._table_pages(slide, section, table_box, sources)

    def _content_slide(self, title_text: str, lead: str):
        slide = self.prs.slides.add_slide(self.content)
        size, lines = self._fit_title(title_text, self.title_box, TITLE_MAX, TITLE_FLOOR)
        title = slide.shapes.title
        need = int(lines * size * LINE_PITCH * 12700 + 0.1 * IN)
        # Fail-safe for a title that needs three lines even at the floor: grow the box, push the body down.
        push = max(0, need - self.title_box.h)
        b = self.title_box
        title.left, title.top, title.width, title.height = b.x, b.y, b.w, b.h + push
        _set_text(title.text_frame, [title_text], size)
        title.text_frame.auto_size = MSO_AUTO_SIZE.NONE
        region = Box(self.body_box.x, self.body_box.y + push, self.body_box.w, self.body_box.h - push)
        if lead:
            region = self._lead(slide, lead, region)
        return slide, region

    def _lead(self, slide, text: str, region: Box) -> Box:
        size = _fit_size(
            lambda pt: self.body_measure.lines(text, pt, region.pt_width(), bold=True) <= 2,
            LEAD_MAX,
            BODY_FLOOR,
        )
        lines = self.body_measure.lines(text, size, region.pt_width(), bold=True)
        height = int(lines * size * LINE_PITCH * 12700 + 0.1 * IN)
        shape = slide.shapes.add_textbox(region.x, region.y, region.w, height)
        shape.name = "Lead"
        _set_text(shape.text_frame, [text], size, bold=True, colour=MSO_THEME_COLOR.ACCENT_1)
        used = height + int(0.12 * IN)
        return Box(region.x, region.y + used, region.w, region.h - used)

    def _bullets(self, body, bullets: list[str], box: Box) -> list[str]:
        """Fill the body with as many bullets as fit at or above the floor; return those left over."""
        body.left, body.top, body.width, body.height = box.x, box.y, box.w, box.h
        indent = 0.3125 * 72  # the hanging indent of a level-one bullet

        def fits(pt: float, items: list[str] = bullets) -> bool:
            used = sum(
                self.body_measure.lines(b, pt, box.pt_width() - indent) * pt * LINE_PITCH + pt * 0.5 for b in items
            )
            return used <= box.pt_height()

        size = _fit_size(fits, BODY_MAX, BODY_FLOOR)
        shown = list(bullets)
        while len(shown) > 1 and not fits(size, shown):
            shown.pop()
        _set_text(body.text_frame, shown, size)
        body.text_frame.auto_size = MSO_AUTO_SIZE.NONE
        body.text_frame.word_wrap = True
        return bullets[len(shown) :]

    def _chart(self, slide, spec, box: Box) -> None:
        source = spec.source.plain()
        source_h = self._source_height(source, box)
        frame = _add_chart(slide, spec, Box(box.x, box.y, box.w, box.h - source_h))
        frame.name = f"Chart: {spec.title}"[:250]
        frame._element.nvGraphicFramePr.cNvPr.set("descr", spec.alt_text)
        charts.build(frame.chart_part._element, spec, CHART_PT, colours=self.colours)
        self._source(slide, source, Box(box.x, box.y + box.h - source_h, box.w, source_h))

    def _source_height(self, text: str, box: Box) -> int:
        lines = self.body_measure.lines(text, SOURCE_PT, box.pt_width())
        return int(lines * SOURCE_PT * LINE_PITCH * 12700 + 0.1 * IN)

    def _source(self, slide, text: str, box: Box) -> None:
        shape = slide.shapes.add_textbox(box.x, box.y, box.w, box.h)
        shape.name = "Source"
        _set_text(shape.text_frame, [text], SOURCE_PT, colour=MSO_THEME_COLOR.TEXT_1, brightness=0.4)

    def _table_pages(self, slide, section: Section, first: Box, sources: list[str]) -> None:
        spec = section.table
        caption = spec.caption.plain() if spec.caption else ""
        source = spec.source.plain() if spec.source else ""

        def frame(box: Box) -> Box:
            top = self._source_height(caption, box) if caption else 0
            bottom = self._source_height(source, box) if source else 0
            return Box(box.x, box.y + top, box.w, box.h - top - bottom)

        full = self._continuation_region(section)
        boxes = [frame(first), frame(full)]
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
        for i, (rows, widths) in enumerate(pages):
            box = first
            if i > 0:
                slide, box = self._continuation(
                    section, f"Continuation of the table: {caption or section.heading}.", sources
                )
                body = _placeholder_on(slide)
                if body is not None:
                    body._element.getparent().remove(body._element)
            self._table(slide, spec, rows, widths, box, caption, source, size)

    def _continuation_title(self, section: Section, n: int | None = None) -> str:
        n = self.continued.get(section.id, 0) + 1 if n is None else n
        # Every slide title stays unique, so a screen reader's slide list tells the slides apart.
        return f"{section.title.plain()} (continued{'' if n == 1 else f', part {n + 1}'})"

    def _continuation(self, section: Section, note: str, sources: list[str]):
        """A further slide for a section whose bullets or table did not fit; returns it and its region."""
        title = self._continuation_title(section)
        self.continued[section.id] = self.continued.get(section.id, 0) + 1
        slide, region = self._content_slide(title, "")
        self._notes(slide, [note], sources)
        self._furniture(slide)
        return slide, region

    def _continuation_region(self, section: Section) -> Box:
        title = self._continuation_title(section, n=9)  # the longest suffix: every continuation fits it
        size, lines = self._fit_title(title, self.title_box, TITLE_MAX, TITLE_FLOOR)
        push = max(0, int(lines * size * LINE_PITCH * 12700 + 0.1 * IN) - self.title_box.h)
        return Box(self.body_box.x, self.body_box.y + push, self.body_box.w, self.body_box.h - push)

    def _table(self, slide, spec: TableSpec, rows, widths, box: Box, caption: str, source: str, size: float):
        y = box.y
        if caption:
            h = self._source_height(caption, box)
            shape = slide.shapes.add_textbox(box.x, y, box.w, h)
            shape.name = "Table caption"
            _set_text(shape.text_frame, [caption], SOURCE_PT + 1, bold=True, colour=MSO_THEME_COLOR.TEXT_2)
            y += h
        heights = [h for _, h in rows]
        cells = [tuple(s.plain() for s in spec.header)] + [tuple(s.plain() for s in r) for r, _ in rows]
        # One row to start with: the rows are written as XML below, not cell by cell through python-pptx.
        frame = slide.shapes.add_table(1, len(widths), box.x, y, sum(widths), 1)
        frame.name = "Table"
        frame._element.nvGraphicFramePr.cNvPr.set("descr", caption or "Table")
        table = frame.table
        table._tbl.tblPr.find(qn("a:tableStyleId")).text = _NO_STYLE_TABLE
        for col, width in zip(table.columns, widths, strict=True):
            col.width = Emu(width)
        header = [s.plain() for s in spec.header]
        row_heights = [row_height(header, widths, self.body_measure, size, bold=True)] + heights
        aligns = [spec.align[c] if c < len(spec.align) else "left" for c in range(len(widths))]
        _table_rows(table._tbl, cells, row_heights, aligns, size)
        frame.height = Emu(sum(row_heights))  # what python-pptx sets as each row's height is set
        if source:
            top = y + sum(row_heights)
            self._source(slide, source, Box(box.x, top + int(0.05 * IN), box.w, self._source_height(source, box)))

    # -- furniture ----------------------------------------------------------------------------------

    def _fit_title(self, text: str, box: Box, top: int, floor: int) -> tuple[float, int]:
        # Title placeholders are bold in most corporate templates; measuring bold errs on the safe side.
        def fits(pt: float) -> bool:
            lines = self.title_measure.lines(text, pt, box.pt_width(), bold=True)
            return lines <= 2 and lines * pt * LINE_PITCH * 12700 <= box.h - 0.1 * IN

        size = _fit_size(fits, top, floor)
        return size, self.title_measure.lines(text, size, box.pt_width(), bold=True)

    def _notes(self, slide, notes: list[str], sources: list[str]) -> None:
        lines = list(notes)
        if sources:
            lines += ["", "Sources:"] + [f"- {s}" for s in sources]
        if not any(line.strip() for line in lines):
            return
        _set_plain_text(self._notes_slide(slide).notes_text_frame, "\n".join(lines))

    def _notes_slide(self, slide):
        """The slide's notes slide: python-pptx clones the notes master's placeholders for the first, the
        rest are copies of that one (the same XML, without re-reading the master for each slide)."""
        if self.notes_xml is None or slide.has_notes_slide:
            notes = slide.notes_slide
            if self.notes_xml is None:
                self.notes_xml = copy.deepcopy(notes._element)
            return notes
        part = slide.part
        package = part.package
        notes_part = NotesSlidePart(
            package.next_partname("/ppt/notesSlides/notesSlide%d.xml"),
            CT.PML_NOTES_SLIDE,
            package,
            copy.deepcopy(self.notes_xml),
        )
        notes_part.relate_to(package.presentation_part.notes_master_part, RT.NOTES_MASTER)
        notes_part.relate_to(part, RT.SLIDE)
        part.relate_to(notes_part, RT.NOTES_SLIDE)
        return notes_part.notes_slide

    def _furniture(self, slide) -> None:
        """Data-as-of, footer and slide number: built once per layout, then copied to each slide.

        The built shapes are kept per template, layout and wording, so the next pack of a batch on the
        same template copies them too; the copies get the ids and slide number building would give."""
        layout = slide.part.part_related_by(RT.SLIDE_LAYOUT)
        key = (*self.furniture_key, str(layout.partname))
        built = self.furniture.get(key)
        tree = slide.shapes._spTree
        if built is None:
            before = set(tree)
            self._build_furniture(slide)
            if len(self.furniture) >= 64:
                self.furniture.clear()
            self.furniture[key] = [copy.deepcopy(sp) for sp in tree if sp not in before]
            return
        # The ids python-pptx would give: one more than the largest on the slide, in turn.
        next_id = max((int(v) for v in tree.xpath("//@id") if v.isdigit()), default=0) + 1
        number = str(len(self.prs.slides))
        for shape in built:
            sp = copy.deepcopy(shape)
            sp.nvSpPr.cNvPr.set("id", str(next_id))
            next_id += 1
            for field in sp.iter(qn("a:fld")):
                field.find(qn("a:t")).text = number
            tree.insert_element_before(sp, "p:extLst")

    def _build_furniture(self, slide) -> None:
        story = self.story
        footer = story.furniture.footer.plain()
        if story.furniture.classification:
            footer = f"{footer}  |  {story.furniture.classification}" if footer else story.furniture.classification
        texts = {PP_PLACEHOLDER.DATE: story.furniture.data_as_of.plain(), PP_PLACEHOLDER.FOOTER: footer}
        number = len(self.prs.slides)
        width, height = self.prs.slide_width, self.prs.slide_height
        fallback = {
            PP_PLACEHOLDER.DATE: (
                Box(int(0.5 * IN), height - int(0.45 * IN), int(width * 0.35), int(0.3 * IN)),
                PP_ALIGN.LEFT,
            ),
            PP_PLACEHOLDER.FOOTER: (
                Box(int(width * 0.38), height - int(0.45 * IN), int(width * 0.4), int(0.3 * IN)),
                PP_ALIGN.CENTER,
            ),
            PP_PLACEHOLDER.SLIDE_NUMBER: (
                Box(width - int(1.7 * IN), height - int(0.45 * IN), int(1.2 * IN), int(0.3 * IN)),
                PP_ALIGN.RIGHT,
            ),
        }
        for ph_type, (box, align) in fallback.items():
            # Text boxes at the template's footer positions, not cloned placeholders: LibreOffice and
            # other viewers drop or restyle slide-level footer placeholders, text boxes show everywhere.
            layout_ph = _placeholder(slide.slide_layout, ph_type, required=False)
            if layout_ph is not None:
                box = Box(layout_ph.left, layout_ph.top, layout_ph.width, layout_ph.height)
            shape = slide.shapes.add_textbox(box.x, box.y, box.w, box.h)
            shape.name = {
                PP_PLACEHOLDER.DATE: "Data as of",
                PP_PLACEHOLDER.FOOTER: "Footer",
                PP_PLACEHOLDER.SLIDE_NUMBER: "Slide number",
            }[ph_type]
            frame = shape.text_frame
            frame.word_wrap = True  # a wrap-less box hugs its text and drifts off the template's alignment
            frame.vertical_anchor = MSO_ANCHOR.MIDDLE
            frame.margin_left = frame.margin_right = frame.margin_top = frame.margin_bottom = 0
            para = frame.paragraphs[0]
            para.alignment = align
            if ph_type == PP_PLACEHOLDER.SLIDE_NUMBER:
                _slide_number_field(para, number)
            else:
                para.add_run().text = texts[ph_type]
            for run in para.runs:
                run.font.size = Pt(FURNITURE_PT)
                run.font.color.theme_color = MSO_THEME_COLOR.TEXT_1
                run.font.color.brightness = 0.35


# -- helpers --------------------------------------------------------------------------------------------


def _fit_size(fits, top: float, floor: float) -> float:
    size = top
    while size > floor and not fits(size):
        size -= 1
    return size


def _set_text(
    frame, paragraphs: list[str], size: float, bold: bool | None = None, colour=None, brightness: float = 0.0
) -> None:
    """One run per paragraph at ``size`` pt, the frame wrapping and not auto-fitting.

    The runs are written as the XML python-pptx writes for ``add_run`` and its font settings (size, bold,
    theme colour with a tint), without a proxy object per setting: text is most of a deck's elements."""
    frame.word_wrap = True
    frame.auto_size = MSO_AUTO_SIZE.NONE
    body = frame._txBody
    existing = body.findall(qn("a:p"))
    run_properties = _run_properties(Pt(size).centipoints, bold, colour, brightness)
    for i, text in enumerate(paragraphs):
        para = existing[0] if i == 0 and existing else body.add_p()
        for old in para.findall(qn("a:r")):
            para.remove(old)
        run = parse_xml(f'<a:r xmlns:a="{_A}">{run_properties}<a:t/></a:r>')
        run.find(qn("a:t")).text = _CTRL.sub(_ctrl_escape, text)
        end = para.find(qn("a:endParaRPr"))
        if end is not None:
            end.addprevious(run)
        else:
            para.append(run)
    for extra in existing[max(1, len(paragraphs)) :]:
        body.remove(extra)


@lru_cache(maxsize=64)
def _run_properties(centipoints: int, bold: bool | None, colour, brightness: float) -> str:
    """The a:rPr python-pptx writes for a run's size, bold and theme colour (a tint as lumMod/lumOff)."""
    attributes = f' sz="{centipoints}"' + ("" if bold is None else f' b="{int(bold)}"')
    if colour is None:
        return f"<a:rPr{attributes}/>"
    tint = ""
    if brightness > 0:  # lighter: python-pptx's tint
        tint = f'<a:lumMod val="{round((1 - brightness) * 100000)}"/><a:lumOff val="{round(brightness * 100000)}"/>'
    elif brightness < 0:  # darker: its shade
        tint = f'<a:lumMod val="{round((1 + brightness) * 100000)}"/>'
    scheme = MSO_THEME_COLOR.to_xml(colour)
    return f'<a:rPr{attributes}><a:solidFill><a:schemeClr val="{scheme}">{tint}</a:schemeClr></a:solidFill></a:rPr>'


def _set_plain_text(frame, text: str) -> None:
    """``frame.text = text`` as python-pptx does it (a paragraph per line, a line break per vertical tab,
    unstyled runs), written as XML in one go: speaker notes run to dozens of lines."""
    body = frame._txBody
    for para in body.findall(qn("a:p")):
        body.remove(para)
    paragraphs, texts = [], []
    for line in text.split("\n"):
        runs = []
        for i, piece in enumerate(line.split("\v")):
            runs.append("<a:br/>" if i else "")
            if piece:
                runs.append("<a:r><a:t/></a:r>")
                texts.append(_CTRL.sub(_ctrl_escape, piece))
        paragraphs.append(f"<a:p>{''.join(runs)}</a:p>")
    parsed = parse_xml(f'<a:txBody xmlns:a="{_A}">{"".join(paragraphs)}</a:txBody>')
    for element, value in zip(parsed.iter(_A_T), texts, strict=True):
        element.text = value  # set, not parsed: whitespace-only text survives as written
    for para in list(parsed):
        body.append(para)


_MARGIN_X, _MARGIN_Y = int(0.08 * IN), int(0.04 * IN)
_CELL_PR = f'marL="{_MARGIN_X}" marR="{_MARGIN_X}" marT="{_MARGIN_Y}" marB="{_MARGIN_Y}" anchor="ctr"'


def _table_rows(tbl, cells: list[tuple[str, ...]], heights: list[int], aligns: list[str], size: float):
    """Replace the table's rows with styled ones, written as XML in one go.

    The same XML python-pptx writes when each cell is set through its API (margins, middle anchor,
    alignment, a run at ``size`` pt, theme fills: header in text 2 with background 1 bold text, body rows
    banded in the theme's backgrounds) at a fraction of the cost: that API runs an xpath per property.
    """
    sz = Pt(size).centipoints
    algn = ['"r"' if a == "right" else '"l"' for a in aligns]
    xml = [f'<a:tbl xmlns:a="{_A}">']
    for r, (texts, height) in enumerate(zip(cells, heights, strict=True)):
        if r == 0:
            rpr = f'<a:rPr sz="{sz}" b="1"><a:solidFill><a:schemeClr val="bg1"/></a:solidFill></a:rPr>'
            fill = "tx2"
        else:
            rpr = f'<a:rPr sz="{sz}"><a:solidFill><a:srgbClr val="262626"/></a:solidFill></a:rPr>'
            # Banding from the theme's light background so a client palette carries through.
            fill = "bg2" if r % 2 == 0 else "bg1"
        xml.append(f'<a:tr h="{height}">')
        for c, text in enumerate(texts):
            xml.append(
                f"<a:tc><a:txBody><a:bodyPr/><a:lstStyle/><a:p><a:pPr algn={algn[c]}/><a:r>{rpr}"
                f"<a:t>{escape(_CTRL.sub(_ctrl_escape, text))}</a:t></a:r></a:p></a:txBody>"
                f"<a:tcPr {_CELL_PR}>"
                f'<a:solidFill><a:schemeClr val="{fill}"/></a:solidFill></a:tcPr></a:tc>'
            )
        xml.append("</a:tr>")
    xml.append("</a:tbl>")
    for tr in tbl.findall(qn("a:tr")):
        tbl.remove(tr)
    for tr in list(parse_xml("".join(xml))):
        for t in tr.iter(qn("a:t")):
            if t.text is None:
                t.text = ""  # python-pptx writes an empty cell as <a:t></a:t>; keep the bytes the same
        tbl.append(tr)


_A = "http://schemas.openxmlformats.org/drawingml/2006/main"
_P_NVPR, _P_PH, _P_SP, _P_TXBODY, _A_T = qn("p:nvPr"), qn("p:ph"), qn("p:sp"), qn("p:txBody"), qn("a:t")
_CTRL = re.compile(r"[\x00-\x08\x0B-\x1F]")  # python-pptx writes these as "_xHHHH_" in run text


def _ctrl_escape(match: re.Match) -> str:
    return f"_x{ord(match.group(0)):04X}_"


def _slide_number_field(para, number: int) -> None:
    fld = etree.SubElement(para._p, qn("a:fld"))
    fld.set("id", _SLIDENUM_FIELD_ID)
    fld.set("type", "slidenum")
    rpr = etree.SubElement(fld, qn("a:rPr"))
    rpr.set("lang", "en-GB")
    rpr.set("sz", str(FURNITURE_PT * 100))
    fill = etree.SubElement(etree.SubElement(rpr, qn("a:solidFill")), qn("a:schemeClr"))
    fill.set("val", "tx1")
    etree.SubElement(fill, qn("a:lumMod")).set("val", "65000")
    etree.SubElement(fill, qn("a:lumOff")).set("val", "35000")
    etree.SubElement(fld, qn("a:t")).text = str(number)
    end = para._p.find(qn("a:endParaRPr"))
    if end is not None:
        para._p.append(end)  # endParaRPr must stay last


def _placeholder(layout, *types, required: bool = True):
    for ph in layout.placeholders:
        if ph.placeholder_format.type in types and (
            ph.placeholder_format.idx != 0 or types[0] in (PP_PLACEHOLDER.TITLE, PP_PLACEHOLDER.CENTER_TITLE)
        ):
            return ph
    return None


def _placeholder_on(slide):
    return next((p for p in slide.placeholders if p.placeholder_format.idx == 1), None)


# Layout names PowerPoint uses in a few languages; a client's renamed layouts are still found by type.
CONTENT_NAMES = ("title and content", "titel und inhalt", "titre et contenu", "titolo e contenuto", "content")
COVER_NAMES = ("title slide", "titelfolie", "diapositive de titre", "diapositiva titolo", "cover", "title")
SECTION_NAMES = (
    "section header",
    "abschnittsüberschrift",
    "abschnitt",
    "en-tête de section",
    "divider",
    "section",
)


def _bodies(layout) -> list:
    return [
        ph
        for ph in layout.placeholders
        if ph.placeholder_format.type in (PP_PLACEHOLDER.BODY, PP_PLACEHOLDER.OBJECT) and ph.placeholder_format.idx != 0
    ]


def describe_layout(layout) -> str:
    """What a layout offers, in words: "title, 1 body" or "no placeholders"."""
    kinds = []
    for ph in layout.placeholders:
        kind = ph.placeholder_format.type
        if kind in (PP_PLACEHOLDER.TITLE, PP_PLACEHOLDER.CENTER_TITLE):
            kinds.append("title")
        elif kind in (PP_PLACEHOLDER.BODY, PP_PLACEHOLDER.OBJECT) and ph.placeholder_format.idx != 0:
            kinds.append("body")
        elif kind == PP_PLACEHOLDER.SUBTITLE:
            kinds.append("subtitle")
        elif kind in (PP_PLACEHOLDER.DATE, PP_PLACEHOLDER.FOOTER, PP_PLACEHOLDER.SLIDE_NUMBER):
            continue
        else:
            kinds.append(str(kind).split(".")[-1].split(" ")[0].lower())
    return ", ".join(f"{kinds.count(k)} {k}" if kinds.count(k) > 1 else k for k in dict.fromkeys(kinds)) or (
        "no placeholders"
    )


def find_content_layout(prs, path: Path | str = "template"):
    """The layout for content slides: a title and one body, preferring a familiar name, then the largest body.

    Raises OfficeTemplateError listing the layouts the template has when none can hold a title and a body.
    """
    usable = [
        layout
        for layout in prs.slide_layouts
        if _placeholder(layout, PP_PLACEHOLDER.TITLE) is not None and _bodies(layout)
    ]
    if not usable:
        found = "; ".join(f'"{lay.name}" ({describe_layout(lay)})' for lay in prs.slide_layouts) or "none"
        raise OfficeTemplateError(
            f'{path}: has no slide layout with a title and a body placeholder (like "Title and Content"); '
            f"layouts found: {found}. Add one in Slide Master view, or remove the template setting to use "
            "the built-in default"
        )

    def rank(layout) -> tuple:
        name = layout.name.strip().lower()
        named = next((i for i, n in enumerate(CONTENT_NAMES) if n == name), len(CONTENT_NAMES))
        body = max(_bodies(layout), key=lambda ph: ph.width * ph.height)
        return (named, len(_bodies(layout)) != 1, -(body.width * body.height))

    return min(usable, key=rank)


def find_cover_layout(prs):
    """The cover: a layout with a centred title (a "Title Slide"), by name first; None if there is none."""
    covers = [lay for lay in prs.slide_layouts if _placeholder(lay, PP_PLACEHOLDER.CENTER_TITLE) is not None]
    names = {lay.name.strip().lower(): lay for lay in covers}
    return next((names[n] for n in COVER_NAMES if n in names), covers[0] if covers else None)


def find_section_layout(prs):
    """A section divider layout, by name; narrator does not use one yet, the inspector reports it."""
    names = {lay.name.strip().lower(): lay for lay in prs.slide_layouts}
    return next((names[n] for n in SECTION_NAMES if n in names), None)


def _add_chart(slide, spec, box: Box):
    """python-pptx's ``shapes.add_chart``, from the chart XML and workbook the paper shares (base_chart)."""
    xml, workbook = charts.base_chart(spec)
    package = slide.part.package
    chart_part = ChartPart.load(package.next_partname(ChartPart.partname_template), CT.DML_CHART, package, xml)
    chart_part.chart_workbook.update_from_xlsx_blob(workbook)
    rid = slide.part.relate_to(chart_part, RT.CHART)
    shapes = slide.shapes
    frame = shapes._add_chart_graphicFrame(rid, box.x, box.y, box.w, box.h)
    shapes._recalculate_extents()
    return shapes._shape_factory(frame)


def theme_fonts(prs) -> tuple[str, str]:
    """The theme's heading (major) and body (minor) Latin typefaces; Arial where the theme names none."""
    try:
        theme = prs.slide_master.part.part_related_by(
            "http://schemas.openxmlformats.org/officeDocument/2006/relationships/theme"
        )
        return theme_typefaces(etree.fromstring(theme.blob))
    except (KeyError, etree.XMLSyntaxError):
        return "Arial", "Arial"


def _index_part_names(package) -> None:
    """Give the package a ``next_partname`` that remembers the names it has handed out.

    python-pptx's own walks every relationship in the package to list the part names in use, for each
    new notes slide, chart and workbook: time per slide grows with the number of slides, a 200-slide deck
    takes quadratic time. Same names, same order; parts are only ever added while a deck is built.
    """
    names: dict[str, set[str]] = {}
    in_use = [str(part.partname) for part in package.iter_parts()]

    def next_partname(template: str) -> PackURI:
        prefix = template[: (template % 42).find("42")]
        if prefix not in names:
            names[prefix] = {name for name in in_use if name.startswith(prefix)}
        taken = names[prefix]
        for n in range(len(taken) + 1, 0, -1):  # python-pptx's search, from the top down
            candidate = template % n
            if candidate not in taken:
                taken.add(candidate)
                for other, group in names.items():
                    if other != prefix and candidate.startswith(other):
                        group.add(candidate)
                in_use.append(candidate)
                return PackURI(candidate)
        raise AssertionError("no free part name")  # unreachable: n = len(taken) + 1 is always free

    package.next_partname = next_partname


def _drop_slides(prs) -> None:
    """A corporate template often ships sample slides; the deck starts empty."""
    id_list = prs.slides._sldIdLst
    for sld_id in list(id_list):
        prs.part.drop_rel(sld_id.rId)
        id_list.remove(sld_id)


def _prune_placeholders(slide) -> None:
    """Empty placeholders show "Click to add text" in PowerPoint: remove any the story did not fill.

    Read from the XML (python-pptx's placeholder proxies cost more than the rest of a slide): a
    placeholder stays when it is a footer, date or slide number, or a shape with text in it."""
    tree = slide.shapes._spTree
    for element in list(tree):
        ph = element.find(f"*/{_P_NVPR}/{_P_PH}")
        if ph is None or ph.get("type") in ("sldNum", "dt", "ftr"):
            continue
        body = element.find(_P_TXBODY) if element.tag == _P_SP else None
        text = "" if body is None else "".join(t.text or "" for t in body.iter(_A_T))
        if not text.strip():
            tree.remove(element)
