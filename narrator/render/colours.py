"""Colour arithmetic for readable documents: theme colours resolved to RGB, WCAG 2.1 contrast, and the
nearest theme colour that passes.

Pure functions on lxml trees and hex strings, shared by the renderer (which chooses colours) and the
quality gate (which checks them), so both agree on what a theme colour and a background are.
"""

from __future__ import annotations

import colorsys
import io
from collections.abc import Iterable
from functools import lru_cache

from lxml import etree

A = "{http://schemas.openxmlformats.org/drawingml/2006/main}"
P = "{http://schemas.openxmlformats.org/presentationml/2006/main}"
BODY_RATIO, LARGE_RATIO, GRAPHIC_RATIO = 4.5, 3.0, 3.0  # WCAG 2.1 1.4.3 and 1.4.11
SLOTS = ("dk1", "lt1", "dk2", "lt2", "accent1", "accent2", "accent3", "accent4", "accent5", "accent6")
# The names text and backgrounds use, mapped to scheme slots by the master's colour map.
_DEFAULT_MAP = {"bg1": "lt1", "tx1": "dk1", "bg2": "lt2", "tx2": "dk2"}


# The gate asks for the same few colours' luminance and contrast thousands of times a deck: pure
# functions of two hex strings, remembered within a bound.
@lru_cache(maxsize=4096)
def luminance(rgb: str) -> float:
    """WCAG relative luminance of a hex colour."""

    def channel(c: int) -> float:
        s = c / 255
        return s / 12.92 if s <= 0.04045 else ((s + 0.055) / 1.055) ** 2.4

    r, g, b = (int(rgb[i : i + 2], 16) for i in (0, 2, 4))
    return 0.2126 * channel(r) + 0.7152 * channel(g) + 0.0722 * channel(b)


@lru_cache(maxsize=4096)
def contrast(a: str, b: str) -> float:
    """WCAG 2.1 contrast ratio of two hex colours, 1 to 21."""
    la, lb = sorted((luminance(a), luminance(b)), reverse=True)
    return (la + 0.05) / (lb + 0.05)


def distance(a: str, b: str) -> float:
    """How far apart two colours look: Euclidean distance in CIE Lab (about 2.3 is just noticeable)."""
    la, lb = _lab(a), _lab(b)
    return sum((x - y) ** 2 for x, y in zip(la, lb, strict=True)) ** 0.5


def _lab(rgb: str) -> tuple[float, float, float]:
    def lin(c: int) -> float:
        s = c / 255
        return s / 12.92 if s <= 0.04045 else ((s + 0.055) / 1.055) ** 2.4

    r, g, b = (lin(int(rgb[i : i + 2], 16)) for i in (0, 2, 4))
    x = (0.4124 * r + 0.3576 * g + 0.1805 * b) / 0.95047
    y = 0.2126 * r + 0.7152 * g + 0.0722 * b
    z = (0.0193 * r + 0.1192 * g + 0.9505 * b) / 1.08883

    def f(t: float) -> float:
        return t ** (1 / 3) if t > 0.008856 else 7.787 * t + 16 / 116

    fx, fy, fz = f(x), f(y), f(z)
    return 116 * fy - 16, 500 * (fx - fy), 200 * (fy - fz)


def hex_of(r: float, g: float, b: float) -> str:
    return "".join(f"{max(0, min(255, round(c * 255))):02X}" for c in (r, g, b))


def modulate(rgb: str, mods: Iterable[tuple[str, int]]) -> str:
    """Apply DrawingML colour transforms (lumMod, lumOff, tint, shade) the way Office does, in HSL."""
    return _modulated(rgb, tuple(mods))


@lru_cache(maxsize=4096)
def _modulated(rgb: str, mods: tuple[tuple[str, int], ...]) -> str:
    r, g, b = (int(rgb[i : i + 2], 16) / 255 for i in (0, 2, 4))
    for name, value in mods:
        v = value / 100000
        if name in ("lumMod", "lumOff"):
            h, lum, s = colorsys.rgb_to_hls(r, g, b)
            lum = min(1.0, lum * v) if name == "lumMod" else min(1.0, max(0.0, lum + v))
            r, g, b = colorsys.hls_to_rgb(h, lum, s)
        elif name == "tint":
            r, g, b = (c + (1 - c) * (1 - v) for c in (r, g, b))
        elif name == "shade":
            r, g, b = (c * v for c in (r, g, b))
    return hex_of(r, g, b)


def darken(rgb: str, background: str, ratio: float) -> tuple[str, int]:
    """``rgb`` darkened (on a light background) or lightened (on a dark one) in steps of 5% luminance
    until it reaches ``ratio`` against ``background``; returns the colour and the lumMod/lumOff used
    (negative: darker by that many percent)."""
    dark_bg = luminance(background) < 0.18
    for step in range(1, 20):
        if dark_bg:
            candidate = modulate(rgb, [("lumMod", 100000 - step * 5000), ("lumOff", step * 5000)])
        else:
            candidate = modulate(rgb, [("lumMod", 100000 - step * 5000)])
        if contrast(candidate, background) >= ratio:
            return candidate, step * 5 * (1 if dark_bg else -1)
    return ("FFFFFF" if dark_bg else "000000"), (100 if dark_bg else -100)


class Theme:
    """A theme's colour scheme with its master's colour map: scheme names and slots to RGB."""

    def __init__(self, theme: etree._Element | None, colour_map: dict[str, str] | None = None):
        self.slots: dict[str, str] = {}
        scheme = theme.find(f".//{A}clrScheme") if theme is not None else None
        for slot in SLOTS + ("hlink", "folHlink"):
            el = scheme.find(f"{A}{slot}") if scheme is not None else None
            self.slots[slot] = _own_rgb(el[0]) if el is not None and len(el) else _FALLBACK.get(slot, "000000")
        self.map = {**_DEFAULT_MAP, **(colour_map or {})}
        self.fill_styles = theme.find(f".//{A}bgFillStyleLst") if theme is not None else None

    def slot(self, name: str) -> str:
        """The scheme slot a name means: "tx1" -> "dk1" under the usual map, "accent1" -> itself."""
        return self.map.get(name, name)

    def rgb(self, name: str) -> str:
        return self.slots.get(self.slot(name), "000000")

    def colour(self, element: etree._Element | None, placeholder: str | None = None) -> str | None:
        """The RGB of a colour element (a:srgbClr, a:schemeClr, a:sysClr, a:prstClr) with its transforms;
        ``placeholder`` stands for phClr (a style's "the colour it is used with")."""
        if element is None:
            return None
        tag = _localname(element)
        if tag == "schemeClr":
            value = element.get("val", "tx1")
            base = placeholder if value == "phClr" and placeholder else self.rgb(value)
        elif tag in ("srgbClr", "sysClr", "prstClr", "scrgbClr", "hslClr"):
            base = _own_rgb(element)
        else:
            return None
        mods = [(_localname(m), int(m.get("val", "100000"))) for m in element if m.get("val")]
        return modulate(base, [(n, v) for n, v in mods if n in ("lumMod", "lumOff", "tint", "shade")])

    def fill(self, container: etree._Element | None) -> str | None:
        """The colour of the fill inside ``container`` (an spPr, bgPr or tcPr): solid, the average of a
        gradient's stops, None for no fill or a fill that is not a colour."""
        if container is None:
            return None
        solid = container.find(f"{A}solidFill")
        if solid is not None and len(solid):
            return self.colour(solid[0])
        gradient = container.find(f"{A}gradFill")
        if gradient is not None:
            stops = [self.colour(gs[0]) for gs in gradient.iter(f"{A}gs") if len(gs)]
            return average([s for s in stops if s]) if stops else None
        return None


def _localname(element: etree._Element) -> str:
    """``etree.QName(element).localname`` without making a QName (the gate resolves thousands of colours)."""
    tag = element.tag
    return tag.rpartition("}")[2] if isinstance(tag, str) else etree.QName(element).localname


_FALLBACK = {"dk1": "000000", "lt1": "FFFFFF", "dk2": "44546A", "lt2": "E7E6E6"}


def _own_rgb(element: etree._Element) -> str:
    tag = _localname(element)
    if tag == "srgbClr":
        return (element.get("val") or "000000").upper()
    if tag == "sysClr":
        return (element.get("lastClr") or ("FFFFFF" if element.get("val") == "window" else "000000")).upper()
    if tag == "prstClr":
        return {"white": "FFFFFF", "black": "000000"}.get(element.get("val", ""), "808080")
    if tag == "schemeClr":
        return "000000"
    return "808080"


def average(colours: list[str]) -> str:
    if not colours:
        return "FFFFFF"
    sums = [sum(int(c[i : i + 2], 16) for c in colours) / len(colours) / 255 for i in (0, 2, 4)]
    return hex_of(*sums)


def image_colour(blob: bytes) -> str | None:
    """The average colour of a background picture, or None when Pillow cannot read it (EMF, SVG)."""
    try:
        from PIL import Image

        with Image.open(io.BytesIO(blob)) as image:
            small = image.convert("RGB").resize((16, 16))
            pixels = list(small.getdata())
    except Exception:  # noqa: BLE001 - any unreadable picture simply has no known colour
        return None
    return hex_of(*(sum(p[i] for p in pixels) / len(pixels) / 255 for i in range(3)))


def nearest_passing(
    wanted: str,
    background: str,
    ratio: float,
    candidates: dict[str, str],
    avoid: Iterable[str] = (),
    near: float | None = None,
) -> tuple[str | None, str]:
    """The theme colour (name -> RGB) nearest ``wanted`` that reaches ``ratio`` on ``background`` and is
    not among ``avoid``; with ``near``, only one within that Lab distance (30 is about what separates a
    hue from its darker shade), so a chart series keeps its hue. Else ``wanted`` darkened (or lightened
    on a dark background) until it passes. Returns (scheme name or None, RGB)."""
    avoid = set(avoid)
    passing = [
        (distance(wanted, rgb), name, rgb)
        for name, rgb in candidates.items()
        if contrast(rgb, background) >= ratio and rgb not in avoid and name not in avoid
    ]
    if passing:
        gap, name, rgb = min(passing)
        if near is None or gap <= near:
            return name, rgb
    return None, darken(wanted, background, ratio)[0]


NEAR = 30.0


# -- slides: backgrounds and inherited text colours --------------------------------------------------

_PH_STYLE = {
    "title": "titleStyle",
    "ctrTitle": "titleStyle",
    "body": "bodyStyle",
    "subTitle": "bodyStyle",
    "obj": "bodyStyle",
}


def colour_map(master: etree._Element, layout: etree._Element | None = None) -> dict[str, str]:
    """The master's colour map (bg1 -> lt1 ...), with a layout's override where it has one."""
    override = layout.find(f"{P}clrMapOvr/{A}overrideClrMapping") if layout is not None else None
    source = override if override is not None else master.find(f"{P}clrMap")
    return dict(source.attrib) if source is not None else {}


def own_background(part: etree._Element, theme: Theme, image_of) -> str | None:
    """The colour a slide, layout or master sets as its background, or None when it sets none.

    ``image_of(blip)`` returns the bytes of a picture fill's image (or None); a picture background counts
    as its average colour."""
    bg = part.find(f"{P}cSld/{P}bg")
    if bg is None:
        return None
    pr = bg.find(f"{P}bgPr")
    if pr is not None:
        blip = pr.find(f"{A}blipFill/{A}blip")
        if blip is not None:
            blob = image_of(blip)
            return image_colour(blob) if blob else None
        return theme.fill(pr)
    ref = bg.find(f"{P}bgRef")
    if ref is not None and len(ref):
        return theme.colour(ref[0])
    return None


def shape_colour(shape: etree._Element, theme: Theme, image_of) -> str | None:
    """The colour a non-placeholder shape paints: its solid or gradient fill, its style's fill colour, a
    picture's average colour; None when it paints nothing (or nothing known)."""
    tag = _localname(shape)
    if tag == "pic":
        blip = shape.find(f".//{A}blip")
        blob = image_of(blip) if blip is not None else None
        return image_colour(blob) if blob else None
    if tag != "sp":
        return None
    sp_pr = shape.find(f"{P}spPr")
    if sp_pr is not None and sp_pr.find(f"{A}noFill") is not None:
        return None
    colour = theme.fill(sp_pr)
    if colour is None and sp_pr is not None and sp_pr.find(f"{A}solidFill") is None:
        ref = shape.find(f"{P}style/{A}fillRef")
        if ref is not None and ref.get("idx", "0") != "0" and len(ref):
            colour = theme.colour(ref[0])
    return colour


def box_of(shape: etree._Element) -> tuple[int, int, int, int] | None:
    xfrm = shape.find(f"{P}spPr/{A}xfrm")
    if xfrm is None:
        xfrm = shape.find(f"{P}grpSpPr/{A}xfrm")
    if xfrm is None:
        xfrm = shape.find(f"{P}xfrm")
    off = xfrm.find(f"{A}off") if xfrm is not None else None
    ext = xfrm.find(f"{A}ext") if xfrm is not None else None
    if off is None or ext is None:
        return None
    try:
        return int(off.get("x")), int(off.get("y")), int(ext.get("cx")), int(ext.get("cy"))
    except (TypeError, ValueError):
        return None


def painted_shapes(part: etree._Element) -> list[tuple[tuple[int, int, int, int], etree._Element]]:
    """The shapes of a layout or master that can be behind a slide's text, topmost first, with their
    boxes: those that are not placeholders and have a box."""
    tree = part.find(f"{P}cSld/{P}spTree")
    found = []
    for shape in reversed(list(tree if tree is not None else ())):
        if shape.find(f"*/{P}nvPr/{P}ph") is not None:
            continue
        where = box_of(shape)
        if where is not None:
            found.append((where, shape))
    return found


def background_at(
    box: tuple[int, int, int, int],
    layers: list[tuple[etree._Element, Theme, object]],
    memo: dict | None = None,
) -> str:
    """The colour behind the middle of ``box``: the topmost shape there that is not a placeholder, on the
    layout and (when the layout shows them) the master's, else the nearest background set on the slide,
    layout or master. ``layers`` runs from the slide down to the master as (part root, theme, image_of).

    ``memo`` (a dict kept by the caller, as long as its parts and themes live, with each part's
    ``image_of`` always the same) remembers each layer's painted shapes, own background and shape
    colours: a checker asks this for every shape of every slide on the same layouts and masters."""
    cx, cy = box[0] + box[2] / 2, box[1] + box[3] / 2
    show_master = True
    for depth, (part, theme, image_of) in enumerate(layers):
        if depth > 0 and show_master:  # the slide's own shapes are what is being checked, not behind it
            painted = _remembered(memo, ("painted", part), painted_shapes, part)
            for where, shape in painted:
                if not (where[0] <= cx <= where[0] + where[2] and where[1] <= cy <= where[1] + where[3]):
                    continue
                colour = _remembered(memo, ("shape", shape, theme), shape_colour, shape, theme, image_of)
                if colour is not None:
                    return colour
        own = _remembered(memo, ("own", part, theme), own_background, part, theme, image_of)
        if own is not None:
            return own
        if part.get("showMasterSp") == "0":
            show_master = False
    theme = layers[-1][1] if layers else Theme(None)
    return theme.rgb("bg1")


_MISSING = object()


def _remembered(memo: dict | None, key: tuple, make, *args):
    if memo is None:
        return make(*args)
    found = memo.get(key, _MISSING)
    if found is _MISSING:
        found = memo[key] = make(*args)
    return found


def inherited_text_colour(
    ph_type: str | None,
    idx: int | None,
    layers: list[tuple[etree._Element, Theme, object]],
    memo: dict | None = None,
) -> str:
    """The colour a run with no colour of its own takes in a placeholder of ``ph_type`` (None: a text
    box): the placeholder's list style on the slide, layout, then master, then the master's text styles.
    ``memo`` as for ``background_at``: each layer's list style is looked up once."""
    theme = layers[-1][1]
    if ph_type is None:
        return theme.rgb("tx1")
    for part, _theme, _ in layers:
        fill = _remembered(memo, ("list style", part, ph_type, idx), _list_style_fill, part, ph_type, idx)
        if fill is not None:
            return theme.colour(fill[0])
    master = layers[-1][0]
    style = master.find(f"{P}txStyles/{P}{_PH_STYLE.get(ph_type, 'otherStyle')}/{A}lvl1pPr/{A}defRPr/{A}solidFill")
    if style is not None and len(style):
        return theme.colour(style[0])
    return theme.rgb("tx1")


def _list_style_fill(part: etree._Element, ph_type: str, idx: int | None) -> etree._Element | None:
    """The first colour fill a placeholder of ``ph_type`` takes from the list style of a matching
    placeholder in ``part`` (a master matches by text style), or None."""
    tree = part.find(f"{P}cSld/{P}spTree")
    for shape in tree if tree is not None else ():
        ph = shape.find(f"*/{P}nvPr/{P}ph")
        if ph is None:
            continue
        same = ph.get("type", "obj") == ph_type and (
            ph_type in ("title", "ctrTitle") or int(ph.get("idx", "0")) == (idx or 0)
        )
        master_kind = _localname(part) == "sldMaster" and _PH_STYLE.get(ph.get("type", "obj")) == _PH_STYLE.get(ph_type)
        if not (same or master_kind):
            continue
        fill = shape.find(f"{P}txBody/{A}lstStyle/{A}lvl1pPr/{A}defRPr/{A}solidFill")
        if fill is not None and len(fill):
            return fill
    return None
