"""The data one chart holds, as narrator's own writers take it: text categories along one axis, and
series of numbers and gaps (None), each with a name and an Excel number format.

The chart XML (``chart_xml``) and the embedded workbook (``workbook``) are written from it directly.
python-pptx's CategoryChartData of the same data is made only for what they leave to python-pptx
(``python_pptx``): importing it brings in the whole of python-pptx's chart package and XlsxWriter.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class SeriesData:
    name: str
    values: tuple[float | None, ...]
    number_format: str


@dataclass(frozen=True)
class ChartData:
    categories: tuple[str, ...]
    series: tuple[SeriesData, ...]

    def python_pptx(self):
        """python-pptx's CategoryChartData of this data, its embedded workbook written without formulas."""
        from narrator.render.pptx_chart_data import category_chart_data

        return category_chart_data(self)
