"""The calls layout: call-level exports aggregated into monthly KPIs, checked on the real PwC export."""

from __future__ import annotations

from pathlib import Path

import pytest

from narrator.config import KpiInput
from narrator.load import load_observations
from narrator.provenance import Source

PWC = Path("/work/shared/data/pwc-call-centre-2021q1.xlsx")


def by_key(observations):
    return {(o.period.key(), o.kpi, o.segment): o.value for o in observations}


@pytest.mark.skipif(not PWC.exists(), reason="the shared PwC export is not on this machine")
def test_pwc_export_loads_with_no_mapping_and_matches_the_quarter_figures(catalogue):
    observations = load_observations(KpiInput(path=PWC.name, layout="calls"), PWC, catalogue)
    totals = [o for o in observations if o.segment is None]
    months = sorted({o.period.key() for o in totals})
    assert months == ["2021-01", "2021-02", "2021-03"]
    v = by_key(totals)
    offered = {m: v[(m, "contacts_offered", None)] for m in months}
    handled = {m: v[(m, "contacts_handled", None)] for m in months}
    assert sum(offered.values()) == 5000
    assert sum(handled.values()) == 5000 - 946

    def over_offered(kpi):  # rates over offered calls combine weighted by offered
        return sum(v[(m, kpi, None)] * offered[m] for m in months) / sum(offered.values())

    def over_handled(kpi):  # measures of answered calls combine weighted by answered
        return sum(v[(m, kpi, None)] * handled[m] for m in months) / sum(handled.values())

    assert over_offered("answer_rate") == pytest.approx(0.811, abs=0.0005)
    assert over_offered("abandonment_rate") == pytest.approx(0.189, abs=0.0005)
    assert over_handled("first_contact_resolution") == pytest.approx(0.899, abs=0.0005)
    assert over_handled("average_speed_of_answer") == pytest.approx(67.5, abs=0.05)
    assert over_handled("average_talk_time") == pytest.approx(225, abs=0.5)
    assert over_handled("csat_score") == pytest.approx(3.40, abs=0.005)
    assert totals[0].source == Source(file=PWC.name, column="Date (calls in the month)")


@pytest.mark.skipif(not PWC.exists(), reason="the shared PwC export is not on this machine")
def test_pwc_export_by_topic_adds_up_to_the_centre(catalogue):
    kpi_input = KpiInput(path=PWC.name, layout="calls", columns={"segment": "Topic"})
    v = by_key(load_observations(kpi_input, PWC, catalogue))
    topics = {seg for (_, _, seg) in v if seg is not None}
    assert topics == {
        "Admin Support",
        "Contract related",
        "Payment related",
        "Streaming",
        "Technical Support",
    }
    for month in ("2021-01", "2021-02", "2021-03"):
        assert sum(v[(month, "contacts_offered", t)] for t in topics) == v[(month, "contacts_offered", None)]


def test_calls_csv_with_mapping_day_fractions_and_clock_strings(load_kpis):
    text = (
        "Call date,Picked up,FCR flag,Wait,Talk,Score,Queue\n"
        "2025-01-03,Y,Y,20,0.00155,5,Sales\n"
        "2025-01-04,Y,N,40,0:03:00,3,Sales\n"
        "2025-01-09,N,,,,,Service\n"
        "2025-02-01,yes,yes,10,0:02:00,4,Service\n"
    )
    columns = {
        "date": "Call date",
        "answered": "Picked up",
        "resolved": "FCR flag",
        "speed_of_answer": "Wait",
        "talk_time": "Talk",
        "satisfaction": "Score",
        "segment": "Queue",
    }
    v = by_key(load_kpis("calls.csv", text, layout="calls", columns=columns))
    assert v[("2025-01", "contacts_offered", None)] == 3
    assert v[("2025-01", "contacts_handled", None)] == 2
    assert v[("2025-01", "answer_rate", None)] == pytest.approx(2 / 3)
    assert v[("2025-01", "abandonment_rate", None)] == pytest.approx(1 / 3)
    assert v[("2025-01", "first_contact_resolution", None)] == pytest.approx(0.5)
    assert v[("2025-01", "average_speed_of_answer", None)] == pytest.approx(30)
    assert v[("2025-01", "average_talk_time", None)] == pytest.approx((133.92 + 180) / 2)
    assert v[("2025-01", "csat_score", None)] == pytest.approx(4)
    assert v[("2025-01", "answer_rate", "Service")] == 0
    # a segment with no answered calls has no speed, talk time, resolution or rating to report
    assert ("2025-01", "average_speed_of_answer", "Service") not in v
    assert v[("2025-02", "average_talk_time", "Service")] == 120


def test_calls_problems_name_row_and_column(load_kpis, problems_of):
    text = (
        "Date,Answered (Y/N),Resolved,Speed of answer in seconds,AvgTalkDuration,Satisfaction rating\n"
        "2021-01-01,Y,Y,ten,0.001,3\n"
        "2021-01-02,,N,,,\n"
        "2021,Y,Y,5,0.001,3\n"
        "2021-01-03,maybe,N,-4,,\n"
    )
    assert problems_of(load_kpis, "calls.csv", text, layout="calls") == [
        'calls.csv, row 2, column "Speed of answer in seconds": expected a duration such as 0:02:14, 2:14 '
        'or 134 (seconds), got "ten"; fix or blank the cell',
        'calls.csv, row 3, column "Answered (Y/N)": the cell is blank; every call needs Y or N; fill it in',
        'calls.csv, row 4, column "Date": expected the date of the call, got "2021"; fix or blank the cell',
        'calls.csv, row 5, column "Answered (Y/N)": expected Y or N, got "maybe"; fix or blank the cell',
        'calls.csv, row 5, column "Speed of answer in seconds": expected a duration of 0 or more, got "-4"; '
        "fix or blank the cell",
    ]


def test_calls_missing_required_column_names_the_columns_there(load_kpis, problems_of):
    assert problems_of(load_kpis, "calls.csv", "When,Agent\n2025-01-01,Ann\n", layout="calls") == [
        'calls.csv: no "date" column; the columns are "When", "Agent"; rename one to "date" or map it in '
        'inputs.kpis.columns (date: "<header>")',
        'calls.csv: no "answered" column; the columns are "When", "Agent"; rename one to "answered" '
        'or map it in inputs.kpis.columns (answered: "<header>", or abandoned: "<header>" for an abandon flag)',
    ]
