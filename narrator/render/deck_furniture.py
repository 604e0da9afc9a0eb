"""Slide furniture: data-as-of, footer and slide number at the template's footer positions on each slide.

python-pptx does not copy footer, date or slide-number placeholders onto new slides, and LibreOffice and
other viewers drop or restyle slide-level footer placeholders, so the furniture is written as text boxes
where the layout (or its master) puts those placeholders, else along the bottom edge. A template's footer
box is often one line of 9-10 pt: the text is set to fit it on one line (down to 7 pt), and a box that
still cannot hold it grows upwards rather than spilling off the page.
"""

from __future__ import annotations

import copy

from pptx.enum.shapes import PP_PLACEHOLDER
from pptx.enum.text import MSO_ANCHOR, PP_ALIGN
from pptx.opc.constants import RELATIONSHIP_TYPE as RT
from pptx.oxml.ns import qn
from pptx.util import Pt

from narrator.render.deck_parts import next_shape_id, set_name
from narrator.render.deck_text import FURNITURE_PT, slide_number_field
from narrator.render.layouts import IN, Box, extent
from narrator.render.metrics import LINE_PITCH, Measure

FURNITURE_FLOOR = 7
_NAMES = {
    PP_PLACEHOLDER.DATE: "Data as of",
    PP_PLACEHOLDER.FOOTER: "Footer",
    PP_PLACEHOLDER.SLIDE_NUMBER: "Slide number",
}
_FURNITURE: dict[tuple, list] = {}  # built furniture shapes of recent decks, by template, wording and layout
_LAYOUT_BOXES: dict[tuple, Box | None] = {}  # a layout's own furniture boxes, by template, layout and type


def _layout_box(layout, ph_type) -> Box | None:
    """The layout's placeholder of ``ph_type``, else its master's: where the template wants it."""
    for source in (layout, layout.slide_master):
        for ph in source.placeholders:
            if ph.placeholder_format.type == ph_type:
                try:
                    x, y, w, h = extent(ph)
                    if None not in (x, y, w, h) and w > 0 and h > 0:
                        return Box(int(x), int(y), int(w), int(h))
                except (KeyError, ValueError):
                    pass
    return None


class Furniture:
    """Builds the furniture once per layout, then copies it to each further slide on that layout.

    The built shapes are kept per template, layout and wording, so the next pack of a batch on the same
    template copies them too; the copies get the ids and slide number building would give."""

    def __init__(self, prs, story, template_key, measure: Measure, colour_xml: str):
        self.prs, self.story, self.measure = prs, story, measure
        self.colour_xml = colour_xml  # the a:solidFill furniture text is set in (chosen for contrast)
        self.cache: dict[tuple, list] = _FURNITURE if template_key is not None else {}
        self.key = (template_key, story.furniture.model_dump_json(), colour_xml)
        self.template_key = template_key

    def add(self, slide, content: Box | None = None) -> None:
        """The furniture on ``slide``, clear of its ``content`` area (a layout may put its date box in
        the middle of the page, as a printed report's does: the furniture then goes to the foot)."""
        layout = slide.part.part_related_by(RT.SLIDE_LAYOUT)
        key = (*self.key, str(layout.partname))
        built = self.cache.get(key)
        tree = slide.shapes._spTree
        if built is None:
            before = set(tree)
            self._build(slide, content)
            if len(self.cache) >= 64:
                self.cache.clear()
            self.cache[key] = [copy.deepcopy(sp) for sp in tree if sp not in before]
            return
        # The ids python-pptx would give: one more than the largest on the slide, in turn.
        next_id = next_shape_id(tree)
        number = str(len(self.prs.slides))
        for shape in built:
            sp = copy.deepcopy(shape)
            sp.nvSpPr.cNvPr.set("id", str(next_id))
            next_id += 1
            for field in sp.iter(qn("a:fld")):
                field.find(qn("a:t")).text = number
            tree.insert_element_before(sp, "p:extLst")

    def texts(self) -> dict:
        furniture = self.story.furniture
        footer = furniture.footer.plain()
        if furniture.classification:
            footer = f"{footer}  |  {furniture.classification}" if footer else furniture.classification
        return {PP_PLACEHOLDER.DATE: furniture.data_as_of.plain(), PP_PLACEHOLDER.FOOTER: footer}

    def _build(self, slide, content: Box | None) -> None:
        texts = self.texts()
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
            own = self._layout_box(slide, ph_type)
            if own is not None and not (content is not None and own.overlaps(content)):
                box = own
            text = texts.get(ph_type, str(number))
            size, box = self._fit(text, box)
            shape = slide.shapes.add_textbox(box.x, box.y, box.w, box.h)
            set_name(shape, _NAMES[ph_type])
            frame = shape.text_frame
            frame.word_wrap = True  # a wrap-less box hugs its text and drifts off the template's alignment
            frame.vertical_anchor = MSO_ANCHOR.MIDDLE
            frame.margin_left = frame.margin_right = frame.margin_top = frame.margin_bottom = 0
            para = frame.paragraphs[0]
            para.alignment = align
            if ph_type == PP_PLACEHOLDER.SLIDE_NUMBER:
                slide_number_field(para, number, size, self.colour_xml)
            else:
                para.add_run().text = text
                for run in para.runs:
                    run.font.size = Pt(size)
                    rpr = run._r.get_or_add_rPr()
                    for old in rpr.findall(qn("a:solidFill")):
                        rpr.remove(old)
                    rpr.insert(0, _fill(self.colour_xml))

    def _layout_box(self, slide, ph_type) -> Box | None:
        """``_layout_box`` of the slide's layout, kept per template and layout: it is the same whatever
        the pack says, and reading it through python-pptx's placeholders was most of building furniture."""
        if self.template_key is None:
            return _layout_box(slide.slide_layout, ph_type)
        key = (self.template_key, str(slide.part.part_related_by(RT.SLIDE_LAYOUT).partname), ph_type)
        if key not in _LAYOUT_BOXES:
            if len(_LAYOUT_BOXES) >= 256:
                _LAYOUT_BOXES.clear()
            _LAYOUT_BOXES[key] = _layout_box(slide.slide_layout, ph_type)
        return _LAYOUT_BOXES[key]

    def _fit(self, text: str, box: Box) -> tuple[float, Box]:
        """The size that keeps ``text`` on the lines the box has room for, and the box, grown upwards
        when even the floor size needs more lines than it holds."""
        width = box.w / 12700
        size = FURNITURE_PT
        while size > FURNITURE_FLOOR and self._height(text, size, width) > box.h:
            size -= 0.5
        need = self._height(text, size, width)
        if need > box.h:
            box = Box(box.x, max(0, box.bottom - need), box.w, need)
        return size, box

    def _height(self, text: str, size: float, width_pt: float) -> int:
        lines = self.measure.lines(text, size, width_pt)
        return int(lines * size * LINE_PITCH * 12700) + 1


def _fill(colour_xml: str):
    from pptx.oxml import parse_xml

    return parse_xml(colour_xml.replace("<a:solidFill>", f'<a:solidFill xmlns:a="{_A}">', 1))


_A = "http://schemas.openxmlformats.org/drawingml/2006/main"
