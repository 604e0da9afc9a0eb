"""KPI facts: whole-centre values from segments, comparisons, and what is worth saying."""

import pytest

from narrator.catalogue import Catalogue
from narrator.compute import compute_facts, resolve_period
from narrator.config import ReportConfig
from narrator.dataset import Dataset, Observation
from narrator.errors import InputError
from narrator.periods import Period
from narrator.provenance import Source


def obs(period, kpi, value, segment=None, target=None, row=2):
    return Observation(
        period=Period("M", *period),
        kpi=kpi,
        value=value,
        segment=segment,
        target=target,
        source=Source(file="kpis.csv", row=row, column="value"),
    )


def config(**kw):
    return ReportConfig.model_validate({"organisation": "Acme", "inputs": {"kpis": {"path": "k.csv"}}, **kw})


def dataset(observations):
    return Dataset(
        observations=tuple(observations), catalogue=Catalogue.build({}), input_files={"kpis": "k.csv"}
    )


def test_rates_combine_weighted_by_volume_not_averaged():
    data = dataset(
        [
            obs((2025, 1), "contacts_offered", 9000, "Phone"),
            obs((2025, 1), "contacts_offered", 1000, "Chat"),
            obs((2025, 1), "service_level", 0.70, "Phone"),
            obs((2025, 1), "service_level", 0.90, "Chat"),
        ]
    )
    computed = compute_facts(data, config())
    latest = computed.book.get("kpi.service_level.latest")
    assert latest.value == pytest.approx(0.72)  # a naive mean would say 0.80
    assert "weighted by contacts offered" in latest.derivation
    assert computed.book.get("kpi.contacts_offered.latest").value == 10000


def test_comparisons_know_which_way_is_good():
    data = dataset(
        [
            obs((2024, 12), "abandonment_rate", 0.08, target=0.05),
            obs((2025, 11), "abandonment_rate", 0.06, target=0.05),
            obs((2025, 12), "abandonment_rate", 0.045, target=0.05),
        ]
    )
    facts = compute_facts(data, config()).kpis["abandonment_rate"]
    assert facts["vs_prior"].value == pytest.approx(-0.015)
    assert facts["vs_prior"].unit == "pp"
    assert (facts["vs_prior"].direction, facts["vs_prior"].favourable) == ("down", True)
    assert facts["vs_year_ago"].value == pytest.approx(-0.035)
    assert facts["vs_target"].favourable is True  # below a "down is good" target
    assert facts["vs_prior_notable"] is True


def test_small_moves_are_not_notable_under_the_threshold():
    data = dataset([obs((2025, 11), "service_level", 0.800), obs((2025, 12), "service_level", 0.805)])
    assert compute_facts(data, config()).kpis["service_level"]["vs_prior_notable"] is False
    lowered = config(thresholds={"points": 0.004})
    assert compute_facts(data, lowered).kpis["service_level"]["vs_prior_notable"] is True


def test_no_prior_period_gives_no_comparison_rather_than_a_guess():
    facts = compute_facts(dataset([obs((2025, 12), "csat", 0.84)]), config()).kpis["csat"]
    assert facts["prior"] is None
    assert facts["vs_prior"] is None
    assert facts["vs_prior_notable"] is False


def test_latest_period_and_a_named_one():
    data = dataset([obs((2025, 11), "csat", 0.84), obs((2025, 12), "csat", 0.85)])
    assert resolve_period("latest", data) == Period("M", 2025, 12)
    assert resolve_period("Nov 2025", data) == Period("M", 2025, 11)
    with pytest.raises(InputError, match="the data has no values for 2026-01; it covers 2025-11 to 2025-12"):
        resolve_period("2026-01", data)


def test_facts_keep_their_sources():
    data = dataset([obs((2025, 12), "csat", 0.84, row=14)])
    latest = compute_facts(data, config()).book.get("kpi.csat.latest")
    assert [s.describe() for s in latest.sources] == ['kpis.csv, row 14, column "value"']
