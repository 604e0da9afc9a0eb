"""Every number in the text of both documents traces to a fact: nothing else puts a digit on a page."""

import re

import pytest

from narrator.pipeline import build
from narrator.record import _all_segments

SAMPLES = ["private-insurer", "public-council", "tei-worked-example", "outsourcer-client"]


@pytest.mark.parametrize("name", SAMPLES)
def test_every_number_in_both_documents_comes_from_a_fact(name, sample, document_text, tmp_path):
    result = build(sample(name) / "report.yaml", tmp_path / "out")
    book = result.computed.book
    values = {}
    for segment in _all_segments(result.story):
        for value in segment.values():
            assert value.fact_id in book, f"{value.text!r} cites an unknown fact {value.fact_id}"
            values[value.text] = value.fact_id
    # Longest first, so "£1,564,011" is removed whole before "£1" could match a part of it.
    stated = sorted(values, key=len, reverse=True)

    for kind in ("docx", "pptx"):
        for text in document_text(result.outputs[kind]):
            rest = text
            for value in stated:
                rest = rest.replace(value, "\u2022")
            # Page X of Y and "Figure 2" / "Table 1" captions are document furniture, numbered by Word.
            rest = re.sub(r"\b(Page|Figure|Table) \d+( of \d+)?", "", rest)
            assert not re.search(r"\d", rest), f"{kind}: untraced number in {text!r}"


def test_run_record_lists_each_stated_fact_with_its_source(sample, tmp_path):
    import json

    result = build(sample("private-insurer") / "report.yaml", tmp_path / "out")
    record = json.loads(result.outputs["record"].read_text())
    facts = {f["id"]: f for f in record["facts"]}
    latest = facts["kpi.service_level.latest"]
    assert latest["unit"] == "percent"
    assert latest["derivation"] == "average of segments weighted by contacts offered"
    assert any(s.startswith('kpis.csv, row ') for s in latest["sources"])
    assert set(record["inputs"]) == {"config", "kpis", "values", "investment"}
    assert all(len(entry["sha256"]) == 64 for entry in record["inputs"].values())
    assert set(record["outputs"]) == {f"{result.story.slug}.docx", f"{result.story.slug}.pptx"}
