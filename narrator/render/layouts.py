"""Which of a template's slide layouts the deck uses for each role, chosen by role and geometry.

A corporate template's layouts rarely carry the types and placeholder indexes of PowerPoint's defaults:
bodies are idx 10-50, custom layouts have no type, names are in German or Portuguese, some layouts have
no title, a second master holds the content layouts. So every layout of every master is read as
geometry: its title area, its text areas (body and content placeholders of any idx), its exhibit areas
(picture, chart, table and media placeholders), and the brand it carries (logos and rules that are not
placeholders). Each role then takes the layout whose geometry serves it best:

- cover: a centred title, or a title in the middle band of the page, or a cover's name in any of a few
  languages; the most branded such layout, one with no picture to fill preferred;
- content: a title above one large text area (the largest area wins, then fewer other large areas, then
  a general layout over an agenda or summary, then the more branded);
- exhibit: a title above a text area beside a picture/chart/table area (bullets beside the exhibit), else
  a title above one large exhibit area, else the content layout;
- section: a divider (a section-header type, a divider's name, or a title alone mid-page), reported by
  ``narrator templates inspect``.

``reference.layouts`` in the config names the layout for a role when the choice is wrong. A layout
without a title placeholder takes its title area from the template's own slides on it, else its master,
else another layout, else a band at the top of the page.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from pptx.enum.shapes import PP_PLACEHOLDER

from narrator.errors import OfficeTemplateError

IN = 914400
ROLES = ("cover", "section", "content", "exhibit")

_TITLES = (PP_PLACEHOLDER.TITLE, PP_PLACEHOLDER.CENTER_TITLE)
_TEXTS = (PP_PLACEHOLDER.BODY, PP_PLACEHOLDER.OBJECT)
_VISUALS = (
    PP_PLACEHOLDER.PICTURE,
    PP_PLACEHOLDER.CHART,
    PP_PLACEHOLDER.TABLE,
    PP_PLACEHOLDER.MEDIA_CLIP,
    PP_PLACEHOLDER.BITMAP,
    PP_PLACEHOLDER.ORG_CHART,
)
_FURNITURE = (PP_PLACEHOLDER.DATE, PP_PLACEHOLDER.FOOTER, PP_PLACEHOLDER.SLIDE_NUMBER)
# A hint only, after geometry: names a cover or divider goes by in the languages templates come in.
COVER_WORDS = (
    "title slide",
    "titelfolie",
    "titel",
    "título",
    "titulo",
    "titre",
    "titolo",
    "cover",
    "intro",
    "start",
    "capa",
    "portada",
    "deckblatt",
    "title",
)
SECTION_WORDS = (
    "section",
    "divider",
    "abschnitt",
    "kapitel",
    "transition",
    "segue",
    "pause",
    "seção",
    "secção",
    "sección",
    "séparateur",
    "intercalaire",
    "trennfolie",
)
# Layouts for one purpose that a content slide should not borrow, however well they fit.
SPECIAL_WORDS = (
    "agenda",
    "contents",
    "content table",
    "table of content",
    "inhalt",
    "sommaire",
    "summary",
    "zusammenfassung",
    "fragen",
    "questions",
    "contact",
    "kontakt",
    "quote",
    "zitat",
    "timetable",
    "índice",
    "indice",
    "sumário",
    "end",
    "ending",
    "closing",
    "thank",
)
GENERAL_WORDS = (
    "title and content",
    "titel und inhalt",
    "titre et contenu",
    "titolo e contenuto",
    "content",
    "one content",
    "normal",
    "conteúdo",
    "contenido",
    "inhalt",
)


@dataclass(frozen=True)
class Box:
    x: int
    y: int
    w: int
    h: int

    def pt_width(self, inset: float = 0.2 * IN) -> float:
        return (self.w - inset) / 12700

    def pt_height(self, inset: float = 0.1 * IN) -> float:
        return (self.h - inset) / 12700

    @property
    def area(self) -> int:
        return max(0, self.w) * max(0, self.h)

    @property
    def bottom(self) -> int:
        return self.y + self.h

    @property
    def right(self) -> int:
        return self.x + self.w

    def overlaps(self, other: Box) -> bool:
        return self.x < other.right and other.x < self.right and self.y < other.bottom and other.y < self.bottom

    def union(self, other: Box) -> Box:
        x, y = min(self.x, other.x), min(self.y, other.y)
        return Box(x, y, max(self.right, other.right) - x, max(self.bottom, other.bottom) - y)


@dataclass(frozen=True)
class Slot:
    """A placeholder of a layout: its idx, its kind (title, subtitle, text, visual) and where it is."""

    idx: int
    kind: str
    ph_type: str
    box: Box


@dataclass(frozen=True)
class LayoutGeometry:
    index: int  # among all layouts of all masters, in order
    name: str
    master: int
    type: str | None
    title: Slot | None
    texts: tuple[Slot, ...]
    visuals: tuple[Slot, ...]
    subtitle: Slot | None
    brand: tuple[Box, ...]  # pictures and lines on the layout that are not placeholders
    vertical: bool  # vertical text: not for a board deck's bullets

    def describe(self) -> str:
        kinds = (["title"] if self.title else []) + (["subtitle"] if self.subtitle else [])
        if self.texts:
            kinds.append(f"{len(self.texts)} text" if len(self.texts) > 1 else "text")
        if self.visuals:
            kinds.append(f"{len(self.visuals)} exhibit" if len(self.visuals) > 1 else "exhibit")
        if self.brand:
            kinds.append(f"{len(self.brand)} brand shape{'s' if len(self.brand) > 1 else ''}")
        return ", ".join(kinds) or "no placeholders"


@dataclass(frozen=True)
class Choice:
    """The layout a role uses, why, and the areas on it the deck fills."""

    role: str
    index: int
    name: str
    reason: str
    title: Box  # the title area
    title_idx: int | None  # the layout's title placeholder idx; None: the slide gets a title of its own
    text: Box | None  # where bullets (or the cover's subtitle) go
    text_idx: int | None  # the text placeholder that takes them; None: a text box
    visual: Box | None = None  # an exhibit area of its own beside the text (exhibit role only)
    placeholders: tuple[int, ...] = field(default_factory=tuple)  # the idx of every placeholder it fills


@dataclass(frozen=True)
class LayoutPlan:
    layouts: tuple[LayoutGeometry, ...]
    choices: dict[str, Choice]


def all_layouts(prs) -> list:
    """Every slide layout of every master, in order: a template's content layouts may sit on master 2."""
    return [layout for master in prs.slide_masters for layout in master.slide_layouts]


def extent(shape) -> tuple[int | None, int | None, int | None, int | None]:
    """``(shape.left, shape.top, shape.width, shape.height)``: the shape's own values, each one it lacks
    taken from the placeholder it inherits from, as python-pptx reads them (raising as it does), with
    the inherited placeholder looked up once rather than once for each of the four."""
    element = shape._element
    x, y, w, h = element.x, element.y, element.cx, element.cy
    if None in (x, y, w, h) and hasattr(shape, "_inherited_value"):
        base = shape._base_placeholder
        if base is not None:
            x = x if x is not None else base.left
            y = y if y is not None else base.top
            w = w if w is not None else base.width
            h = h if h is not None else base.height
    return x, y, w, h


def _box(shape) -> Box | None:
    try:
        x, y, w, h = extent(shape)
    except (AttributeError, KeyError, ValueError):
        return None
    if None in (x, y, w, h) or w <= 0 or h <= 0:
        return None
    return Box(int(x), int(y), int(w), int(h))


def read_geometry(prs) -> list[LayoutGeometry]:
    found = []
    for m, master in enumerate(prs.slide_masters):
        master_title = next((_box(p) for p in master.placeholders if p.placeholder_format.type in _TITLES), None)
        for layout in master.slide_layouts:
            found.append(_geometry(len(found), m, layout, master_title))
    return found


def _degenerate_title(ph) -> Box | None:
    """A title placeholder whose box has no height (or width): its master's title box, else None."""
    try:
        master = next((p for p in ph.part.slide_master.placeholders if p.placeholder_format.type in _TITLES), None)
    except AttributeError:
        master = None
    return _box(master) if master is not None else None


def _geometry(index: int, master: int, layout, master_title: Box | None) -> LayoutGeometry:
    title = subtitle = None
    texts, visuals = [], []
    vertical = layout._element.get("type") in ("vertTx", "vertTitleAndTx", "vertTitleAndTxOverChart")
    for ph in layout.placeholders:
        fmt = ph.placeholder_format
        kind = fmt.type
        box = _box(ph)
        if kind in _TITLES and box is None and title is None:
            box = _degenerate_title(ph)  # a title of no height is still the layout's title
        if box is None or kind in _FURNITURE:
            continue
        ph_el = ph._element.ph
        xml_type = ph_el.get("type", "obj") if ph_el is not None else "obj"
        if ph_el is not None and ph_el.get("orient") == "vert":
            vertical = True
            continue
        if kind in _TITLES and title is None:
            title = Slot(fmt.idx, "title", xml_type, box)
            continue
        elif kind == PP_PLACEHOLDER.SUBTITLE and subtitle is None:
            subtitle = Slot(fmt.idx, "subtitle", xml_type, box)
        elif kind in _TEXTS and fmt.idx != 0:
            texts.append(Slot(fmt.idx, "text", xml_type, box))
        elif kind in _VISUALS:
            visuals.append(Slot(fmt.idx, "visual", xml_type, box))
    brand = []
    for shape in layout.shapes:
        if shape.is_placeholder:
            continue
        tag = shape._element.tag.rsplit("}", 1)[-1]
        box = _box(shape)
        if box is not None and tag in ("pic", "cxnSp", "grpSp"):
            brand.append(box)
    del master_title
    return LayoutGeometry(
        index=index,
        name=layout.name or f"layout {index + 1}",
        master=master,
        type=layout._element.get("type"),
        title=title,
        texts=tuple(texts),
        visuals=tuple(visuals),
        subtitle=subtitle,
        brand=tuple(brand),
        vertical=vertical,
    )


def _named(name: str, words: tuple[str, ...]) -> bool:
    name = name.strip().casefold()
    return any(word in name for word in words)


def _below(slot: Slot, title: Box | None) -> bool:
    """The slot sits under the title (or beside it, lower down): a content area, not a kicker above it."""
    return title is None or slot.box.y + slot.box.h / 2 > title.y + title.h / 2


def _in_the_way(g: LayoutGeometry, area: Box) -> bool:
    """A picture or rule of the layout's own that a slide's content drawn in ``area`` would cover."""
    return any(b.overlaps(area) and b.area > area.area * 0.02 for b in g.brand)


def _main_text(g: LayoutGeometry, slide_area: int) -> Slot | None:
    usable = [s for s in g.texts if _below(s, g.title and g.title.box) and s.box.area >= slide_area * 0.12]
    return max(usable, key=lambda s: s.box.area, default=None)


def _main_visual(g: LayoutGeometry, slide_area: int) -> Slot | None:
    usable = [s for s in g.visuals if _below(s, g.title and g.title.box) and s.box.area >= slide_area * 0.12]
    return max(usable, key=lambda s: s.box.area, default=None)


def _region_below_title(slot_box: Box, title: Box | None) -> Box:
    """The slot's area, less any part the title covers (a picture placeholder under a top title)."""
    if title is None or not slot_box.overlaps(title):
        return slot_box
    top = title.bottom + int(0.1 * IN)
    return Box(slot_box.x, top, slot_box.w, max(slot_box.bottom - top, 0))


def _choice(role: str, g: LayoutGeometry, reason: str, title: Box, where: str, text, text_idx, filled) -> Choice:
    """A role's choice of ``g``: its title area (``where`` it came from when ``g`` has no title of its own),
    its text area and the placeholder that takes the text, and the placeholders it fills."""
    if g.title is None:
        reason += f"; no title placeholder, the title area is {where}"
    title_idx = g.title.idx if g.title else None
    return Choice(
        role=role,
        index=g.index,
        name=g.name,
        reason=reason,
        title=title,
        title_idx=title_idx,
        text=text,
        text_idx=text_idx,
        placeholders=tuple(i for i in (title_idx, filled) if i is not None),
    )


class _Planner:
    def __init__(self, prs, path, overrides: dict[str, str] | None, example_titles: dict[int, Box]):
        self.prs, self.path = prs, path
        self.width, self.height = prs.slide_width, prs.slide_height
        self.area = self.width * self.height
        self.layouts = read_geometry(prs)
        self.overrides = overrides or {}
        self.example_titles = example_titles
        self.master_titles = [
            next((_box(p) for p in master.placeholders if p.placeholder_format.type in _TITLES), None)
            for master in prs.slide_masters
        ]

    # -- title areas ------------------------------------------------------------------------------

    def title_area(self, g: LayoutGeometry) -> tuple[Box, str]:
        if g.title is not None:
            return g.title.box, "its title placeholder"
        if g.index in self.example_titles:
            return self.example_titles[g.index], "the title of the template's own slide on it"
        master = self.master_titles[g.master]
        if master is not None:
            return master, "its master's title"
        other = next(
            (lay.title.box for lay in self.layouts if lay.title is not None and lay.title.kind == "title"), None
        )
        if other is not None:
            return other, "another layout's title"
        margin = int(self.width * 0.05)
        return Box(
            margin, int(self.height * 0.04), self.width - 2 * margin, int(self.height * 0.14)
        ), "a band at the top"

    # -- roles ------------------------------------------------------------------------------------

    def content(self) -> Choice:
        scored = []
        for g in self.layouts:
            if g.vertical:
                continue
            text, visual = _main_text(g, self.area), _main_visual(g, self.area)
            slot = text
            if visual is not None and (text is None or text.box.area < visual.box.area * 0.7):
                slot = visual  # a picture area much larger than any text area: text goes in a box there
            if slot is None:
                continue
            title, _ = self.title_area(g)
            region = _region_below_title(slot.box, title)
            if region.h < self.height * 0.2:
                continue
            others = sum(1 for s in (*g.texts, *g.visuals) if s is not slot and s.box.area >= self.area * 0.1)
            rank = (
                g.title is None,
                # A text area of a third of the page serves text slides better than a larger picture area.
                not (slot.kind == "text" and region.area >= self.area * 0.3),
                -round(region.area / self.area, 1),
                _in_the_way(g, region),
                others,
                (_named(g.name, SPECIAL_WORDS + SECTION_WORDS) or g.type == "secHead")
                and not _named(g.name, GENERAL_WORDS),
                -len(g.brand),
                slot.kind != "text",
                not _named(g.name, GENERAL_WORDS),
                g.index,
            )
            scored.append((rank, g, slot, region))
        if not scored:
            found = "; ".join(f'"{g.name}" ({g.describe()})' for g in self.layouts) or "none"
            raise OfficeTemplateError(
                f"{self.path}: has no slide layout with room for a slide's content (a text or content "
                f"placeholder below a title); layouts found: {found}. Add one in Slide Master view, or remove "
                "the template setting to use the built-in default"
            )
        _, g, slot, region = min(scored, key=lambda item: item[0])
        title, where = self.title_area(g)
        reason = (
            f"the largest {'text' if slot.kind == 'text' else 'content'} area below a title "
            f"({region.w / IN:.1f} x {region.h / IN:.1f} in, placeholder idx {slot.idx})"
        )
        return _choice("content", g, reason, title, where, region, slot.idx if slot.kind == "text" else None, slot.idx)

    def exhibit(self, content: Choice) -> Choice:
        split = []
        full = []
        for g in self.layouts:
            if g.vertical or g.title is None:
                continue
            title = g.title.box
            texts = [s for s in g.texts if _below(s, title) and s.box.area >= self.area * 0.12]
            visuals = [s for s in g.visuals if _below(s, title) and s.box.area >= self.area * 0.12]
            for v in visuals:
                beside = [t for t in texts if not (t.box.x < v.box.right and v.box.x < t.box.right)]
                if beside:
                    t = max(beside, key=lambda s: s.box.area)
                    split.append(((-round((t.box.area + v.box.area) / self.area, 1), -len(g.brand), g.index), g, t, v))
            if len(visuals) == 1 and not [t for t in texts if t.box.area >= visuals[0].box.area * 0.5]:
                v = visuals[0]
                full.append(((-round(v.box.area / self.area, 1), -len(g.brand), g.index), g, v))
        if split:
            _, g, t, v = min(split, key=lambda item: item[0])
            return Choice(
                role="exhibit",
                index=g.index,
                name=g.name,
                reason=f"a text area (idx {t.idx}) beside an exhibit area (idx {v.idx}) below a title",
                title=g.title.box,
                title_idx=g.title.idx,
                text=_region_below_title(t.box, g.title.box),
                text_idx=t.idx,
                visual=_region_below_title(v.box, g.title.box),
                placeholders=(g.title.idx, t.idx, v.idx),
            )
        content_area = content.text.area if content.text else 0
        if full:
            _, g, v = min(full, key=lambda item: item[0])
            if v.box.area >= content_area * 0.8:
                return Choice(
                    role="exhibit",
                    index=g.index,
                    name=g.name,
                    reason=f"one large exhibit area (idx {v.idx}, {v.ph_type}) below a title",
                    title=g.title.box,
                    title_idx=g.title.idx,
                    text=_region_below_title(v.box, g.title.box),
                    text_idx=None,
                    placeholders=(g.title.idx, v.idx),
                )
        return Choice(
            **{**content.__dict__, "role": "exhibit", "reason": "no layout made for exhibits; the content layout"}
        )

    def cover(self, content: Choice) -> Choice:
        scored = []
        for g in self.layouts:
            named = _named(g.name, COVER_WORDS)
            centred = g.title is not None and g.title.ph_type == "ctrTitle"
            middle = (
                g.title is not None
                and 0.18 * self.height < g.title.box.y + g.title.box.h / 2 < 0.7 * self.height
                and g.title.box.h >= 0.1 * self.height
                and not _named(g.name, SECTION_WORDS)
            )
            if not (centred or middle or (named and not _named(g.name, SPECIAL_WORDS))):
                continue
            rank = (
                not centred,
                not middle and not centred,
                g.title is None,
                any(v.box.area > self.area * 0.05 for v in g.visuals),  # a picture to fill: left as a hole
                -len(g.brand),
                g.index,
            )
            scored.append((rank, g, "a centred title" if centred else "a title mid-page" if middle else "its name"))
        if not scored:
            return Choice(**{**content.__dict__, "role": "cover", "reason": "no cover layout; the content layout"})
        _, g, why = min(scored, key=lambda item: item[0])
        title, where = self.title_area(g)
        below = [s for s in (*([g.subtitle] if g.subtitle else []), *g.texts) if s.box.y >= title.y + title.h * 0.5]
        text = text_idx = None
        if below:
            first = min(below, key=lambda s: s.box.y)
            text, text_idx = first.box, first.idx
            for s in below:
                if s is not first:
                    text = text.union(s.box)
        reason = f"{why}{', the most branded' if len(scored) > 1 and g.brand else ''}"
        return _choice("cover", g, reason, title, where, text, text_idx, text_idx)

    def section(self) -> Choice | None:
        scored = []
        for g in self.layouts:
            if g.title is None:
                continue
            kind = g.type == "secHead"
            named = _named(g.name, SECTION_WORDS)
            if not (kind or named):
                continue
            scored.append(((not kind, -len(g.brand), g.index), g))
        if not scored:
            return None
        _, g = min(scored, key=lambda item: item[0])
        return Choice(
            role="section",
            index=g.index,
            name=g.name,
            reason="a section-header layout" if g.type == "secHead" else "a divider's name",
            title=g.title.box,
            title_idx=g.title.idx,
            text=None,
            text_idx=None,
            placeholders=(g.title.idx,),
        )

    # -- overrides --------------------------------------------------------------------------------

    def named(self, role: str, name: str) -> LayoutGeometry:
        matches = [g for g in self.layouts if g.name.strip().casefold() == name.strip().casefold()]
        if not matches:
            found = ", ".join(f'"{g.name}"' for g in self.layouts)
            raise OfficeTemplateError(
                f'{self.path}: reference.layouts.{role} names "{name}", which the template has no layout '
                f"called; its layouts are: {found}"
            )
        return matches[-1] if role != "cover" else matches[0]

    def forced(self, role: str, g: LayoutGeometry) -> Choice:
        title, where = self.title_area(g)
        if role == "cover":
            texts = [s for s in (*([g.subtitle] if g.subtitle else []), *g.texts) if s.box.y >= title.y]
            slot = min(texts, key=lambda s: s.box.y, default=None)
        else:
            slot = _main_text(g, self.area) or _main_visual(g, self.area)
        text = _region_below_title(slot.box, title) if slot is not None else None
        if text is None and role != "cover":
            top = title.bottom + int(0.15 * IN)
            text = Box(title.x, top, title.w, int(self.height * 0.9) - top)
        return Choice(
            role=role,
            index=g.index,
            name=g.name,
            reason=f"named in reference.layouts.{role}" + ("" if g.title else f"; title area from {where}"),
            title=title,
            title_idx=g.title.idx if g.title else None,
            text=text,
            text_idx=slot.idx if slot is not None and slot.kind in ("text", "subtitle") else None,
            placeholders=tuple(i for i in ((g.title.idx if g.title else None), slot and slot.idx) if i is not None),
        )


def plan_layouts(prs, path, overrides: dict[str, str] | None = None, example_titles: dict[int, Box] | None = None):
    """The layout for each role (see the module docstring); raises OfficeTemplateError naming what is wrong."""
    planner = _Planner(prs, path, overrides, example_titles or {})
    overrides = overrides or {}
    unknown = sorted(set(overrides) - set(ROLES))
    if unknown:
        raise OfficeTemplateError(
            f"{path}: reference.layouts has no role {', '.join(unknown)}; the roles are {', '.join(ROLES)}"
        )
    choices: dict[str, Choice] = {}
    for role in ROLES:
        if role in overrides:
            choices[role] = planner.forced(role, planner.named(role, overrides[role]))
    if "content" not in choices:
        choices["content"] = planner.content()
    if "exhibit" not in choices:
        choices["exhibit"] = planner.exhibit(choices["content"])
    if "cover" not in choices:
        choices["cover"] = planner.cover(choices["content"])
    if "section" not in choices:
        section = planner.section()
        if section is not None:
            choices["section"] = section
    return LayoutPlan(tuple(planner.layouts), choices)


def example_title_boxes(prs) -> dict[int, Box]:
    """Title areas the template's own example slides give layouts that have no title placeholder.

    A pandoc reference deck's "Title Slide" layout may have no title, its example slide a title of its own
    with a position: that is where the brand team put the cover's title. Read before the slides are dropped."""
    index = {id(layout.part): i for i, layout in enumerate(all_layouts(prs))}
    found: dict[int, Box] = {}
    for slide in prs.slides:
        i = index.get(id(slide.slide_layout.part))
        if i is None or i in found:
            continue
        for shape in slide.placeholders:
            if (
                shape.placeholder_format.type in _TITLES
                and shape._element.spPr.find("{http://schemas.openxmlformats.org/drawingml/2006/main}xfrm") is not None
            ):
                box = _box(shape)
                if box is not None:
                    found[i] = box
                    break
    return found
