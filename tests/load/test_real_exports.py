"""Every real export in ../shared/data/exports that carries contact-centre KPIs builds a pack from the
configs in samples/exports/, and the pack's figures match the control totals of that folder's README."""

from __future__ import annotations

from pathlib import Path

import pytest

from narrator.pipeline import prepare

REPO = Path(__file__).resolve().parents[2]
CONFIGS = REPO / "samples" / "exports"
EXPORTS = REPO.parent / "shared" / "data" / "exports"

pytestmark = pytest.mark.skipif(not EXPORTS.exists(), reason="the shared exports are not on this machine")


def monthly(prepared, kpi_id: str) -> dict[str, float]:
    """The whole-centre value of a KPI in every month of the data, as the pack's facts read it."""
    return {
        o.period.key(): o.value for o in prepared.dataset.observations if o.kpi == kpi_id and o.segment is None
    }


def latest(prepared, kpi_id: str) -> float:
    return prepared.computed.book.get(f"kpi.{kpi_id}.latest").value


def test_amazon_connect_builds_with_the_preset_alone_and_matches_the_control_totals():
    prepared = prepare(CONFIGS / "amazon-connect.yaml")
    assert prepared.computed.frame.current.key() == "2026-02"
    assert latest(prepared, "contacts_offered") == 21_512  # Contacts queued
    assert latest(prepared, "contacts_handled") == 20_938  # Contacts handled incoming
    assert latest(prepared, "contacts_abandoned") == 457
    assert latest(prepared, "answered_within_threshold") == 20_473  # answered within 60 s
    # rates from the summed counts, never from the rows' own percentages
    assert latest(prepared, "service_level") == pytest.approx(20_473 / 21_512)
    assert latest(prepared, "abandonment_rate") == pytest.approx(457 / 21_512)
    assert latest(prepared, "answer_rate") == pytest.approx(20_938 / 21_512)
    assert any("within 60 seconds / contacts offered" in note for note in prepared.dataset.method_notes)
    # how a rate was derived is a method note for the pack, not a warning on every build
    assert not any("summed counts" in warning for warning in prepared.computed.warnings)
    # the pack itself states the service-level variant, in its data sources
    notes = [f.value for f in prepared.computed.book if f.id.startswith("source.kpis_note_")]
    variant = "Service level is computed from the summed counts as contacts answered within 60 seconds"
    assert any(n.startswith(variant) for n in notes)


def test_city_311_daily_workbook_in_descending_text_dates():
    prepared = prepare(CONFIGS / "city-311.yaml")
    assert prepared.computed.frame.current.key() == "2023-12"
    assert sorted(monthly(prepared, "contacts_offered")) == [f"2023-{m:02d}" for m in range(1, 13)]
    assert sum(monthly(prepared, "contacts_offered").values()) == 400_896
    assert sum(monthly(prepared, "contacts_handled").values()) == 377_605
    assert sum(monthly(prepared, "contacts_abandoned").values()) == 19_661
    december = {k: monthly(prepared, k)["2023-12"] for k in ("contacts_abandoned", "contacts_offered")}
    assert latest(prepared, "abandonment_rate") == pytest.approx(
        december["contacts_abandoned"] / december["contacts_offered"]
    )
    assert ("BI_ID", "not used") in prepared.dataset.columns


def test_kaggle_daily_file_numbered_by_day():
    prepared = prepare(CONFIGS / "kaggle-daily.yaml")
    assert sum(monthly(prepared, "contacts_offered").values()) == 248_373
    assert sum(monthly(prepared, "contacts_handled").values()) == 221_234
    assert sum(monthly(prepared, "contacts_abandoned").values()) == 27_139
    # 1,251 days from 2021-01-01 end on 4 June 2024: June is partial, so May is the latest month
    assert prepared.computed.frame.current.key() == "2024-05"
    assert any("2024-06 is a partial period" in note for note in prepared.dataset.notes)


def test_anonymous_bank_call_log_with_yymmdd_dates():
    prepared = prepare(CONFIGS / "anonymous-bank.yaml")
    assert prepared.computed.frame.current.key() == "1999-02"
    assert latest(prepared, "contacts_offered") == 33_344
    assert latest(prepared, "contacts_handled") == 27_162  # outcome AGENT
    assert latest(prepared, "contacts_abandoned") == 5_904 + 278  # HANG and PHANTOM
    assert latest(prepared, "abandonment_rate") == pytest.approx(6_182 / 33_344)


def test_bank_5_minute_volumes_roll_up_and_the_cut_off_month_is_not_latest():
    prepared = prepare(CONFIGS / "bank-calls-5min.yaml")
    handled = monthly(prepared, "contacts_handled")
    assert sorted(handled) == [f"2003-{m:02d}" for m in range(3, 11)]
    assert sum(handled.values()) == 5_323_661
    assert prepared.computed.frame.current.key() == "2003-09"
    assert prepare(CONFIGS / "bank-calls-5min.yaml", period="2003-10").computed.frame.current.key() == "2003-10"


def test_comcast_ticket_log_counts_complaints_per_month_and_channel():
    prepared = prepare(CONFIGS / "comcast-complaints.yaml")
    complaints = monthly(prepared, "complaints")
    assert sum(complaints.values()) == 2_224
    assert complaints["2015-06"] == 1_046
    by_channel = {}
    for o in prepared.dataset.observations:
        if o.segment is not None:
            by_channel[o.segment] = by_channel.get(o.segment, 0) + o.value
    assert by_channel == {"Customer Care Call": 1_119, "Internet": 1_105}
    # most months hold tickets from three days only; June, whole, is the latest complete month
    assert prepared.computed.frame.current.key() == "2015-06"
    assert latest(prepared, "complaints") == 1_046


@pytest.mark.parametrize("config", sorted(p.name for p in CONFIGS.glob("*.yaml")))
def test_every_export_config_builds_a_pack_through_the_gate(config, tmp_path):
    from narrator.pipeline import build

    result = build(CONFIGS / config, tmp_path, check="fast")
    assert {"docx", "pptx", "record"} <= set(result.outputs)
