"""9. Tests that catch deliberate bugs the rest of the suite once let through: a KPI that falls off its
target since the last report, rates weighted by the right volume, percent reading, direction words.
(The failed second write, the escaping and the polish checks are caught in their own groups; the
mutation script tools/mutate.py runs them all against deliberate bugs.)"""

from __future__ import annotations

import pytest

import narrator
from narrator.catalogue import Catalogue
from narrator.compute.kpi_facts import combine_segments
from narrator.dataset import Observation
from narrator.load.parse import parse_percent
from narrator.periods import parse_period
from narrator.provenance import Source


def test_a_kpi_that_fell_off_its_target_since_the_last_report_is_reported(pack, tmp_path):
    out = tmp_path / "out"
    pack.set(period="2025-11")
    narrator.build(pack.config, out, check="off")  # November: service level on its 80% target
    pack.set(period="latest")
    for channel, level in (("Phone", "82.33%"), ("Web chat", "88.68%"), ("Email", "79.31%")):
        row = f"Dec 2025,{channel},Service level,"
        pack.replace("kpis.csv", row + level, row + "70.00%")
    story = narrator.prepare(pack.config, history=out).story
    since = next(s for s in story.sections if s.id == "since_last")
    assert "service level has gone off target" in since.title.plain()
    bullets = [b.plain() for b in since.bullets]
    off_target = "Service level is now off target: 70%, 10.0 pts below its target of 80%"
    assert any(b.startswith(off_target) for b in bullets), bullets


def _obs(kpi: str, segment: str, value: float) -> Observation:
    return Observation(
        period=parse_period("2025-12"), kpi=kpi, value=value, segment=segment, source=Source(file="t.csv")
    )


@pytest.mark.parametrize(
    ("kpi", "values", "expected", "weight"),
    [
        # service level is a share of contacts offered: 86.4%, not the 89.6% handled volumes would give
        ("service_level", (0.9, 0.5), (0.9 * 1000 + 0.5 * 100) / 1100, "contacts offered"),
        # handle time is an average over contacts handled
        ("average_handle_time", (300.0, 600.0), (300 * 900 + 600 * 10) / 910, "contacts handled"),
    ],
)
def test_rates_are_weighted_by_their_own_volume(kpi, values, expected, weight):
    observations = [
        _obs("contacts_offered", "A", 1000.0),
        _obs("contacts_handled", "A", 900.0),
        _obs(kpi, "A", values[0]),
        _obs("contacts_offered", "B", 100.0),
        _obs("contacts_handled", "B", 10.0),
        _obs(kpi, "B", values[1]),
    ]
    series = combine_segments(observations, Catalogue.build({}, "t"))[kpi]
    assert series.values[parse_period("2025-12")] == pytest.approx(expected)
    assert series.derivation == f"average of segments weighted by {weight}"


def test_combining_ten_thousand_segments_looks_each_volume_up_once():
    observations = []
    for number in range(10_000):
        observations += [_obs("contacts_offered", f"s{number}", 100.0), _obs("service_level", f"s{number}", 0.8)]
    series = combine_segments(observations, Catalogue.build({}, "t"))["service_level"]
    assert series.values[parse_period("2025-12")] == pytest.approx(0.8)


@pytest.mark.parametrize(
    ("cell", "fraction"),
    [("84.2%", 0.842), ("84.2", 0.842), ("0.842", 0.842), ("1", 1.0), ("1.5", 0.015), ("100%", 1.0), ("0.5%", 0.005)],
)
def test_percent_cells_are_read_as_the_readme_says(cell, fraction):
    assert parse_percent(cell) == pytest.approx(fraction)


@pytest.mark.parametrize(
    ("source", "direction", "favourable", "expected"),
    [
        ("{{ f | moved }}", "up", None, "rose"),
        ("{{ f | moved }}", "down", None, "fell"),
        ("{{ f | moved }}", "flat", None, "held steady"),
        ("{{ f | increased }}", "down", None, "decreased"),
        ("{{ f | above }}", "down", None, "below"),
        ("{{ f | better }}", "down", True, "improved"),
        ("{{ f | better }}", "up", False, "worsened"),
    ],
)
def test_direction_words_follow_the_fact(tmp_path, source, direction, favourable, expected):
    from narrator.compute.facts import Fact
    from narrator.tell.environment import NarrativeEnvironment
    from narrator.tell.formatting import Formatter

    (tmp_path / "t.j2").write_text(source)
    env = NarrativeEnvironment([], tmp_path, Formatter("en-GB", "GBP"))
    fact = Fact(id="kpi.x.vs_prior", label="x", value=-0.02, unit="percent", direction=direction, favourable=favourable)
    text, _ = env.render(env.select(["t.j2"]), {"f": fact})
    assert text == expected

