"""Real corporate templates no one here made (../shared/data/templates): every sample builds on each, loses
nothing, and passes the gate."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from pptx import Presentation

from narrator.check import check_bytes, errors_only
from narrator.pipeline import prepare
from narrator.render import render_docx, render_pptx

ROOT = Path(__file__).resolve().parents[2]
CORPUS = ROOT.parent / "shared" / "data" / "templates"
TEMPLATES = sorted(p for p in CORPUS.glob("*.*x") if p.suffix in (".pptx", ".potx", ".docx", ".dotx"))
pytestmark = pytest.mark.skipif(not TEMPLATES, reason="the corporate template corpus is not on this machine")


@pytest.fixture(scope="module")
def insurer():
    return prepare(ROOT / "samples" / "private-insurer" / "report.yaml").story


def _render(story, template: Path) -> tuple[str, bytes]:
    if template.suffix in (".pptx", ".potx"):
        return "pptx", render_pptx(story, template)
    return "docx", render_docx(story, template)


@pytest.mark.parametrize("template", TEMPLATES, ids=lambda p: p.stem)
def test_sample_builds_and_loses_nothing(insurer, template):
    kind, blob = _render(insurer, template)
    problems = errors_only(check_bytes(f"pack.{kind}", blob, schema=False, story=insurer))
    assert [str(p) for p in problems] == []


def test_bullets_reach_a_body_placeholder_of_any_idx(insurer):
    """The regional council's layouts have bodies at idx 10-12 only: the bullets must still be there."""
    template = CORPUS / "pptx-16x9-regional-council-board-no-slides.pptx"
    deck = Presentation(io.BytesIO(render_pptx(insurer, template)))
    text = "\n".join(shape.text_frame.text for slide in deck.slides for shape in slide.shapes if shape.has_text_frame)
    for section in insurer.sections:
        if section.in_deck:
            for bullet in section.bullets:
                assert bullet.plain() in text


def test_content_layouts_on_a_second_master_are_found(insurer):
    template = CORPUS / "pptx-16x9-german-two-masters-manufacturer.potx"
    deck = Presentation(io.BytesIO(render_pptx(insurer, template)))
    used = [slide.slide_layout.name for slide in deck.slides]
    assert used[0] == "Titelfolie"
    assert set(used[1:]) == {"Normal"}


def test_completeness_names_the_slide_and_segment_that_went_missing(insurer):
    template = CORPUS / "pptx-16x9-german-two-masters-manufacturer.potx"
    blob = render_pptx(insurer, template)
    section = next(s for s in insurer.sections if s.in_deck and s.bullets and s.kind != "cover")
    lost = section.bullets[0].plain()
    problems = [str(p) for p in check_bytes("pack.pptx", _without_text(blob, lost), schema=False, story=insurer)]
    assert any("bullet 1 is missing from the deck" in p and "slide " in p for p in problems), problems


def _without_text(blob: bytes, text: str) -> bytes:
    """The deck with one run's text blanked, as a template that swallowed a bullet would leave it."""
    import zipfile

    out = io.BytesIO()
    escaped = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").encode("utf-8")
    with zipfile.ZipFile(io.BytesIO(blob)) as zin, zipfile.ZipFile(out, "w") as zout:
        for info in zin.infolist():
            data = zin.read(info)
            if info.filename.startswith("ppt/slides/slide"):
                data = data.replace(escaped, b"")
            zout.writestr(info, data)
    return out.getvalue()
