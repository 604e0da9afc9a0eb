"""Native, editable charts from a ChartSpec: data, chart type, combo and waterfall XML, and house styling."""

from __future__ import annotations

import copy
import math
import re
from collections.abc import Iterable
from functools import lru_cache

from lxml import etree

from narrator.render import chart_style as style
from narrator.render.chart_data import ChartData, SeriesData
from narrator.render.chart_oxml import new_element, parse_xml, qn
from narrator.render.chart_xml import chart_xml
from narrator.render.workbook import category_workbook
from narrator.tell.story import ChartSeries, ChartSpec

# The base chart for each kind, by python-pptx's XL_CHART_TYPE name.
_TYPES = {
    "line": "LINE_MARKERS",
    "bar": "BAR_CLUSTERED",
    "column": "COLUMN_CLUSTERED",
    "combo": "COLUMN_CLUSTERED",  # line series are moved into a lineChart afterwards
    "waterfall": "COLUMN_STACKED",
}
# Theme colours (their names in the XML), not RGB, so a client's template recolours every chart with its
# own palette.
_LINE_COLOURS = ["accent1", "accent3", "accent4", "accent2", "accent6", "accent5"]
_COMBO_BAR_COLOURS = ["accent2", "accent6", "accent4"]
# The order metrics take colours in across a document: the lead colour first, then the most distinct.
_PALETTE = ["accent1", "accent2", "accent3", "accent4", "accent6", "accent5"]
_NO_LINE = (
    b'<c:spPr xmlns:c="http://schemas.openxmlformats.org/drawingml/2006/chart" '
    b'xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main"><a:noFill/><a:ln><a:noFill/></a:ln>'
    b"</c:spPr>"
)
_GRID, _AXIS, _LABEL = "D9D9D9", "A6A6A6", "404040"


def _clean(value: float | None) -> float | None:
    # NaN or infinity in chart data crashes python-pptx's writer and corrupts Excel's cache: a gap instead.
    return None if value is None or not math.isfinite(value) else float(value)


def _key(name: str) -> str:
    return " ".join(name.casefold().split())


def series_colours(specs: Iterable[ChartSpec]) -> dict[str, str]:
    """One theme colour per metric (series name) for a whole document, in order of first appearance.

    "Service level" is then the same colour on every chart it appears in. Dashed targets stay grey and
    waterfalls colour by rise and fall, so neither takes a colour from the palette.
    """
    colours: dict[str, str] = {}
    for spec in specs:
        if spec.kind == "waterfall":
            continue
        for series in spec.series:
            key = _key(series.name)
            if key and not series.dashed and key not in colours:
                colours[key] = _PALETTE[len(colours) % len(_PALETTE)]
    return colours


_SCALED = re.compile(r"0,+(?=[^#0,]|$)")
_CORE = re.compile(r"#,##0(?:\.0+)?|#,#0(?:\.0+)?|0(?:\.0+)?")


def label_format(number_format: str, values: Iterable[float | None]) -> str:
    """A shorter format for data labels on large numbers: £1,043,566 shows as £1.04m, £612,000 as £612k.

    Built from the series' own format code, so the currency and the sign handling carry over; Excel's
    scaling commas ("0,," divides by a million) keep the stored value exact for anyone editing the chart.
    Percentages, formats that already scale and numbers below 10,000 keep their format.
    """
    top = max((abs(v) for v in values if v is not None and math.isfinite(v)), default=0.0)
    if top < 10_000 or "%" in number_format or _SCALED.search(number_format) or "E+" in number_format.upper():
        return number_format
    if top >= 1_000_000:
        core = '0.00,,"m"' if top < 10_000_000 else '0.0,,"m"'
    else:
        core = '#,##0,"k"'
    sections = []
    for section in number_format.split(";"):
        match = _CORE.search(section)
        if match is None:
            return number_format
        sections.append(section[: match.start()] + core + section[match.end() :])
    return ";".join(sections)


def chart_data(spec: ChartSpec) -> tuple[ChartData, str]:
    """The embedded data and the base chart type (python-pptx's XL_CHART_TYPE name) to write."""
    if spec.kind == "waterfall":
        series = tuple(SeriesData(name, tuple(values), fmt) for name, values, fmt in _waterfall_series(spec.series[0]))
    else:
        series = tuple(SeriesData(s.name, tuple(_clean(v) for v in s.values), s.number_format) for s in spec.series)
    return ChartData(tuple(spec.categories), series), _TYPES[spec.kind]


def _waterfall_series(series: ChartSeries) -> list[tuple[str, list[float | None], str]]:
    """A waterfall as a stacked column: an invisible base, then rises, falls and totals.

    The first bar starts at zero; a last value equal to the running sum of the others is a total and
    is drawn from zero too. The story model has no explicit total marker yet, so this is inferred.
    A running total that crosses zero is drawn only approximately (stacked bars split by sign).
    """
    values = [_clean(v) or 0.0 for v in series.values]
    base, up, down, total = [], [], [], []
    running = 0.0
    for i, value in enumerate(values):
        is_total = i == len(values) - 1 and i > 1 and math.isclose(value, running, rel_tol=1e-9, abs_tol=1e-9)
        if i == 0 or is_total:
            base.append(None), up.append(None), down.append(None), total.append(value)
            running = value
            continue
        end = running + value
        base.append(min(running, end))
        up.append(value if value >= 0 else None)
        down.append(-value if value < 0 else None)
        total.append(None)
        running = end
    fmt = series.number_format
    # Falls are stored as positive heights; the format puts the minus sign back on the label.
    minus = "-" + fmt.split(";")[0]
    return [(" ", base, fmt), (series.name, up, fmt), (series.name, down, minus), (series.name, total, fmt)]


def build(
    space: etree._Element,
    spec: ChartSpec,
    size_pt: float,
    title: bool = True,
    colours: dict[str, str] | None = None,
    palette=None,
) -> None:
    """Turn python-pptx's base chart (its c:chartSpace element) into the one the spec asks for, styled
    for a board.

    ``colours`` maps series names to theme colours (``series_colours``) so a metric keeps its colour
    from chart to chart; without it, colours follow series order. ``palette`` (contrast.ChartPalette)
    replaces theme colours that would not stand out from the background or from each other.
    """
    _renumber_axes(space)
    if spec.kind == "combo":
        _split_combo(space, spec)
    _style(space, spec, size_pt, colours or {}, palette)
    _gaps(space)
    if not title:
        _remove_title(space)


@lru_cache(maxsize=64)
def base_chart(spec: ChartSpec) -> tuple[bytes, bytes]:
    """python-pptx's unstyled chart XML for the spec and its embedded workbook.

    Made once per chart and shared by the deck and the paper (which style it differently): writing the
    workbook is the costliest step of a chart. Callers parse the XML into a tree of their own; the bytes
    themselves are never changed. Both are written directly (chart_xml, workbook), python-pptx and
    XlsxWriter writing whichever of them the data is beyond."""
    data, chart_type = chart_data(spec)
    xml, workbook = chart_xml(data, chart_type), category_workbook(data)
    if xml is None or workbook is None:
        from pptx.enum.chart import XL_CHART_TYPE

        fallback = data.python_pptx()
        xml = xml if xml is not None else fallback.xml_bytes(XL_CHART_TYPE[chart_type])
        workbook = workbook if workbook is not None else fallback.xlsx_blob
    return xml, workbook


def chart_space(
    spec: ChartSpec,
    size_pt: float,
    title: bool = True,
    colours: dict[str, str] | None = None,
    palette=None,
) -> tuple[etree._Element, bytes]:
    """The chartSpace element and workbook for a chart part outside PowerPoint (the Word paper)."""
    xml, workbook = base_chart(spec)
    element = parse_xml(xml)
    build(element, spec, size_pt, title, colours, palette)
    return element, workbook


def _renumber_axes(space: etree._Element) -> None:
    # python-pptx writes negative axis ids; the schema wants unsigned ints, so strict validators object.
    plot_area = space.find(qn("c:chart")).find(qn("c:plotArea"))
    ids: dict[str, str] = {}
    for el in plot_area.iter(qn("c:axId"), qn("c:crossAx")):
        el.set("val", ids.setdefault(el.get("val"), str(50000001 + len(ids))))


def _split_combo(space: etree._Element, spec: ChartSpec) -> None:
    """Move the line series into a lineChart, on a secondary value axis when the spec asks."""
    plot_area = space.find(qn("c:chart")).find(qn("c:plotArea"))
    bar = plot_area.find(qn("c:barChart"))
    sers = bar.findall(qn("c:ser"))
    secondary = any(s.kind == "line" and s.axis == "secondary" for s in spec.series)
    cat_ax, val_ax = plot_area.find(qn("c:catAx")), plot_area.find(qn("c:valAx"))
    primary_ids = [el.get("val") for el in bar.findall(qn("c:axId"))]
    line = etree.SubElement(plot_area, qn("c:lineChart"))
    bar.addnext(line)
    etree.SubElement(line, qn("c:grouping")).set("val", "standard")
    etree.SubElement(line, qn("c:varyColors")).set("val", "0")
    for ser, series in zip(sers, spec.series, strict=True):
        if series.kind != "line":
            continue
        for tag in ("c:invertIfNegative", "c:shape"):
            for el in ser.findall(qn(tag)):
                ser.remove(el)
        marker = etree.Element(qn("c:marker"))
        etree.SubElement(marker, qn("c:symbol")).set("val", "none")
        ser.find(qn("c:tx")).addnext(marker)
        etree.SubElement(ser, qn("c:smooth")).set("val", "0")
        line.append(ser)
    etree.SubElement(line, qn("c:marker")).set("val", "1")
    ids = ["60000001", "60000002"] if secondary else primary_ids
    for ax_id in ids:
        etree.SubElement(line, qn("c:axId")).set("val", ax_id)
    if not secondary:
        return
    # Secondary pair: a hidden category axis and a value axis that crosses at the right-hand edge.
    cat2, val2 = copy.deepcopy(cat_ax), copy.deepcopy(val_ax)
    for axis, own, cross in ((cat2, ids[0], ids[1]), (val2, ids[1], ids[0])):
        axis.find(qn("c:axId")).set("val", own)
        axis.find(qn("c:crossAx")).set("val", cross)
    cat2.find(qn("c:delete")).set("val", "1")
    val2.find(qn("c:axPos")).set("val", "r")
    for grid in val2.findall(qn("c:majorGridlines")):
        val2.remove(grid)
    crosses = val2.find(qn("c:crosses"))
    if crosses is not None:
        crosses.set("val", "max")
    last_axis = plot_area.findall(qn("c:valAx"))[-1]
    last_axis.addnext(cat2)
    cat2.addnext(val2)


def _gaps(space: etree._Element) -> None:
    """Missing values are gaps in the line, never a drop to zero."""
    inner = space.find(qn("c:chart"))
    blanks = inner.find(qn("c:dispBlanksAs"))
    if blanks is None:
        blanks = etree.Element(qn("c:dispBlanksAs"))
        # Schema order inside c:chart: ... plotVisOnly, dispBlanksAs, showDLblsOverMax, extLst.
        anchor = inner.find(qn("c:plotVisOnly"))
        if anchor is not None:
            anchor.addnext(blanks)
        else:
            following = [inner.find(qn(t)) for t in ("c:showDLblsOverMax", "c:extLst")]
            following = [el for el in following if el is not None]
            if following:
                following[0].addprevious(blanks)
            else:
                inner.append(blanks)
    blanks.set("val", "gap")


def _mark(palette, colour: str) -> dict[str, str]:
    """The fill for a series of theme colour ``colour``: the palette's readable choice, else the colour."""
    return palette.fill(colour) if palette is not None else {"scheme": colour}


def _paint(parent: etree._Element, mark: dict[str, str]) -> None:
    """A solid fill of the mark's colour: an RGB, a theme colour, or a theme colour with a shade (``step``
    percent darker when negative, lighter when positive)."""
    step = int(mark.get("step", "0"))
    colour = style.solid(parent, rgb=mark.get("rgb"), scheme=mark.get("scheme"))
    if step < 0:
        colour.append(style.fragment(f'<a:lumMod val="{(100 + step) * 1000}"/>'))
    elif step > 0:
        colour.append(style.fragment(f'<a:lumMod val="{(100 - step) * 1000}"/>'))
        colour.append(style.fragment(f'<a:lumOff val="{step * 1000}"/>'))


def _style(space: etree._Element, spec: ChartSpec, size_pt: float, colours: dict[str, str], palette=None) -> None:
    chart = space.find(qn("c:chart"))
    # No border round the chart area: the slide or page is the frame.
    if space.find(qn("c:spPr")) is None:
        chart.addnext(parse_xml(_NO_LINE))
    style.solid(style.font(space, size_pt), rgb=palette.text if palette is not None else _LABEL)
    _title(chart, spec.title, size_pt + 1)
    visible = [s for s in spec.series if s.name.strip()]
    legend = chart.find(qn("c:legend"))
    if spec.kind != "waterfall" and len(visible) > 1:
        if legend is None:
            legend = style.child(chart, "c:legend")
        style.set_val(legend, "c:legendPos", "b")
        style.set_val(legend, "c:overlay", "0")
        style.font(legend, size_pt)
    elif legend is not None:
        chart.remove(legend)
    _style_axes(chart.find(qn("c:plotArea")), spec, size_pt)
    sers = chart.find(qn("c:plotArea")).iter(qn("c:ser"))
    if spec.kind == "waterfall":
        _style_waterfall(chart, list(sers), size_pt, spec.series[0].values, palette)
        return
    bar_i = line_i = 0
    for ser in sers:
        s = spec.series[int(ser.find(qn("c:idx")).get("val"))]
        is_line = spec.kind == "line" or (spec.kind == "combo" and s.kind == "line")
        if is_line:
            colour = colours.get(_key(s.name), _LINE_COLOURS[line_i % len(_LINE_COLOURS)])
            line_i += 0 if s.dashed else 1
            _style_line(ser, s, _mark(palette, colour))
        else:
            order = _COMBO_BAR_COLOURS if spec.kind == "combo" else _LINE_COLOURS
            colour = colours.get(_key(s.name), order[bar_i % len(order)])
            bar_i += 1
            labels = spec.kind in ("bar", "column")
            _style_bar(ser, s, _mark(palette, colour), size_pt, labels, [v for x in spec.series for v in x.values])
    if spec.kind in ("bar", "column", "combo"):
        for plot in chart.find(qn("c:plotArea")).iterchildren(qn("c:barChart")):
            style.set_val(plot, "c:gapWidth", "60")
            style.set_val(plot, "c:varyColors", "0")


_NEW_TITLE = '<c:title><c:layout/><c:overlay val="0"/></c:title>'
_NEW_DLBLS = (
    '<c:dLbls><c:showLegendKey val="0"/><c:showVal val="0"/><c:showCatName val="0"/><c:showSerName val="0"/>'
    '<c:showPercent val="0"/><c:showBubbleSize val="0"/><c:showLeaderLines val="1"/></c:dLbls>'
)
_CONTROL = {chr(n) for n in range(32)} - {"\t"}
_ESCAPED = re.compile(r"[\x00-\x08\x0B-\x1F]")  # what python-pptx writes as "_xHHHH_" in run text


def _title(chart: etree._Element, text: str, size_pt: float) -> None:
    """The chart title in bold, one size up from the labels."""
    if _CONTROL & set(text):
        _title_lines(chart, text, size_pt)
        return
    title = chart.find(qn("c:title"))
    if title is None:
        title = style.insert(chart, style.fragment(_NEW_TITLE))
    tx = title.find(qn("c:tx"))
    if tx is not None:
        title.remove(tx)
    rich = style.fragment("<c:tx><c:rich><a:bodyPr/><a:lstStyle/><a:p><a:r><a:rPr/><a:t/></a:r></a:p></c:rich></c:tx>")
    run = rich.find(f"{qn('c:rich')}/{qn('a:p')}/{qn('a:r')}")
    rpr = run.find(qn("a:rPr"))
    rpr.set("sz", str(int(round(size_pt * 100))))
    rpr.set("b", "1")
    run.find(qn("a:t")).text = text
    style.insert(title, rich)


def _title_lines(chart: etree._Element, text: str, size_pt: float) -> None:
    """A title with line breaks or control characters, as python-pptx's chart title text frame writes it
    (``frame.text = text``, then size and bold on the first run): a paragraph per line, a line break per
    vertical tab, other control characters escaped. As there, only the first run is sized and bold."""
    title = chart.find(qn("c:title"))
    if title is None:
        title = style.insert(chart, style.fragment(_NEW_TITLE))
    tx = title.find(qn("c:tx"))
    if tx is None:
        tx = style.insert(title, new_element("c:tx"))
    for ref in tx.findall(qn("c:strRef")):
        tx.remove(ref)
    rich = tx.find(qn("c:rich"))
    if rich is None:
        rich = style.fragment("<c:rich><a:bodyPr/><a:lstStyle/></c:rich>")
        tx.append(rich)
    for old in rich.findall(qn("a:p")):
        rich.remove(old)
    first_run = None
    for line in text.split("\n"):
        para = new_element("a:p")
        rich.append(para)
        for i, piece in enumerate(re.split("\n|\v", line)):
            if i:
                para.append(new_element("a:br"))
            if piece:
                run = style.fragment("<a:r><a:t/></a:r>")
                run[0].text = _ESCAPED.sub(lambda m: f"_x{ord(m.group(0)):04X}_", piece)
                para.append(run)
                first_run = first_run if first_run is not None else run
    if first_run is None:
        return  # nothing but line breaks: no run to size
    rpr = new_element("a:rPr")
    first_run.insert(0, rpr)
    rpr.set("sz", str(int(size_pt * 12700) // 127))  # python-pptx's Pt(size).centipoints
    rpr.set("b", "1")


def _remove_title(space: etree._Element) -> None:
    """No title (the paper's caption carries it), and no title for PowerPoint to make up either."""
    chart = space.find(qn("c:chart"))
    for title in chart.findall(qn("c:title")):
        chart.remove(title)
    style.set_val(chart, "c:autoTitleDeleted", "1")


def _style_line(ser: etree._Element, spec: ChartSeries, mark: dict[str, str]) -> None:
    order = "c:ser:line"
    style.set_val(ser, "c:smooth", "0", order)
    ln = style.line(ser, order)
    if spec.dashed:
        # Targets and benchmarks: a thin grey dash that reads as a reference, not as data.
        tint = style.solid(ln, scheme="tx1")
        tint.append(style.fragment('<a:lumMod val="55000"/>'))
        tint.append(style.fragment('<a:lumOff val="45000"/>'))
        ln.set("w", "22225")
        style.set_val(ln, "a:prstDash", "dash")
        style.set_val(style.child(ser, "c:marker", order), "c:symbol", "none")
        return
    _paint(ln, mark)
    ln.set("w", "31750")
    marker = style.child(ser, "c:marker", order)
    style.set_val(marker, "c:symbol", "circle")
    style.set_val(marker, "c:size", "5")
    marker_pr = style.sp_pr(marker)
    _paint(marker_pr, mark)
    _paint(style.child(marker_pr, "a:ln"), mark)


def _style_bar(
    ser: etree._Element, spec: ChartSeries, mark: dict[str, str], size_pt: float, labels: bool, values: list
) -> None:
    order = "c:ser:bar"
    sp_pr = style.sp_pr(ser, order)
    if spec.dashed:
        style.no_fill(sp_pr)
        ln = style.child(sp_pr, "a:ln")
        style.solid(ln, scheme="tx1")
        style.set_val(ln, "a:prstDash", "dash")
    else:
        _paint(sp_pr, mark)
    style.set_val(ser, "c:invertIfNegative", "0", order)
    if labels:
        _labels(ser, label_format(spec.number_format, values), size_pt, "outEnd")


def _labels(ser: etree._Element, number_format: str, size_pt: float, position: str, text: str | None = None) -> None:
    labels = ser.find(qn("c:dLbls"))
    if labels is None:
        labels = style.insert(ser, style.fragment(_NEW_DLBLS), "c:ser:bar")
    style.set_val(labels, "c:showVal", "1")
    style.number_format(labels, number_format)
    style.set_val(labels, "c:dLblPos", position)
    rpr = style.font(labels, size_pt)
    if text is not None:  # labels inside a bar, in the colour that reads on it
        style.solid(rpr, rgb=text)
        rpr.set("b", "1")


def _style_axes(plot_area: etree._Element, spec: ChartSpec, size_pt: float) -> None:
    category = plot_area.find(qn("c:catAx"))
    style.solid(style.line(category), rgb=_AXIS)
    style.set_val(category, "c:majorTickMark", "none")
    style.font(category, size_pt)
    # Category labels at the low edge of the plot, never on the zero line where negative bars hide them.
    style.set_val(category, "c:tickLblPos", "low")
    if spec.kind == "bar":
        # Horizontal bars read top-down in data order; the labels carry the values, so no value axis.
        style.set_val(style.child(category, "c:scaling"), "c:orientation", "maxMin")
        value = plot_area.find(qn("c:valAx"))
        style.child(value, "c:delete").attrib.pop("val", None)  # c:delete is true by default
        for grid in value.findall(qn("c:majorGridlines")):
            value.remove(grid)
        low, high = _bar_range(spec)
        _scale(value, "c:min", low)
        _scale(value, "c:max", high)
        return
    axes = plot_area.findall(qn("c:valAx"))
    secondary_fmt = next((s.number_format for s in spec.series if s.axis == "secondary"), spec.value_axis_format)
    for i, axis in enumerate(axes):
        style.number_format(axis, spec.value_axis_format if i == 0 else secondary_fmt)
        style.font(axis, size_pt)
        style.set_val(axis, "c:majorTickMark", "none")
        style.no_fill(style.line(axis))
        if i == 0 and spec.kind in ("column", "combo") and _all_positive(spec, "primary"):
            _scale(axis, "c:min", 0)  # a bar's length is its value: never start the axis above zero
        if i == 0:
            ln = style.line(style.child(axis, "c:majorGridlines"))
            style.solid(ln, rgb=_GRID)
            ln.set("w", "9525")


def _scale(axis: etree._Element, bound: str, value: float) -> None:
    style.set_val(style.child(axis, "c:scaling"), bound, str(float(value)))


def _bar_range(spec: ChartSpec) -> tuple[float, float]:
    """Value axis bounds for labelled horizontal bars: from zero (a bar's length is its value), with a
    quarter of the range spare beyond the longest bar so its label sits clear instead of wrapping."""
    values = [v for s in spec.series for v in s.values if v is not None and math.isfinite(v)] or [0.0]
    low, high = min(0.0, *values), max(0.0, *values)
    spare = (high - low) * 0.28 or 1.0
    return (low - spare if low < 0 else 0.0), (high + spare if high > 0 else 0.0)


def _all_positive(spec: ChartSpec, axis: str) -> bool:
    values = [v for s in spec.series if s.axis == axis and s.kind == "bar" for v in s.values if v is not None]
    return all(v >= 0 for v in values)


def _style_waterfall(
    chart: etree._Element, sers: list, size_pt: float, values: tuple[float | None, ...], palette=None
) -> None:
    plot = chart.find(qn("c:plotArea")).find(qn("c:barChart"))
    style.set_val(plot, "c:gapWidth", "50")
    colours = [None, "accent1", "accent5", "tx2"]
    for ser, colour in zip(sers, colours, strict=True):
        sp_pr = style.sp_pr(ser, "c:ser:bar")
        style.set_val(ser, "c:invertIfNegative", "0", "c:ser:bar")
        if colour is None:
            # The base only lifts the floating bars; it must be invisible and unlabelled.
            style.no_fill(sp_pr)
            style.no_fill(style.child(sp_pr, "a:ln"))
            continue
        _paint(sp_pr, _mark(palette, colour))
        # One scale for every label on the chart, taken from the bars as the reader sees them.
        text = palette.label_on(colour) if palette is not None else "FFFFFF"
        _labels(ser, label_format(_series_format(ser), values), size_pt, "inEnd", text)


def _series_format(ser: etree._Element) -> str:
    code = ser.find(f"{qn('c:val')}//{qn('c:formatCode')}")
    return code.text if code is not None else "General"
