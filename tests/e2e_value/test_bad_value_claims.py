"""Value claims a CFO would refuse stop the build: one line, exit 2, nothing written, last pack untouched."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from narrator.cli import cli


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text()
    assert old in text, f"{old!r} is not in {path.name}"
    path.write_text(text.replace(old, new, 1))


BAD = {
    "amount that disagrees with its formula": (
        "private-insurer",
        lambda p: edit(p / "values.yaml", "amount: 151696", "amount: 150000"),
        "values.yaml, item 7 (attrition_coaching): amount £150,000 differs from its formula by -1.1%: 400 agents x "
        "3.8 pts lower attrition x £9,980 cost per leaver = £151,696; correct the amount or the formula's inputs (or "
        "set value_claims: as_claimed in the config to keep the claim, flagged in the pack)",
    ),
    "formula that cannot be evaluated": (
        "public-council",
        lambda p: edit(p / "values.yaml", '"115 fewer stage-2 complaints x £400 handling cost"',
                       '"115 fewer stage-2 complaints x the handling cost"'),
        "values.yaml, item 3 (complaints_avoided): formula '115 fewer stage-2 complaints x the handling cost': its "
        "formula cannot be evaluated: 'the handling cost' stands where a number is expected; write it as arithmetic "
        "whose numbers carry labels ('405 agents x 4.6 pts x £9,980 cost per leaver') or give inputs:, or set "
        "value_claims: as_claimed in the config to keep the amount unreconciled",
    ),
    "two unit costs for one channel": (
        "public-council",
        lambda p: (edit(p / "values.yaml", "(£8.36 telephone - £0.38 online)\"\n    assumptions:\n      - \"Shift",
                        "(£8.10 telephone - £0.38 online)\"\n    assumptions:\n      - \"Shift"),
                   edit(p / "values.yaml", "amount: 319200", "amount: 308800")),
        "values.yaml, item 4 (digital_council_tax): prices a phone contact at £8.10 (£8.10 telephone), but "
        "values.yaml, item 1 (channel_shift) (£8.36 telephone) prices it at £8.36; use one cost per contact per "
        "channel (from the data or a named parameter) in both",
    ),
    "lever that needs customers able to leave, for a water company": (
        "outsourcer-client",
        lambda p: edit(p / "values.yaml", "  - id: complaint_handling", """  - id: retained_customers
    label: Customers kept by the saves desk
    category: revenue_protected
    benefit_class: non_cash
    amount: 409883
    realised: true
    formula: "2,300 saves x 71% retained after 12 months x £251 annual margin per customer"
  - id: complaint_handling"""),
        "values.yaml, item 3 (retained_customers): revenue protected needs customers able to leave, but the config "
        "says customers_can_switch: false (a regulated monopoly); remove the item, or set customers_can_switch: true "
        "if customers can in fact switch supplier",
    ),
    "service credits the outsourcer avoided": (
        "outsourcer-client",
        lambda p: edit(p / "values.yaml", "  - id: complaint_handling", """  - id: service_credits
    label: Service credits avoided by meeting the service-level target
    category: penalties_avoided
    benefit_class: cash_saving
    amount: 186000
    realised: true
    formula: "12 months x £15,500 credit a point x 1 shortfall point avoided"
  - id: complaint_handling"""),
        "values.yaml, item 3 (service_credits): service credits the outsourcer avoided are the outsourcer's money, not "
        "value to its client; report what the client gains (contract outcomes met, credits paid to the client when a "
        "target was missed, cost against the contract price, gainshare) and remove this item",
    ),
}


@pytest.mark.parametrize("case", list(BAD))
def test_a_bad_value_claim_stops_the_build_and_leaves_last_months_pack_as_it_was(sample, tmp_path, case):
    name, spoil, expected = BAD[case]
    pack = sample(name)
    out = tmp_path / "out"
    first = CliRunner().invoke(cli, ["build", str(pack / "report.yaml"), "-o", str(out)], catch_exceptions=False)
    assert first.exit_code == 0, first.output
    before = {path.name: path.read_bytes() for path in out.iterdir()}

    spoil(pack)
    result = CliRunner().invoke(cli, ["build", str(pack / "report.yaml"), "-o", str(out)], catch_exceptions=False)

    assert result.exit_code == 2, result.output
    assert result.output.splitlines() == [f"error: {expected}"]
    assert {path.name: path.read_bytes() for path in out.iterdir()} == before


def test_as_claimed_keeps_the_amount_flags_it_wherever_it_is_named_and_lists_the_gap(sample, tmp_path, document_text):
    pack = sample("private-insurer")
    edit(pack / "values.yaml", "amount: 526470", "amount: 540000")
    (pack / "report.yaml").write_text((pack / "report.yaml").read_text() + "value_claims: as_claimed\n")
    result = CliRunner().invoke(cli, ["build", str(pack / "report.yaml"), "-o", str(tmp_path / "out")],
                                catch_exceptions=False)
    assert result.exit_code == 0, result.output
    record = json.loads(next((tmp_path / "out").glob("*.run.json")).read_text())
    assert any("ivr_containment): kept as claimed" in w and "£540,000 against" in w and "= £526,470" in w
               for w in record["warnings"])
    paper = "\n".join(document_text(next((tmp_path / "out").glob("*.docx"))))
    named = [line for line in paper.splitlines() if "alls contained by a conversational IVR" in line]
    assert named
    assert all("(as claimed, not reconciled)" in line for line in named)
    assert "£540,000 claimed against £526,470 by its formula" in paper
