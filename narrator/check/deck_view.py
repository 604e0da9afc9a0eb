"""A deck as the gate reads it: slides, shapes and their boxes straight from the package's XML.

The checks used to reopen every deck with python-pptx, which costs more than all of them together
(part objects, relationship graphs, a proxy per element). They need little of it: each slide's shapes
in order, with name, id, kind, placeholder type, box and text body. This reads exactly that with lxml,
following python-pptx's rules where they matter: a placeholder without its own position takes its
layout's placeholder of the same ``idx``, which in turn takes the master's of the same kind; a slide's
title is its first placeholder with ``idx`` 0.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property

from lxml import etree

from narrator.check.package import Package
from narrator.render.ooxml import theme_typefaces

_P = "{http://schemas.openxmlformats.org/presentationml/2006/main}"
_A = "{http://schemas.openxmlformats.org/drawingml/2006/main}"
_R = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"
_T = f"{_A}t"
_CHART_URI = "http://schemas.openxmlformats.org/drawingml/2006/chart"
_SHAPES = {f"{_P}sp", f"{_P}grpSp", f"{_P}graphicFrame", f"{_P}cxnSp", f"{_P}pic", f"{_P}contentPart"}
_LAYOUT = "/slideLayout"
_MASTER = "/slideMaster"
_THEME = "/theme"
# The master placeholder a layout placeholder inherits from, by the layout placeholder's type.
_MASTER_KIND = {"title": "title", "ctrTitle": "title", "dt": "dt", "ftr": "ftr", "sldNum": "sldNum"}

Box = tuple[int, int, int, int]  # left, top, width, height in EMU


@dataclass(frozen=True)
class ShapeView:
    element: etree._Element
    name: str
    shape_id: str
    kind: str  # "text" (p:sp), "table", "chart", "picture", "group", "other"
    placeholder: str | None  # the ph type ("title", "body", "obj"...), None for a shape that is not one
    placeholder_idx: int | None
    box: Box

    # Read once a shape: overflow, contrast and completeness all ask (the trees are never changed).
    @cached_property
    def text_body(self) -> etree._Element | None:
        return first(self.element, f"{_P}txBody") if self.kind == "text" else None

    @cached_property
    def text(self) -> str:
        body = self.text_body
        if body is None:
            return ""
        return "\n".join(paragraph_text(p, runs_only=False) for p in body.iterchildren(f"{_A}p"))

    @property
    def table(self) -> etree._Element | None:
        return self.element.find(f"{_A}graphic/{_A}graphicData/{_A}tbl") if self.kind == "table" else None

    @property
    def description(self) -> str | None:
        c_nv_pr = self.element.find(f"*/{_P}cNvPr")
        return c_nv_pr.get("descr") if c_nv_pr is not None else None


@dataclass(frozen=True)
class SlideView:
    number: int
    shapes: tuple[ShapeView, ...]
    fonts: tuple[str, str] = ("Arial", "Arial")  # the title and body typefaces of the slide's master

    @property
    def title(self) -> ShapeView | None:
        return next((s for s in self.shapes if s.placeholder is not None and s.placeholder_idx == 0), None)


@dataclass(frozen=True)
class DeckView:
    width: int
    height: int
    fonts: tuple[str, str]  # the first master's theme's heading and body typefaces
    slides: tuple[SlideView, ...]


def first(element: etree._Element, tag: str) -> etree._Element | None:
    """The element's first ``tag`` child: ``element.find(tag)`` without lxml's path machinery, which
    costs more than the lookup itself in the gate's inner loops."""
    return next(element.iterchildren(tag), None)


def _text_of(element: etree._Element) -> str:
    t = first(element, _T)
    return (t.text or "") if t is not None else ""


def paragraph_text(paragraph: etree._Element, *, runs_only: bool = True) -> str:
    """The text of a DrawingML paragraph: its runs' text, else (or when ``runs_only`` is False) runs,
    fields and line breaks as python-pptx's ``paragraph.text`` gives them, breaks as newlines."""
    runs = "".join(_text_of(run) for run in paragraph.iterchildren(f"{_A}r"))
    if runs and runs_only:
        return runs
    pieces = []
    for child in paragraph:
        if child.tag in (f"{_A}r", f"{_A}fld"):
            pieces.append(_text_of(child))
        elif child.tag == f"{_A}br":
            pieces.append("\n")
    return "".join(pieces).replace("\v", "\n")


def read_deck(package: Package) -> DeckView:
    """The deck in an opened package (see narrator.check.package), read once for all the checks."""
    return package.derived("deck", _read_deck)


def _read_deck(package: Package) -> DeckView:
    trees, main = package.trees, package.main
    presentation = trees[main]
    size = presentation.find(f"{_P}sldSz")
    width = int(size.get("cx")) if size is not None else 9144000
    height = int(size.get("cy")) if size is not None else 6858000
    targets = package.relationships(main)
    slides = []
    inherited: dict[str, dict] = {}  # layout part -> its placeholders' boxes by idx, resolved once
    fonts: dict[str, tuple[str, str]] = {}  # master part -> the typefaces its slides' text is set in
    ids = presentation.find(f"{_P}sldIdLst")
    for number, slide_id in enumerate(ids if ids is not None else (), 1):
        part = targets.get(slide_id.get(f"{_R}id"), ("", ""))[0]
        if part not in trees:
            continue
        layout = _related(package, part, _LAYOUT)
        if layout not in inherited:
            inherited[layout] = _layout_boxes(package, layout)
        tree = trees[part].find(f"{_P}cSld/{_P}spTree")
        shapes = tuple(_shape(el, inherited[layout]) for el in (tree if tree is not None else ()) if el.tag in _SHAPES)
        master_part = _related(package, layout, _MASTER)
        if master_part not in fonts:
            fonts[master_part] = master_fonts(package, master_part)
        slides.append(SlideView(number, shapes, fonts[master_part]))
    master = next((target for target, rel in targets.values() if rel.endswith(_MASTER)), "")
    theme = _related(package, master, _THEME) if master in package.parts else ""
    return DeckView(width, height, theme_typefaces(trees.get(theme)), tuple(slides))


def master_fonts(package: Package, master: str) -> tuple[str, str]:
    """The typefaces a master sets titles and body text in: its text styles' own Latin font where it
    names one, else its theme's major and minor fonts (as the renderer measures them)."""
    theme = theme_typefaces(package.trees.get(_related(package, master, _THEME))) if master else ("Arial",) * 2
    root = package.trees.get(master)
    found = []
    for style, default in (("titleStyle", theme[0]), ("bodyStyle", theme[1])):
        latin = root.find(f"{_P}txStyles/{_P}{style}/{_A}lvl1pPr/{_A}defRPr/{_A}latin") if root is not None else None
        face = latin.get("typeface") if latin is not None else None
        found.append(face if face and not face.startswith("+") else default)
    return found[0], found[1]


def _related(package: Package, part: str, kind: str) -> str:
    return next((target for target, rel in package.relationships(part).values() if rel.endswith(kind)), "")


def _shape(el: etree._Element, layout: dict) -> ShapeView:
    c_nv_pr = el.find(f"*/{_P}cNvPr")
    ph = el.find(f"*/{_P}nvPr/{_P}ph")
    placeholder = idx = None
    if ph is not None:
        placeholder, idx = ph.get("type", "obj"), int(ph.get("idx", "0"))
    box = _own_box(el)
    if box is None:
        box = layout.get(idx) or (0, 0, 0, 0)
    return ShapeView(
        element=el,
        name=c_nv_pr.get("name", "") if c_nv_pr is not None else "",
        shape_id=c_nv_pr.get("id", "") if c_nv_pr is not None else "",
        kind=_kind(el),
        placeholder=placeholder,
        placeholder_idx=idx,
        box=box,
    )


def _kind(el: etree._Element) -> str:
    tag = el.tag
    if tag == f"{_P}sp":
        return "text"
    if tag == f"{_P}pic":
        return "picture"
    if tag == f"{_P}grpSp":
        return "group"
    if tag == f"{_P}graphicFrame":
        data = el.find(f"{_A}graphic/{_A}graphicData")
        if data is not None and data.find(f"{_A}tbl") is not None:
            return "table"
        if data is not None and data.get("uri") == _CHART_URI:
            return "chart"
    return "other"


def _own_box(el: etree._Element) -> Box | None:
    xfrm = first(el, f"{_P}xfrm")  # a graphic frame's
    if xfrm is None:  # a shape's, picture's or group's, in its spPr / grpSpPr
        xfrm = next((x for child in el for x in child.iterchildren(f"{_A}xfrm")), None)
    if xfrm is None:
        return None
    off, ext = first(xfrm, f"{_A}off"), first(xfrm, f"{_A}ext")
    try:
        return int(off.get("x")), int(off.get("y")), int(ext.get("cx")), int(ext.get("cy"))
    except (AttributeError, TypeError, ValueError):
        return None


def _layout_boxes(package: Package, layout: str) -> dict[int, Box | None]:
    """A layout's placeholder boxes by ``idx``: its own, else its master's placeholder's of that kind."""
    if layout not in package.trees:
        return {}
    master = _master_boxes(package, _related(package, layout, _MASTER))
    boxes: dict[int, Box | None] = {}
    for el in _placeholders(package.trees[layout]):
        ph = el.find(f"*/{_P}nvPr/{_P}ph")
        kind = _MASTER_KIND.get(ph.get("type", "obj"), "body")
        boxes.setdefault(int(ph.get("idx", "0")), _own_box(el) or master.get(kind))
    return boxes


def _master_boxes(package: Package, master: str) -> dict[str, Box]:
    boxes: dict[str, Box] = {}
    if master not in package.trees:
        return boxes
    for el in _placeholders(package.trees[master]):
        box = _own_box(el)
        if box is not None:
            boxes.setdefault(el.find(f"*/{_P}nvPr/{_P}ph").get("type", "obj"), box)
    return boxes


def _placeholders(root: etree._Element) -> list[etree._Element]:
    tree = root.find(f"{_P}cSld/{_P}spTree")
    if tree is None:
        return []
    return [el for el in tree if el.tag in _SHAPES and el.find(f"*/{_P}nvPr/{_P}ph") is not None]
