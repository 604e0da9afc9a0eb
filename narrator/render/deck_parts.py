"""Pieces of a deck python-pptx makes slowly or not at all, written as the XML it writes: charts from
prepared XML, part names handed out without rescanning the package, slides started from a copy of their
layout's first blank, text boxes, shape ids, shape positions and the notes body found without its
proxies, the template's sample slides dropped, empty placeholders pruned, the theme's fonts."""

from __future__ import annotations

import copy

from lxml import etree
from pptx.opc.constants import CONTENT_TYPE as CT
from pptx.opc.constants import RELATIONSHIP_TYPE as RT
from pptx.opc.packuri import PackURI
from pptx.oxml import parse_xml
from pptx.oxml.ns import qn
from pptx.oxml.shapes.autoshape import CT_Shape
from pptx.parts.chart import ChartPart
from pptx.parts.slide import SlidePart
from pptx.shapes.autoshape import Shape

from narrator.render import charts
from narrator.render.ooxml import theme_typefaces

_P_NVPR, _P_PH, _P_SP, _P_TXBODY, _A_T = qn("p:nvPr"), qn("p:ph"), qn("p:sp"), qn("p:txBody"), qn("a:t")
_P_NS = "http://schemas.openxmlformats.org/presentationml/2006/main"


def add_chart(slide, spec, box):
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


def add_slide(prs, layout, blanks: dict[int, object], index: int):
    """``prs.slides.add_slide(layout)``, from a copy of the blank slide python-pptx made on ``layout`` the
    first time (``blanks``, by layout index, kept with the template).

    python-pptx clones a layout's placeholders through its proxies on every slide, a fifth of a small
    deck's time; the blank slide it makes depends on the layout alone (a fresh shape tree numbers its
    shapes and names its placeholders the same way each time), so a copy of it is the same XML."""
    blank = blanks.get(index)
    if blank is None:
        slide = prs.slides.add_slide(layout)
        blanks[index] = copy.deepcopy(slide._element)
        return slide
    part = prs.part
    slide_part = SlidePart(part._next_slide_partname, CT.PML_SLIDE, part.package, copy.deepcopy(blank))
    slide_part.relate_to(layout.part, RT.SLIDE_LAYOUT)
    rid = part.relate_to(slide_part, RT.SLIDE)
    id_list = prs.slides._sldIdLst
    id_list._add_sldId(id=_next_slide_id(id_list), rId=rid)  # add_sldId, without its XPath per slide
    return slide_part.slide


_SLD_ID = qn("p:sldId")


def _next_slide_id(id_list) -> int:
    """python-pptx's ``sldIdLst._next_id``: one more than the largest slide id in use (256 at least), else
    its search for a free one. Read from the children: its own compiles an XPath on every slide added."""
    following = max([255, *(int(s.get("id")) for s in id_list.iterchildren(_SLD_ID) if s.get("id") is not None)]) + 1
    return following if following <= 2147483647 else id_list._next_id  # at the top: python-pptx's search


_IDS = etree.XPath("//@id")  # compiled once: python-pptx compiles its XPath on every call


def next_shape_id(tree) -> int:
    """python-pptx's ``shapes._next_shape_id``: one more than the largest numeric @id in the slide."""
    return max((int(v) for v in _IDS(tree) if v.isdigit()), default=0) + 1


_C_NV_PR = qn("p:cNvPr")


def set_name(shape, name: str) -> None:
    """``shape.name = name``: the cNvPr in the shape's first child, its non-visual properties, found
    without python-pptx's XPath per call (a deck names a few shapes on every slide)."""
    non_visual = shape._element.find("*")
    c_nv_pr = non_visual.find(_C_NV_PR) if non_visual is not None else None
    if c_nv_pr is None:
        shape.name = name  # not a shape python-pptx names this way: its answer, or its error
        return
    c_nv_pr.name = name


def add_textbox(slide, box):
    """``slide.shapes.add_textbox(box.x, box.y, box.w, box.h)``: the same p:sp, id and name."""
    shapes = slide.shapes
    tree = shapes._spTree
    shape_id = next_shape_id(tree)
    sp = CT_Shape.new_textbox_sp(shape_id, f"TextBox {shape_id - 1}", box.x, box.y, box.w, box.h)
    tree.insert_element_before(sp, "p:extLst")
    return Shape(sp, shapes)


def notes_body(notes_slide):
    """``notes_slide.notes_text_frame``'s a:txBody: that of its first body placeholder, found in the XML
    rather than through a placeholder proxy (and an XPath) per shape."""
    for element in notes_slide.shapes._spTree.iter_shape_elms():
        first = element.find("*")
        ph = first.find(f"{_P_NVPR}/{_P_PH}") if first is not None else None
        if ph is not None and ph.get("type", "obj") == "body":
            if element.tag == _P_SP:
                return element.get_or_add_txBody()
            break
    return notes_slide.notes_text_frame._txBody  # python-pptx's answer (or its error) for anything else


def place(shape, box) -> None:
    """``shape.left, shape.top, shape.width, shape.height = box`` for a text shape or placeholder, the same
    XML python-pptx writes (its a:off then its a:ext, made where missing), each attribute set once: each
    of python-pptx's four setters walks the shape's XML again."""
    if min(box.x, box.y, box.w, box.h) < 0 or max(box.x, box.y, box.w, box.h) > _MAX_COORDINATE:
        shape.left, shape.top, shape.width, shape.height = box.x, box.y, box.w, box.h  # its error message
        return
    sp_pr = shape._element.spPr
    if len(sp_pr) == 0:  # a placeholder cloned from its layout: the whole a:xfrm at once
        sp_pr.append(
            parse_xml(
                f'<a:xfrm xmlns:a="{_A}"><a:off x="{int(box.x)}" y="{int(box.y)}"/>'
                f'<a:ext cx="{int(box.w)}" cy="{int(box.h)}"/></a:xfrm>'
            )
        )
        return
    xfrm = shape._element.get_or_add_xfrm()
    off = xfrm.get_or_add_off()
    off.set("x", str(int(box.x)))
    off.set("y", str(int(box.y)))
    ext = xfrm.get_or_add_ext()
    ext.set("cx", str(int(box.w)))
    ext.set("cy", str(int(box.h)))


_A = "http://schemas.openxmlformats.org/drawingml/2006/main"
_MAX_COORDINATE = 27273042316900  # python-pptx's bound on a coordinate and a size


def index_part_names(package) -> None:
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


def theme_fonts(prs) -> tuple[str, str]:
    """The theme's heading (major) and body (minor) Latin typefaces; Arial where the theme names none."""
    try:
        theme = prs.slide_master.part.part_related_by(
            "http://schemas.openxmlformats.org/officeDocument/2006/relationships/theme"
        )
        return theme_typefaces(etree.fromstring(theme.blob))
    except (KeyError, etree.XMLSyntaxError):
        return "Arial", "Arial"


def theme_fonts_of(master) -> tuple[str, str] | None:
    """The heading and body typefaces of ``master``'s own theme, None when it cannot be read."""
    try:
        theme = master.part.part_related_by("http://schemas.openxmlformats.org/officeDocument/2006/relationships/theme")
        return theme_typefaces(etree.fromstring(theme.blob))
    except (KeyError, etree.XMLSyntaxError):
        return None


def text_fonts(master, theme: tuple[str, str]) -> tuple[str, str]:
    """The typefaces titles and body text are set in on ``master``: its text styles' own Latin font where
    it names one (Poppins Black titles over an Arial theme), else the theme's major and minor fonts."""
    found = []
    for style, default in (("p:titleStyle", theme[0]), ("p:bodyStyle", theme[1])):
        latin = master._element.find(
            f"{qn('p:txStyles')}/{qn(style)}/{qn('a:lvl1pPr')}/{qn('a:defRPr')}/{qn('a:latin')}"
        )
        face = latin.get("typeface") if latin is not None else None
        found.append(face if face and not face.startswith("+") else default)
    return found[0], found[1]


def drop_slides(prs) -> None:
    """A corporate template often ships sample slides; the deck starts empty."""
    id_list = prs.slides._sldIdLst
    for sld_id in list(id_list):
        prs.part.drop_rel(sld_id.rId)
        id_list.remove(sld_id)


# Every shape's placeholder mark (``p:ph``), in document order, in one compiled XPath: a find per shape
# makes a proxy for every element on the way, and every slide is pruned twice.
_PLACEHOLDER_MARKS = etree.XPath("./*/*/p:nvPr/p:ph", namespaces={"p": _P_NS})


def prune_placeholders(slide) -> None:
    """Empty placeholders show "Click to add text" in PowerPoint: remove any the story did not fill.

    Read from the XML (python-pptx's placeholder proxies cost more than the rest of a slide): a
    placeholder stays when it is a footer, date or slide number, or a shape with text in it."""
    tree = slide.shapes._spTree
    seen = set()
    for ph in _PLACEHOLDER_MARKS(tree):
        element = ph.getparent().getparent().getparent()  # the shape: ph in nvPr in its non-visual props
        if element in seen:
            continue  # a shape's first ph is the one that counts, as element.find("*/p:nvPr/p:ph") finds
        seen.add(element)
        if ph.get("type") in ("sldNum", "dt", "ftr"):
            continue
        body = element.find(_P_TXBODY) if element.tag == _P_SP else None
        text = "" if body is None else "".join(t.text or "" for t in body.iter(_A_T))
        if not text.strip():
            tree.remove(element)
