"""Rows finer than a month roll up to it; rates come from summed counts, never from averaged rows."""

from __future__ import annotations

import pytest

from tests.load.conftest import values


def test_daily_rows_sum_counts_and_derive_rates_from_the_sums(load_kpis):
    # Day 1: 100 offered, 10 abandoned (10%); day 2: 900 offered, 9 abandoned (1%). The month is 1.9%,
    # not the 5.5% an average of the two rows would give.
    text = (
        "Date,Calls offered,Calls handled,Calls abandoned,Abandon rate,ASA\n"
        "2025-01-02,100,90,10,10%,60\n2025-01-03,900,891,9,1%,20\n"
    )
    got = values(load_kpis("d.csv", text, layout="wide"))
    assert got[("2025-01", "contacts_offered", None)] == 1000
    assert got[("2025-01", "abandonment_rate", None)] == pytest.approx(19 / 1000)
    assert got[("2025-01", "answer_rate", None)] == pytest.approx(981 / 1000)
    # ASA weighted by the contacts each day handled
    assert got[("2025-01", "average_speed_of_answer", None)] == pytest.approx((60 * 90 + 20 * 891) / 981)


def test_segments_get_their_own_rates_and_the_centre_one_from_all_counts(load_kpis):
    text = (
        "Date,Queue,Offered,Answered,Answered within 20 seconds\n"
        "2025-01-02,Sales,100,95,80\n2025-01-02,Care,300,270,150\n2025-01-03,Sales,100,99,90\n"
    )
    got = values(load_kpis("q.csv", text, layout="wide", columns={"segment": "Queue"}))
    assert got[("2025-01", "service_level", "Sales")] == pytest.approx(170 / 200)
    assert got[("2025-01", "service_level", "Care")] == pytest.approx(150 / 300)
    assert got[("2025-01", "service_level", None)] == pytest.approx(320 / 500)


def test_rows_for_one_month_that_differ_in_an_unread_column_are_summed(load_kpis):
    """Several rows per period (one per commissioner) are parts of the month, not duplicates."""
    text = "Month,Commissioner,Calls offered\n2025-01,North,100\n2025-01,South,250\n"
    assert values(load_kpis("c.csv", text, layout="wide"))[("2025-01", "contacts_offered", None)] == 350


def test_timestamps_keep_their_offset_or_convert_to_the_configured_zone(load_kpis):
    text = "Start,Calls offered\n2026-02-28T23:30:00+00:00,5\n2026-03-02T10:00:00+00:00,7\n"
    assert values(load_kpis("t.csv", text, layout="wide"))[("2026-02", "contacts_offered", None)] == 5
    in_brussels = values(load_kpis("t.csv", text, layout="wide", timezone="Europe/Brussels"))
    assert ("2026-02", "contacts_offered", None) not in in_brussels  # 00:30 on 1 March there
    assert in_brussels[("2026-03", "contacts_offered", None)] == 12


def test_date_forms_real_exports_use(load_kpis):
    text = "date,Calls offered\n990201,3\n990315,4\n"
    assert sorted(values(load_kpis("y.csv", text, layout="wide"))) == [
        ("1999-02", "contacts_offered", None), ("1999-03", "contacts_offered", None),
    ]
    text = "Month,Calls offered\nMay-15,4\nApr-15,3\n"  # descending, Mon-yy
    assert [o.period.key() for o in load_kpis("m.csv", text, layout="wide")] == ["2015-04", "2015-05"]
    text = "Week,Calls offered\n2025-W05,10\n2025-W06,20\n"  # ISO weeks count in their Thursday's month
    got = values(load_kpis("w.csv", text, layout="wide"))
    assert got[("2025-01", "contacts_offered", None)] == 10
    assert got[("2025-02", "contacts_offered", None)] == 20


def test_quarterly_grain_rolls_months_up(load_kpis):
    text = "Month,Calls offered\n2025-01,1\n2025-02,2\n2025-03,3\n2025-04,4\n"
    got = values(load_kpis("q.csv", text, layout="wide", grain="quarter"))
    assert got == {("2025-Q1", "contacts_offered", None): 6, ("2025-Q2", "contacts_offered", None): 4}


def test_several_thresholds_need_the_config_to_choose(load_kpis, problems_of):
    text = "Date,Offered,Answered in 20 seconds,Answered in 60 seconds\n2025-01-02,10,5,8\n"
    assert problems_of(load_kpis, "s.csv", text, layout="wide") == [
        "s.csv: columns give service-level counts or rates at 20, 60 seconds; set inputs.kpis.threshold_seconds "
        "to the threshold your service level uses"
    ]
    got = values(load_kpis("s.csv", text, layout="wide", threshold_seconds=60))
    assert got[("2025-01", "service_level", None)] == pytest.approx(0.8)
