"""Native, editable charts from a ChartSpec: data, chart type, combo and waterfall XML, and house styling."""

from __future__ import annotations

import copy
import math
import re
from collections.abc import Iterable
from functools import lru_cache

from lxml import etree
from pptx.chart.axis import ValueAxis
from pptx.chart.chart import Chart
from pptx.chart.data import CategoryChartData
from pptx.dml.color import RGBColor
from pptx.enum.chart import (
    XL_CHART_TYPE,
    XL_LABEL_POSITION,
    XL_LEGEND_POSITION,
    XL_MARKER_STYLE,
    XL_TICK_LABEL_POSITION,
    XL_TICK_MARK,
)
from pptx.enum.dml import MSO_LINE, MSO_THEME_COLOR
from pptx.oxml import parse_xml
from pptx.oxml.ns import qn
from pptx.util import Pt

from narrator.tell.story import ChartSeries, ChartSpec

_TYPES = {
    "line": XL_CHART_TYPE.LINE_MARKERS,
    "bar": XL_CHART_TYPE.BAR_CLUSTERED,
    "column": XL_CHART_TYPE.COLUMN_CLUSTERED,
    "combo": XL_CHART_TYPE.COLUMN_CLUSTERED,  # line series are moved into a lineChart afterwards
    "waterfall": XL_CHART_TYPE.COLUMN_STACKED,
}
# Theme colours, not RGB, so a client's template recolours every chart with its own palette.
_LINE_COLOURS = [
    MSO_THEME_COLOR.ACCENT_1,
    MSO_THEME_COLOR.ACCENT_3,
    MSO_THEME_COLOR.ACCENT_4,
    MSO_THEME_COLOR.ACCENT_2,
    MSO_THEME_COLOR.ACCENT_6,
    MSO_THEME_COLOR.ACCENT_5,
]
_COMBO_BAR_COLOURS = [MSO_THEME_COLOR.ACCENT_2, MSO_THEME_COLOR.ACCENT_6, MSO_THEME_COLOR.ACCENT_4]
# The order metrics take colours in across a document: the lead colour first, then the most distinct.
_PALETTE = [
    MSO_THEME_COLOR.ACCENT_1,
    MSO_THEME_COLOR.ACCENT_2,
    MSO_THEME_COLOR.ACCENT_3,
    MSO_THEME_COLOR.ACCENT_4,
    MSO_THEME_COLOR.ACCENT_6,
    MSO_THEME_COLOR.ACCENT_5,
]
_NO_LINE = (
    b'<c:spPr xmlns:c="http://schemas.openxmlformats.org/drawingml/2006/chart" '
    b'xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main"><a:noFill/><a:ln><a:noFill/></a:ln>'
    b"</c:spPr>"
)
_GRID = RGBColor(0xD9, 0xD9, 0xD9)
_AXIS = RGBColor(0xA6, 0xA6, 0xA6)
_LABEL = RGBColor(0x40, 0x40, 0x40)


def _clean(value: float | None) -> float | None:
    # NaN or infinity in chart data crashes python-pptx's writer and corrupts Excel's cache: a gap instead.
    return None if value is None or not math.isfinite(value) else float(value)


def _key(name: str) -> str:
    return " ".join(name.casefold().split())


def series_colours(specs: Iterable[ChartSpec]) -> dict[str, MSO_THEME_COLOR]:
    """One theme colour per metric (series name) for a whole document, in order of first appearance.

    "Service level" is then the same colour on every chart it appears in. Dashed targets stay grey and
    waterfalls colour by rise and fall, so neither takes a colour from the palette.
    """
    colours: dict[str, MSO_THEME_COLOR] = {}
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


def chart_data(spec: ChartSpec) -> tuple[CategoryChartData, XL_CHART_TYPE]:
    """The embedded data and the base chart type python-pptx should write."""
    data = CategoryChartData()
    data.categories = list(spec.categories)
    if spec.kind == "waterfall":
        for name, values, fmt in _waterfall_series(spec.series[0]):
            data.add_series(name, values, fmt)
    else:
        for series in spec.series:
            data.add_series(series.name, [_clean(v) for v in series.values], series.number_format)
    return data, _TYPES[spec.kind]


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
    chart: Chart,
    spec: ChartSpec,
    size_pt: float,
    title: bool = True,
    colours: dict[str, MSO_THEME_COLOR] | None = None,
) -> None:
    """Turn python-pptx's base chart into the one the spec asks for, styled for a board.

    ``colours`` maps series names to theme colours (``series_colours``) so a metric keeps its colour
    from chart to chart; without it, colours follow series order.
    """
    _renumber_axes(chart)
    if spec.kind == "combo":
        _split_combo(chart, spec)
    _style(chart, spec, size_pt, colours or {})
    _gaps(chart)
    if not title:
        chart.has_title = False


@lru_cache(maxsize=64)
def base_chart(spec: ChartSpec) -> tuple[bytes, bytes]:
    """python-pptx's unstyled chart XML for the spec and its embedded workbook.

    Made once per chart and shared by the deck and the paper (which style it differently): writing the
    workbook is the costliest step of a chart. Callers parse the XML into a tree of their own; the bytes
    themselves are never changed."""
    data, chart_type = chart_data(spec)
    return data.xml_bytes(chart_type), data.xlsx_blob


def chart_space(
    spec: ChartSpec, size_pt: float, title: bool = True, colours: dict[str, MSO_THEME_COLOR] | None = None
) -> tuple[etree._Element, bytes]:
    """The chartSpace element and workbook for a chart part outside PowerPoint (the Word paper)."""
    xml, workbook = base_chart(spec)
    element = parse_xml(xml)
    build(Chart(element, None), spec, size_pt, title, colours)
    return element, workbook


def _renumber_axes(chart: Chart) -> None:
    # python-pptx writes negative axis ids; the schema wants unsigned ints, so strict validators object.
    plot_area = chart._chartSpace.chart.plotArea
    ids: dict[str, str] = {}
    for el in plot_area.iter(qn("c:axId"), qn("c:crossAx")):
        el.set("val", ids.setdefault(el.get("val"), str(50000001 + len(ids))))


def _split_combo(chart: Chart, spec: ChartSpec) -> None:
    """Move the line series into a lineChart, on a secondary value axis when the spec asks."""
    plot_area = chart._chartSpace.chart.plotArea
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


def _gaps(chart: Chart) -> None:
    """Missing values are gaps in the line, never a drop to zero."""
    inner = chart._chartSpace.chart
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


def _style(chart: Chart, spec: ChartSpec, size_pt: float, colours: dict[str, MSO_THEME_COLOR]) -> None:
    # No border round the chart area: the slide or page is the frame.
    space_pr = chart._chartSpace.find(qn("c:spPr"))
    if space_pr is None:
        chart._chartSpace.chart.addnext(parse_xml(_NO_LINE))
    chart.font.size = Pt(size_pt)
    chart.font.color.rgb = _LABEL
    chart.has_title = True
    title = chart.chart_title.text_frame
    title.text = spec.title
    title.paragraphs[0].runs[0].font.size = Pt(size_pt + 1)
    title.paragraphs[0].runs[0].font.bold = True
    visible = [s for s in spec.series if s.name.strip()]
    chart.has_legend = spec.kind != "waterfall" and len(visible) > 1
    if chart.has_legend:
        chart.legend.position = XL_LEGEND_POSITION.BOTTOM
        chart.legend.include_in_layout = False
        chart.legend.font.size = Pt(size_pt)
    _style_axes(chart, spec, size_pt)
    if spec.kind == "waterfall":
        _style_waterfall(chart, size_pt, spec.series[0].values)
        return
    bar_i = line_i = 0
    for series in chart.series:
        s = spec.series[series.index]
        is_line = spec.kind == "line" or (spec.kind == "combo" and s.kind == "line")
        if is_line:
            colour = colours.get(_key(s.name), _LINE_COLOURS[line_i % len(_LINE_COLOURS)])
            line_i += 0 if s.dashed else 1
            _style_line(series, s, colour)
        else:
            palette = _COMBO_BAR_COLOURS if spec.kind == "combo" else _LINE_COLOURS
            colour = colours.get(_key(s.name), palette[bar_i % len(palette)])
            bar_i += 1
            labels = spec.kind in ("bar", "column")
            _style_bar(series, s, colour, size_pt, labels, [v for x in spec.series for v in x.values])
    for plot in chart.plots:
        if spec.kind in ("bar", "column", "combo") and hasattr(plot, "gap_width"):
            plot.gap_width = 60
            plot.vary_by_categories = False


def _style_line(series, spec: ChartSeries, colour: MSO_THEME_COLOR) -> None:
    line = series.format.line
    series.smooth = False
    if spec.dashed:
        # Targets and benchmarks: a thin grey dash that reads as a reference, not as data.
        line.color.theme_color = MSO_THEME_COLOR.TEXT_1
        line.color.brightness = 0.45
        line.width = Pt(1.75)
        line.dash_style = MSO_LINE.DASH
        series.marker.style = XL_MARKER_STYLE.NONE
        return
    line.color.theme_color = colour
    line.width = Pt(2.5)
    series.marker.style = XL_MARKER_STYLE.CIRCLE
    series.marker.size = 5
    series.marker.format.fill.solid()
    series.marker.format.fill.fore_color.theme_color = colour
    series.marker.format.line.color.theme_color = colour


def _style_bar(series, spec: ChartSeries, colour: MSO_THEME_COLOR, size_pt: float, labels: bool, values: list) -> None:
    fill = series.format.fill
    if spec.dashed:
        fill.background()
        series.format.line.color.theme_color = MSO_THEME_COLOR.TEXT_1
        series.format.line.dash_style = MSO_LINE.DASH
    else:
        fill.solid()
        fill.fore_color.theme_color = colour
    series.invert_if_negative = False
    if labels:
        _labels(series, label_format(spec.number_format, values), size_pt, XL_LABEL_POSITION.OUTSIDE_END)


def _labels(series, number_format: str, size_pt: float, position, white: bool = False) -> None:
    labels = series.data_labels
    labels.show_value = True
    labels.number_format = number_format
    labels.number_format_is_linked = False
    labels.position = position
    labels.font.size = Pt(size_pt)
    if white:
        labels.font.color.rgb = RGBColor(0xFF, 0xFF, 0xFF)
        labels.font.bold = True


def _style_axes(chart: Chart, spec: ChartSpec, size_pt: float) -> None:
    category = chart.category_axis
    category.format.line.color.rgb = _AXIS
    category.major_tick_mark = XL_TICK_MARK.NONE
    category.tick_labels.font.size = Pt(size_pt)
    # Category labels at the low edge of the plot, never on the zero line where negative bars hide them.
    category.tick_label_position = XL_TICK_LABEL_POSITION.LOW
    if spec.kind == "bar":
        # Horizontal bars read top-down in data order; the labels carry the values, so no value axis.
        category.reverse_order = True
        value = chart.value_axis
        value.visible = False
        value.has_major_gridlines = False
        low, high = _bar_range(spec)
        value.minimum_scale, value.maximum_scale = low, high
        return
    axes = [ValueAxis(el) for el in chart._chartSpace.chart.plotArea.findall(qn("c:valAx"))]
    secondary_fmt = next((s.number_format for s in spec.series if s.axis == "secondary"), spec.value_axis_format)
    for i, axis in enumerate(axes):
        axis.tick_labels.number_format = spec.value_axis_format if i == 0 else secondary_fmt
        axis.tick_labels.number_format_is_linked = False
        axis.tick_labels.font.size = Pt(size_pt)
        axis.major_tick_mark = XL_TICK_MARK.NONE
        axis.format.line.fill.background()
        if i == 0 and spec.kind in ("column", "combo") and _all_positive(spec, "primary"):
            axis.minimum_scale = 0  # a bar's length is its value: never start the axis above zero
        if i == 0:
            axis.has_major_gridlines = True
            axis.major_gridlines.format.line.color.rgb = _GRID
            axis.major_gridlines.format.line.width = Pt(0.75)


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


def _style_waterfall(chart: Chart, size_pt: float, values: tuple[float | None, ...]) -> None:
    plot = chart.plots[0]
    plot.gap_width = 50
    colours = [None, MSO_THEME_COLOR.ACCENT_1, MSO_THEME_COLOR.ACCENT_5, MSO_THEME_COLOR.TEXT_2]
    for series, colour in zip(chart.series, colours, strict=True):
        fill = series.format.fill
        series.invert_if_negative = False
        if colour is None:
            # The base only lifts the floating bars; it must be invisible and unlabelled.
            fill.background()
            series.format.line.fill.background()
            continue
        fill.solid()
        fill.fore_color.theme_color = colour
        # One scale for every label on the chart, taken from the bars as the reader sees them.
        _labels(series, label_format(_series_format(series), values), size_pt, XL_LABEL_POSITION.INSIDE_END, True)


def _series_format(series) -> str:
    code = series._element.find(f"{qn('c:val')}//{qn('c:formatCode')}")
    return code.text if code is not None else "General"
