"""python-pptx's chart data, for the charts narrator's own writers leave to it (chart_xml, workbook): its
ChartXmlWriter writes the chart XML and XlsxWriter the embedded workbook, every text written as text.

Imported only when one of those writers declines a chart: python-pptx's chart data module imports
XlsxWriter as it loads.
"""

from __future__ import annotations

from contextlib import contextmanager
from functools import cached_property

from pptx.chart.data import CategoryChartData
from pptx.chart.xlsx import CategoryWorkbookWriter

from narrator.render.chart_data import ChartData


class _LiteralWorkbookWriter(CategoryWorkbookWriter):
    """python-pptx's workbook writer with every text written as text: XlsxWriter otherwise turns a
    label starting with "=" into a live formula (=HYPERLINK(...), =cmd|...) and a URL into a link."""

    @contextmanager
    def _open_worksheet(self, xlsx_file):
        from xlsxwriter import Workbook

        options = {"in_memory": True, "strings_to_formulas": False, "strings_to_urls": False}
        workbook = Workbook(xlsx_file, options)
        worksheet = workbook.add_worksheet()
        yield workbook, worksheet
        workbook.close()


class LiteralChartData(CategoryChartData):
    """Category chart data whose embedded workbook holds no formulas (only this chart data, not
    python-pptx's class for everyone in the process)."""

    @cached_property
    def _workbook_writer(self):
        return _LiteralWorkbookWriter(self)


def category_chart_data(data: ChartData) -> LiteralChartData:
    chart_data = LiteralChartData()
    chart_data.categories = list(data.categories)
    for series in data.series:
        chart_data.add_series(series.name, series.values, series.number_format)
    return chart_data
