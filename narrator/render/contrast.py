"""Colours the deck can read on: each colour narrator sets, checked against the background it lands on.

A theme's accent 1 may be #DDDDDD on white, a pastel palette may put white labels on light-grey bars, a
cover may be dark. For every layout the deck uses, the background behind each text area is found (the
layout's own shapes, its background, the master's), and each colour narrator would set (lead, source,
caption, furniture, bullets in a text box, the template's own title and subtitle colours) is checked
against it with WCAG 2.1 contrast: 4.5:1 for text, 3:1 for large text (titles) and chart marks. A colour
that fails is replaced by the nearest theme colour that passes, else darkened until it does, and the
change is recorded for ``narrator templates inspect``. Chart series are also kept apart from each other
(and so from the light gridlines) in Lab distance.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from narrator.render import colours as c

if TYPE_CHECKING:  # the Word paper's chart palette needs no python-pptx, which layouts imports
    from narrator.render.layouts import LayoutPlan

_RT_THEME = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/theme"
# What narrator asks for where the template does not say: (scheme name, brightness, minimum ratio).
WANTED = {
    "lead": ("accent1", 0.0, c.BODY_RATIO),
    "source": ("tx1", 0.4, c.BODY_RATIO),
    "caption": ("tx2", 0.0, c.BODY_RATIO),
    "body": ("tx1", 0.0, c.BODY_RATIO),
}
FURNITURE = ("tx1", 0.35, c.BODY_RATIO)
CHART_ORDER = ("accent1", "accent2", "accent3", "accent4", "accent6", "accent5", "tx2")
_APART = 18.0  # Lab distance two series must keep (about eight just-noticeable differences)
_DISTINCT = 4  # how many of the first series colours are kept apart from each other


@dataclass(frozen=True)
class LayoutColours:
    """The fills (a:solidFill XML) for one layout's text; None keeps the template's own colour."""

    title: str | None
    subtitle: str | None
    text: str | None  # bullets in the layout's own text placeholder
    lead: str
    body: str
    source: str
    caption: str


@dataclass
class ChartPalette:
    """Series colours by the theme slot charts ask for, and the text colour for labels on each."""

    background: str
    marks: dict[str, tuple[str, str]] = field(default_factory=dict)  # slot -> ("scheme"|"rgb", value)
    rgb: dict[str, str] = field(default_factory=dict)  # slot -> the colour as shown
    dashed: tuple[str, str] = ("scheme", "tx1")
    text: str = "404040"  # axis labels, legend and labels outside the bars, readable on the background

    def fill(self, slot: str) -> dict[str, str]:
        kind, value = self.marks.get(slot, ("scheme", slot))
        if kind == "shade":
            name, step = value.split(":")
            return {"scheme": name, "step": step}
        return {kind: value}

    def label_on(self, slot: str) -> str:
        """White or black, whichever reads better on a bar of ``slot``'s colour (one of the two always
        reaches 4.5:1 on a bar that itself stands out from a white or black background)."""
        bar = self.rgb.get(slot, "808080")
        return "FFFFFF" if c.contrast("FFFFFF", bar) >= c.contrast("000000", bar) else "000000"


@dataclass(frozen=True)
class TableColours:
    header_fill: str  # scheme name or RRGGBB
    header_text: str
    band_fills: tuple[str, str]
    body_text: str


@dataclass
class Palette:
    layouts: dict[int, LayoutColours]
    charts: dict[int, ChartPalette]
    furniture: str
    table: TableColours
    changes: list[str]

    def on(self, index: int) -> LayoutColours:
        return self.layouts[index]

    def chart(self, index: int) -> ChartPalette:
        return self.charts[index]


def scheme_fill(scheme: str, brightness: float = 0.0) -> str:
    """``a:solidFill`` of a theme colour slot ("accent1", "tx1"), lighter (brightness > 0) or darker, the
    way PowerPoint's colour picker writes a tint or shade."""
    tint = ""
    if brightness > 0:
        tint = f'<a:lumMod val="{round((1 - brightness) * 100000)}"/><a:lumOff val="{round(brightness * 100000)}"/>'
    elif brightness < 0:
        tint = f'<a:lumMod val="{round((1 + brightness) * 100000)}"/>'
    return f'<a:solidFill><a:schemeClr val="{scheme}">{tint}</a:schemeClr></a:solidFill>'


def rgb_fill(rgb: str) -> str:
    return f'<a:solidFill><a:srgbClr val="{rgb}"/></a:solidFill>'


def _fill_xml(name: str | None, rgb: str, brightness: float = 0.0) -> str:
    return scheme_fill(name, brightness) if name else rgb_fill(rgb)


class _Resolver:
    def __init__(self, prs):
        self.prs = prs
        self.themes: dict[int, c.Theme] = {}
        self.changes: list[str] = []

    def theme(self, master, layout=None) -> c.Theme:
        key = (id(master), id(layout))
        if key not in self.themes:
            try:
                theme = master.part.part_related_by(_RT_THEME)
                from lxml import etree

                root = etree.fromstring(theme.blob)
            except (KeyError, ValueError):
                root = None
            self.themes[key] = c.Theme(root, c.colour_map(master._element, layout._element if layout else None))
        return self.themes[key]

    def layers(self, layout):
        master = layout.slide_master
        theme = self.theme(master, layout)

        def images(part):
            def image_of(blip):
                rid = blip.get("{http://schemas.openxmlformats.org/officeDocument/2006/relationships}embed")
                try:
                    return part.related_part(rid).blob if rid else None
                except (KeyError, AttributeError):
                    return None

            return image_of

        return [
            (layout._element, theme, images(layout.part)),
            (layout._element, theme, images(layout.part)),
            (master._element, theme, images(master.part)),
        ]

    def choose(
        self, what: str, where: str, name: str, brightness: float, ratio: float, background: str, theme: c.Theme
    ) -> tuple[str, str]:
        """(fill XML, RGB) for ``name`` lightened by ``brightness``, or the nearest theme colour passing."""
        rgb = theme.rgb(name)
        if brightness:
            rgb = c.modulate(
                rgb, [("lumMod", round((1 - brightness) * 100000)), ("lumOff", round(brightness * 100000))]
            )
        if c.contrast(rgb, background) >= ratio:
            return _fill_xml(name, rgb, brightness), rgb
        candidates = {slot: theme.slots[slot] for slot in c.SLOTS}
        new_name, new_rgb = c.nearest_passing(rgb, background, ratio, candidates)
        self.changes.append(
            f"{what} on {where}: {name}{f' {int(brightness * 100)}% lighter' if brightness else ''} #{rgb} is "
            f"{c.contrast(rgb, background):.1f}:1 on #{background}; uses "
            f"{new_name or 'a darker shade'} #{new_rgb} ({c.contrast(new_rgb, background):.1f}:1)"
        )
        return _fill_xml(new_name, new_rgb), new_rgb

    def keep_or_fix(self, what: str, where: str, own: str, ratio: float, background: str, theme: c.Theme) -> str | None:
        """None when the template's own colour ``own`` passes on ``background``, else the fill to use."""
        if c.contrast(own, background) >= ratio:
            return None
        candidates = {slot: theme.slots[slot] for slot in c.SLOTS}
        new_name, new_rgb = c.nearest_passing(own, background, ratio, candidates)
        self.changes.append(
            f"{what} on {where}: the template's #{own} is {c.contrast(own, background):.1f}:1 on #{background}; "
            f"uses {new_name or 'a darker shade'} #{new_rgb} ({c.contrast(new_rgb, background):.1f}:1)"
        )
        return _fill_xml(new_name, new_rgb)


def deck_palette(prs, plan: LayoutPlan) -> Palette:
    """The colours for every layout the plan uses (see the module docstring)."""
    from narrator.render.layouts import all_layouts

    layouts = all_layouts(prs)
    resolver = _Resolver(prs)
    per_layout: dict[int, LayoutColours] = {}
    per_chart: dict[int, ChartPalette] = {}
    for choice in plan.choices.values():
        if choice.index in per_layout or choice.role == "section":  # no divider slides are made
            continue
        layout = layouts[choice.index]
        layers = resolver.layers(layout)
        theme = layers[0][1]
        where = f'"{choice.name}"'
        area = choice.text or choice.title
        area_box = (area.x, area.y, area.w, area.h)
        title_box = (choice.title.x, choice.title.y, choice.title.w, choice.title.h)
        behind_title = c.background_at(title_box, layers)
        behind_text = c.background_at(area_box, layers)
        title_type = "ctrTitle" if choice.role == "cover" else "title"
        own_title = c.inherited_text_colour(title_type, 0, layers[1:])
        text_type = _ph_type(layout._element, choice.text_idx)
        own_text = c.inherited_text_colour(text_type, choice.text_idx, layers[1:])
        fills = {}
        for what, (name, brightness, ratio) in WANTED.items():
            fills[what] = resolver.choose(what, where, name, brightness, ratio, behind_text, theme)[0]
        per_layout[choice.index] = LayoutColours(
            # Titles are held to 4.5:1 too: on a small page they may be set below large-text size.
            title=resolver.keep_or_fix("title", where, own_title, c.BODY_RATIO, behind_title, theme),
            subtitle=resolver.keep_or_fix("subtitle", where, own_text, c.BODY_RATIO, behind_text, theme)
            if choice.role == "cover"
            else None,
            text=resolver.keep_or_fix("bullets", where, own_text, c.BODY_RATIO, behind_text, theme)
            if choice.role != "cover" and choice.text_idx is not None
            else None,
            **fills,
        )
        if choice.role in ("content", "exhibit"):  # the slides that carry charts
            per_chart[choice.index] = _chart_palette(resolver, theme, behind_text, where)
    master = prs.slide_masters[0]
    theme = resolver.theme(master)
    page = c.background_at(
        (0, int(prs.slide_height * 0.95), prs.slide_width, int(prs.slide_height * 0.04)),
        resolver.layers(layouts[plan.choices["content"].index]),
    )
    furniture = resolver.choose("footer", "the content layout", *FURNITURE, page, theme)[0]
    return Palette(per_layout, per_chart, furniture, _table_colours(resolver, theme), resolver.changes)


def paper_chart_palette(theme_root) -> tuple[ChartPalette, list[str]]:
    """Chart colours for a Word paper (white pages) from its theme, and what was changed for contrast."""
    resolver = _Resolver(None)
    palette = _chart_palette(resolver, c.Theme(theme_root), "FFFFFF", "the paper")
    return palette, resolver.changes


def _ph_type(layout, idx: int | None) -> str:
    """The placeholder type (body, obj, subTitle ...) of the layout's placeholder ``idx``."""
    for ph in layout.iter(f"{c.P}ph"):
        if idx is not None and int(ph.get("idx", "0")) == idx:
            return ph.get("type", "obj")
    return "body"


def _chart_palette(resolver: _Resolver, theme: c.Theme, background: str, where: str) -> ChartPalette:
    """Series colours in the order charts take them: each at 3:1 on the background, and each of the first
    four (most charts show three series or fewer) kept apart from those before it."""
    text = next((t for t in ("404040", "FFFFFF", "000000") if c.contrast(t, background) >= c.BODY_RATIO), "000000")
    palette = ChartPalette(background=background, text=text)
    if text != "404040":
        resolver.changes.append(f"chart text on {where}: #404040 is too faint on #{background}; uses #{text}")
    kept: list[str] = []
    candidates = {slot: theme.slots[slot] for slot in c.SLOTS}
    for n, slot in enumerate(CHART_ORDER):
        rgb = theme.rgb(slot)
        compare = kept if n < _DISTINCT else []

        def usable(colour: str, compare: list[str] = compare) -> bool:
            return c.contrast(colour, background) >= c.GRAPHIC_RATIO and all(
                c.distance(colour, k) >= _APART for k in compare
            )

        if usable(rgb):
            palette.marks[slot] = ("scheme", slot)
        else:
            faint = c.contrast(rgb, background) < c.GRAPHIC_RATIO
            options = {name: v for name, v in candidates.items() if usable(v) and c.distance(v, rgb) <= c.NEAR}
            if options:
                name = min(options, key=lambda k: c.distance(options[k], rgb))
                new = options[name]
                palette.marks[slot] = ("scheme", name)
            else:
                new, step = c.darken(rgb, background, c.GRAPHIC_RATIO + (0 if faint else 1.5))
                name = None
                # Written as the theme colour with a shade, as PowerPoint's picker would: still the theme's.
                palette.marks[slot] = ("shade", f"{slot}:{step}")
            why = f"{c.contrast(rgb, background):.1f}:1 on #{background}" if faint else "too close to an earlier series"
            resolver.changes.append(
                f"chart series {slot} on {where}: #{rgb} is {why}; uses {name or 'a darker shade'} #{new}"
            )
            rgb = new
        palette.rgb[slot] = rgb
        kept.append(rgb)
    return palette


def _table_colours(resolver: _Resolver, theme: c.Theme) -> TableColours:
    """Header row in text 2 with background-1 text, body rows banded in the backgrounds: each pair checked."""
    header = theme.rgb("tx2")
    header_fill = "tx2"
    text = "bg1" if c.contrast(theme.rgb("bg1"), header) >= c.BODY_RATIO else "tx1"
    if c.contrast(theme.rgb(text), header) < c.BODY_RATIO:
        name, rgb = c.nearest_passing(header, theme.rgb("bg1"), c.BODY_RATIO, {s: theme.slots[s] for s in c.SLOTS})
        header_fill, text = (name or rgb), "bg1"
        resolver.changes.append(
            f"table header: text 2 #{header} leaves no readable text colour; uses {name or 'a darker shade'} #{rgb}"
        )
    light = [b for b in ("bg1", "bg2") if c.contrast("262626", theme.rgb(b)) >= c.BODY_RATIO]
    # Body rows in the theme's light backgrounds where dark text reads on them, else plain white and grey.
    bands = ("bg1", "bg2") if len(light) == 2 else (light[0], light[0]) if light else ("FFFFFF", "F2F2F2")
    return TableColours(header_fill=header_fill, header_text=text, band_fills=bands, body_text="262626")
