"""Every sample builds board-ready documents on the default template and on two organisations' own
templates (4:3 with renamed layouts and serif fonts; 16:9 .potx/.dotx with a logo), passing the full
quality gate, and builds byte-identically twice."""

from pathlib import Path

import pytest
import yaml

from narrator.pipeline import build

REPO = Path(__file__).resolve().parent.parent
DATA = REPO / "tests" / "render" / "data"
TEMPLATES = {
    "default": None,
    "brand-43": (DATA / "brand-43.pptx", DATA / "brand-43.docx"),
    "brand-169": (DATA / "brand-169.potx", DATA / "brand-169.dotx"),
}
SAMPLES = ["private-insurer", "public-council", "outsourcer-client", "tei-worked-example"]


def on_template(pack: Path, template: str) -> Path:
    config = pack / "report.yaml"
    if TEMPLATES[template]:
        data = yaml.safe_load(config.read_text())
        pptx, docx = TEMPLATES[template]
        data["reference"] = {"pptx": str(pptx), "docx": str(docx)}
        config.write_text(yaml.safe_dump(data))
    return config


@pytest.mark.parametrize("template", TEMPLATES)
@pytest.mark.parametrize("name", SAMPLES)
def test_sample_passes_the_full_gate(name, template, sample, tmp_path):
    config = on_template(sample(name), template)
    result = build(config, tmp_path / "out", check="full")  # raises QualityError on any problem
    assert sorted(result.outputs) == ["docx", "pptx", "record"]


@pytest.mark.parametrize("template", TEMPLATES)
def test_builds_are_byte_identical(template, sample, tmp_path):
    config = on_template(sample("private-insurer"), template)
    first = build(config, tmp_path / "one", check="off")
    second = build(config, tmp_path / "two", check="off")
    for kind in ("docx", "pptx", "record"):
        assert first.outputs[kind].read_bytes() == second.outputs[kind].read_bytes(), kind
