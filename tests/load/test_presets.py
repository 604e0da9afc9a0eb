"""Presets map a platform's real export headers, units and grain, so a user maps nothing."""

from __future__ import annotations

import pytest

from narrator.errors import ConfigError
from tests.load.conftest import values


def test_genesys_cloud_durations_in_milliseconds_and_rates_in_points(load_kpis):
    # Queue performance display names (PLATFORMS.md section 2); durations are ms unless formatted.
    text = (
        "Interval Start,Interval End,Interval Complete,Filters,Media Type,Offered,Answered,Abandoned,"
        "Service Level %,ASA,Avg Handle\n"
        "2025-07-26 00:00:00,2025-07-26 00:30:00,1,Queue: Care,voice,40,36,4,80,15000,300000\n"
        "2025-07-26 00:30:00,2025-07-26 01:00:00,1,Queue: Care,voice,60,58,2,95,9000,240000\n"
    )
    got = values(load_kpis("g.csv", text, preset="genesys-cloud"))
    assert got[("2025-07", "contacts_offered", None)] == 100
    assert got[("2025-07", "abandonment_rate", None)] == pytest.approx(6 / 100)
    assert got[("2025-07", "average_speed_of_answer", None)] == pytest.approx((15 * 36 + 9 * 58) / 94)
    assert got[("2025-07", "average_handle_time", None)] == pytest.approx((300 * 36 + 240 * 58) / 94)
    # no answered-within counts: the rows' service level is weighted by what each row offered
    assert got[("2025-07", "service_level", None)] == pytest.approx((0.80 * 40 + 0.95 * 60) / 100)


def test_cisco_uccx_csq_activity_as_open_data_portals_rewrite_it(load_kpis):
    text = (
        "Interval Start Time,CSQ Name,CallsPresented,Avg_Queue_Time__seconds_,CallsHandled,"
        "Avg_Speedof_Answer__seconds_,Avg_Handle_Time,CallsAbandoned,Max_Queue_Time\n"
        "2020-11-02,Water,120,35,110,30,0:04:10,10,300\n2020-11-03,Water,80,25,78,20,0:03:50,2,200\n"
    )
    got = values(load_kpis("u.csv", text, preset="cisco-uccx", columns={"segment": "CSQ Name"}))
    assert got[("2020-11", "contacts_offered", "Water")] == 200
    assert got[("2020-11", "abandonment_rate", "Water")] == pytest.approx(12 / 200)
    assert got[("2020-11", "abandonment_rate", None)] == pytest.approx(12 / 200)
    assert got[("2020-11", "average_handle_time", "Water")] == pytest.approx((250 * 110 + 230 * 78) / 188)


def test_nice_cxone_call_detail_counts_contacts_with_us_dates(load_kpis):
    text = (
        "Contact_ID,Skill_Name,Start_Date,Start_Time,Abandon\n"
        "1,Billing,03/04/2025,09:00:00,N\n2,Billing,03/05/2025,09:01:00,Y\n3,Billing,04/01/2025,10:00:00,N\n"
    )
    got = values(load_kpis("n.csv", text, preset="nice-cxone"))
    assert got[("2025-03", "contacts_offered", None)] == 2  # 4 and 5 March, not 3 April and 3 May
    assert got[("2025-03", "contacts_handled", None)] == 1
    assert got[("2025-04", "contacts_handled", None)] == 1


def test_an_unknown_preset_names_the_ones_there_are(load_kpis):
    with pytest.raises(ConfigError) as caught:
        load_kpis("x.csv", "a,b\n1,2\n", preset="avaya")
    assert caught.value.problems == [
        'config.yaml: inputs.kpis.preset: unknown preset "avaya"; use one of amazon-connect, cisco-uccx, '
        "genesys-cloud, nice-cxone"
    ]
