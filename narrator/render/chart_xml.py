"""The base chart XML (c:chartSpace) for a chart's data, written directly: byte for byte what python-pptx's
ChartXmlWriter writes for the chart types narrator draws, without importing python-pptx's chart package
(which loads XlsxWriter with it).

The templates follow python-pptx's own (MIT licence), indentation and all, so a chart parses, styles and
serialises exactly as before. Only what narrator's charts hold is written here: text categories on one
level, series named by text with numbers (or None, a gap) and a text number format, in the four chart
types below. For anything else ``chart_xml`` returns None and python-pptx writes the chart, as before.

Like python-pptx, names and labels are escaped but number formats go in as they are: a format holding
"&" or "<" makes XML that does not parse, here as there (the chart then fails the same way).
"""

from __future__ import annotations

from xml.sax.saxutils import escape

from narrator.render.chart_data import ChartData

# python-pptx's XL_CHART_TYPE names for the charts written here: (plot, barDir, grouping, category axis
# position, value axis position) for the bar family.
_BARS = {
    "BAR_CLUSTERED": ("bar", "clustered", "l", "b"),
    "COLUMN_CLUSTERED": ("col", "clustered", "b", "l"),
    "COLUMN_STACKED": ("col", "stacked", "b", "l"),
}
CHART_TYPES = frozenset({"LINE_MARKERS", *_BARS})
_LAST_COLUMN = 16384  # Excel's; python-pptx refuses a series beyond it

_HEAD = (
    "<?xml version='1.0' encoding='UTF-8' standalone='yes'?>\n"
    '<c:chartSpace xmlns:c="http://schemas.openxmlformats.org/drawingml/2006/chart" '
    'xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main" '
    'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">\n'
    '  <c:date1904 val="0"/>\n'
    "  <c:chart>\n"
    '    <c:autoTitleDeleted val="0"/>\n'
    "    <c:plotArea>\n"
)
_TEXT_PROPERTIES = (
    "  <c:txPr>\n"
    "    <a:bodyPr/>\n"
    "    <a:lstStyle/>\n"
    "    <a:p>\n"
    "      <a:pPr>\n"
    '        <a:defRPr sz="1800"/>\n'
    "      </a:pPr>\n"
    '      <a:endParaRPr lang="en-US"/>\n'
    "    </a:p>\n"
    "  </c:txPr>\n"
    "</c:chartSpace>\n"
)


def _category_axis(ax_id: str, cross_id: str, position: str) -> str:
    return (
        "      <c:catAx>\n"
        f'        <c:axId val="{ax_id}"/>\n'
        "        <c:scaling>\n"
        '          <c:orientation val="minMax"/>\n'
        "        </c:scaling>\n"
        '        <c:delete val="0"/>\n'
        f'        <c:axPos val="{position}"/>\n'
        '        <c:majorTickMark val="out"/>\n'
        '        <c:minorTickMark val="none"/>\n'
        '        <c:tickLblPos val="nextTo"/>\n'
        f'        <c:crossAx val="{cross_id}"/>\n'
        '        <c:crosses val="autoZero"/>\n'
        '        <c:auto val="1"/>\n'
        '        <c:lblAlgn val="ctr"/>\n'
        '        <c:lblOffset val="100"/>\n'
        '        <c:noMultiLvlLbl val="0"/>\n'
        "      </c:catAx>\n"
    )


def _value_axis(ax_id: str, cross_id: str, position: str) -> str:
    return (
        "      <c:valAx>\n"
        f'        <c:axId val="{ax_id}"/>\n'
        "        <c:scaling/>\n"
        '        <c:delete val="0"/>\n'
        f'        <c:axPos val="{position}"/>\n'
        "        <c:majorGridlines/>\n"
        '        <c:majorTickMark val="out"/>\n'
        '        <c:minorTickMark val="none"/>\n'
        '        <c:tickLblPos val="nextTo"/>\n'
        f'        <c:crossAx val="{cross_id}"/>\n'
        '        <c:crosses val="autoZero"/>\n'
        "      </c:valAx>\n"
    )


def _column(number: int) -> str:
    """Excel's column letters for a 1-based column number (python-pptx's _column_reference)."""
    letters = ""
    while number:
        number, remainder = divmod(number - 1, 26)
        letters = chr(65 + remainder) + letters
    return letters


def _points(values) -> str:
    # python-pptx formats each value with str.format: "0.5", "1e+20", "-0.0"; a gap is no point at all.
    return "".join(
        f'                <c:pt idx="{i}">\n                  <c:v>{value}</c:v>\n                </c:pt>\n'
        for i, value in enumerate(values)
        if value is not None
    )


def _covered(data: ChartData) -> bool:
    if not data.categories or len(data.series) + 1 >= _LAST_COLUMN:
        return False
    if any(label.__class__ is not str for label in data.categories):
        return False  # numbers and dates make a numeric or date axis in python-pptx
    for series in data.series:
        if series.name.__class__ is not str or series.number_format.__class__ is not str:
            return False
        if any(v is not None and v.__class__ not in (float, int) for v in series.values):
            return False
    return True


def _categories(data: ChartData) -> str:
    """The c:cat every series shares: the category labels, in column A from row 2."""
    labels = "".join(
        f'                <c:pt idx="{i}">\n                  <c:v>{escape(label)}</c:v>\n                </c:pt>\n'
        for i, label in enumerate(data.categories)
    )
    return (
        "          <c:cat>\n"
        "            <c:strRef>\n"
        f"              <c:f>Sheet1!$A$2:$A${len(data.categories) + 1}</c:f>\n"
        "              <c:strCache>\n"
        f'                <c:ptCount val="{len(data.categories)}"/>\n'
        f"{labels}"
        "              </c:strCache>\n"
        "            </c:strRef>\n"
        "          </c:cat>\n"
    )


def _series(data: ChartData, line: bool) -> str:
    category_xml = _categories(data)
    smooth = '          <c:smooth val="0"/>\n' if line else ""
    out = []
    for index, series in enumerate(data.series):
        column = _column(2 + index)
        out.append(
            "        <c:ser>\n"
            f'          <c:idx val="{index}"/>\n'
            f'          <c:order val="{index}"/>\n'
            "          <c:tx>\n"
            "            <c:strRef>\n"
            f"              <c:f>Sheet1!${column}$1</c:f>\n"
            "              <c:strCache>\n"
            '                <c:ptCount val="1"/>\n'
            '                <c:pt idx="0">\n'
            f"                  <c:v>{escape(series.name)}</c:v>\n"
            "                </c:pt>\n"
            "              </c:strCache>\n"
            "            </c:strRef>\n"
            "          </c:tx>\n"
            f"{category_xml}"
            "          <c:val>\n"
            "            <c:numRef>\n"
            f"              <c:f>Sheet1!${column}$2:${column}${len(series.values) + 1}</c:f>\n"
            "              <c:numCache>\n"
            f"                <c:formatCode>{series.number_format}</c:formatCode>\n"
            f'                <c:ptCount val="{len(series.values)}"/>\n'
            f"{_points(series.values)}"
            "              </c:numCache>\n"
            "            </c:numRef>\n"
            "          </c:val>\n"
            f"{smooth}"
            "        </c:ser>\n"
        )
    return "".join(out)


def _line_chart(data: ChartData) -> str:
    return (
        _HEAD + "      <c:lineChart>\n"
        '        <c:grouping val="standard"/>\n'
        '        <c:varyColors val="0"/>\n'
        f"{_series(data, line=True)}"
        '        <c:marker val="1"/>\n'
        '        <c:smooth val="0"/>\n'
        '        <c:axId val="2118791784"/>\n'
        '        <c:axId val="2140495176"/>\n'
        "      </c:lineChart>\n"
        + _category_axis("2118791784", "2140495176", "b")
        + _value_axis("2140495176", "2118791784", "l")
        + "    </c:plotArea>\n"
        "    <c:legend>\n"
        '      <c:legendPos val="r"/>\n'
        "      <c:layout/>\n"
        '      <c:overlay val="0"/>\n'
        "    </c:legend>\n"
        '    <c:plotVisOnly val="1"/>\n'
        '    <c:dispBlanksAs val="gap"/>\n'
        '    <c:showDLblsOverMax val="0"/>\n'
        "  </c:chart>\n" + _TEXT_PROPERTIES
    )


def _bar_chart(data: ChartData, chart_type: str) -> str:
    direction, grouping, category_position, value_position = _BARS[chart_type]
    overlap = '        <c:overlap val="100"/>\n' if grouping == "stacked" else ""
    return (
        _HEAD + "      <c:barChart>\n"
        f'        <c:barDir val="{direction}"/>\n'
        f'        <c:grouping val="{grouping}"/>\n'
        f"{_series(data, line=False)}"
        f"{overlap}"
        '        <c:axId val="-2068027336"/>\n'
        '        <c:axId val="-2113994440"/>\n'
        "      </c:barChart>\n"
        + _category_axis("-2068027336", "-2113994440", category_position)
        + _value_axis("-2113994440", "-2068027336", value_position)
        + "    </c:plotArea>\n"
        '    <c:dispBlanksAs val="gap"/>\n'
        "  </c:chart>\n" + _TEXT_PROPERTIES
    )


def chart_xml(data: ChartData, chart_type: str) -> bytes | None:
    """python-pptx's ``CategoryChartData.xml_bytes(XL_CHART_TYPE.<chart_type>)`` for ``data``, or None
    when the chart type or the data is not one written here."""
    if chart_type not in CHART_TYPES or not _covered(data):
        return None
    xml = _line_chart(data) if chart_type == "LINE_MARKERS" else _bar_chart(data, chart_type)
    try:
        return xml.encode("utf-8")
    except UnicodeEncodeError:  # a lone surrogate: python-pptx's to refuse as it does
        return None
