"""The editor's loop, as a communications lead who has never used Jinja would try it (docs/templates.md):
rename a section, reword a headline, name the best-performing KPI, add a sentence shown only when service
level misses its target; lint and the preview say what went wrong in plain words, on the right line."""

from pathlib import Path

from click.testing import CliRunner

from narrator.cli import cli
from narrator.pipeline import prepare
from tests.tell.test_templates import use_templates


def run(*args: str):
    return CliRunner().invoke(cli, list(args), catch_exceptions=False)


def headings(story) -> dict[str, str]:
    return {s.id: s.heading for s in story.sections}


def test_renaming_a_section_is_one_line_for_every_storyline(sample):
    for name in ("private-insurer", "public-council"):
        config = use_templates(sample(name), {"headings.yaml": "problem: What inaction costs\n"})
        assert headings(prepare(config).story)["problem"] == "What inaction costs", name


def test_appendices_are_lettered_in_the_order_shown(sample):
    story = prepare(sample("private-insurer") / "report.yaml").story
    appendix = [s.heading for s in story.sections if s.kind == "appendix"]
    assert appendix[:2] == ["Appendix A: KPI scorecard", "Appendix B: Value by lever"]
    assert [h.split(":")[0] for h in appendix] == [f"Appendix {c}" for c in "ABCDE"][: len(appendix)]


def test_rewording_a_headline_and_naming_the_best_kpi_are_word_edits(sample):
    config = use_templates(sample("private-insurer"), {"sections/situation.j2": (
        '{% extends "default:sections/situation.j2" %}\n'
        "{% block title %}Where we stand in {{ period }}: {{ best_kpi.say.movement }}{% endblock %}\n"
        "{% block lead %}{{ best_kpi.label | capitalize }} improved most this year.{% endblock %}\n"
    )})
    situation = next(s for s in prepare(config).story.sections if s.id == "situation")
    assert situation.title.plain() == ("Where we stand in December 2025: service level stood at 83.7%, up 6.6 pts "
                                       "on a year earlier")
    assert situation.lead.plain() == "Service level improved most this year."


def test_a_sentence_shown_only_when_service_level_misses_its_target(sample):
    text = ('{% extends "default:sections/situation.j2" %}\n'
            "{% block lead %}{% if kpi.service_level.misses_target %}"
            "Service level is {{ kpi.service_level.say.target }}.{% else %}Service level meets its target."
            "{% endif %}{% endblock %}\n")
    pack = sample("private-insurer")
    meets = next(s for s in prepare(use_templates(pack, {"sections/situation.j2": text})).story.sections
                 if s.id == "situation")
    assert meets.lead.plain() == "Service level meets its target."
    # Phone alone misses nothing at 82.3% against 80%; Email, at 79.3%, is 0.7 pts below it.
    email = prepare(pack / "report.yaml", segment="Email").story
    lead = next(s for s in email.sections if s.id == "situation").lead.plain()
    assert lead == "Service level is 0.7 pts below its target of 80%."


def lint_lead(pack: Path, line: str):
    """Lint a situation template whose lead block is ``line`` (on line 3 of the file)."""
    use_templates(pack, {"sections/situation.j2": (
        '{% extends "default:sections/situation.j2" %}\n{% block lead %}\n' + line + "\n{% endblock %}\n")})
    return run("templates", "lint", str(pack / "my-templates"))


def test_lint_names_a_comparison_that_can_never_fire(sample):
    pack = sample("private-insurer")
    result = lint_lead(pack, '{% if kpi.service_level.on_target == "no" %}Service level is off target.{% endif %}')
    assert result.exit_code == 2
    assert (f"{pack / 'my-templates' / 'sections' / 'situation.j2'}, line 3: this comparison can never be true: "
            "on_target is yes/no, not the text \u201cno\u201d; write {% if k.misses_target %}") in result.output


def test_syntax_errors_in_plain_words_on_the_line_to_change(sample):
    pack = sample("private-insurer")
    folder = pack / "my-templates" / "sections"
    result = lint_lead(pack, "{% if kpi.service_level.misses_target }Service level is off target.{% endif %}")
    assert result.exit_code == 2
    assert f"{folder / 'situation.j2'}, line 3: template syntax error: this `{{% ... %}} tag` is not closed: add " \
        "`%}`" in result.output
    result = lint_lead(pack, "{% if kpi.service_level.misses_target %}Service level is off target.")
    assert f"{folder / 'situation.j2'}, line 3: template syntax error: this {{% if %}} is not closed: add " \
        "{% endif %} where the conditional part ends" in result.output


def test_text_preview_marks_where_each_block_lands_and_the_phrase_chosen(sample):
    result = run("preview", str(sample("private-insurer") / "report.yaml"), "--text", "--period", "2025-11")
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    title = lines.index("## Where we stand  (sections/situation.j2; deck and paper)") + 1
    assert lines[title].startswith("  [slide title] In November 2025 ")
    assert lines[title + 1].startswith("      phrases: movement.")
    assert any(line.startswith("  [paragraph, paper only] ") for line in lines)
    assert any(line.startswith("  [speaker notes] ") for line in lines)
