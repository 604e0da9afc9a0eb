"""The worked-example pack end to end: built documents state the domain reference's figures exactly, the
investment case's edge cases read plainly, and bad value inputs stop the build with one clear line."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner

from narrator.cli import cli
from narrator.pipeline import build, prepare

WORKED_EXAMPLE = [
    "$408,994",  # NPV at 10%
    "36.4%",  # ROI
    "month 21",  # payback
    "$1,532,878",  # PV benefits
    "$1,123,884",  # PV costs
    "47.3%",  # IRR
    "$538,325",  # NPV at 3.5%
    "\u2212$225,805",  # conservative NPV
    "\u221220.1%",  # conservative ROI
    "$880,134",  # optimistic NPV
    "78.3%",  # optimistic ROI
    "$754,255",  # full-year benefit, rounded half up as the domain reference does
]
"""The corrected worked example of the domain reference: FCR acts on the 950,000 contacts deflection leaves."""


def docx_text(path: Path) -> str:
    import docx

    document = docx.Document(str(path))
    parts = [p.text for p in document.paragraphs]
    for table in document.tables:
        parts += [cell.text for row in table.rows for cell in row.cells]
    return "\n".join(parts)


def pptx_text(path: Path) -> str:
    import pptx

    parts = []
    for slide in pptx.Presentation(str(path)).slides:
        for shape in slide.shapes:
            if shape.has_text_frame:
                parts.append(shape.text_frame.text)
            if shape.has_table:
                parts += [cell.text for row in shape.table.rows for cell in row.cells]
    return "\n".join(parts)


def set_yaml(path: Path, **changes) -> None:
    data = yaml.safe_load(path.read_text())
    data.update(changes)
    path.write_text(yaml.safe_dump(data, sort_keys=False))


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    out = tmp_path_factory.mktemp("tei")
    result = build(
        Path(__file__).resolve().parents[2] / "samples" / "tei-worked-example" / "report.yaml", out
    )
    return result, docx_text(result.outputs["docx"]), pptx_text(result.outputs["pptx"])


@pytest.mark.parametrize("figure", WORKED_EXAMPLE)
def test_the_paper_states_the_worked_example(built, figure):
    assert figure in built[1]


@pytest.mark.parametrize("figure", [f for f in WORKED_EXAMPLE if f != "$1,532,878" and f != "$1,123,884"])
def test_the_deck_states_the_worked_example(built, figure):
    assert figure in built[2]


def test_the_deck_states_present_values(built):
    deck = built[2]
    assert "$1,532,878" in deck
    assert "$1,123,884" in deck


def test_the_supplied_fcr_line_acts_on_the_contacts_deflection_leaves(built):
    result, paper, _ = built
    fcr = next(line for line in result.computed.case.lines if line.item == "fcr")
    assert fcr.gross_annual == pytest.approx(342_427.50)  # 950,000 x 3 pts x 1.5 x $8.01
    assert "950,000 contacts x 3.0 pts x 1.5 x $8.01 = $342,428" in paper
    assert "applied to the 950,000 contacts left after deflection" in paper


def test_the_double_counted_fcr_line_of_the_old_example_is_refused(sample, tmp_path):
    pack = sample("tei-worked-example")
    values = (pack / "values.yaml").read_text().replace("amount: 342427.50", "amount: 360450")
    (pack / "values.yaml").write_text(values)
    out = tmp_path / "out"
    result = run("build", str(pack / "report.yaml"), "-o", str(out))
    assert result.exit_code == 2, result.output
    assert result.output.splitlines() == [
        "error: values.yaml, item 2 (fcr): amount $360,450 differs from its formula by +5.3%: 950,000 contacts "
        "x 3.0 pts x 1.5 x $8.01 = $342,428; correct the amount or the formula's inputs (or set value_claims: "
        "as_claimed in the config to keep the claim, flagged in the pack)"
    ]
    assert not out.exists() or not any(out.iterdir())


def test_narrator_computes_value_delivered_from_kpi_movements(built):
    result, paper, _ = built
    items = {i.id: i for i in result.computed.translation.items}
    assert round(items["self_service_delivered"].amount, 2) == 189_840.00  # 1,000,000 x 2.4 pts x $7.91
    # FCR runs on the 976,000 contacts containment leaves: 976,000 x 1.65 pts x 1.5 x $8.01.
    assert round(items["repeats_avoided_delivered"].amount, 2) == 193_489.56
    assert "976,000 contacts x 1.65 pts x 1.5 x $8.01 = $193,490" in paper
    assert all(i.realised for i in items.values())


def test_options_sensitivity_and_realisation_are_in_the_pack(built):
    _, paper, deck = built
    for text in (paper, deck):
        assert "Knowledge base only" in text
        assert "The return depends most on" in text
        assert "Head of Digital Service" in text
    assert "Cost avoidance" in paper


def _tweak_ask(pack: Path, **changes) -> Path:
    set_yaml(pack / "investment.yaml", **changes)
    return pack / "report.yaml"


def test_never_repaid_is_said_plainly_through_the_pipeline(sample, tmp_path):
    config = _tweak_ask(sample("tei-worked-example"), one_off_cost=4_000_000, do_minimum=None)
    result = build(config, tmp_path / "out")
    text = "\n".join(s.plain() for s in result.story.segments())
    assert "payback: never" in text.lower()
    assert result.computed.case.payback_month is None
    assert result.outputs["docx"].exists()
    assert result.outputs["pptx"].exists()


def test_zero_cost_says_roi_undefined_through_the_pipeline(sample, tmp_path):
    config = _tweak_ask(sample("tei-worked-example"), one_off_cost=0, recurring_cost=0, do_minimum=None)
    result = build(config, tmp_path / "out")
    text = "\n".join(s.plain() for s in result.story.segments())
    assert "return on investment is undefined" in text
    assert result.computed.case.roi is None
    assert "n/a (no cost)" in docx_text(result.outputs["docx"])


def test_public_sector_defaults_to_the_green_book_rate_and_five_cases(sample):
    pack = sample("tei-worked-example")
    set_yaml(pack / "report.yaml", sector="public", audience="board")
    ask = yaml.safe_load((pack / "investment.yaml").read_text())
    del ask["discount_rate"]
    ask["optimism_bias"] = 0.2
    (pack / "investment.yaml").write_text(yaml.safe_dump(ask))
    prepared = prepare(pack / "report.yaml")
    assert prepared.computed.case.discount_rate == 0.035
    assert "five_cases" in [s.id for s in prepared.story.sections]
    assert prepared.computed.alternative.discount_rate == 0.10


def test_cfo_storyline_puts_sensitivity_before_the_evidence(built):
    ids = [s.id for s in built[0].story.sections]
    assert ids.index("sensitivity") < ids.index("situation")


def run(*args):
    return CliRunner().invoke(cli, list(args), catch_exceptions=False)


def _param(pack: Path, name: str, value) -> None:
    data = yaml.safe_load((pack / "assumptions.yaml").read_text())
    data["parameters"][name]["value"] = value
    (pack / "assumptions.yaml").write_text(yaml.safe_dump(data, sort_keys=False))


BAD = {
    "containment uplift over 100%": (
        lambda p: _param(p, "containment_uplift", 1.5),
        "assumptions.yaml: parameters.containment_uplift.value: is 1.5, above 1; give the improvement as a "
        "share between 0 and 1 (0.05 = 5 points)",
    ),
    "negative cost per contact": (
        lambda p: _param(p, "assisted_cpc", -8.01),
        "assumptions.yaml: parameters.assisted_cpc.value: is -8.01, below 0; give a cost per contact of 0 "
        "or more",
    ),
    "discount rate 250%": (
        lambda p: set_yaml(p / "investment.yaml", discount_rate=2.5),
        "investment.yaml: discount_rate: must be at most 0.5, got 2.5; rates are fractions (0.10 means 10%)",
    ),
    "lever whose KPI is missing": (
        lambda p: (p / "kpis.csv").write_text(
            "\n".join(
                line for line in (p / "kpis.csv").read_text().splitlines() if "agent_attrition" not in line
            )
            + "\n"
        ),
        "assumptions.yaml: levers[2] (attrition): needs the KPI agent_attrition (agent attrition), "
        "but kpis.csv has no value for it in 2025-12; add it to the data, or set basis: planned and give "
        "attrition_reduction under parameters",
    ),
}


@pytest.mark.parametrize("case", list(BAD))
def test_bad_value_input_is_one_clear_line_exit_two_nothing_written(sample, tmp_path, case):
    pack = sample("tei-worked-example")
    spoil, expected = BAD[case]
    spoil(pack)
    out = tmp_path / "out"
    result = run("build", str(pack / "report.yaml"), "-o", str(out))
    assert result.exit_code == 2, result.output
    assert "Traceback" not in result.output
    assert f"error: {expected}" in result.output.splitlines()
    assert not out.exists() or not any(out.iterdir())
