"""Bad input: one clear line per problem naming the file, row or key and the fix; exit 2; no traceback;
nothing written, and the previous month's pack left exactly as it was."""

from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner

from narrator.cli import cli


def run(*args: str):
    return CliRunner().invoke(cli, list(args), catch_exceptions=False)


def set_config(pack: Path, **changes) -> None:
    path = pack / "report.yaml"
    data = yaml.safe_load(path.read_text())
    data.update(changes)
    path.write_text(yaml.safe_dump(data))


def replace(pack: Path, name: str, old: str, new: str) -> None:
    path = pack / name
    text = path.read_text(encoding="utf-8-sig")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def add_template(pack: Path, text: str) -> None:
    folder = pack / "my-templates" / "sections"
    folder.mkdir(parents=True)
    (folder / "outcome.j2").write_text(text)
    set_config(pack, templates=["my-templates"])


def duplicate_row(pack: Path) -> None:
    lines = (pack / "kpis.csv").read_text(encoding="utf-8-sig").splitlines()
    lines.insert(4, lines[3])  # row 4 (service level, phone, Oct 2024) appears again as row 5
    (pack / "kpis.csv").write_text("\n".join(lines) + "\n")


CASES = {
    "missing KPI file": (
        lambda p: (p / "kpis.csv").unlink(),
        "{config}: inputs.kpis.path: file not found: {pack}/kpis.csv",
    ),
    "empty KPI file": (
        lambda p: (p / "kpis.csv").write_text(""),
        "kpis.csv: the file is empty; export the data again",
    ),
    "unknown column": (
        lambda p: replace(p, "kpis.csv", "Target,Benchmark", "Target,Benchmark,Region"),
        'kpis.csv: column "Region" is not one narrator reads; a tidy file has period, kpi, value, target, '
        "benchmark, segment; map it in inputs.kpis.columns or delete the column",
    ),
    "value that is not a number": (
        lambda p: replace(p, "kpis.csv", "73.29%", "abc"),
        'kpis.csv, row 4, column "Value": expected a percentage, got "abc"; fix or blank the cell',
    ),
    "percentage over 100%": (
        lambda p: replace(p, "kpis.csv", "73.29%", "173.29%"),
        'kpis.csv, row 4, column "Value": expected a percentage between 0% and 100%, got "173.29%"; '
        "fix or blank the cell",
    ),
    "duplicated period": (duplicate_row, "kpis.csv, rows 4 and 5:"),
    "KPI the catalogue does not know": (
        lambda p: replace(p, "kpis.csv", "Oct 2024,Phone,Service level", "Oct 2024,Phone,Digital wellbeing"),
        'kpis.csv, row 4, column "KPI": "Digital wellbeing" is not a KPI the catalogue knows; the closest '
        "catalogue ids are digital_adoption; declare it under kpis: in the config with unit and direction "
        "(e.g. digital_wellbeing: {unit: percent, direction: up}) "
        "or add it to an existing KPI's aliases",
    ),
    "custom KPI with no unit or direction": (
        lambda p: set_config(p, kpis={"digital_wellbeing": {"label": "digital wellbeing"}}),
        "{config}: kpis.digital_wellbeing: a KPI the catalogue does not know needs unit and direction; "
        "add e.g. unit: percent, direction: up",
    ),
    "negative volume": (
        lambda p: replace(p, "kpis.csv", '"62,115"', "-62115"),
        'kpis.csv, row 2, column "Value": expected a count of 0 or more, got "-62115"; fix or blank the cell',
    ),
    "unknown config key": (
        lambda p: set_config(p, colour="blue"),
        "{config}: colour: unknown key; check its spelling against the config reference in the README",
    ),
    "config points at a missing Office template": (
        lambda p: set_config(p, reference={"pptx": "brand.pptx"}),
        "{config}: reference.pptx: file not found: {pack}/brand.pptx",
    ),
    "config points at a missing template folder": (
        lambda p: set_config(p, templates=["my-templates"]),
        "{config}: templates.0: folder not found: {pack}/my-templates",
    ),
    "template with a syntax error": (
        lambda p: add_template(
            p, '{% extends "default:sections/outcome.j2" %}\n{% block lead %}{% if %}{% endblock %}'
        ),
        "{pack}/my-templates/sections/outcome.j2, line 2: template syntax error: Expected an expression, "
        "got 'end of statement block'",
    ),
    "template with an undefined variable": (
        lambda p: add_template(
            p, '{% extends "default:sections/outcome.j2" %}\n{% block lead %}\n{{ savings }}\n{% endblock %}'
        ),
        "{pack}/my-templates/sections/outcome.j2, line 3: 'savings' is undefined; available variables: ask,",
    ),
    "period not in the data": (
        lambda p: set_config(p, period="2030-01"),
        "{config}: period: the data has no values for 2030-01; it covers 2024-10 to 2025-12",
    ),
    "unknown locale": (
        lambda p: set_config(p, locale="xx-YY"),
        "{config}: locale: unknown locale 'xx-YY'; use a tag such as en-GB or en-US",
    ),
    "value range that does not bracket the amount": (
        lambda p: replace(p, "values.yaml", "low: 410000", "low: 720000"),
        'values.yaml, item 1 ("chat_deflection"): low (720,000) is above amount (485,352); swap or correct them',
    ),
    "investment linked to an unknown value item": (
        lambda p: replace(p, "investment.yaml", "item: ivr_containment", "item: ivr"),
        'investment.yaml: benefits.0.item: "ivr" is not a value item id; the ids are chat_deflection, '
        "fcr_repeat_calls, retention_saves, attrition_hiring, ivr_containment, fcr_knowledge, attrition_coaching",
    ),
    "config that is not YAML": (
        lambda p: (p / "report.yaml").write_text("organisation: [x\n"),
        "{config}, line 2: not valid YAML (",
    ),
}


@pytest.mark.parametrize("case", CASES)
def test_bad_input_is_reported_clearly_and_nothing_is_written(case, sample):
    pack = sample("private-insurer")
    out = pack / "out"
    first = run("build", str(pack / "report.yaml"), "-o", str(out))
    assert first.exit_code == 0, first.output
    before = {p.name: p.read_bytes() for p in out.iterdir()}

    mutate, expected = CASES[case]
    mutate(pack)
    result = run("build", str(pack / "report.yaml"), "-o", str(out))

    assert result.exit_code == 2
    assert result.stdout == ""
    lines = result.stderr.splitlines()
    wanted = "error: " + expected.replace("{config}", str(pack / "report.yaml")).replace("{pack}", str(pack))
    assert any(line.startswith(wanted) for line in lines), result.stderr
    assert "Traceback" not in result.stderr
    assert {p.name: p.read_bytes() for p in out.iterdir()} == before, "earlier outputs must stay untouched"


def test_every_problem_in_a_file_is_listed_at_once(sample):
    pack = sample("private-insurer")
    replace(pack, "kpis.csv", "73.29%", "abc")
    replace(pack, "kpis.csv", '"62,115"', "-62115")
    result = run("validate", str(pack / "report.yaml"))
    assert result.exit_code == 2
    assert [line.split(":")[0] for line in result.stderr.splitlines()] == ["error", "error"]
    assert 'row 2, column "Value"' in result.stderr
    assert 'row 4, column "Value"' in result.stderr


def test_missing_config_file():
    result = run("build", "nowhere/report.yaml")
    assert result.exit_code == 2
    assert result.stderr == (
        "error: nowhere/report.yaml: config file not found; check the path (narrator init DIR makes one)\n"
    )


def test_output_folder_that_is_a_file(sample):
    pack = sample("private-insurer")
    (pack / "taken").write_text("not a folder")
    result = run("build", str(pack / "report.yaml"), "-o", str(pack / "taken"))
    assert result.exit_code == 2
    assert (
        result.stderr
        == f"error: {pack / 'taken'}: exists and is not a folder; choose another output folder with -o\n"
    )


def test_failed_build_creates_no_output_folder(sample):
    pack = sample("private-insurer")
    replace(pack, "kpis.csv", "73.29%", "abc")
    result = run("build", str(pack / "report.yaml"), "-o", str(pack / "fresh"))
    assert result.exit_code == 2
    assert not (pack / "fresh").exists()
