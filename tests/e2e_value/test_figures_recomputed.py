"""Every money figure in the four samples' built deck and paper, recomputed from the inputs by hand.

This is the CFO's afternoon as a test. It reads the sample's own input files (values, investment,
assumptions, KPI export) with yaml/csv/openpyxl, recomputes every figure a board pack can state (value
items, totals by class, the investment case, options, scenarios, sensitivity, the commitment, the cost of
doing nothing, cost per contact) with the arithmetic written out below, and never imports narrator's
compute code. Each money figure the built documents show must be a rounding of one of those numbers; and
each concept the pack states must be stated with one value (the Story-level gate, run on the same build).
"""

from __future__ import annotations

import csv
import re
from itertools import product
from pathlib import Path

import pytest
import yaml

from narrator.check.figures import check_figures
from narrator.pipeline import build

SAMPLES = Path(__file__).resolve().parents[2] / "samples"
NAMES = ["tei-worked-example", "private-insurer", "outsourcer-client", "public-council"]
MONEY = re.compile(r"[£$€](\d[\d,]*(?:\.\d+)?)\s?(bn|[kKmM])?(?![\w])")
HEADLINE = ("cash_saving", "cost_avoidance")
BAND = {"A": 0.05, "B": 0.15, "C": 0.30}


# --- the arithmetic, written out -----------------------------------------------------------------


def pv(flows, rate):
    return sum(f / (1 + rate) ** t for t, f in enumerate(flows))


def ramp_for(ramp, horizon):
    return [ramp[min(y, len(ramp) - 1)] for y in range(horizon)]


def flows(lines, ask, *, scale=1.0, ramp=None, line_scale=None, cost_scale=1.0, optimism=None):
    """Yearly benefits and costs, t0..tN, as the domain reference's TEI conventions define them."""
    horizon = ask.get("horizon_years", 3)
    shares = ramp_for(ramp or ask.get("ramp", [0.5, 1.0, 1.0]), horizon)
    line_scale = line_scale or {}
    benefits = [0.0] + [sum(adj * scale * line_scale.get(i, 1.0) * s for i, adj in lines) for s in shares]
    optimism = ask.get("optimism_bias", 0.0) if optimism is None else optimism
    uplift = (1 + ask.get("cost_risk_adjustment", 0.10)) * (1 + optimism) * cost_scale
    costs = [ask["one_off_cost"] * uplift] + [ask.get("recurring_cost", 0.0) * uplift] * horizon
    return benefits, costs


def cumulative(values):
    out, total = [], 0.0
    for v in values:
        total += v
        out.append(total)
    return out


def case_figures(lines, ask, rate):
    """Every money figure of one case: flows, PVs, NPV."""
    benefits, costs = flows(lines, ask)
    net = [b - c for b, c in zip(benefits, costs, strict=True)]
    found = [*benefits, *costs, *cumulative(net), pv(benefits, rate), pv(costs, rate),
             pv(benefits, rate) - pv(costs, rate)]
    return found, pv(benefits, rate), pv(costs, rate)


def item_amounts(items):
    return {i["id"]: float(i["amount"]) for i in items}


def structured(item, lever):
    """A lever item's inputs, in the lever's own argument order."""
    return {name: item["inputs"][name]["value"] for name in item["inputs"]}


def sequenced_amounts(items):
    """Items on the shared contact volume, each applied to the contacts the earlier ones leave."""
    out, removed = {}, {True: 0.0, False: 0.0}
    for lever in ("containment", "fcr_repeat_contacts"):
        for item in items:
            if item.get("lever") != lever:
                continue
            v = structured(item, lever)
            realised = bool(item.get("realised"))
            volume = v["volume"] - removed[realised]
            if lever == "containment":
                out[item["id"]] = volume * v["uplift"] * (v["assisted_cpc"] - v["self_service_cpc"])
                removed[realised] += volume * v["uplift"]
            else:
                out[item["id"]] = volume * v["fcr_uplift"] * v["repeats_per_unresolved"] * v["cost_per_contact"]
                removed[realised] += volume * v["fcr_uplift"] * v["repeats_per_unresolved"]
            out[f"{item['id']}.volume"] = volume
    return out


def written_money(text):
    return [float(m.group(1).replace(",", "")) * {"k": 1e3, "m": 1e6, "bn": 1e9}.get((m.group(2) or "").lower(), 1)
            for m in MONEY.finditer(text)]


def kpi_rows(folder, config):
    """(period, segment, kpi, value) of the KPIs whose money the pack may state, from the raw export."""
    kpis = config["inputs"]["kpis"]
    path = folder / kpis["path"]
    columns = kpis.get("columns", {})
    rows = []
    if path.suffix == ".xlsx":
        import openpyxl

        book = openpyxl.load_workbook(path, read_only=True, data_only=True)
        sheet = book[kpis["sheet"]] if kpis.get("sheet") else book.worksheets[0]
        header, *data = list(sheet.iter_rows(values_only=True))
        book.close()  # a read-only workbook left open warns later, inside another test
        records = [dict(zip(header, r, strict=False)) for r in data]
    else:
        text = path.read_text(encoding="utf-8-sig")
        records = list(csv.DictReader(text.splitlines(), delimiter=";" if text.count(";") > text.count(",") else ","))
    if kpis.get("layout", "tidy") == "tidy":
        pc, kc, vc, sc = (columns.get(k, k) for k in ("period", "kpi", "value", "segment"))
        names = {"Cost per contact": "cpc", "cost_per_contact": "cpc", "Contacts handled": "handled",
                 "contacts_handled": "handled", "Contacts offered": "offered", "contacts_offered": "offered"}
        for r in records:
            if r[kc] in names:
                rows.append((r[pc], r.get(sc), names[r[kc]], _number(r[vc])))
    else:
        pc, sc = columns.get("period", "period"), columns.get("segment")
        for key, name in (("cost_per_contact", "cpc"), ("contacts_offered", "offered"),
                          ("contacts_handled", "handled")):
            if key in columns:
                rows += [(str(r[pc]), r.get(sc) if sc else None, name, _number(r[columns[key]])) for r in records]
    return rows


def _number(cell):
    if cell is None or cell == "":
        return None
    if isinstance(cell, int | float):
        return float(cell)
    return float(str(cell).replace("£", "").replace("$", "").replace(",", "").strip())


def kpi_money(folder, config):
    """Whole-centre cost per contact each period (weighted by handled, else offered), and every change."""
    rows = kpi_rows(folder, config)
    periods = sorted({p for p, *_ in rows})
    by = {(p, s, k): v for p, s, k, v in rows}
    weight = "handled" if any(k == "handled" for *_, k, _ in rows) else "offered"
    centre = []
    for p in periods:
        parts = [(v, by.get((p, s, weight))) for (pp, s, k), v in by.items() if pp == p and k == "cpc" and v]
        parts = [(v, w) for v, w in parts if w]
        if parts:
            centre.append(sum(v * w for v, w in parts) / sum(w for _, w in parts))
    benchmarks = [5.25, 8.01]  # the exports' own benchmark column values for cost per contact
    return centre + [abs(a - b) for a, b in product(centre, centre)] + benchmarks


def computed_levers(folder, config):
    """The TEI sample's value delivered, computed from the KPI movements and parameters (central and range)."""
    assumptions = yaml.safe_load((folder / config["inputs"]["assumptions"]).read_text())
    p = {k: v["value"] for k, v in assumptions["parameters"].items()}
    g = {k: BAND[v["grade"]] for k, v in assumptions["parameters"].items()}
    values = {}
    for line in csv.DictReader((folder / config["inputs"]["kpis"]["path"]).read_text().splitlines()):
        values[(line["period"], line["kpi"])] = float(line["value"])
    volume = sum(v for (period, kpi), v in values.items() if kpi == "contacts_offered" and period.startswith("2025"))

    def move(kpi, sign):
        return sign * (values[("2025-12", kpi)] - values[("2024-12", kpi)])

    def lo(name):
        return p[name] * (1 - g[name])

    def hi(name):
        return p[name] * (1 + g[name])

    up = move("self_service_containment", 1)
    contained = volume * up
    fcr = move("first_contact_resolution", 1)
    left = volume - contained
    attr = move("agent_attrition", -1)
    return [
        volume * up * (p["assisted_cpc"] - p["self_service_cpc"]),
        volume * up * (lo("assisted_cpc") - hi("self_service_cpc")),
        volume * up * (hi("assisted_cpc") - lo("self_service_cpc")),
        left * fcr * p["repeats_per_unresolved"] * p["cost_per_contact"],
        left * fcr * lo("repeats_per_unresolved") * lo("cost_per_contact"),
        left * fcr * hi("repeats_per_unresolved") * hi("cost_per_contact"),
        p["headcount"] * attr * p["cost_per_attrit"],
        lo("headcount") * attr * lo("cost_per_attrit"),
        hi("headcount") * attr * hi("cost_per_attrit"),
    ], [*p.values()]


def expected_figures(name):
    """Every money figure the sample's pack may state, recomputed from its input files."""
    folder = SAMPLES / name
    config = yaml.safe_load((folder / "report.yaml").read_text())
    items = yaml.safe_load((folder / config["inputs"]["values"]).read_text())["items"]
    amounts = item_amounts(items)
    figures = [0.0, *amounts.values()]
    figures += [float(i[k]) for i in items for k in ("low", "high") if k in i]
    figures += sequenced_amounts(items).values()
    for item in items:
        for text in (item.get("formula", ""), item.get("label", ""), *item.get("assumptions", [])):
            figures += written_money(text)
        figures += [v["value"] for v in item.get("inputs", {}).values() if v["unit"] == "money"]
    # Totals by status and class: the headline adds cash saving and cost avoidance only.
    for realised in (True, False):
        members = [i for i in items if bool(i.get("realised")) == realised]
        figures.append(sum(amounts[i["id"]] for i in members if i.get("benefit_class", "cost_avoidance") in HEADLINE))
        for cls in ("cash_saving", "cost_avoidance", "non_cash", "capacity_released"):
            figures.append(sum(amounts[i["id"]] for i in members if i.get("benefit_class") == cls))
        for category in {i["category"] for i in members}:
            figures.append(sum(amounts[i["id"]] for i in members if i["category"] == category
                               and i.get("benefit_class", "cost_avoidance") in HEADLINE))
    if "assumptions" in config["inputs"]:
        levers, parameters = computed_levers(folder, config)
        figures += levers + parameters + [sum(levers[0::3])]
    figures += kpi_money(folder, config)
    if "investment" in config["inputs"]:
        figures += investment_figures(folder, config, items, amounts)
    return figures


def investment_figures(folder, config, items, amounts):
    ask = yaml.safe_load((folder / config["inputs"]["investment"]).read_text())
    if config.get("sector") == "public":
        ask.setdefault("discount_rate", 0.035)
    rate, horizon = ask.get("discount_rate", 0.10), ask.get("horizon_years", 3)
    classes = {i["id"]: i.get("benefit_class", "cost_avoidance") for i in items}
    lines = [(b["item"], amounts[b["item"]] * (1 - b.get("risk_adjustment", 0.10))) for b in ask["benefits"]]
    found, pv_b, pv_c = case_figures(lines, ask, rate)
    one_off, recurring = ask["one_off_cost"], ask.get("recurring_cost", 0.0)
    uplift = (1 + ask.get("cost_risk_adjustment", 0.10)) * (1 + ask.get("optimism_bias", 0.0))
    found += [one_off, recurring, one_off * uplift, recurring * uplift, one_off + recurring * horizon,
              pv([one_off] + [recurring] * horizon, rate)]
    found += [adj for _, adj in lines] + [amounts[i] for i, _ in lines]
    cash = [(i, a) for i, a in lines if classes[i] in HEADLINE]
    found += [sum(a for _, a in cash), sum(a for i, a in lines if classes[i] not in HEADLINE), sum(a for _, a in lines)]
    if len(cash) < len(lines):
        cash_found, cash_pv_b, _ = case_figures(cash, ask, rate)
        found += cash_found + [pv_b - cash_pv_b]
    # The other customary rate, scenarios, and the sensitivity of each driver moved 20% either way.
    other = 0.10 if config.get("sector") == "public" else 0.035
    found += case_figures(lines, {**ask, "discount_rate": other}, other)[0]
    for scenario in (ask.get("scenarios") or {"conservative": {"benefit_scale": 0.7, "ramp": [0.4, 0.8, 0.9]},
                                               "optimistic": {"benefit_scale": 1.2, "ramp": [0.7, 1.0, 1.0]}}).values():
        b, c = flows(lines, ask, scale=scenario["benefit_scale"], ramp=scenario.get("ramp"))
        found += [pv(b, rate) - pv(c, rate), pv(b, rate)]
    npv = pv_b - pv_c
    for factor in (0.8, 1.2):
        for item, _ in lines:
            b, c = flows(lines, ask, line_scale={item: factor})
            found.append(pv(b, rate) - pv(c, rate))
        b, c = flows(lines, ask, cost_scale=factor)
        found.append(pv(b, rate) - pv(c, rate))
        b, c = flows(lines, ask)
        found.append(pv(b, rate * factor) - pv(c, rate * factor))
        b, c = flows(lines, ask, ramp=[min(1.0, s * factor) for s in ask.get("ramp", [0.5, 1.0, 1.0])])
        found.append(pv(b, rate) - pv(c, rate))
    found += [f - npv for f in found[-12:]]
    minimum = ask.get("do_minimum")
    if minimum:
        kept = [(i, a) for i, a in lines if i in minimum["benefits"]]
        m_found, m_pv_b, m_pv_c = case_figures(kept, {**ask, **minimum}, rate)
        found += m_found + [sum(a for _, a in kept), npv - (m_pv_b - m_pv_c), pv_c - m_pv_c]
    return found


def stated_money(texts):
    """(text, low, high) of every money figure shown, as the magnitudes it can be a rounding of."""
    out = []
    for text in texts:
        for match in MONEY.finditer(text):
            digits, scale = match.group(1), {"k": 1e3, "m": 1e6, "bn": 1e9}.get((match.group(2) or "").lower(), 1)
            half = 0.5 * 10 ** -len(digits.split(".")[1]) if "." in digits else 0.5
            value = float(digits.replace(",", ""))
            out.append((match.group(0), (value - half) * scale - 1e-6, (value + half) * scale + 1e-6, text))
    return out


@pytest.fixture(scope="module", params=NAMES)
def built(request, tmp_path_factory):
    result = build(SAMPLES / request.param / "report.yaml", tmp_path_factory.mktemp(request.param))
    return request.param, result


def test_every_money_figure_in_deck_and_paper_is_recomputed_from_the_inputs(built, document_text):
    name, result = built
    expected = [abs(f) for f in expected_figures(name)]
    texts = document_text(result.outputs["docx"]) + document_text(result.outputs["pptx"])
    stated = stated_money(texts)
    assert len(stated) > 40, "the pack states money figures for the test to check"
    unexplained = sorted({(shown, text[:160]) for shown, low, high, text in stated
                          if not any(low <= f <= high for f in expected)})
    assert unexplained == []


def test_each_concept_is_stated_with_one_value(built):
    _, result = built
    assert check_figures(result.story, result.computed.book) == []
