"""A lever's unit cost beside the scorecard's: stated with its basis, warned about without one, silent when equal."""

from __future__ import annotations

from pathlib import Path

from click.testing import CliRunner

from narrator.cli import cli

BASIS = (
    "        basis: \"Finance costs levers at the model's blended unit cost, which leaves out the overheads that "
    "fewer contacts do not remove; the scorecard's figure is fully loaded, so costing the levers at it would "
    "overstate what they save\"\n"
)
STATED = (
    "The value of repeat calls avoided by an agent knowledge base and of repeat calls avoided through better "
    "first-contact resolution rests on £4.24 as the blended cost per contact (Meridian cost-to-serve model v4), "
    "where the KPI data shows £4.81 for December 2025."
)


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text()
    assert old in text, f"{old!r} is not in {path.name}"
    path.write_text(text.replace(old, new, 1))


def build(pack: Path, out: Path):
    result = CliRunner().invoke(cli, ["build", str(pack / "report.yaml"), "-o", str(out)], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return result


def paper(out: Path, document_text) -> str:
    return "\n".join(document_text(next(out.glob("*.docx"))))


def test_the_sample_states_its_unit_cost_basis_beside_the_data_and_prints_no_warning(sample, tmp_path,
                                                                                    document_text):
    result = build(sample("private-insurer"), tmp_path / "out")
    assert "warning:" not in result.output
    text = paper(tmp_path / "out", document_text)
    assert (f"{STATED} Finance costs levers at the model's blended unit cost, which leaves out the overheads that "
            "fewer contacts do not remove; the scorecard's figure is fully loaded, so costing the levers at it "
            "would overstate what they save.") in text


def test_an_unexplained_unit_cost_warns_in_one_line_and_the_paper_says_the_basis_is_not_stated(
        sample, tmp_path, document_text):
    pack = sample("private-insurer")
    edit(pack / "values.yaml", BASIS, "")
    result = build(pack, tmp_path / "out")
    assert [line for line in result.output.splitlines() if line.startswith("warning:")] == [
        "warning: values.yaml, item 6 (fcr_knowledge), also used by fcr_repeat_calls: blended cost per contact "
        "£4.24 (Meridian cost-to-serve model v4) is 11.9% below the KPI data's £4.81 for December 2025; use the "
        "data's figure, or state why the levers use this one with basis: on the input cost_per_contact"
    ]
    assert f"{STATED} The value model does not say why the two differ." in paper(tmp_path / "out", document_text)


def test_a_unit_cost_that_matches_the_data_says_nothing(sample, tmp_path, document_text):
    pack = sample("private-insurer")
    values = pack / "values.yaml"
    edit(values, BASIS, "")
    # £4.70 is 2.3% below December's £4.81: the same figure at the penny a finance model rounds to.
    edit(values, "value: 4.24", "value: 4.70")
    edit(values, "x £4.24 blended cost per contact", "x £4.70 blended cost per contact")
    edit(values, "amount: 349800", "amount: 387750")  # 1.1m x 5 pts x 1.5 x £4.70
    edit(values, "amount: 382897", "amount: 424438")  # 1,003,400 contacts left x 6 pts x 1.5 x £4.70
    result = build(pack, tmp_path / "out")
    assert "warning:" not in result.output
    text = paper(tmp_path / "out", document_text)
    assert "as the blended cost per contact" not in text
    assert "does not say why the two differ" not in text


def test_a_parameter_narrators_own_levers_are_costed_at_is_held_to_the_data_too(sample, tmp_path, document_text):
    pack = sample("tei-worked-example")
    edit(pack / "assumptions.yaml", "  cost_per_contact:\n    value: 8.01", "  cost_per_contact:\n    value: 7.00")
    warned = build(pack, tmp_path / "warned").output.splitlines()
    assert (
        "warning: assumptions.yaml: parameters.cost_per_contact, used by repeats_avoided_delivered: blended cost per "
        "contact $7 (Finance, fully loaded cost per assisted contact) is 12.6% below the KPI data's $8.01 for "
        "December 2025; use the data's figure, or state why the levers use this one with basis: on the parameter "
        "cost_per_contact"
    ) in warned

    edit(pack / "assumptions.yaml", "    value: 7.00\n",
         "    value: 7.00\n    basis: Finance's marginal cost of a contact\n")
    stated = build(pack, tmp_path / "stated").output
    assert "parameters.cost_per_contact" not in stated
    assert (
        "The value of repeat contacts avoided this year by better first-contact resolution rests on $7.00 as the "
        "blended cost per contact (Finance, fully loaded cost per assisted contact), where the KPI data shows $8.01 "
        "for December 2025. Finance's marginal cost of a contact."
    ) in paper(tmp_path / "stated", document_text)
