"""7. Text round-trips: ampersands, angle brackets, quotes, right-to-left marks and control characters
in the organisation, segment names, value labels and sources come back exactly (control characters
cleaned) from both documents, and every sample built with them passes the gate."""

from __future__ import annotations

import shutil
import zipfile
from pathlib import Path

import pytest
import yaml
from hostile_kit import run

SAMPLES = Path(__file__).resolve().parents[2] / "samples"
RTL = "\u200fשלום\u200f \u202bمرحبا\u202c"
SUFFIX = f' & <co> "q" \'a\' {RTL}'
ORGANISATION = f'Smith & Sons <Direct> "Quoted" {RTL}'


def hostile_copy(name: str, folder: Path) -> Path:
    """A sample with hostile text in its organisation, every value label and every value source."""
    target = folder / name
    shutil.copytree(SAMPLES / name, target)
    config = yaml.safe_load((target / "report.yaml").read_text(encoding="utf-8"))
    config["organisation"] = ORGANISATION + "\x07"
    config["slug"] = "hostile"
    (target / "report.yaml").write_text(yaml.safe_dump(config, allow_unicode=True), encoding="utf-8")
    values_path = target / "values.yaml"
    values = yaml.safe_load(values_path.read_text(encoding="utf-8"))
    for item in values["items"] if isinstance(values, dict) else values:
        item["label"] = item["label"] + SUFFIX
        if item.get("source"):
            item["source"] = item["source"] + SUFFIX + "\x1b"
    values_path.write_text(yaml.safe_dump(values, allow_unicode=True), encoding="utf-8")
    return target / "report.yaml"


def _all_xml_text(document: Path) -> str:
    """Every text node of every XML part, entities decoded: what any part of the file says."""
    from lxml import etree

    texts = []
    with zipfile.ZipFile(document) as package:
        for part in package.namelist():
            if part.endswith(".xml"):
                root = etree.fromstring(package.read(part))
                texts.append("".join(root.itertext()))
    return "\n".join(texts)


@pytest.mark.parametrize("name", ["private-insurer", "outsourcer-client", "public-council", "tei-worked-example"])
def test_every_sample_builds_with_hostile_text_and_passes_the_gate(tmp_path, name, document_text):
    config = hostile_copy(name, tmp_path)
    out = tmp_path / "out"
    result = run("build", config, "-o", out)  # the full gate, as a scheduled run uses it
    assert result.exit_code == 0, result.stderr
    for kind in ("docx", "pptx"):
        document = out / f"hostile.{kind}"
        visible = "\n".join(document_text(document))
        everything = _all_xml_text(document)
        assert ORGANISATION in everything, f"{kind}: organisation not found exactly"
        assert SUFFIX.strip() in visible, f"{kind}: a hostile label or source did not come back exactly"
        assert "\x07" not in everything
        assert "\x1b" not in everything


def test_segment_names_with_markup_characters_come_back_exactly(pack, tmp_path, document_text):
    import narrator

    name = "Chat & <bots> 'web' \u200fצ'אט\u200f"
    pack.replace("kpis.csv", "Web chat", name, count=-1)
    result = narrator.build(pack.config, tmp_path / "out", segment=name, check="fast")
    for kind in ("docx", "pptx"):
        assert name in "\n".join(document_text(result.outputs[kind])), kind
        assert name in _all_xml_text(result.outputs[kind]), kind


def test_word_table_cells_powerpoint_table_cells_and_footnotes_escape_their_text(tmp_path):
    """The deliberate-bug check of the issue: without XML escaping in any of these, "phone & IVR to
    <web chat>" breaks the package; here it must come back as written from each of them."""
    from docx import Document
    from lxml import etree
    from pptx import Presentation

    config = hostile_copy("private-insurer", tmp_path)
    renamed = "values & <co> 'q'.yaml"  # file names are cited in the footnotes
    (config.parent / "values.yaml").rename(config.parent / renamed)
    data = yaml.safe_load(config.read_text(encoding="utf-8"))
    data["inputs"]["values"] = renamed
    config.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    out = tmp_path / "out"
    assert run("build", config, "-o", out, "--no-check").exit_code == 0
    paper = Document(str(out / "hostile.docx"))
    cells = [cell.text for table in paper.tables for row in table.rows for cell in row.cells]
    assert any(SUFFIX.strip() in cell for cell in cells), "Word table cells"
    deck = Presentation(str(out / "hostile.pptx"))
    deck_cells = [
        cell.text
        for slide in deck.slides
        for shape in slide.shapes
        if shape.has_table
        for row in shape.table.rows
        for cell in row.cells
    ]
    assert any(SUFFIX.strip() in cell for cell in deck_cells), "PowerPoint table cells"
    with zipfile.ZipFile(out / "hostile.docx") as package:
        notes = package.read("word/footnotes.xml") if "word/footnotes.xml" in package.namelist() else b""
    assert notes, "the paper has footnotes"
    assert renamed in "".join(etree.fromstring(notes).itertext()), "Word footnotes"
    assert b"values &amp; &lt;co&gt;" in notes
