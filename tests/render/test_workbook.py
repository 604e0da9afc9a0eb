"""A chart's embedded workbook written directly is member for member the one XlsxWriter writes."""

from __future__ import annotations

import io
import random
import zipfile

import pytest

from narrator.render.charts import _ChartData
from narrator.render.workbook import category_workbook


def _members(blob: bytes) -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(blob)) as zf:
        # core.xml carries the time XlsxWriter wrote it; the documents replace it (ooxml.finalise_entries)
        return {i.filename: zf.read(i) for i in zf.infolist() if i.filename != "docProps/core.xml"}


def _xlsxwriter(data) -> bytes:
    return super(type(data._workbook_writer), data._workbook_writer).xlsx_blob


_WORDS = [
    "Jan 2025",
    "Q1 & Q2",
    "<b>",
    'say "hi"',
    " lead",
    "trail ",
    "",
    "a\tb",
    "x\ny",
    "£1m",
    "日本",
    "=SUM(A1)",
    "http://example.org",
    "0011",
    "1.5",
    "Sheet1",
    "a" * 40,
]
_FORMATS = ["General", "0", "#,##0", "0.0%", '"£"#,##0', '"£"0.0"m"', "#,##0;[Red]-#,##0", 'a"b&<>']
_NUMBERS = [0.0, -0.0, 1.0, 0.5, 1e-7, 123456789.123456789, -3.25, 1e20, 2.0**-30, 76.46, 0.1 + 0.2]


def _random_data(rng: random.Random):
    data = _ChartData()
    count = rng.choice([1, 2, 5, 12, 15, 16, 17, 24, 33])
    data.categories = [rng.choice(_WORDS) if rng.random() < 0.3 else f"M{i}" for i in range(count)]
    for _ in range(rng.choice([1, 2, 3, 6])):
        length = count if rng.random() < 0.85 else rng.randint(0, count + 3)
        values = [None if rng.random() < 0.15 else rng.choice(_NUMBERS) for _ in range(length)]
        data.add_series(rng.choice([*_WORDS, "Rate", " "]), values, rng.choice(_FORMATS))
    return data


def test_random_chart_data_gives_xlsxwriters_members():
    rng = random.Random(15)
    for _ in range(150):
        data = _random_data(rng)
        ours = category_workbook(data)
        assert ours is not None
        assert _members(ours) == _members(_xlsxwriter(data))


def test_the_chart_data_writes_its_workbook_directly():
    data = _random_data(random.Random(3))
    assert data.xlsx_blob == category_workbook(data)


@pytest.mark.parametrize("label", ["bad\x01", "_x0041_", "<r>rich</r>", "x" * 20000])
def test_text_xlsxwriter_rewrites_is_left_to_it(label):
    data = _ChartData()
    data.categories = ["Jan", label]
    data.add_series("Rate", [1.0, 2.0], "0.0")
    assert category_workbook(data) is None
    assert _members(data.xlsx_blob) == _members(_xlsxwriter(data))  # and the chart still gets XlsxWriter's


def test_data_without_text_or_of_other_kinds_is_left_to_xlsxwriter():
    empty = _ChartData()
    empty.categories = ["", ""]
    empty.add_series("", [1.0, None], "0")
    whole = _ChartData()
    whole.categories = ["a", "b"]
    whole.add_series("n", [1, 2], "0")  # ints, not floats
    for data in (empty, whole):
        assert category_workbook(data) is None
        assert _members(data.xlsx_blob) == _members(_xlsxwriter(data))
