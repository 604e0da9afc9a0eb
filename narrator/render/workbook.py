"""The workbook embedded in a chart, written directly: the members XlsxWriter writes for python-pptx's
category chart data, the same bytes, without XlsxWriter's workbook, format and packaging objects (a
sixth of a pack's rendering time went there) and without importing XlsxWriter at all.

Only what narrator's charts hold is written here: one level of text categories, series of numbers and
gaps, text number formats. Anything else (dates, numbers as categories, text XlsxWriter would escape or
treat as rich text, no text at all) returns None, and XlsxWriter writes the workbook as before. The
package-level members that do not depend on the data (content types, relationships, the workbook part,
the theme and docProps) are XlsxWriter's, written out in workbook_package.
"""

from __future__ import annotations

import io
import math
import re
import zipfile
from xml.sax.saxutils import escape

from narrator.render import workbook_package
from narrator.render.chart_data import ChartData

# What _write_si would rewrite (control characters, _xHHHH_ escapes) or pass through raw (rich text):
# left to XlsxWriter. Strings past half its length limit might be truncated by it: left to it too.
_SPECIAL = re.compile(r"[\x00-\x08\x0b-\x1f]|_x[0-9a-fA-F]{4}_")
_LONGEST = 32767 // 2
_EDGE_SPACE = re.compile(r"^\s|\s$")
_ESCAPES = re.compile('["&<>\n]')  # XlsxWriter's test for whether a text needs escaping at all


def _data(text: str) -> str:
    # XlsxWriter's _escape_data: &, < and > (not quotes) once its test finds something to escape.
    return escape(text) if _ESCAPES.search(text) else text


def _attribute(text: str) -> str:
    # XlsxWriter's _escape_attributes.
    if not _ESCAPES.search(text):
        return text
    return (
        text.replace("&", "&amp;")
        .replace('"', "&quot;")
        .replace("<", "&lt;")
        .replace(">", "&gt;")
        .replace("\n", "&#xA;")
    )


def _column(col: int) -> str:
    letters = ""
    col += 1
    while col:
        col, remainder = divmod(col - 1, 26)
        letters = chr(65 + remainder) + letters
    return letters


def _text_ok(text: str) -> bool:
    return (
        len(text) <= _LONGEST and not _SPECIAL.search(text) and not (text.startswith("<r>") and text.endswith("</r>"))
    )


def category_workbook(chart_data: ChartData) -> bytes | None:
    """The .xlsx python-pptx's CategoryWorkbookWriter would have XlsxWriter write for ``chart_data``
    (as a CategoryChartData), as a stored zip of the same members; None when it holds anything else."""
    if not chart_data.categories or any(label.__class__ is not str for label in chart_data.categories):
        return None  # none, or numbers and dates (a numeric or date axis in python-pptx): XlsxWriter's
    # The cells python-pptx writes, in its order: categories down column A from row 2, then each series'
    # name in row 1 and its values below. A cell is (kind, value, format): kind "s" text, "n" number,
    # "b" a blank holding a format; a blank without one is no cell at all, as in XlsxWriter.
    table: dict[int, dict[int, tuple[str, object, str | None]]] = {}
    strings: dict[str, int] = {}
    count = 0

    def write(row: int, col: int, value, number_format: str | None) -> bool:
        nonlocal count
        kind = value.__class__
        if value is None or value == "":
            if number_format is not None:
                table.setdefault(row, {})[col] = ("b", None, number_format)
            return True
        if kind is float and math.isfinite(value):  # XlsxWriter refuses NaN and infinity
            table.setdefault(row, {})[col] = ("n", value, number_format)
            return True
        if kind is str and _text_ok(value):
            index = strings.setdefault(value, len(strings))
            count += 1
            table.setdefault(row, {})[col] = ("s", index, number_format)
            return True
        return False  # ints, bools, dates, odd text: XlsxWriter's to write

    for offset, name in enumerate(chart_data.categories):
        if not write(offset + 1, 0, name, "General"):
            return None
    for idx, series in enumerate(chart_data.series):
        number_format = series.number_format
        if not isinstance(number_format, str) or not write(0, idx + 1, series.name, None):
            return None
        for i, value in enumerate(series.values):
            if not write(1 + i, idx + 1, value, number_format):
                return None
    if not strings:
        return None
    entries = dict(workbook_package.MEMBERS)
    entries["xl/worksheets/sheet1.xml"], formats = _sheet(table)
    entries["xl/styles.xml"] = _styles(formats)
    entries["xl/sharedStrings.xml"] = _shared_strings(strings, count)
    entries["docProps/core.xml"] = workbook_package.core_xml()
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_STORED) as zf:
        for name, data in entries.items():
            zf.writestr(zipfile.ZipInfo(name, (1980, 1, 1, 0, 0, 0)), data)
    return out.getvalue()


_APPLY, _PRESERVE = ' applyNumberFormat="1"', ' xml:space="preserve"'
_DECLARATION = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
_MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"


def _sheet(table) -> tuple[bytes, list[str]]:
    """sheet1.xml, and the number formats in the order XlsxWriter numbers them (first use, row by row)."""
    rows = sorted(table)
    cols = sorted({c for cells in table.values() for c in cells})
    first = f"{_column(cols[0])}{rows[0] + 1}"
    last = f"{_column(cols[-1])}{rows[-1] + 1}"
    dimension = first if first == last else f"{first}:{last}"
    spans: dict[int, str] = {}  # XlsxWriter gives each block of 16 rows the columns its cells span
    for row in rows:
        low, high = min(table[row]), max(table[row])
        block = spans.get(row // 16)
        if block is not None:
            a, b = block
            low, high = min(low, a), max(high, b)
        spans[row // 16] = (low, high)
    formats: list[str] = []
    index: dict[str, int] = {}
    out = [
        f'{_DECLARATION}<worksheet xmlns="{_MAIN}" '
        'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">'
        f'<dimension ref="{dimension}"/><sheetViews><sheetView tabSelected="1" workbookViewId="0"/></sheetViews>'
        '<sheetFormatPr defaultRowHeight="15"/><cols><col min="1" max="1" width="10.7109375" customWidth="1"/></cols>'
        "<sheetData>"
    ]
    for row in rows:
        low, high = spans[row // 16]
        out.append(f'<row r="{row + 1}" spans="{low + 1}:{high + 1}">')
        for col in sorted(table[row]):
            kind, value, number_format = table[row][col]
            ref = f"{_column(col)}{row + 1}"
            style = ""
            if number_format is not None:
                if number_format not in index:
                    index[number_format] = len(index) + 1
                    formats.append(number_format)
                style = f' s="{index[number_format]}"'
            if kind == "n":
                out.append(f'<c r="{ref}"{style}><v>{value:.16G}</v></c>')
            elif kind == "s":
                out.append(f'<c r="{ref}"{style} t="s"><v>{value}</v></c>')
            else:
                out.append(f'<c r="{ref}"{style}/>')
        out.append("</row>")
    out.append(
        '</sheetData><pageMargins left="0.7" right="0.7" top="0.75" bottom="0.75" header="0.3" footer="0.3"/>'
        "</worksheet>"
    )
    return "".join(out).encode("utf-8"), formats


def _styles(formats: list[str]) -> bytes:
    """styles.xml: one cell format per distinct number format, custom codes numbered from 164."""
    custom: dict[str, int] = {}
    ids = []
    for code in formats:
        if code == "0":
            ids.append(1)
        elif code == "General":
            ids.append(0)
        else:
            ids.append(custom.setdefault(code, 164 + len(custom)))
    num_fmts = ""
    if custom:
        num_fmts = (
            f'<numFmts count="{len(custom)}">'
            + "".join(f'<numFmt numFmtId="{n}" formatCode="{_attribute(code)}"/>' for code, n in custom.items())
            + "</numFmts>"
        )
    xfs = "".join(
        f'<xf numFmtId="{n}" fontId="0" fillId="0" borderId="0" xfId="0"{_APPLY if n > 0 else ""}/>' for n in ids
    )
    return (
        f'{_DECLARATION}<styleSheet xmlns="{_MAIN}">{num_fmts}'
        '<fonts count="1"><font><sz val="11"/><color theme="1"/><name val="Calibri"/><family val="2"/>'
        '<scheme val="minor"/></font></fonts><fills count="2"><fill><patternFill patternType="none"/></fill>'
        '<fill><patternFill patternType="gray125"/></fill></fills><borders count="1"><border><left/><right/>'
        '<top/><bottom/><diagonal/></border></borders><cellStyleXfs count="1"><xf numFmtId="0" fontId="0" '
        f'fillId="0" borderId="0"/></cellStyleXfs><cellXfs count="{len(ids) + 1}"><xf numFmtId="0" fontId="0" '
        f'fillId="0" borderId="0" xfId="0"/>{xfs}</cellXfs><cellStyles count="1"><cellStyle name="Normal" '
        'xfId="0" builtinId="0"/></cellStyles><dxfs count="0"/><tableStyles count="0" '
        'defaultTableStyle="TableStyleMedium9" defaultPivotStyle="PivotStyleLight16"/></styleSheet>'
    ).encode()


def _shared_strings(strings: dict[str, int], count: int) -> bytes:
    items = "".join(f"<si><t{_PRESERVE if _EDGE_SPACE.search(text) else ''}>{_data(text)}</t></si>" for text in strings)
    return f'{_DECLARATION}<sst xmlns="{_MAIN}" count="{count}" uniqueCount="{len(strings)}">{items}</sst>'.encode()
