"""A realistic, hand-built Story for the render tests: a quarterly board pack for a contact centre."""

from __future__ import annotations

import io
import itertools
import shutil
import subprocess
import zipfile
from pathlib import Path

import pytest

from narrator.tell.story import (
    ChartSeries,
    ChartSpec,
    DocumentProperties,
    Furniture,
    Section,
    Segment,
    Story,
    TableSpec,
    ValuePart,
)

_tokens = itertools.count(1)


def v(text: str, fact: str = "fact") -> ValuePart:
    n = next(_tokens)
    return ValuePart(token=f"V{n}", text=text, fact_id=f"{fact}.{n}")


def seg(id: str, *parts: str | ValuePart) -> Segment:
    return Segment(id=id, parts=tuple(parts))


MONTHS = (
    "Apr 24",
    "May 24",
    "Jun 24",
    "Jul 24",
    "Aug 24",
    "Sep 24",
    "Oct 24",
    "Nov 24",
    "Dec 24",
    "Jan 25",
    "Feb 25",
    "Mar 25",
)


def _service_level_chart() -> ChartSpec:
    return ChartSpec(
        kind="line",
        title="Service level (calls answered within 20 seconds), by month",
        categories=MONTHS,
        series=(
            ChartSeries(
                name="Service level",
                values=(0.86, 0.84, 0.83, 0.81, None, 0.79, 0.78, 0.76, 0.74, 0.77, 0.78, 0.78),
                kind="line",
                number_format="0.0%",
            ),
            ChartSeries(name="Target", values=(0.80,) * 12, kind="line", number_format="0%", dashed=True),
        ),
        alt_text="Line chart of monthly service level from April 2024 to March 2025 against an 80% target: "
        "86% in April, falling below target from September to a low of 74% in December, 78% in March. "
        "August has no data.",
        source=seg(
            "sl.chart.source",
            "Source: ACD interval reports, ",
            v("April 2024"),
            " to ",
            v("March 2025"),
            "; August data lost in the platform migration.",
        ),
        value_axis_format="0%",
    )


def _value_chart() -> ChartSpec:
    return ChartSpec(
        kind="bar",
        title="Annual value at stake by category (£m)",
        categories=("Revenue protected", "Cost avoided", "Customer lifetime value", "Risk reduced"),
        series=(ChartSeries(name="Value", values=(2.4, 1.6, 1.1, 0.5), number_format='"£"0.0"m"'),),
        alt_text="Bar chart of annual value at stake by category: revenue protected £2.4m, "
        "cost avoided £1.6m, "
        "customer lifetime value £1.1m, risk reduced £0.5m.",
        source=seg("value.chart.source", "Source: finance-validated value model, ", v("March 2025"), "."),
        value_axis_format='"£"0.0"m"',
    )


def _table(rows: list[tuple[str, ...]], id: str, header: tuple[str, ...], align, caption=None, source=None):
    return TableSpec(
        header=tuple(Segment.literal(f"{id}.h{i}", h) for i, h in enumerate(header)),
        rows=tuple(
            tuple(seg(f"{id}.r{r}c{c}", v(cell) if c else cell) for c, cell in enumerate(row))
            for r, row in enumerate(rows)
        ),
        align=align,
        caption=caption,
        source=source,
    )


def _kpi_table() -> TableSpec:
    rows = [
        ("Service level (20s)", "78.0%", "80.0%", "84.5%", "-2.0 pts"),
        ("Abandonment rate", "6.8%", "5.0%", "4.1%", "+1.8 pts"),
        ("Average handle time", "6:42", "6:00", "6:05", "+0:42"),
        ("First contact resolution", "71%", "75%", "74%", "-4 pts"),
        ("Customer satisfaction (CSAT)", "82%", "85%", "86%", "-3 pts"),
        ("Repeat contacts within 7 days", "18.4%", "15.0%", "16.2%", "+3.4 pts"),
        ("Agent attrition (annualised)", "34%", "25%", "28%", "+9 pts"),
    ]
    return _table(
        rows,
        "kpis.table",
        ("Measure", "Q4 actual", "Target", "Q4 last year", "Gap to target"),
        ("left", "right", "right", "right", "right"),
        caption=seg("kpis.caption", "Headline measures, quarter to ", v("31 March 2025")),
        source=seg("kpis.source", "Source: ACD, CRM and HR systems; quarter to ", v("31 March 2025"), "."),
    )


def _appendix_table() -> TableSpec:
    sites = [
        "Leeds",
        "Glasgow",
        "Cardiff",
        "Belfast",
        "Newcastle",
        "Bristol",
        "Manchester",
        "Birmingham",
        "Sheffield",
        "Liverpool",
        "Nottingham",
        "Edinburgh",
        "Swansea",
        "Derby",
        "Plymouth",
        "Hull",
        "Norwich",
        "Aberdeen",
        "Leicester",
        "Southampton",
        "Exeter",
        "York",
    ]
    rows = []
    for i, site in enumerate(sites):
        rows.append(
            (
                f"{site} ({'in-house' if i % 3 else 'outsourced'})",
                f"{120 + 7 * i:,}",
                f"{81 - (i % 7)}.{i % 10}%",
                f"£{(0.12 + 0.03 * (i % 5)):.2f}m",
                f"{62 + i % 9} FTE",
            )
        )
    return _table(
        rows,
        "appendix.sites",
        ("Site", "Weekly calls (000s)", "Service level", "Value at stake", "Capacity"),
        ("left", "right", "right", "right", "right"),
        caption=seg("appendix.caption", "Performance and value by site, quarter to ", v("31 March 2025")),
        source=seg("appendix.source", "Source: ACD and workforce management systems."),
    )


def build_story() -> Story:
    sections = (
        Section(
            id="cover",
            kind="cover",
            heading="Cover",
            title=seg("cover.title", "Contact centre performance and investment case"),
            notes=(
                seg(
                    "cover.notes.0",
                    "Open by stating the decision sought: approval of ",
                    v("£1.8m"),
                    " to restore service level.",
                ),
            ),
        ),
        Section(
            id="summary",
            kind="summary",
            heading="Executive summary",
            title=seg(
                "summary.title",
                "Service has slipped below target and is putting ",
                v("£5.6m"),
                " of annual value at risk",
            ),
            lead=seg(
                "summary.lead",
                "A one-off investment of ",
                v("£1.8m"),
                " pays back in ",
                v("14 months"),
                " and protects revenue the board already counts on.",
            ),
            bullets=(
                seg(
                    "summary.b0",
                    "Service level fell to ",
                    v("78.0%"),
                    " in Q4, ",
                    v("2.0 points"),
                    " below target, after ",
                    v("six"),
                    " months of decline.",
                ),
                seg(
                    "summary.b1",
                    "Each point of service level is worth ",
                    v("£0.9m"),
                    " a year in revenue protected and cost avoided.",
                ),
                seg(
                    "summary.b2",
                    "The ask: ",
                    v("£1.8m"),
                    " for workforce management and ",
                    v("42"),
                    " agents, returning an NPV of ",
                    v("£3.1m"),
                    " over three years.",
                ),
            ),
            body=(
                seg(
                    "summary.p0",
                    "Service level, the share of calls answered within 20 seconds, ended the year at ",
                    v("78.0%"),
                    " against a target of ",
                    v("80%"),
                    ". The decline began in September as attrition rose to ",
                    v("34%"),
                    " and has not recovered.",
                ),
                seg(
                    "summary.p1",
                    "The value model, validated by Finance, puts ",
                    v("£5.6m"),
                    " a year at stake. This paper asks the Board to approve a targeted investment to restore "
                    "service to target within two quarters.",
                ),
            ),
            notes=(
                seg("summary.notes.0", "Three messages: the slip, what it costs, what we ask."),
                seg(
                    "summary.notes.1",
                    "Service level ",
                    v("78.0%"),
                    " is from the ACD, verified against the WFM forecast.",
                ),
            ),
            sources=(
                seg("summary.src", "Value model v3, signed off by Finance on ", v("14 April 2025"), "."),
            ),
        ),
        Section(
            id="problem",
            kind="content",
            heading="Service performance",
            title=seg(
                "problem.title",
                "Service level has been below the ",
                v("80%"),
                " target for ",
                v("seven"),
                " consecutive months, reaching ",
                v("74%"),
                " in December",
            ),
            lead=seg(
                "problem.lead",
                "Attrition, not demand, drove the decline: volumes were flat while experienced agents left.",
            ),
            bullets=(
                seg(
                    "problem.b0",
                    "Attrition rose to ",
                    v("34%"),
                    " annualised, against ",
                    v("25%"),
                    " planned.",
                ),
                seg(
                    "problem.b1",
                    "Abandonment reached ",
                    v("6.8%"),
                    ", losing ",
                    v("41,000"),
                    " calls in the quarter.",
                ),
                seg("problem.b2", "Partial recovery since January as new starters reach proficiency."),
            ),
            chart=_service_level_chart(),
            notes=(
                seg("problem.notes.0", "The dip in December coincides with the peak of leavers."),
                seg("problem.notes.1", "August is a gap, not a zero: data was lost in the migration."),
            ),
            sources=(seg("problem.src", "HR attrition report, ", v("March 2025"), "."),),
        ),
        Section(
            id="value",
            kind="content",
            heading="Value at stake",
            title=seg(
                "value.title",
                "Restoring service protects ",
                v("£5.6m"),
                " a year, most of it revenue from customers who would otherwise leave",
            ),
            lead=seg(
                "value.lead",
                "Revenue protected is the largest lever; cost avoided follows from fewer repeat contacts.",
            ),
            chart=_value_chart(),
            notes=(
                seg(
                    "value.notes.0",
                    "Revenue protected uses churn uplift on abandoned callers, ",
                    v("1.9%"),
                    ".",
                ),
            ),
        ),
        Section(
            id="kpis",
            kind="content",
            heading="Headline measures",
            title=seg("kpis.title", "Five of seven headline measures missed target in Q4"),
            lead=seg("kpis.lead", "Only handle time and satisfaction sit within tolerance of last year."),
            table=_kpi_table(),
            notes=(seg("kpis.notes.0", "Walk the table top to bottom; pause on attrition."),),
        ),
        Section(
            id="ask",
            kind="ask",
            heading="Investment ask",
            title=seg(
                "ask.title",
                "We ask the Board to approve ",
                v("£1.8m"),
                " to restore service by ",
                v("September 2025"),
            ),
            lead=seg("ask.lead", "Payback in ", v("14 months"), "; NPV ", v("£3.1m"), " at ", v("8%"), "."),
            bullets=(
                seg("ask.b0", v("£1.1m"), " for ", v("42"), " additional agents and a retention programme."),
                seg("ask.b1", v("£0.7m"), " for workforce management software and forecasting."),
                seg("ask.b2", "Progress reported monthly to the Audit and Risk Committee."),
            ),
            body=(
                seg(
                    "ask.p0",
                    "The investment of ",
                    v("£1.8m"),
                    " splits between people and technology. "
                    "Benefits begin in the second quarter and are tracked against the value model.",
                ),
            ),
            notes=(
                seg("ask.notes.0", "Ask for the decision explicitly; offer the phased option if pressed."),
            ),
        ),
        Section(
            id="appendix",
            kind="appendix",
            heading="Appendix: site detail",
            title=seg("appendix.title", "Appendix: performance and value by site"),
            table=_appendix_table(),
            notes=(seg("appendix.notes.0", "Reference only."),),
        ),
    )
    return Story(
        slug="q4-contact-centre",
        title=seg("story.title", "Contact centre: restoring service to protect ", v("£5.6m")),
        subtitle=seg("story.subtitle", "Board meeting, ", v("22 April 2025")),
        purpose="decision",
        resolution=seg(
            "story.resolution",
            "The Board approves investment of ",
            v("£1.8m"),
            " in contact centre capacity and workforce management, to restore service level to ",
            v("80%"),
            " by ",
            v("September 2025"),
            ".",
        ),
        sections=sections,
        furniture=Furniture(
            data_as_of=seg("furniture.asof", "Data as of ", v("31 March 2025")),
            footer=seg("furniture.footer", "Acme Utilities: Customer Operations"),
            classification="Board confidential",
        ),
        properties=DocumentProperties(
            title="Contact centre: restoring service to protect £5.6m",
            subject="Q4 contact centre performance and investment case",
            author="Jane Smith, Director of Customer Operations",
            company="Acme Utilities plc",
            keywords="contact centre; service level; investment",
            created="2025-04-14",
        ),
        locale="en_GB",
        currency="GBP",
    )


@pytest.fixture(scope="session")
def story() -> Story:
    return build_story()


def combo_chart() -> ChartSpec:
    return ChartSpec(
        kind="combo",
        title="Calls offered (000s) and service level, by month",
        categories=MONTHS,
        series=(
            ChartSeries(
                name="Calls offered (000s)",
                values=(412, 398, 405, 431, 420, 447, 468, 455, 430, 472, 441, 438),
                kind="bar",
                number_format="#,##0",
            ),
            ChartSeries(
                name="Service level",
                values=(0.86, 0.84, 0.83, 0.81, None, 0.79, 0.78, 0.76, 0.74, 0.77, 0.78, 0.78),
                kind="line",
                axis="secondary",
                number_format="0%",
            ),
        ),
        alt_text="Combination chart: monthly calls offered between 398,000 and 472,000 as columns, with "
        "service level as a line on the right-hand axis falling from 86% to 74% then recovering to 78%.",
        source=seg("combo.source", "Source: ACD interval reports."),
        value_axis_format="#,##0",
    )


def waterfall_chart() -> ChartSpec:
    return ChartSpec(
        kind="waterfall",
        title="From gross benefit to net value over three years (£m)",
        categories=("Revenue protected", "Cost avoided", "Investment", "Running costs", "Net value"),
        series=(
            ChartSeries(name="Net value", values=(4.1, 2.2, -1.8, -1.4, 3.1), number_format='"£"0.0"m"'),
        ),
        alt_text="Waterfall chart over three years: £4.1m revenue protected plus £2.2m cost avoided, "
        "less the "
        "£1.8m investment and £1.4m running costs, gives net value of £3.1m.",
        source=seg("waterfall.source", "Source: investment case model."),
        value_axis_format='"£"0.0"m"',
    )


def build_rich_story() -> Story:
    """The board story plus a combo and a waterfall chart slide."""
    story = build_story()
    extra = (
        Section(
            id="demand",
            heading="Demand and service",
            title=seg(
                "demand.title",
                "Demand peaked at ",
                v("472,000"),
                " calls in January while service stayed below target",
            ),
            chart=combo_chart(),
            notes=(seg("demand.notes", "Volumes explain little of the decline."),),
        ),
        Section(
            id="bridge",
            heading="Value bridge",
            title=seg("bridge.title", "Net value of ", v("£3.1m"), " after the ", v("£1.8m"), " investment"),
            chart=waterfall_chart(),
            notes=(seg("bridge.notes", "Three-year view, undiscounted."),),
        ),
    )
    sections = story.sections[:4] + extra + story.sections[4:]
    return story.model_copy(update={"sections": sections})


@pytest.fixture(scope="session")
def rich_story() -> Story:
    return build_rich_story()


# -- package checks, as fixtures because the suite imports test modules by path (importlib mode) --------

LEFTOVERS = ("Steve Canny", "python-pptx", "python-docx", "2013-", "Click to edit", "Click to add")


def _parts(blob: bytes) -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(blob)) as zf:
        return {info.filename: zf.read(info) for info in zf.infolist()}


@pytest.fixture(scope="session")
def parts():
    """Read a package's entries: parts(blob) -> {name: bytes}."""
    return _parts


@pytest.fixture(scope="session")
def leftovers() -> tuple[str, ...]:
    """Strings a library default or a template prompt leaves behind; none may reach a user's file."""
    return LEFTOVERS


@pytest.fixture
def audit(tmp_path):
    """Schema and semantic findings from openxml-audit (the Open XML SDK validator's rules)."""
    openxml_audit = pytest.importorskip("openxml_audit")

    def run(name: str, blob: bytes) -> list[str]:
        path = tmp_path / name
        path.write_bytes(blob)
        return [str(e) for e in openxml_audit.OpenXmlValidator().validate(path).errors]

    return run


@pytest.fixture
def to_pdf(tmp_path):
    """Convert with LibreOffice; skips when soffice is not installed."""
    soffice = shutil.which("soffice")
    if soffice is None:
        pytest.skip("LibreOffice (soffice) is not installed")

    def run(name: str, blob: bytes) -> bytes:
        src = tmp_path / name
        src.write_bytes(blob)
        profile = Path(tmp_path / "lo-profile").as_uri()
        subprocess.run(
            [
                soffice,
                "--headless",
                f"-env:UserInstallation={profile}",
                "--convert-to",
                "pdf",
                "--outdir",
                str(tmp_path),
                str(src),
            ],
            check=True,
            capture_output=True,
            timeout=180,
        )
        return (tmp_path / (src.stem + ".pdf")).read_bytes()

    return run
