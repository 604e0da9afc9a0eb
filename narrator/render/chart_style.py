"""The house chart style, written straight into a chartSpace's XML.

python-pptx's chart API makes each setting through layers of proxies (a font, a fill, a colour format),
a fifth of a pack's time for four charts. The same settings are written here as the elements python-pptx
would make, in the schema's order, so a chart reads and renders exactly as before: every element is found
or added in its schema position (``child``), the way python-pptx's ``get_or_add_*`` methods do.
"""

from __future__ import annotations

import copy

from lxml import etree

from narrator.render.chart_oxml import NAMESPACES, new_element, parse_xml, qn

_C = f"{{{NAMESPACES['c']}}}"
_A = f"{{{NAMESPACES['a']}}}"

# Child order of the elements styled here (ECMA-376 part 1, the chart and DrawingML schemas).
_ORDER = {
    "c:chartSpace": "c:date1904 c:lang c:roundedCorners mc:AlternateContent c:style c:clrMapOvr c:pivotSource "
    "c:protection c:chart c:spPr c:txPr c:externalData c:printSettings c:userShapes c:extLst",
    "c:chart": "c:title c:autoTitleDeleted c:pivotFmts c:view3D c:floor c:sideWall c:backWall c:plotArea "
    "c:legend c:plotVisOnly c:dispBlanksAs c:showDLblsOverMax c:extLst",
    "c:title": "c:tx c:layout c:overlay c:spPr c:txPr c:extLst",
    "c:legend": "c:legendPos c:legendEntry c:layout c:overlay c:spPr c:txPr c:extLst",
    "c:catAx": "c:axId c:scaling c:delete c:axPos c:majorGridlines c:minorGridlines c:title c:numFmt "
    "c:majorTickMark c:minorTickMark c:tickLblPos c:spPr c:txPr c:crossAx c:crosses c:crossesAt c:auto "
    "c:lblAlgn c:lblOffset c:tickLblSkip c:tickMarkSkip c:noMultiLvlLbl c:extLst",
    "c:valAx": "c:axId c:scaling c:delete c:axPos c:majorGridlines c:minorGridlines c:title c:numFmt "
    "c:majorTickMark c:minorTickMark c:tickLblPos c:spPr c:txPr c:crossAx c:crosses c:crossesAt c:crossBetween "
    "c:majorUnit c:minorUnit c:dispUnits c:extLst",
    "c:scaling": "c:logBase c:orientation c:max c:min c:extLst",
    "c:majorGridlines": "c:spPr",
    "c:barChart": "c:barDir c:grouping c:varyColors c:ser c:dLbls c:gapWidth c:overlap c:serLines c:axId c:extLst",
    "c:ser:bar": "c:idx c:order c:tx c:spPr c:invertIfNegative c:pictureOptions c:dPt c:dLbls c:trendline "
    "c:errBars c:cat c:val c:shape c:extLst",
    "c:ser:line": "c:idx c:order c:tx c:spPr c:marker c:dPt c:dLbls c:trendline c:errBars c:cat c:val c:smooth "
    "c:extLst",
    "c:marker": "c:symbol c:size c:spPr c:extLst",
    "c:dLbls": "c:dLbl c:delete c:numFmt c:spPr c:txPr c:dLblPos c:showLegendKey c:showVal c:showCatName "
    "c:showSerName c:showPercent c:showBubbleSize c:separator c:showLeaderLines c:leaderLines c:extLst",
    "c:spPr": "a:xfrm a:custGeom a:prstGeom a:noFill a:solidFill a:gradFill a:blipFill a:pattFill a:grpFill "
    "a:ln a:effectLst a:effectDag a:scene3d a:sp3d a:extLst",
    "a:ln": "a:noFill a:solidFill a:gradFill a:pattFill a:prstDash a:custDash a:round a:bevel a:miter "
    "a:headEnd a:tailEnd a:extLst",
    "a:defRPr": "a:ln a:noFill a:solidFill a:gradFill a:blipFill a:pattFill a:grpFill a:effectLst a:effectDag "
    "a:highlight a:uLnTx a:uLn a:uFillTx a:uFill a:latin a:ea a:cs a:sym a:hlinkClick a:hlinkMouseOver a:rtl "
    "a:extLst",
    "a:p": "a:pPr a:r a:br a:fld a:endParaRPr",
    "a:pPr": "a:lnSpc a:spcBef a:spcAft a:buClrTx a:buClr a:buSzTx a:buSzPct a:buSzPts a:buFontTx a:buFont "
    "a:buNone a:buAutoNum a:buChar a:buBlip a:tabLst a:defRPr a:extLst",
}
_FILLS = ("a:noFill", "a:solidFill", "a:gradFill", "a:blipFill", "a:pattFill", "a:grpFill")

# Each sequence as {child tag: position}, by the parent's Clark tag (or the order name given for series).
_POSITION = {
    (qn(key) if key.count(":") == 1 else key): {qn(tag): n for n, tag in enumerate(value.split())}
    for key, value in _ORDER.items()
}


def child(parent: etree._Element, tag: str, order: str | None = None) -> etree._Element:
    """The parent's ``tag`` child, added in its schema position when missing (``order`` names the parent's
    child sequence when its tag alone does not, as for a bar or a line series)."""
    found = parent.find(qn(tag))
    if found is not None:
        return found
    return insert(parent, new_element(tag), order)


def insert(parent: etree._Element, element: etree._Element, order: str | None = None) -> etree._Element:
    """Insert ``element`` among the parent's children at its schema position; returns it."""
    positions = _POSITION[order or parent.tag]
    own = positions[element.tag]
    for sibling in parent:
        if positions.get(sibling.tag, -1) > own:
            sibling.addprevious(element)
            return element
    parent.append(element)
    return element


def set_val(parent: etree._Element, tag: str, value: str, order: str | None = None) -> etree._Element:
    element = child(parent, tag, order)
    element.set("val", value)
    return element


def _only_fill(parent: etree._Element, fill: str) -> etree._Element:
    """Replace whatever fill the parent has with ``fill`` (a:noFill or a:solidFill), as python-pptx does."""
    for other in _FILLS:
        if other != fill:
            for element in parent.findall(qn(other)):
                parent.remove(element)
    existing = parent.find(qn(fill))
    if existing is not None and fill == "a:solidFill":
        for colour in list(existing):
            existing.remove(colour)
    return child(parent, fill)


def solid(parent: etree._Element, *, rgb: str | None = None, scheme: str | None = None) -> etree._Element:
    """A solid fill of an RGB or a theme colour; returns the colour element."""
    fill = _only_fill(parent, "a:solidFill")
    colour = new_element("a:srgbClr" if rgb else "a:schemeClr")
    colour.set("val", rgb or scheme)
    fill.append(colour)
    return colour


def no_fill(parent: etree._Element) -> None:
    _only_fill(parent, "a:noFill")


def sp_pr(parent: etree._Element, order: str | None = None) -> etree._Element:
    return child(parent, "c:spPr", order)


def line(parent: etree._Element, order: str | None = None) -> etree._Element:
    return child(sp_pr(parent, order), "a:ln")


def def_rpr(text_parent: etree._Element, order: str | None = None) -> etree._Element:
    """The default run properties of a chart element's text (its c:txPr), made as python-pptx makes them."""
    tx_pr = text_parent.find(f"{_C}txPr")
    if tx_pr is None:
        tx_pr = insert(text_parent, fragment(_NEW_TX_PR), order)
    p_pr = child(tx_pr.find(f"{_A}p"), "a:pPr", "a:p")
    return child(p_pr, "a:defRPr")


_NEW_TX_PR = "<c:txPr><a:bodyPr/><a:lstStyle/><a:p><a:pPr><a:defRPr/></a:pPr></a:p></c:txPr>"


def fragment(xml: str) -> etree._Element:
    """An element from XML written with the c: and a: prefixes, parsed as python-pptx parses its own.

    A copy of the one parsed the first time: the same few fragments go into every chart, and copying a
    parsed tree costs a fraction of parsing it again."""
    parsed = _FRAGMENTS.get(xml)
    if parsed is None:
        head, rest = xml.split(">", 1)
        closing = "/" if head.endswith("/") else ""
        head = head.rstrip("/")
        parsed = parse_xml(f'{head} xmlns:c="{_C[1:-1]}" xmlns:a="{_A[1:-1]}"{closing}>{rest}')
        if len(_FRAGMENTS) >= 256:
            _FRAGMENTS.clear()
        _FRAGMENTS[xml] = parsed
    return copy.deepcopy(parsed)


# Parsed fragments by their XML, never handed out themselves (fragment returns copies).
_FRAGMENTS: dict[str, etree._Element] = {}


def font(text_parent: etree._Element, size_pt: float, order: str | None = None) -> etree._Element:
    """Set the text size of a chart element's labels; returns their run properties (a:defRPr)."""
    rpr = def_rpr(text_parent, order)
    rpr.set("sz", str(int(round(size_pt * 100))))
    return rpr


def number_format(parent: etree._Element, code: str, order: str | None = None) -> None:
    """An unlinked number format (``sourceLinked="0"``): the labels keep it when the data is edited."""
    fmt = child(parent, "c:numFmt", order)
    fmt.set("formatCode", code)
    fmt.set("sourceLinked", "0")


def external_data(space: etree._Element) -> etree._Element:
    """The chartSpace's link to its embedded workbook (c:externalData), added as python-pptx's
    ``get_or_add_externalData`` adds it: with ``<c:autoUpdate val="0"/>``, so Office never refreshes
    the chart from a file."""
    found = space.find(qn("c:externalData"))
    if found is not None:
        return found
    external = new_element("c:externalData")
    auto_update = new_element("c:autoUpdate")
    auto_update.set("val", "0")
    external.append(auto_update)
    return insert(space, external)
