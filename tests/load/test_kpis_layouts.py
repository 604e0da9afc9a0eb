"""The tidy and wide KPI layouts: column mapping, aliases, units, targets, segments and sources."""

from __future__ import annotations

import datetime as dt
import json

import openpyxl
import pandas as pd
import pytest

from narrator.catalogue import Catalogue
from narrator.config import CustomKpi, KpiInput
from narrator.load import load_observations
from narrator.periods import Period
from narrator.provenance import Source


def by_key(observations):
    return {(o.period.key(), o.kpi, o.segment): o for o in observations}


def test_tidy_csv_with_aliases_units_and_sources(load_kpis):
    text = (
        "Period,KPI,Value,Target,Benchmark\n"
        "2025-01,SL,84.2%,80%,\n"
        "2025-01,AHT,0:05:12,,\n"
        "Feb 2025,Service Level,86.5,80,75\n"
        "2025-02,cost per contact,£4.20,,\n"
        "2025-02,FCR,n/a,70%,\n"
    )
    obs = by_key(load_kpis("kpis.csv", text))
    sl = obs[("2025-01", "service_level", None)]
    assert (sl.value, sl.target, sl.benchmark) == (pytest.approx(0.842), pytest.approx(0.8), None)
    assert sl.source == Source(file="kpis.csv", row=2, column="Value")
    assert obs[("2025-01", "average_handle_time", None)].value == 312.0
    feb = obs[("2025-02", "service_level", None)]
    assert (feb.value, feb.target, feb.benchmark) == (
        pytest.approx(0.865),
        pytest.approx(0.8),
        pytest.approx(0.75),
    )
    assert obs[("2025-02", "cost_per_contact", None)].value == pytest.approx(4.2)
    # a blank value with a target is kept as a gap with its target
    fcr = obs[("2025-02", "first_contact_resolution", None)]
    assert fcr.value is None
    assert fcr.target == pytest.approx(0.7)


def test_tidy_column_mapping_and_segments(load_kpis):
    text = "Month;Metric name;Result;Channel\n2025-03;ASA;45;Phone\n2025-03;ASA;30;Total\n"
    observations = load_kpis(
        "kpis.csv",
        text,
        columns={"period": "Month", "kpi": "Metric name", "value": "Result", "segment": "Channel"},
    )
    obs = by_key(observations)
    assert obs[("2025-03", "average_speed_of_answer", "Phone")].value == 45
    # "Total" in the segment column is the whole centre
    assert obs[("2025-03", "average_speed_of_answer", None)].value == 30


def test_tidy_rows_with_nothing_are_gaps_not_observations(load_kpis):
    observations = load_kpis("kpis.csv", "period,kpi,value\n2025-01,SL,\n2025-02,SL,80%\n")
    assert [o.period for o in observations] == [Period("M", 2025, 2)]


def test_custom_kpi_declared_in_config_is_read(tmp_path):
    catalogue = Catalogue.build(
        {"digital_share": CustomKpi(unit="percent", direction="up", aliases=["Web share %"])}
    )
    (tmp_path / "kpis.csv").write_text("period,kpi,value\n2025-Q1,Web share %,23.5\n")
    [obs] = load_observations(KpiInput(path="kpis.csv"), tmp_path / "kpis.csv", catalogue)
    assert (obs.kpi, obs.period, obs.value) == ("digital_share", Period("Q", 2025, 1), pytest.approx(0.235))


def test_config_targets_and_benchmarks_fill_gaps_but_data_wins(load_kpis):
    text = "period,kpi,value,target\n2025-01,SL,82%,85%\n2025-02,SL,83%,\n2025-02,ASA,40,\n"
    obs = by_key(
        load_kpis(
            "kpis.csv", text, targets={"service_level": 0.8, "ASA": 30}, benchmarks={"service_level": 80}
        )
    )
    assert obs[("2025-01", "service_level", None)].target == pytest.approx(0.85)
    assert obs[("2025-02", "service_level", None)].target == pytest.approx(0.8)
    assert obs[("2025-02", "service_level", None)].benchmark == pytest.approx(
        0.8
    )  # 80 read as percent points
    assert obs[("2025-02", "average_speed_of_answer", None)].target == 30


def test_wide_csv_with_target_columns_and_mapping(load_kpis):
    text = (
        "Month,Segment,SL %,SL target,AHT,Calls offered,Digital\n"
        '2025-01,Retail,84.2%,80%,0:05:12,"12,400",22%\n'
        '2025-01,Business,90%,80%,,"1,100",\n'
    )
    observations = load_kpis("kpis.csv", text, layout="wide", columns={"digital_adoption": "Digital"})
    obs = by_key(observations)
    retail = obs[("2025-01", "service_level", "Retail")]
    assert (retail.value, retail.target) == (pytest.approx(0.842), pytest.approx(0.8))
    assert retail.source == Source(file="kpis.csv", row=2, column="SL %")
    assert obs[("2025-01", "average_handle_time", "Retail")].value == 312
    assert obs[("2025-01", "contacts_offered", "Business")].value == 1100
    assert obs[("2025-01", "digital_adoption", "Retail")].value == pytest.approx(0.22)
    # blank cells in the grid are gaps
    assert ("2025-01", "average_handle_time", "Business") not in obs
    assert ("2025-01", "digital_adoption", "Business") not in obs
    assert len(observations) == 6


def test_wide_xlsx_with_dates_and_time_cells(tmp_path, catalogue):
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["Period", "Service level", "AHT", "CSAT %"])
    sheet.append([dt.datetime(2025, 1, 31), 0.842, dt.time(0, 5, 12), 0.91])
    sheet.append([dt.datetime(2025, 2, 28), 0.85, dt.time(0, 5, 2), 0.9])
    book.save(tmp_path / "kpis.xlsx")
    observations = load_observations(
        KpiInput(path="kpis.xlsx", layout="wide"), tmp_path / "kpis.xlsx", catalogue
    )
    obs = by_key(observations)
    assert obs[("2025-02", "average_handle_time", None)].value == 302
    assert obs[("2025-01", "service_level", None)].value == pytest.approx(0.842)
    assert obs[("2025-01", "csat", None)].source == Source(file="kpis.xlsx", row=2, column="CSAT %")


def test_tidy_json_and_parquet(tmp_path, catalogue):
    records = [
        {"period": "2025-01", "kpi": "SL", "value": "84%"},
        {"period": "2025-02", "kpi": "SL", "value": 0.86},
    ]
    (tmp_path / "kpis.json").write_text(json.dumps({"rows": records}))
    pd.DataFrame(records).astype({"value": str}).to_parquet(tmp_path / "kpis.parquet")
    for name in ("kpis.json", "kpis.parquet"):
        observations = load_observations(KpiInput(path=name), tmp_path / name, catalogue)
        assert [o.value for o in observations] == [pytest.approx(0.84), pytest.approx(0.86)]
        assert observations[1].source == Source(file=name, column="value", key="record 2")
