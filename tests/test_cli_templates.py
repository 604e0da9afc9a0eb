"""Template editing without breaking the monthly run: init, list, lint."""

from pathlib import Path

import pytest
from click.testing import CliRunner

from narrator.cli import cli


def run(*args: str):
    return CliRunner().invoke(cli, list(args), catch_exceptions=False)


@pytest.fixture
def project(tmp_path) -> Path:
    folder = tmp_path / "pack"
    result = run("init", str(folder))
    assert result.exit_code == 0, result.output
    return folder


def test_init_makes_a_project_that_builds_and_lints(project, tmp_path):
    assert (project / "templates" / "sections" / "summary.j2").is_file()
    assert (project / "prompts" / "polish.yaml").is_file()
    assert run("templates", "lint", str(project)).exit_code == 0
    built = run("build", str(project / "report.yaml"), "-o", str(tmp_path / "out"))
    assert built.exit_code == 0, built.output
    assert sorted(p.suffix for p in (tmp_path / "out").iterdir()) == [".docx", ".json", ".pptx"]


def test_init_refuses_a_folder_with_files(tmp_path):
    (tmp_path / "busy").mkdir()
    (tmp_path / "busy" / "notes.txt").write_text("mine")
    result = run("init", str(tmp_path / "busy"))
    assert result.exit_code == 2
    assert (
        result.stderr
        == f"error: {tmp_path / 'busy'}: already exists and is not empty; choose a new folder for the project\n"
    )


def test_list_shows_the_search_path_and_which_file_wins(project):
    (project / "templates" / "sections" / "outcome-cfo.j2").write_text(
        '{% extends "default:sections/outcome.j2" %}'
    )
    output = run("templates", "list", str(project)).stdout.splitlines()
    assert output[0] == "search path (first match wins):"
    assert output[1] == f"  1. {project / 'templates'}"
    assert output[2].startswith("  2. ")
    assert output[2].endswith("(built-in)")
    assert f"{'sections/outcome-cfo.j2':34} {project / 'templates' / 'sections' / 'outcome-cfo.j2'}" in output
    assert any(
        line.startswith("sections/outcome.j2") and line.endswith("(overrides the built-in)")
        for line in output
    )


def test_lint_catches_a_broken_edit_with_file_and_line(project):
    template = project / "templates" / "sections" / "outcome.j2"
    template.write_text(
        '{% extends "default:sections/outcome.j2" %}\n{% block lead %}\nWe saved 40 calls for {{ org }}.\n'
        "{% endblock %}\n{% block title %}{{ value.realsed | money }}{% endblock %}\n"
    )
    result = run("templates", "lint", str(project))
    assert result.exit_code == 2
    lines = result.stderr.splitlines()
    assert (
        f"{template}, line 3: a number is typed into the text (\u201cWe saved 40 calls for\u201d); numbers must "
        "come from facts, e.g. {{ kpi.service_level.latest }}" in lines
    )
    assert any(
        line.startswith(f"{template}, line 5: with your pack: ") and "realsed" in line for line in lines
    )


def test_lint_reports_syntax_errors_before_a_monthly_run_would(project):
    template = project / "templates" / "sections" / "ask.j2"
    template.write_text(template.read_text().replace("{% endif %}", "", 1))
    result = run("templates", "lint", str(project))
    assert result.exit_code == 2
    assert result.stderr.startswith(f"{template}, line ")
    assert "template syntax error" in result.stderr


def test_lint_renders_edge_cases_such_as_no_prior_period(project):
    template = project / "templates" / "sections" / "outcome.j2"
    template.write_text(
        '{% extends "default:sections/outcome.j2" %}\n'
        "{% block lead %}Service moved {{ kpi.service_level.vs_prior | pp }}.{% endblock %}\n"
    )
    result = run("templates", "lint", str(project))
    assert result.exit_code == 2
    assert "with no prior period:" in result.stderr


def test_unknown_variable_is_named(project):
    template = project / "templates" / "sections" / "next_steps.j2"
    template.write_text(
        '{% extends "default:sections/next_steps.j2" %}{% block lead %}{{ ownr }}{% endblock %}'
    )
    result = run("templates", "lint", str(project))
    assert (
        f"{template}, line 1: unknown variable 'ownr'; the variables a template can use are listed in "
        "docs/templates.md" in result.stderr.splitlines()
    )
