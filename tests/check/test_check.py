"""The quality gate: every fault it exists for is found, and narrator's own output passes."""

from __future__ import annotations

import io
import re
import zipfile

import pytest

from narrator.check import Problem, check_bytes, check_documents, errors_only


def messages(problems) -> str:
    return "\n".join(str(p) for p in problems)


def test_problem_is_one_line():
    problem = Problem("pack.pptx", "slide 7, shape 'Chart 3'", "no alt text;\ndescribe it")
    assert str(problem) == "pack.pptx: slide 7, shape 'Chart 3': no alt text; describe it"
    assert problem.is_error
    assert not Problem("a.docx", "", "skipped", severity="note").is_error


@pytest.mark.parametrize("schema", [True, False], ids=["full", "fast"])
def test_faulty_deck(faulty_deck, schema):
    found = messages(check_bytes("pack.pptx", faulty_deck, schema=schema))
    assert "pack.pptx: docProps/core.xml: empty document title" in found
    assert "lastModifiedBy: library boilerplate 'Steve Canny'" in found
    assert "stale date 2013-" in found
    assert "pack.pptx: slide 1, paragraph 2: leftover template text '{{'" in found
    assert "pack.pptx: slide 2: title 'Service held steady' repeats slide 1" in found
    assert re.search(r"pack\.pptx: slide 2, shape 'Chart \d+': no alt text", found)
    assert re.search(r"slide 2, shape 'TextBox \d+': text needs", found)
    assert "column 'Confidence' is narrower than the word 'Confidence'" in found


@pytest.mark.parametrize("schema", [True, False], ids=["full", "fast"])
def test_faulty_paper(faulty_paper, schema):
    found = messages(check_bytes("paper.docx", faulty_paper, schema=schema))
    assert "paper.docx: document, paragraph 1: leftover template text 'Action title:'" in found
    assert "creator: library boilerplate 'python-docx'" in found


def test_baseline_hides_a_templates_own_validator_findings(faulty_paper):
    pytest.importorskip("openxml_audit")
    plain = [p for p in check_bytes("paper.docx", faulty_paper) if p.where.startswith("/word/")]
    assert plain  # python-docx's default template trips the validator's Word-compatibility rules
    shared = check_bytes("paper.docx", faulty_paper, baseline=faulty_paper)
    assert not [p for p in shared if p.where.startswith("/word/")]


@pytest.mark.parametrize(
    ("name", "data", "expected"),
    [
        ("x.pptx", b"not a zip", "x.pptx: package: not a zip package"),
        ("x.docx", b"\xd0\xcf\x11\xe0" + b"\0" * 60, "x.docx: package: not a zip package"),
    ],
)
def test_unreadable_files(name, data, expected):
    assert messages(check_bytes(name, data)).startswith(expected)


@pytest.mark.parametrize("schema", [True, False], ids=["full", "fast"])
def test_a_damaged_xml_part_is_named(faulty_deck, schema):
    source = zipfile.ZipFile(io.BytesIO(faulty_deck))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as target:
        for info in source.infolist():
            data = source.read(info)
            if info.filename == "ppt/slides/slide2.xml":
                data = data[: len(data) // 2]  # cut off mid-element, as a failed copy would
            target.writestr(info, data)
    found = check_bytes("pack.pptx", out.getvalue(), schema=schema)
    assert [str(p).split(" (")[0] for p in found] == ["pack.pptx: ppt/slides/slide2.xml: not well-formed XML"]


def test_paths_and_missing_files(tmp_path, faulty_paper):
    path = tmp_path / "paper.docx"
    path.write_bytes(faulty_paper)
    found = check_documents([path, tmp_path / "gone.pptx"])
    assert any(p.file == str(path) for p in found)
    assert str(found[-1]) == f"{tmp_path / 'gone.pptx'}: file not found or empty"
    assert check_documents({"notes.md": b"# hi"}) == []


def test_sample_packs_pass(tmp_path, monkeypatch):
    from pathlib import Path

    from narrator.pipeline import prepare, render_documents

    root = Path(__file__).resolve().parents[2] / "samples"
    monkeypatch.chdir(tmp_path)
    for sample in ("private-insurer", "public-council", "tei-worked-example"):
        prepared = prepare(root / sample / "report.yaml")
        documents = render_documents(prepared.story, prepared.loaded)
        named = {f"{sample}.{kind}": data for kind, data in documents.items() if kind in ("pptx", "docx")}
        assert messages(errors_only(check_documents(named))) == ""
