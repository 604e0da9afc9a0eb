"""Scenario suite: generated datasets, each with the story a board should hear.

Each test states what its data says, builds the story as a new user would (a CSV and a report.yaml),
and asserts the headline and the action titles, worded the right way round; every pack passes the
claim check, so no sentence claims what its facts do not support.
"""

from __future__ import annotations

import re

from narrator.pipeline import prepare
from narrator.tell.claims import check_claims
from tests.scenarios.conftest import Pack, ramp


def told(config):
    prepared = prepare(config)
    problems = [str(p) for p in check_claims(prepared.story, prepared.computed)]
    assert problems == [], problems
    return prepared.story


def titles(story) -> dict[str, str]:
    return {s.id: s.title.plain() for s in story.sections}


def all_text(story) -> str:
    return "\n".join(seg.plain() for seg in story.segments())


def no_zero_changes(text: str) -> None:
    assert not re.search(r"[−-]0\.0\b|\b0\.0 pts|\b0% on|\bby 0%", text), "a change that rounds to nothing"


SERVICE = {"service_level": 0.8, "average_speed_of_answer": 20, "abandonment_rate": 0.05}


def test_demand_surge_with_service_slide(make_pack):
    # Demand more than doubles over the year while service level slides from 97.5% to 83.4%; no targets,
    # no value data, no ask: the board must hear the surge and the slide first, nothing about value.
    config = make_pack(Pack(kpis={
        "contacts_offered": [round(v) for v in ramp(20_000, 45_000)],
        "service_level": ramp(0.975, 0.834),
        "average_speed_of_answer": ramp(12, 48),
    }, headline=["service_level"]))
    story = told(config)
    head = titles(story)["summary"]
    assert head.startswith("Demand rose by 125% on a year earlier to 45,000 contacts while service level fell from "
                           "97.5% to 83.4%"), head
    text = all_text(story)
    assert not re.search(r"\bvalue (delivered|to|a year|customer)|of value|measurable value", text.lower())
    assert "target" not in text.lower()
    assert "invest" not in text.lower()
    assert "demand" in titles(story)["demand"].lower()
    assert titles(story)["demand"] != head
    # The situation slide carries its evidence: it was a chart and a title, nothing a board could quote.
    situation = next(s for s in story.sections if s.id == "situation")
    assert [b.plain() for b in situation.bullets] == ["Service level down 1.2 pts on November 2025.",
                                                      "Service level down 14.1 pts on a year earlier."]
    assert [p.plain() for p in situation.body] == [
        "Service level is down 1.2 pts on November 2025 and down 14.1 pts on a year earlier."]
    # Next steps say what to do in a sentence that parses ("Address demand rose by 125% ..." did not).
    next_steps = next(s for s in story.sections if s.id == "next_steps")
    assert next_steps.bullets[0].plain() == ("Match capacity to demand: contacts up 125% on a year earlier while "
                                             "service level fell to 83.4%.")


def test_steady_improvement(make_pack):
    config = make_pack(Pack(kpis={
        "contacts_offered": [50_000] * 13,
        "service_level": ramp(0.74, 0.86),
        "first_contact_resolution": ramp(0.66, 0.74),
        "csat": ramp(0.78, 0.86),
    }, targets={"service_level": 0.8}))
    story = told(config)
    summary = next(s for s in story.sections if s.id == "summary")
    assert titles(story)["summary"].startswith("Service level rose by 12.0 pts on a year earlier to 86%")
    assert not any("fell" in t or "worse" in t for t in titles(story).values())
    assert not any(b.plain().startswith("Watch") for b in summary.bullets)
    assert "6.0 pts above its target of 80%" in titles(story)["situation"]


def test_mixed_month(make_pack):
    # Service level jumps this month while first-contact resolution drops: both said, each the right way.
    sl = [0.80] * 12 + [0.85]
    fcr = [0.72] * 12 + [0.68]
    config = make_pack(Pack(kpis={"contacts_offered": [40_000] * 13, "service_level": sl,
                                  "first_contact_resolution": fcr}))
    story = told(config)
    situation = next(s for s in story.sections if s.id == "situation")
    assert situation.lead.plain() == ("Since November 2025, service level improved but first-contact resolution "
                                      "worsened.")
    text = all_text(story).lower()
    assert "first-contact resolution fell by 4.0 pts" in text
    assert "service level rose by 5.0 pts" in text


def test_no_targets_says_nothing_about_targets(make_pack):
    config = make_pack(Pack(kpis={"contacts_offered": [30_000] * 13, "service_level": ramp(0.7, 0.78)}))
    text = all_text(told(config)).lower()
    assert "target" not in text
    assert "every kpi with a target" not in text


def test_no_value_data_has_no_value_slides(make_pack):
    config = make_pack(Pack(kpis={"contacts_offered": [30_000] * 13, "service_level": ramp(0.7, 0.78)},
                            targets={"service_level": 0.8}))
    story = told(config)
    assert {"problem", "outcome", "ask"}.isdisjoint(titles(story))
    assert "measurable value" not in all_text(story)


def test_no_investment_ask_makes_no_claim_about_one(make_pack):
    config = make_pack(Pack(
        kpis={"contacts_offered": [30_000] * 13, "first_contact_resolution": ramp(0.70, 0.66)},
        targets={"first_contact_resolution": 0.75},
        values=[{"id": "repeats", "label": "Repeat calls avoided", "category": "cost_avoided", "amount": 120000,
                 "realised": False, "drivers": ["first_contact_resolution"], "period": "year"}],
    ))
    story = told(config)
    text = all_text(story).lower()
    assert "investment" not in text
    assert "the ask" not in text
    assert "lost revenue" not in text
    # All of it is cost avoidance: the title says that, not "cash saving and cost avoidance".
    assert titles(story)["problem"] == "Doing nothing leaves £120k a year of cost avoidance on the table"
    assert "cash saving and cost avoidance" not in text


def test_one_channel_failing_under_a_passing_blend(make_pack):
    # Phone (60% of contacts) misses its 80% target at 75%; chat's 95% lifts the blend to 81%.
    config = make_pack(Pack(
        kpis={"contacts_offered": {"Phone": [60_000] * 13, "Chat": [40_000] * 13},
              "service_level": {"Phone": [0.75] * 13, "Chat": [0.95] * 13}},
        targets={"service_level": {"Phone": 0.8, "Chat": 0.8}},
    ))
    story = told(config)
    situation = next(s for s in story.sections if s.id == "situation")
    said = [b.plain() for b in situation.bullets] + [titles(story)["summary"] + "."]
    assert ("Service level meets its target across the centre at 83%, but Phone, with 60% of contacts, is at 75%, "
            "5.0 pts below its own target of 80%.") in said, said


def test_lower_is_better_kpis_over_target(make_pack):
    # ASA 36 s against a 20 s target, abandonment 8% against 5%: over, never "short of".
    config = make_pack(Pack(
        kpis={"contacts_offered": [30_000] * 13, "average_speed_of_answer": [36] * 13,
              "abandonment_rate": [0.08] * 13},
        targets={"average_speed_of_answer": 20, "abandonment_rate": 0.05},
        headline=["average_speed_of_answer", "abandonment_rate"],
    ))
    story = told(config)
    text = all_text(story)
    assert "16 seconds over its target of 20 seconds" in text
    assert "3.0 pts over its target of 5%" in text
    assert "short of" not in text
    assert "below its target" not in text


def test_single_value_lever(make_pack):
    config = make_pack(Pack(
        kpis={"contacts_offered": [30_000] * 13, "first_contact_resolution": ramp(0.66, 0.71)},
        values=[{"id": "fcr", "label": "Repeat calls avoided through better resolution", "category": "cost_avoided",
                 "amount": 348000, "realised": True, "drivers": ["first_contact_resolution"], "period": "year",
                 "formula": "120,000 repeat calls avoided x £2.90 per call"}],
    ))
    story = told(config)
    assert titles(story)["outcome"] == ("The centre delivered £348k of value a year, from repeat calls avoided "
                                        "through better resolution")
    situation = next(s for s in story.sections if s.id == "situation")
    # The KPI slide names the value its lead KPI drives, and does not call it the worth of the movement.
    assert situation.bullets[0].plain() == ("Value delivered linked to first-contact resolution: £348k a year "
                                            "(repeat calls avoided through better resolution).")


def test_flat_kpi_is_unchanged_never_zero(make_pack):
    config = make_pack(Pack(kpis={"contacts_offered": [30_000] * 13, "service_level": [0.82] * 13},
                            targets={"service_level": 0.8}))
    story = told(config)
    text = all_text(story)
    no_zero_changes(text)
    assert "service level was unchanged on a year earlier at 82%" in text.lower()
    assert "unchanged on a year earlier" in text


def test_twelve_months_only_tells_the_trend(make_pack):
    config = make_pack(Pack(kpis={"contacts_offered": [30_000] * 12, "service_level": ramp(0.72, 0.84, 12)},
                            months=12, start=(2025, 1)))
    story = told(config)
    text = all_text(story)
    assert "a year earlier" not in text
    assert titles(story)["summary"] == "Service level rose from 72% in January 2025 to 84%"


def test_turning_point_mid_year(make_pack):
    up = ramp(0.70, 0.86, 7)
    down = ramp(0.86, 0.76, 7)[1:]
    config = make_pack(Pack(kpis={"contacts_offered": [30_000] * 13, "service_level": up + down}, months=13))
    story = told(config)
    head = titles(story)["summary"]
    assert head == "Service level rose from 72.7% in January 2025 to 86% in June 2025, then fell to 76%", head


def test_caveats_state_survey_samples_and_gaps(make_pack):
    # CSAT on 150 responses is a small sample; a month missing from service level is a gap in the data.
    sl = ramp(0.74, 0.84)
    sl[5] = ""
    config = make_pack(Pack(kpis={"contacts_offered": [30_000] * 13, "service_level": sl,
                                  "csat": ramp(0.78, 0.84), "survey_responses": [150] * 13},
                            headline=["service_level", "csat"]))
    text = (config.parent / "report.yaml").read_text() + "kpis:\n  survey_responses: {unit: count, direction: up}\n"
    (config.parent / "report.yaml").write_text(text)
    story = told(config)
    caveats = next(s for s in story.sections if s.id == "caveats")
    said = [b.plain() for b in caveats.bullets]
    assert ("Customer satisfaction rests on 150 survey responses in December 2025, a small sample, so a movement of "
            "under 5.9 pts may be sampling noise.") in said, said
    assert any(s.startswith("Service level has no data for 1 period of the trend window") for s in said), said


def test_a_first_month_of_data_states_levels_and_leaves_out_comparisons(make_pack):
    # One month only, as a new user's first export: nothing to compare with, so no situation slide and no
    # word of change; the summary states the levels.
    config = make_pack(Pack(kpis={"contacts_offered": [21_512], "service_level": [0.952]}, months=1,
                            start=(2026, 2)))
    story = told(config)
    assert "situation" not in titles(story)
    summary = next(s for s in story.sections if s.id == "summary")
    assert [b.plain() for b in summary.bullets] == [
        "Service level stood at 95.2%.",
        "Contacts offered in February 2026: 21,512.",
    ]
    # The paper's summary says so, and states the same levels: a heading alone is not a summary.
    assert [p.plain() for p in summary.body] == [
        "There is no earlier period in the data to compare with, so this pack states levels only. Service level "
        "stood at 95.2%. Contacts offered in February 2026: 21,512."]
    text = all_text(story).lower()
    for word in ("rose", "fell", "unchanged", "since", "a year earlier"):
        assert word not in text, word


def test_a_first_month_without_service_level_states_every_kpi_it_has(make_pack):
    # A first export with speed of answer and abandonment but none of the headline KPIs: the summary had
    # one bullet (the volume) and said nothing of either.
    config = make_pack(Pack(kpis={"contacts_offered": [21_512], "average_speed_of_answer": [34],
                                  "abandonment_rate": [0.061]}, months=1, start=(2026, 2)))
    story = told(config)
    summary = next(s for s in story.sections if s.id == "summary")
    assert [b.plain() for b in summary.bullets] == [
        "Measures in February 2026: average speed of answer at 34 seconds; abandonment rate at 6.1%.",
        "Contacts offered in February 2026: 21,512.",
    ]
    assert summary.body, "the paper's summary states the levels too"
