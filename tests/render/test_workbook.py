"""A chart's embedded workbook written directly is member for member the one XlsxWriter writes."""

from __future__ import annotations

import io
import random
import re
import zipfile

import pytest

from narrator.render import charts, workbook_package
from narrator.render.chart_data import ChartData, SeriesData
from narrator.render.workbook import category_workbook
from narrator.tell.story import ChartSeries, ChartSpec, Segment


def _members(blob: bytes) -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(blob)) as zf:
        # core.xml carries the time XlsxWriter wrote it; the documents replace it (ooxml.finalise_entries)
        return {i.filename: zf.read(i) for i in zf.infolist() if i.filename != "docProps/core.xml"}


def _xlsxwriter(data: ChartData) -> bytes:
    return data.python_pptx().xlsx_blob  # python-pptx's writer, with XlsxWriter writing every text as text


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


def _random_data(rng: random.Random) -> ChartData:
    count = rng.choice([1, 2, 5, 12, 15, 16, 17, 24, 33])
    categories = tuple(rng.choice(_WORDS) if rng.random() < 0.3 else f"M{i}" for i in range(count))
    series = []
    for _ in range(rng.choice([1, 2, 3, 6])):
        length = count if rng.random() < 0.85 else rng.randint(0, count + 3)
        values = tuple(None if rng.random() < 0.15 else rng.choice(_NUMBERS) for _ in range(length))
        series.append(SeriesData(rng.choice([*_WORDS, "Rate", " "]), values, rng.choice(_FORMATS)))
    return ChartData(categories, tuple(series))


def test_random_chart_data_gives_xlsxwriters_members():
    rng = random.Random(15)
    for _ in range(150):
        data = _random_data(rng)
        ours = category_workbook(data)
        assert ours is not None
        assert _members(ours) == _members(_xlsxwriter(data))


def _spec(categories: tuple[str, ...], series: ChartSeries) -> ChartSpec:
    return ChartSpec(
        kind="column",
        title="t",
        categories=categories,
        series=(series,),
        alt_text="alt",
        source=Segment(id="s", parts=("Source",)),
    )


def test_a_chart_embeds_the_workbook_written_directly():
    spec = _spec(("Jan", "Feb"), ChartSeries(name="Calls", values=(1.0, 2.5), number_format="#,##0"))
    assert charts.base_chart(spec)[1] == category_workbook(charts.chart_data(spec)[0])


def test_the_workbook_is_dated_as_xlsxwriter_dates_it():
    # The documents replace core.xml with their own; on its own, the workbook says when it was written.
    data = _random_data(random.Random(3))
    with zipfile.ZipFile(io.BytesIO(category_workbook(data))) as zf:
        ours = zf.read("docProps/core.xml")
    with zipfile.ZipFile(io.BytesIO(_xlsxwriter(data))) as zf:
        theirs = zf.read("docProps/core.xml")
    stamp = re.compile(rb"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ")
    assert stamp.sub(b"T", ours) == stamp.sub(b"T", theirs)
    assert stamp.search(ours)


def test_the_fixed_members_are_xlsxwriters():
    with zipfile.ZipFile(io.BytesIO(_xlsxwriter(_random_data(random.Random(5))))) as zf:
        assert [i.filename for i in zf.infolist()] == list(workbook_package.MEMBERS)
        for name, data in workbook_package.MEMBERS.items():
            assert data is None or zf.read(name) == data, name


@pytest.mark.parametrize("label", ["bad\x01", "_x0041_", "<r>rich</r>", "x" * 20000])
def test_text_xlsxwriter_rewrites_is_left_to_it(label):
    spec = _spec(("Jan",), ChartSeries(name="Rate", values=(1.0, 2.0), number_format="0.0"))
    # Set after validation: the story drops the characters XML cannot hold, a spec made without it keeps them.
    spec = spec.model_copy(update={"categories": ("Jan", label)})
    data = charts.chart_data(spec)[0]
    assert category_workbook(data) is None
    assert _members(charts.base_chart(spec)[1]) == _members(_xlsxwriter(data))  # the chart gets XlsxWriter's


def test_data_without_text_or_of_other_kinds_is_left_to_xlsxwriter():
    empty = ChartData(("", ""), (SeriesData("", (1.0, None), "0"),))
    whole = ChartData(("a", "b"), (SeriesData("n", (1, 2), "0"),))  # ints, not floats
    infinite = ChartData(("a",), (SeriesData("n", (float("inf"),), "0"),))
    for data in (empty, whole):
        assert category_workbook(data) is None
    assert category_workbook(infinite) is None  # XlsxWriter refuses it too (the charts make it a gap first)
