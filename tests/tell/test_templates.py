"""Narrative templates: user overrides, strictness, and errors that name the file and line."""

from pathlib import Path

import pytest
import yaml

from narrator.errors import TemplateError
from narrator.pipeline import prepare


def use_templates(pack: Path, files: dict[str, str]) -> Path:
    """Add a user template folder with the given files to the pack's config; return the config path."""
    folder = pack / "my-templates"
    for name, text in files.items():
        path = folder / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    config = pack / "report.yaml"
    data = yaml.safe_load(config.read_text())
    data["templates"] = ["my-templates"]
    config.write_text(yaml.safe_dump(data))
    return config


def section(story, section_id):
    return next(s for s in story.sections if s.id == section_id)


def test_user_template_extends_the_default_one_block_at_a_time(sample):
    config = use_templates(
        sample("private-insurer"),
        {
            "sections/outcome.j2": '{% extends "default:sections/outcome.j2" %}'
            "{% block title %}We delivered {{ value.realised | money }} this year{% endblock %}",
        },
    )
    story = prepare(config).story
    outcome = section(story, "outcome")
    assert outcome.title.plain() == "We delivered £1,021,152 this year"
    assert outcome.bullets, "blocks the user did not override still come from the default template"
    assert [v.fact_id for v in outcome.title.values()] == ["value.total.realised"]


def test_most_specific_template_wins(sample):
    config = use_templates(
        sample("private-insurer"),
        {
            "sections/outcome-board.j2": '{% extends "default:sections/outcome.j2" %}'
            "{% block lead %}For the board only.{% endblock %}",
        },
    )
    assert section(prepare(config).story, "outcome").lead.plain() == "For the board only."


def test_number_typed_into_template_is_rejected_with_its_place(sample):
    config = use_templates(
        sample("private-insurer"),
        {
            "sections/outcome.j2": '{% extends "default:sections/outcome.j2" %}'
            "{% block lead %}We saved 40% of calls.{% endblock %}",
        },
    )
    with pytest.raises(TemplateError) as caught:
        prepare(config)
    message = str(caught.value)
    assert "outcome.j2, block lead" in message
    assert "a number is typed into the template text" in message
    assert "We saved 40%" in message


def test_undefined_variable_names_file_line_and_available_variables(sample):
    config = use_templates(
        sample("private-insurer"),
        {
            "sections/outcome.j2": '{% extends "default:sections/outcome.j2" %}\n'
            "{% block lead %}\nValue is {{ valeu.realised }}.\n{% endblock %}",
        },
    )
    with pytest.raises(TemplateError) as caught:
        prepare(config)
    message = str(caught.value)
    assert message.startswith(str(config.parent / "my-templates" / "sections" / "outcome.j2") + ", line 3:")
    assert "'valeu' is undefined" in message
    assert "available variables:" in message
    assert "value" in message


def test_syntax_error_names_file_and_line(sample):
    config = use_templates(
        sample("private-insurer"),
        {
            "sections/outcome.j2": '{% extends "default:sections/outcome.j2" %}\n\n'
            "{% block lead %}{% if %}{% endblock %}",
        },
    )
    with pytest.raises(TemplateError, match=r"outcome\.j2, line 3: template syntax error"):
        prepare(config)


def test_bare_number_from_arithmetic_is_rejected(sample):
    config = use_templates(
        sample("private-insurer"),
        {
            "sections/outcome.j2": '{% extends "default:sections/outcome.j2" %}'
            "{% block lead %}Saved {{ value.realised.value * 2 }}{% endblock %}",
        },
    )
    with pytest.raises(TemplateError, match="printed a bare number"):
        prepare(config)


def test_fact_cannot_be_smuggled_out_as_plain_text(sample):
    config = use_templates(
        sample("private-insurer"),
        {
            "sections/outcome.j2": '{% extends "default:sections/outcome.j2" %}'
            "{% block lead %}Saved {{ value.realised | upper }}{% endblock %}",
        },
    )
    with pytest.raises(TemplateError, match="cannot be used as plain text"):
        prepare(config)


def test_sandbox_blocks_python_internals(sample):
    config = use_templates(
        sample("private-insurer"),
        {
            "sections/outcome.j2": '{% extends "default:sections/outcome.j2" %}'
            "{% block lead %}{{ org.__class__.__subclasses__() }}{% endblock %}",
        },
    )
    with pytest.raises(TemplateError):
        prepare(config)


def test_every_value_in_the_story_points_at_a_fact(sample):
    prepared = prepare(sample("private-insurer") / "report.yaml")
    values = [v for s in prepared.story.segments() for v in s.values()]
    assert len(values) > 50
    for value in values:
        assert value.fact_id in prepared.computed.book


def test_tokens_are_unique_across_the_story(sample):
    story = prepare(sample("public-council") / "report.yaml").story
    tokens = [v.token for s in story.segments() for v in s.values()]
    assert len(tokens) == len(set(tokens))


def test_us_locale_words_money_in_dollars(sample):
    pack = sample("private-insurer")
    config = pack / "report.yaml"
    data = yaml.safe_load(config.read_text())
    data.update(currency="USD", locale="en-US")
    config.write_text(yaml.safe_dump(data))
    kpis = pack / "kpis.csv"  # money written in pounds would be refused in a dollar pack
    kpis.write_text(kpis.read_text(encoding="utf-8-sig").replace("£", "$"), encoding="utf-8")
    story = prepare(config).story
    assert story.title.plain() == "Meridian Home Insurance customer service: value to the organisation"
    summary = section(story, "summary")
    assert "$1.0M" in summary.title.plain()
    assert summary.body[0].plain().startswith("Customer service delivers value worth $1,021,152 a year")
    assert "December 2025" in "\n".join(seg.plain() for seg in story.segments())


def test_unknown_exhibit_in_a_storyline_names_the_ones_there_are(sample):
    from narrator.errors import ConfigError

    pack = sample("private-insurer")
    story_file = pack / "mine.yaml"
    story_file.write_text(
        "name: mine\nsections:\n  - id: situation\n    heading: Where we stand\n    template: situation\n"
        "    chart: {type: pie}\n"
    )
    config = pack / "report.yaml"
    data = yaml.safe_load(config.read_text())
    data["storyline"] = "mine.yaml"
    config.write_text(yaml.safe_dump(data))
    with pytest.raises(ConfigError, match=r"storyline section situation: unknown chart type 'pie'; use one of "
                                          r"cashflow, kpi_trend, "):
        prepare(config)


@pytest.mark.parametrize("name", ["private-insurer", "public-council", "outsourcer-client", "tei-worked-example"])
def test_every_sentence_of_the_samples_starts_with_a_capital(name, sample):
    # A supplied name that starts lower case ("the Director of Customer Operations") once opened a
    # sentence of the next-steps paragraph: "... starts in April 2026. the Director ... owns the benefits".
    import re

    story = prepare(sample(name) / "report.yaml").story
    found = []
    for section in story.sections:
        for segment in (section.title, section.lead, *section.bullets, *section.body):
            if segment is not None:
                text = segment.plain()
                found += [text[max(0, m.start() - 30):m.end() + 30]
                          for m in re.finditer(r"(?:^|[.!?]\s+)[a-z]", text)]
    assert found == []
