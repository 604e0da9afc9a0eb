"""8. Say what is missing: a blank or NaN latest value for a segment is stated in the pack and the run
record, and the comparison is like for like (load/completeness.py does it); money in another currency and
a period that has not begun are errors unless the period is named."""

from __future__ import annotations

import json

import pytest
from hostile_kit import assert_user_error, run

import narrator

EMAIL_DECEMBER = "Dec 2025,Email,Service level,79.31%"


def _weighted(pack, month: str, channels: tuple[str, ...]) -> float:
    """Service level of ``channels`` in ``month``, weighted by contacts offered, from the CSV itself."""
    import csv

    rows = list(csv.DictReader((pack.folder / "kpis.csv").read_text(encoding="utf-8-sig").splitlines()))
    def value(kpi: str, channel: str) -> float:
        row = next(r for r in rows if r["Month"] == month and r["KPI"] == kpi and r["Channel"] == channel)
        return float(row["Value"].rstrip("%").replace(",", ""))

    level = {c: value("Service level", c) / 100 for c in channels}
    offered = {c: value("Contacts offered", c) for c in channels}
    return sum(level[c] * offered[c] for c in channels) / sum(offered[c] for c in channels)


@pytest.mark.parametrize("blank", ["", "nan", "NaN", "n/a"])
def test_a_blank_latest_value_is_stated_and_compared_like_for_like(pack, tmp_path, blank):
    pack.replace("kpis.csv", EMAIL_DECEMBER, f"Dec 2025,Email,Service level,{blank}")
    result = narrator.build(pack.config, tmp_path / "out", check="off")
    kpi = result.computed.kpis["service_level"]
    assert kpi["latest"].value == pytest.approx(_weighted(pack, "Dec 2025", ("Phone", "Web chat")))
    assert kpi["prior"].value == pytest.approx(_weighted(pack, "Nov 2025", ("Phone", "Web chat")))
    record = json.loads(result.outputs["record"].read_text())
    stated = [w for w in record["warnings"] if "no 2025-12 value for segment 'Email'" in w]
    assert stated, record["warnings"]
    assert "like for like" in stated[0]
    paper = result.outputs["docx"]
    from docx import Document

    text = "\n".join(p.text for p in Document(str(paper)).paragraphs)
    assert "service level has no 2025-12 value for segment 'Email'" in text


def test_a_complete_month_is_not_narrowed(pack, tmp_path):
    result = narrator.prepare(pack.config)
    assert not [w for w in result.computed.warnings if "like for like" in w]
    kpi = result.computed.kpis["service_level"]
    assert kpi["latest"].value == pytest.approx(_weighted(pack, "Dec 2025", ("Phone", "Web chat", "Email")))


@pytest.mark.parametrize(("cell", "named"), [("$5.56", "$"), ("€5.56", "€"), ("5.56 EUR", "EUR"), ("USD 5.56", "USD")])
def test_money_in_another_currency_than_the_configs_is_an_error(pack, cell, named):
    pack.replace("kpis.csv", "Dec 2025,Phone,Cost per contact,£5.56", f"Dec 2025,Phone,Cost per contact,{cell}")
    assert_user_error(run("validate", pack.config), "kpis.csv, row", f"is in {named}", "currency is GBP")


def test_a_value_amount_in_another_currency_is_an_error(pack):
    pack.replace_first("values.yaml", r"amount: \d+$", 'amount: "$612,000"')
    assert_user_error(run("validate", pack.config), "values.yaml", "is in $", "currency is GBP")


def test_the_configs_own_currency_symbol_is_accepted(pack):
    pack.replace("kpis.csv", "Dec 2025,Phone,Cost per contact,£5.56", "Dec 2025,Phone,Cost per contact,GBP 5.56")
    assert run("validate", pack.config).exit_code == 0


def _december_2099(pack) -> None:
    """A whole month dated December 2099: every row of December 2025 again, so it is complete."""
    path = pack.folder / "kpis.csv"
    lines = path.read_text(encoding="utf-8-sig").splitlines()
    path.write_text("\n".join(lines + [line.replace("Dec 2025", "Dec 2099", 1) for line in lines
                                        if line.startswith("Dec 2025,")]) + "\n", encoding="utf-8")


def test_a_period_that_has_not_begun_is_an_error_for_latest(pack):
    _december_2099(pack)
    assert_user_error(run("validate", pack.config), "2099-12, has not begun", "--period")


def test_a_period_that_has_not_begun_builds_when_named(pack, tmp_path):
    _december_2099(pack)
    result = run("build", pack.config, "-o", tmp_path / "out", "--period", "2025-12", "--no-check")
    assert result.exit_code == 0, result.stderr
