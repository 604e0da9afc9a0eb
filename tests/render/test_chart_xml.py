"""A chart's base XML written directly is byte for byte what python-pptx's ChartXmlWriter writes, for every
chart the samples draw and for generated ones; what the direct writer declines, python-pptx still writes."""

from __future__ import annotations

import datetime
import io
import zipfile
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st
from lxml import etree
from pptx.chart.chart import ChartTitle
from pptx.enum.chart import XL_CHART_TYPE
from pptx.oxml import parse_xml as pptx_parse_xml
from pptx.util import Pt

from narrator.pipeline import prepare
from narrator.render import charts
from narrator.render.chart_data import ChartData, SeriesData
from narrator.render.chart_oxml import parse_xml, qn
from narrator.render.chart_xml import CHART_TYPES, chart_xml
from narrator.tell.story import ChartSeries, ChartSpec, Segment

SAMPLES = Path(__file__).resolve().parents[2] / "samples"
SAMPLE_NAMES = ("private-insurer", "outsourcer-client", "public-council", "tei-worked-example")


def _python_pptx(data: ChartData, chart_type: str) -> bytes:
    return data.python_pptx().xml_bytes(XL_CHART_TYPE[chart_type])


def _sample_charts(name: str) -> list[ChartSpec]:
    story = prepare(SAMPLES / name / "report.yaml").story
    return [section.chart for section in story.sections if section.chart is not None]


@pytest.mark.parametrize("name", SAMPLE_NAMES)
def test_every_sample_chart_is_written_as_python_pptx_writes_it(name):
    specs = _sample_charts(name)
    assert specs, f"{name} draws no chart"
    for spec in specs:
        data, chart_type = charts.chart_data(spec)
        ours = chart_xml(data, chart_type)
        assert ours is not None, f"{spec.title}: left to python-pptx"
        assert ours == _python_pptx(data, chart_type), spec.title


# Text that XML escapes, or that python-pptx writes as it is (tabs, line breaks, quotes, non-Latin scripts).
_TEXT = st.text(alphabet=st.sampled_from(list("ab Z9&<>\"'\t\n£%=日-")), max_size=12)
_NUMBERS = st.one_of(
    st.none(),
    st.floats(allow_nan=True, allow_infinity=True),
    st.floats(min_value=-1e6, max_value=1e6),
    st.sampled_from([0.0, -0.0, 0.1 + 0.2, 1e20, -1e-7, 123456789.123456789, 76.46]),
)
_FORMATS = st.sampled_from(["General", "0", "#,##0", "0.0%", '"£"#,##0', '"£"0.0,,"m"', "#,##0;[Red]-#,##0"])


@st.composite
def _specs(draw) -> ChartSpec:
    kind = draw(st.sampled_from(["line", "bar", "column", "combo", "waterfall"]))
    count = draw(st.integers(min_value=1, max_value=14))
    categories = tuple(draw(st.lists(_TEXT, min_size=count, max_size=count)))
    series_count = 1 if kind == "waterfall" else draw(st.integers(min_value=1, max_value=30))
    series = tuple(
        ChartSeries(
            name=draw(_TEXT),
            values=tuple(draw(st.lists(_NUMBERS, min_size=count, max_size=count))),
            kind=draw(st.sampled_from(["bar", "line"])),
            number_format=draw(_FORMATS),
        )
        for _ in range(series_count)
    )
    return ChartSpec(
        kind=kind,
        title=draw(_TEXT),
        categories=categories,
        series=series,
        alt_text="alt",
        source=Segment(id="s", parts=("Source",)),
    )


@given(_specs())
def test_generated_charts_are_written_as_python_pptx_writes_them(spec):
    data, chart_type = charts.chart_data(spec)
    ours = chart_xml(data, chart_type)
    assert ours is not None
    assert ours == _python_pptx(data, chart_type)


@given(
    st.lists(_TEXT, min_size=1, max_size=6),
    st.lists(st.tuples(_TEXT, st.lists(st.one_of(_NUMBERS, st.integers(-(10**12), 10**12))), _FORMATS), max_size=4),
    st.sampled_from(sorted(CHART_TYPES)),
)
def test_raw_data_of_any_length_and_with_nan_or_whole_numbers_matches_too(categories, series, chart_type):
    """Series shorter or longer than the categories, NaN, infinity and ints: python-pptx writes them as they
    are, and so does the direct writer (narrator's own charts clean NaN to a gap before this)."""
    data = ChartData(tuple(categories), tuple(SeriesData(n, tuple(v), f) for n, v, f in series))
    assert chart_xml(data, chart_type) == _python_pptx(data, chart_type)


def test_the_columns_of_many_series_run_past_z_as_in_excel():
    data = ChartData(("a",), tuple(SeriesData(f"s{i}", (float(i),), "0") for i in range(60)))
    xml = chart_xml(data, "COLUMN_CLUSTERED")
    assert xml == _python_pptx(data, "COLUMN_CLUSTERED")
    assert b"<c:f>Sheet1!$BI$1</c:f>" in xml  # the 60th series, in column 61


_DECLINED = {
    "numbers as categories": ChartData((2024, 2025), (SeriesData("n", (1.0, 2.0), "0"),)),
    "dates as categories": ChartData((datetime.date(2025, 1, 1),), (SeriesData("n", (1.0,), "0"),)),
    "true and false as values": ChartData(("a", "b"), (SeriesData("n", (True, False), "0"),)),
}


@pytest.mark.parametrize("data", _DECLINED.values(), ids=_DECLINED.keys())
def test_data_of_other_kinds_is_left_to_python_pptx(data):
    assert chart_xml(data, "BAR_CLUSTERED") is None
    assert _python_pptx(data, "BAR_CLUSTERED").startswith(b"<?xml")  # which still writes a chart


def test_what_python_pptx_refuses_is_left_for_it_to_refuse():
    """No categories, or a series name that is not text: python-pptx raises, so the build fails as before
    instead of drawing a chart python-pptx would not."""
    nameless = ChartData(("a",), (SeriesData(7, (1.0,), "0"),))
    empty = ChartData((), (SeriesData("n", (), "0"),))
    for data, error in ((nameless, AttributeError), (empty, ValueError)):
        assert chart_xml(data, "BAR_CLUSTERED") is None
        with pytest.raises(error):
            _python_pptx(data, "BAR_CLUSTERED")


def test_other_chart_types_are_left_to_python_pptx():
    data = ChartData(("a",), (SeriesData("n", (1.0,), "0"),))
    assert chart_xml(data, "PIE") is None
    assert b"<c:pieChart>" in _python_pptx(data, "PIE")


def _members(blob: bytes) -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(blob)) as zf:
        return {i.filename: zf.read(i) for i in zf.infolist() if i.filename != "docProps/core.xml"}


def test_a_chart_the_writers_decline_is_written_by_python_pptx_and_xlsxwriter():
    """A spec made without validation, with numbers for categories: both the XML and the workbook come from
    python-pptx (and XlsxWriter), as they did before narrator wrote either."""
    series = ChartSeries(name="Calls", values=(1.0, None, 3.0), number_format="#,##0")
    spec = ChartSpec.model_construct(
        kind="column",
        title="t",
        categories=(2023, 2024, 2025),
        series=(series,),
        alt_text="alt",
        source=Segment(id="s", parts=("Source",)),
        value_axis_format="#,##0",
    )
    xml, workbook = charts.base_chart(spec)
    fallback = charts.chart_data(spec)[0].python_pptx()
    assert xml == fallback.xml_bytes(XL_CHART_TYPE.COLUMN_CLUSTERED)
    assert b"<c:numRef>" in xml.split(b"<c:cat>")[1]  # python-pptx's numeric category axis
    assert _members(workbook) == _members(fallback.xlsx_blob)


_TITLES = ["Two\nlines", "carriage\rreturn", "soft\vbreak\tand tab", "\nled by a break", "bell\x07 & <b>", "a\n\nb\v"]


@pytest.mark.parametrize("text", _TITLES)
def test_a_title_with_line_breaks_is_written_as_python_pptxs_text_frame_writes_it(text):
    spec = ChartSpec(
        kind="line",
        title="t",
        categories=("Jan", "Feb"),
        series=(ChartSeries(name="Rate", values=(1.0, 2.0)),),
        alt_text="alt",
        source=Segment(id="s", parts=("Source",)),
    )
    xml = charts.base_chart(spec)[0]
    ours = parse_xml(xml)
    charts._title(ours.find(qn("c:chart")), text, 13)
    theirs = pptx_parse_xml(xml)
    frame = ChartTitle(theirs.find(qn("c:chart")).get_or_add_title()).text_frame
    frame.text = text
    runs = frame.paragraphs[0].runs
    if not runs:  # python-pptx has no first run to size: narrator sizes the first run there is instead
        assert text.startswith("\n")
        assert ours.find(f".//{qn('a:r')}/{qn('a:rPr')}").get("b") == "1"
        return
    runs[0].font.size = Pt(13)
    runs[0].font.bold = True
    assert etree.tostring(ours) == etree.tostring(theirs)
