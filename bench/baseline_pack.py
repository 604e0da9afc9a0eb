"""The hand-written baseline: the board pack an analyst would script with pandas, python-pptx and python-docx.

    python bench/baseline_pack.py CONFIG_FOLDER OUT_FOLDER

Reads the private-insurer sample's KPI export with pandas (percent strings, thousands separators,
h:mm:ss durations), its value items and investment ask with PyYAML, and writes a deck and a paper with
plain library calls: a title slide, a summary, one slide per headline KPI with a native line chart and
its figures, a KPI scorecard table, value by lever with a bar chart, the investment case (NPV, ROI,
payback) and next steps, about as many slides, charts and tables as narrator's pack; the paper has the
same sections as headings, paragraphs and tables (a table of each headline KPI's last 13 months, each
value item with its formula and assumptions; no charts: python-docx has none). No text fitting,
measuring, furniture, notes, traceability or checks: the floor a whole `narrator build` process is
compared with (``bench_gate.py`` times both as whole processes, interleaved).
"""

from __future__ import annotations

import sys
from pathlib import Path

import docx
import pandas as pd
import yaml
from pptx import Presentation
from pptx.chart.data import CategoryChartData
from pptx.enum.chart import XL_CHART_TYPE
from pptx.util import Inches, Pt

HEADLINE = ["Service level", "FCR", "CSAT", "Cost per contact", "Abandonment rate", "AHT"]


def number(text) -> float:
    """A cell as exports write it: "94.01%", "0:02:14", "1,234", "£6.10", blank."""
    if pd.isna(text):
        return float("nan")
    text = str(text).strip().replace(",", "").lstrip("£$")
    if text.endswith("%"):
        return float(text[:-1]) / 100
    if text.count(":") == 2:
        hours, minutes, seconds = (int(p) for p in text.split(":"))
        return hours * 3600 + minutes * 60 + seconds
    return float(text)


def load(folder: Path):
    frame = pd.read_csv(folder / "kpis.csv", encoding="utf-8-sig")
    for column in ("Value", "Target", "Benchmark"):
        frame[column] = frame[column].map(number)
    frame["Period"] = pd.to_datetime(frame["Month"], format="%b %Y")
    counts = frame["KPI"].isin(["Contacts offered", "Contacts handled"])
    weights = frame[frame["KPI"] == "Contacts offered"][["Period", "Channel", "Value"]].rename(columns={"Value": "w"})
    rates = frame[~counts].merge(weights, on=["Period", "Channel"], how="left")
    rates["wv"] = rates["Value"] * rates["w"]
    whole = rates.groupby(["KPI", "Period"]).agg(wv=("wv", "sum"), w=("w", "sum"), target=("Target", "max"))
    whole["value"] = whole["wv"] / whole["w"]
    totals = frame[counts].groupby(["KPI", "Period"]).agg(value=("Value", "sum"), target=("Target", "max"))
    kpis = pd.concat([whole[["value", "target"]], totals]).sort_index()
    values = yaml.safe_load((folder / "values.yaml").read_text(encoding="utf-8"))["items"]
    investment = yaml.safe_load((folder / "investment.yaml").read_text(encoding="utf-8"))
    return kpis, values, investment


def case(values: list[dict], investment: dict) -> dict[str, float]:
    years = int(investment.get("horizon_years", 3))
    rate = float(investment.get("discount_rate", 0.1))
    benefit = sum(float(item["amount"]) for item in values if not item.get("realised", True))
    one_off = float(investment.get("one_off_cost", 0))
    recurring = float(investment.get("recurring_cost", 0))
    flows = [-one_off] + [benefit - recurring] * years
    npv = sum(flow / (1 + rate) ** year for year, flow in enumerate(flows))
    cost = one_off + sum(recurring / (1 + rate) ** year for year in range(1, years + 1))
    monthly = (benefit - recurring) / 12 or 1
    return {"npv": npv, "roi": npv / cost if cost else 0.0, "payback": one_off / monthly, "benefit": benefit}


def fmt(kpi: str, value: float) -> str:
    if kpi in ("Contacts offered", "Contacts handled"):
        return f"{value:,.0f}"
    if kpi == "AHT":
        return f"{int(value) // 60}:{int(value) % 60:02d}"
    if kpi == "Cost per contact":
        return f"£{value:,.2f}"
    return f"{value:.1%}" if value <= 1.5 else f"{value:,.1f}"


def deck(kpis, values, money, out: Path) -> None:
    prs = Presentation()
    slide = prs.slides.add_slide(prs.slide_layouts[0])
    slide.shapes.title.text = "Customer service: value to the organisation"
    slide.placeholders[1].text = "Board pack"
    latest = kpis.index.get_level_values("Period").max()

    def bullets(title: str, lines: list[str]) -> None:
        page = prs.slides.add_slide(prs.slide_layouts[1])
        page.shapes.title.text = title
        body = page.placeholders[1].text_frame
        body.text = lines[0]
        for line in lines[1:]:
            body.add_paragraph().text = line

    bullets(
        f"The investment returns £{money['npv']:,.0f} over its life",
        [f"Value delivered this year: £{sum(i['amount'] for i in values if i.get('realised', True)):,.0f}",
         f"ROI {money['roi']:.0%}, payback in month {money['payback']:.0f}", "The board is asked to approve"],
    )  # fmt: skip
    for kpi in HEADLINE:
        if kpi not in kpis.index.get_level_values("KPI"):
            continue
        series = kpis.loc[kpi].tail(12)
        page = prs.slides.add_slide(prs.slide_layouts[5])
        now, before = series["value"].iloc[-1], series["value"].iloc[-2]
        page.shapes.title.text = f"{kpi} {fmt(kpi, now)} against {fmt(kpi, before)} last month"
        data = CategoryChartData()
        data.categories = [p.strftime("%b %Y") for p in series.index]
        data.add_series(kpi, [float(v) for v in series["value"]])
        if series["target"].notna().any():
            data.add_series("Target", [float(v) for v in series["target"].ffill().bfill()])
        page.shapes.add_chart(XL_CHART_TYPE.LINE, Inches(0.5), Inches(1.5), Inches(6), Inches(4.5), data)
        box = page.shapes.add_textbox(Inches(6.7), Inches(1.5), Inches(3), Inches(4)).text_frame
        box.word_wrap = True
        box.text = f"Latest ({latest:%b %Y}): {fmt(kpi, now)}"
        box.add_paragraph().text = f"Twelve months ago: {fmt(kpi, series['value'].iloc[0])}"
    rows = [(kpi, kpis.loc[(kpi, latest)]) for kpi in kpis.index.get_level_values("KPI").unique()]
    page = prs.slides.add_slide(prs.slide_layouts[5])
    page.shapes.title.text = "KPI scorecard"
    table = page.shapes.add_table(len(rows) + 1, 3, Inches(0.5), Inches(1.5), Inches(9), Inches(5)).table
    for col, head in enumerate(("KPI", "Latest", "Target")):
        table.cell(0, col).text = head
    for row, (kpi, cells) in enumerate(rows, 1):
        table.cell(row, 0).text = kpi
        table.cell(row, 1).text = fmt(kpi, cells["value"])
        table.cell(row, 2).text = "" if pd.isna(cells["target"]) else fmt(kpi, cells["target"])
    page = prs.slides.add_slide(prs.slide_layouts[5])
    page.shapes.title.text = "Value by lever"
    data = CategoryChartData()
    data.categories = [item["label"][:30] for item in values]
    data.add_series("Value (£)", [float(item["amount"]) for item in values])
    page.shapes.add_chart(XL_CHART_TYPE.BAR_CLUSTERED, Inches(0.5), Inches(1.5), Inches(9), Inches(5), data)
    page = prs.slides.add_slide(prs.slide_layouts[5])
    page.shapes.title.text = "Value by lever, with ranges"
    table = page.shapes.add_table(len(values) + 1, 4, Inches(0.5), Inches(1.5), Inches(9), Inches(5)).table
    for col, head in enumerate(("Lever", "Value", "Low", "High")):
        table.cell(0, col).text = head
    for row, item in enumerate(values, 1):
        table.cell(row, 0).text = item["label"]
        for col, key in enumerate(("amount", "low", "high"), 1):
            table.cell(row, col).text = f"£{item.get(key, item['amount']):,.0f}"
    bullets("The investment case", [f"NPV £{money['npv']:,.0f}", f"ROI {money['roi']:.0%}",
                                    f"Payback month {money['payback']:.0f}"])  # fmt: skip
    bullets("Next steps", ["Approve the investment", "Mobilise in the next quarter", "Report back in six months"])
    for shape_slide in prs.slides:
        for shape in shape_slide.shapes:
            if shape.has_text_frame:
                for paragraph in shape.text_frame.paragraphs:
                    for run in paragraph.runs:
                        run.font.size = Pt(16)
    prs.save(out)


def paper(kpis, values, money, out: Path) -> None:
    document = docx.Document()
    document.add_heading("Customer service: value to the organisation", 0)
    latest = kpis.index.get_level_values("Period").max()
    document.add_heading("Summary", 1)
    document.add_paragraph(f"The investment returns £{money['npv']:,.0f} over its life (ROI {money['roi']:.0%}).")
    for kpi in HEADLINE:
        if kpi not in kpis.index.get_level_values("KPI"):
            continue
        series = kpis.loc[kpi].tail(13)
        document.add_heading(kpi, 2)
        document.add_paragraph(
            f"{kpi} was {fmt(kpi, series['value'].iloc[-1])} in {latest:%B %Y}, against "
            f"{fmt(kpi, series['value'].iloc[-2])} the month before and {fmt(kpi, series['value'].iloc[0])} "
            "a year earlier."
        )
        table = document.add_table(rows=len(series) + 1, cols=3)
        table.style = "Table Grid"
        for col, head in enumerate(("Month", kpi, "Target")):
            table.cell(0, col).text = head
        for row, (period, cells) in enumerate(series.iterrows(), 1):
            table.cell(row, 0).text = f"{period:%b %Y}"
            table.cell(row, 1).text = fmt(kpi, cells["value"])
            table.cell(row, 2).text = "" if pd.isna(cells["target"]) else fmt(kpi, cells["target"])
    document.add_heading("KPI scorecard", 1)
    names = list(kpis.index.get_level_values("KPI").unique())
    table = document.add_table(rows=len(names) + 1, cols=3)
    table.style = "Table Grid"
    for col, head in enumerate(("KPI", "Latest", "Target")):
        table.cell(0, col).text = head
    for row, kpi in enumerate(names, 1):
        cells = kpis.loc[(kpi, latest)]
        table.cell(row, 0).text = kpi
        table.cell(row, 1).text = fmt(kpi, cells["value"])
        table.cell(row, 2).text = "" if pd.isna(cells["target"]) else fmt(kpi, cells["target"])
    document.add_heading("Value by lever", 1)
    table = document.add_table(rows=len(values) + 1, cols=4)
    table.style = "Table Grid"
    for col, head in enumerate(("Lever", "Value", "Formula", "Source")):
        table.cell(0, col).text = head
    for row, item in enumerate(values, 1):
        for col, text in enumerate((item["label"], f"£{item['amount']:,.0f}", item.get("formula", ""),
                                    item.get("source", ""))):  # fmt: skip
            table.cell(row, col).text = str(text)
    for item in values:
        document.add_heading(item["label"], 2)
        document.add_paragraph(f"£{item['amount']:,.0f} a year ({item.get('confidence', 'medium')} confidence).")
        document.add_paragraph(str(item.get("formula", "")))
        for assumption in item.get("assumptions", []):
            document.add_paragraph(str(assumption), style="List Bullet")
    document.add_heading("The investment ask", 1)
    for line in (f"NPV £{money['npv']:,.0f}", f"ROI {money['roi']:.0%}", f"Payback month {money['payback']:.0f}"):
        document.add_paragraph(line, style="List Bullet")
    document.save(out)


def main() -> None:
    folder, out = Path(sys.argv[1]), Path(sys.argv[2])
    out.mkdir(parents=True, exist_ok=True)
    kpis, values, investment = load(folder)
    money = case(values, investment)
    deck(kpis, values, money, out / "baseline.pptx")
    paper(kpis, values, money, out / "baseline.docx")


if __name__ == "__main__":
    main()
