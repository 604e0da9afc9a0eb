"""Readable on its background: WCAG 2.1 contrast of every slide's text and chart marks.

Each run of text on a slide is resolved to the colour it shows in (its own fill, else what its
placeholder inherits from the layout, master and text styles) and checked against what is behind it
(a table cell's fill, else the topmost filled shape of the layout or master under the text, else the
slide's, layout's or master's background; a picture counts as its average colour). Text needs 4.5:1,
large text (18 pt, or 14 pt bold) 3:1. Chart series need 3:1 against the chart's background, and labels
drawn inside bars 4.5:1 against the bar.
"""

from __future__ import annotations

from lxml import etree

from narrator.check.deck_view import read_deck
from narrator.check.package import Package
from narrator.check.problem import Problem
from narrator.render import colours as c

_A, _P, _C = c.A, c.P, "{http://schemas.openxmlformats.org/drawingml/2006/chart}"
_RID = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"


class _Layers:
    """The slide, its layout and its master, each with the theme and images they resolve colours by."""

    def __init__(self, package: Package):
        self.package = package
        self.themes: dict[tuple[str, str], c.Theme] = {}
        # What c.background_at and c.inherited_text_colour work out per layout and master (painted
        # shapes, backgrounds, list styles), for every shape of every slide on them: kept as long as
        # this package's check.
        self.memo: dict = {}

    def _related(self, part: str, kind: str) -> str:
        return next((t for t, rel in self.package.relationships(part).values() if rel.endswith(kind)), "")

    def image_of(self, part: str):
        rels = self.package.relationships(part)

        def lookup(blip):
            target = rels.get(blip.get(f"{_RID}embed"), ("", ""))[0]
            return self.package.parts.get(target)

        return lookup

    def of(self, slide_part: str) -> list:
        layout = self._related(slide_part, "/slideLayout")
        master = self._related(layout, "/slideMaster")
        trees = self.package.trees
        key = (layout, master)
        if key not in self.themes:
            theme_part = self._related(master, "/theme")
            master_root = trees.get(master)
            colour_map = c.colour_map(master_root, trees.get(layout)) if master_root is not None else {}
            self.themes[key] = c.Theme(trees.get(theme_part), colour_map)
        theme = self.themes[key]
        return [
            (root, theme, self.image_of(part))
            for part, root in (
                (slide_part, trees.get(slide_part)),
                (layout, trees.get(layout)),
                (master, trees.get(master)),
            )
            if root is not None
        ]


def _needed(size: float, bold: bool) -> float:
    return c.LARGE_RATIO if size >= 18 or (bold and size >= 14) else c.BODY_RATIO


def check_deck_contrast(name: str, package: Package) -> list[Problem]:
    deck = read_deck(package)
    layers_of = _Layers(package)
    targets = package.relationships(package.main)
    ids = package.trees[package.main].find(f"{_P}sldIdLst")
    parts = [targets.get(i.get(f"{_RID}id"), ("", ""))[0] for i in (ids if ids is not None else ())]
    parts = [p for p in parts if p in package.trees]
    problems: list[Problem] = []
    for slide, part in zip(deck.slides, parts, strict=False):
        layers = layers_of.of(part)
        if not layers:
            continue
        theme = layers[0][1]
        for shape in slide.shapes:
            where = f"slide {slide.number}, shape {shape.name!r}"
            if shape.kind == "text" and shape.text.strip():
                own = c.shape_colour(shape.element, theme, layers[0][2])
                behind = own or c.background_at(shape.box, layers, layers_of.memo)
                problem = _worst_run(
                    shape.element, theme, behind, shape.placeholder, shape.placeholder_idx, layers, layers_of.memo
                )
                if problem:
                    problems.append(Problem(name, where, problem))
            elif shape.kind == "table":
                behind = c.background_at(shape.box, layers, layers_of.memo)
                problem = _table(shape.table, theme, behind)
                if problem:
                    problems.append(Problem(name, where, problem))
            elif shape.kind == "chart":
                behind = c.background_at(shape.box, layers, layers_of.memo)
                problems += [Problem(name, where, p) for p in _chart(package, part, shape.element, theme, behind)]
    return problems


def _runs(body):
    for para in body.iter(f"{_A}p"):
        for run in para:
            if run.tag in (f"{_A}r", f"{_A}fld"):
                t = run.find(f"{_A}t")
                if t is not None and (t.text or "").strip():
                    yield para, run


def _run_colour(run, theme: c.Theme) -> str | None:
    fill = run.find(f"{_A}rPr/{_A}solidFill")
    return theme.colour(fill[0]) if fill is not None and len(fill) else None


def _worst_run(element, theme, behind: str, ph_type, idx, layers, memo: dict) -> str | None:
    body = element.find(f"{_P}txBody")
    if body is None:
        return None
    inherited = None
    worst = None
    for _para, run in _runs(body):
        colour = _run_colour(run, theme)
        if colour is None:
            if inherited is None:
                inherited = c.inherited_text_colour(ph_type, idx, layers, memo)
            colour = inherited
        rpr = run.find(f"{_A}rPr")
        size = int(rpr.get("sz")) / 100 if rpr is not None and rpr.get("sz") else 18.0
        bold = rpr is not None and rpr.get("b") in ("1", "true")
        ratio, need = c.contrast(colour, behind), _needed(size, bold)
        if ratio < need and (worst is None or ratio < worst[0]):
            worst = (ratio, need, colour, run.findtext(f"{_A}t") or "")
    if worst is None:
        return None
    ratio, need, colour, text = worst
    sample = text if len(text) <= 30 else text[:29] + "…"
    return (
        f"text #{colour} on #{behind} has a contrast of {ratio:.1f}:1, below {need:g}:1 ({sample!r}); "
        "use a darker (or, on a dark background, lighter) colour"
    )


def _table(table, theme: c.Theme, behind: str) -> str | None:
    for tc in table.iter(f"{_A}tc"):
        fill = theme.fill(tc.find(f"{_A}tcPr")) or behind
        for _para, run in _runs(tc):
            colour = _run_colour(run, theme) or theme.rgb("tx1")
            rpr = run.find(f"{_A}rPr")
            size = int(rpr.get("sz")) / 100 if rpr is not None and rpr.get("sz") else 18.0
            need = _needed(size, rpr is not None and rpr.get("b") in ("1", "true"))
            if c.contrast(colour, fill) < need:
                return (
                    f"cell text #{colour} on #{fill} has a contrast of {c.contrast(colour, fill):.1f}:1, "
                    f"below {need:g}:1 ({(run.findtext(f'{_A}t') or '')[:30]!r})"
                )
    return None


def _chart(package: Package, slide_part: str, frame, theme: c.Theme, behind: str) -> list[str]:
    ref = frame.find(f".//{_C}chart")
    rels = package.relationships(slide_part)
    target = rels.get(ref.get(f"{_RID}id"), ("", ""))[0] if ref is not None else ""
    space = package.trees.get(target)
    if space is None:
        return []
    plot = space.find(f"{_C}chart/{_C}plotArea")
    background = theme.fill(plot.find(f"{_C}spPr")) if plot is not None else None
    background = background or theme.fill(space.find(f"{_C}spPr")) or behind
    problems = []
    text = space.find(f"{_C}txPr//{_A}defRPr/{_A}solidFill")
    if text is not None and len(text) and c.contrast(theme.colour(text[0]), background) < c.BODY_RATIO:
        colour = theme.colour(text[0])
        problems.append(
            f"chart text (axes, legend, labels) in #{colour} has a contrast of {c.contrast(colour, background):.1f}:1 "
            f"on #{background}, below 4.5:1"
        )
    for ser in space.iter(f"{_C}ser"):
        name = "".join(v.text or "" for v in ser.iterfind(f"{_C}tx//{_C}v")) or "a series"
        sp_pr = ser.find(f"{_C}spPr")
        if sp_pr is None:
            continue
        line = sp_pr.find(f"{_A}ln")
        fill = theme.fill(sp_pr)
        mark = fill or (theme.fill(line) if line is not None else None)
        if mark is None:
            continue  # an invisible series (a waterfall's base)
        dashed = line is not None and line.find(f"{_A}prstDash") is not None and fill is None
        if c.contrast(mark, background) < c.GRAPHIC_RATIO and not dashed:
            problems.append(
                f"chart series {name!r} in #{mark} has a contrast of {c.contrast(mark, background):.1f}:1 on "
                f"#{background}, below 3:1: it does not stand out from the background and gridlines"
            )
        labels = ser.find(f"{_C}dLbls")
        if labels is not None and fill is not None and _inside(labels):
            text = labels.find(f"{_C}txPr//{_A}defRPr/{_A}solidFill")
            colour = theme.colour(text[0]) if text is not None and len(text) else theme.rgb("tx1")
            if c.contrast(colour, fill) < c.BODY_RATIO:
                problems.append(
                    f"labels of chart series {name!r}: #{colour} on the bar's #{fill} has a contrast of "
                    f"{c.contrast(colour, fill):.1f}:1, below 4.5:1"
                )
    return problems


def _inside(labels: etree._Element) -> bool:
    position = labels.find(f"{_C}dLblPos")
    return position is not None and position.get("val") in ("inEnd", "inBase", "ctr")
