"""The claim check (tell/claims.py): words that contradict their facts, bare sections and repeats fail."""

from pathlib import Path

import pytest
import yaml

from narrator.errors import QualityError
from narrator.pipeline import build, prepare
from narrator.tell.claims import check_claims

REPO = Path(__file__).resolve().parents[2]
SAMPLES = ["private-insurer", "public-council", "outsourcer-client", "tei-worked-example"]


def override(pack, name, text):
    folder = pack / "my-templates" / "sections"
    folder.mkdir(parents=True, exist_ok=True)
    (folder / name).write_text(text, encoding="utf-8")
    config = pack / "report.yaml"
    data = yaml.safe_load(config.read_text())
    data["templates"] = ["my-templates"]
    config.write_text(yaml.safe_dump(data))
    return config


def claims(pack, name, text) -> list[str]:
    """The claim check's findings on a sample pack with one section template overridden."""
    prepared = prepare(override(pack, name, text))
    return [str(p) for p in check_claims(prepared.story, prepared.computed)]


@pytest.mark.parametrize("name", SAMPLES)
def test_the_four_samples_pass_the_claim_check(name, sample):
    prepared = prepare(sample(name) / "report.yaml")
    assert [str(p) for p in check_claims(prepared.story, prepared.computed)] == []


def test_under_target_called_over_fails_naming_template_and_segment(sample, tmp_path):
    # Abandonment is 4.7% against a 5% ceiling: "over its target" is the wrong way round.
    config = override(sample("private-insurer"), "demand.j2",
                      '{% extends "default:sections/demand.j2" %}{% block bullets %}\n'
                      "- Abandonment is {{ kpi.abandonment_rate.vs_target }} over its target of "
                      "{{ kpi.abandonment_rate.target }}.\n- Second point.\n{% endblock %}")
    with pytest.raises(QualityError) as caught:
        build(config, tmp_path / "out", check="fast")
    lines = caught.value.problems
    assert any("demand.j2: segment demand.bullets.0:" in line and 'says "over" its target' in line
               for line in lines), lines
    assert not (tmp_path / "out").exists() or not any((tmp_path / "out").iterdir())


def test_rose_over_a_fall_fails(sample):
    # Cost per contact fell on a year earlier; a template that says it rose is refused.
    found = claims(sample("private-insurer"), "situation.j2",
                   '{% extends "default:sections/situation.j2" %}{% block lead %}'
                   "Cost per contact rose by {{ kpi.cost_per_contact.vs_year_ago }} on a year earlier.{% endblock %}")
    assert any("situation.j2: segment situation.lead:" in f and 'says "rose"' in f for f in found), found


def test_worse_over_good_news_and_every_target_met_fail(sample):
    found = claims(sample("private-insurer"), "situation.j2",
                   '{% extends "default:sections/situation.j2" %}{% block lead %}'
                   "Service level is {{ kpi.service_level.vs_year_ago }} worse than a year earlier. "
                   "Every KPI with a target meets it.{% endblock %}")
    assert any('says "worse"' in f for f in found), found
    assert any("says every target is met but" in f for f in found), found


def test_a_title_with_no_evidence_fails(sample):
    config = override(sample("private-insurer"), "outcome.j2",
                      '{% extends "default:sections/outcome.j2" %}'
                      "{% block bullets %}{% endblock %}{% block body %}{% endblock %}")
    prepared = prepare(config)
    # The outcome slide keeps its chart; a section with nothing at all is the failure.
    story = prepared.story
    bare = story.model_copy(update={"sections": tuple(
        s.model_copy(update={"chart": None}) if s.id == "outcome" else s for s in story.sections)})
    found = [str(p) for p in check_claims(bare, prepared.computed)]
    assert any("section outcome: has a title and no evidence" in f for f in found), found


def test_a_sentence_repeated_on_the_next_slide_fails(sample):
    found = claims(sample("private-insurer"), "demand.j2",
                   '{% extends "default:sections/demand.j2" %}{% block lead %}'
                   "{{ story.evidence[1].say.status | capitalize }}{{ story.evidence[1].say.worth }}.{% endblock %}")
    assert any("demand.j2: segment demand.lead: repeats situation.bullets" in f for f in found), found


@pytest.mark.parametrize("segment", [None, "Phone", "Web chat", "Email"])
def test_past_months_and_segment_packs_pass(segment):
    # Each month's wording differs (steady, trend, crossed targets); none may trip the check falsely.
    for period in ("2025-07", "2025-09", "2025-11"):
        prepared = prepare(REPO / "samples" / "private-insurer" / "report.yaml", segment=segment, period=period)
        assert [str(p) for p in check_claims(prepared.story, prepared.computed)] == [], (segment, period)


def test_from_to_reads_the_values_after_from_and_to_not_a_benchmark():
    from narrator.compute.facts import Fact
    from narrator.tell.claims import ClaimChecker
    from narrator.tell.story import Segment, ValuePart

    facts = {
        "kpi.cost_per_contact.trend_start": Fact(id="kpi.cost_per_contact.trend_start", label="cost per contact",
                                                 value=4.62, unit="money"),
        "kpi.cost_per_contact.latest": Fact(id="kpi.cost_per_contact.latest", label="cost per contact", value=4.37,
                                            unit="money"),
        "kpi.cost_per_contact.benchmark": Fact(id="kpi.cost_per_contact.benchmark", label="benchmark", value=5.25,
                                               unit="money"),
    }
    checker = ClaimChecker(facts.get, {"cost_per_contact": {"_direction": "down"}})

    def value(token, text, name):
        return ValuePart(token=token, text=text, fact_id=f"kpi.cost_per_contact.{name}")

    def said(word):
        return Segment(id="s", parts=(
            f"cost per contact {word} from ", value("V1", "£4.62", "trend_start"), " to ",
            value("V2", "£4.37", "latest"), " (industry benchmark ", value("V3", "£5.25", "benchmark"), ")"))

    assert checker.segment(said("fell")) == []
    assert checker.segment(said("rose")) == ['says "rose" but cost per contact went down (£4.62 to £4.37)']
    assert checker.segment(said("improved")) == []
    assert checker.segment(said("worsened")) == ['says "worsened" but cost per contact is good news (£4.62 to £4.37)']


def test_unchanged_is_checked_against_the_comparison_the_sentence_names():
    # Found on a generated site pack: demand up 1,146 contacts on the month but 9 on the year; "Demand
    # unchanged on a year earlier" is true and was refused because the check read the month's change.
    from narrator.compute.facts import Fact
    from narrator.tell.claims import ClaimChecker
    from narrator.tell.story import Segment, ValuePart

    latest = Fact(id="kpi.contacts_offered.latest", label="contacts offered", value=28253, unit="count")
    on_month = Fact(id="kpi.contacts_offered.vs_prior", label="contacts offered, change vs prior", value=1146,
                    unit="count", direction="up")
    on_year = Fact(id="kpi.contacts_offered.vs_year_ago", label="contacts offered, change vs a year earlier",
                   value=9, unit="count", direction="up")
    kpis = {"contacts_offered": {"_direction": "up", "vs_prior": on_month, "vs_prior_notable": True,
                                 "vs_year_ago": on_year, "vs_year_ago_notable": False}}
    checker = ClaimChecker({latest.id: latest}.get, kpis)

    def said(words):
        return Segment(id="s", parts=(f"Demand unchanged {words} at ", ValuePart(token="V1", text="28,253",
                                                                                  fact_id=latest.id), " contacts"))

    assert checker.segment(said("on a year earlier")) == []
    assert checker.segment(said("on last month")) == [
        'says "unchanged" but contacts offered, change vs prior moved up']


def test_lint_runs_the_claim_check_on_each_scenario(sample):
    from click.testing import CliRunner

    from narrator.cli import cli

    pack = sample("private-insurer")
    # Service level is 3.7 pts above its 80% target: "short of" it is the wrong way round.
    override(pack, "demand.j2", '{% extends "default:sections/demand.j2" %}{% block lead %}'
             "{% if kpi.service_level is defined and kpi.service_level.target %}Service level is "
             "{{ kpi.service_level.vs_target }} short of its target of {{ kpi.service_level.target }}."
             "{% endif %}{% endblock %}")
    result = CliRunner().invoke(cli, ["templates", "lint", str(pack / "my-templates")], catch_exceptions=False)
    assert result.exit_code == 2
    assert "block lead, segment lint.lead: says \"short\" its target but service level is above it" \
        in result.output, result.output


def test_no_measure_improved_markedly_is_checked_against_the_months_notable_moves(sample):
    # October 2025: agent attrition and first-contact resolution improved past the noise threshold.
    config = override(sample("private-insurer"), "situation.j2",
                      '{% extends "default:sections/situation.j2" %}{% block lead %}'
                      "Since {{ prior_period }}, no headline measure improved markedly.{% endblock %}")
    prepared = prepare(config, period="2025-10")
    found = [str(p) for p in check_claims(prepared.story, prepared.computed)]
    assert any("says no headline measure improved but" in f for f in found), found
