"""Reference templates: built-in defaults, client .potx/.dotx, and clear errors for bad ones."""

from __future__ import annotations

import importlib.util
import io
import zipfile
from pathlib import Path

import pytest
from pptx import Presentation

from narrator.errors import OfficeTemplateError
from narrator.render import render_docx, render_pptx
from narrator.resources import reference_template

ROOT = Path(__file__).resolve().parents[2]


def _retype(blob: bytes, old: str, new: str) -> bytes:
    with zipfile.ZipFile(io.BytesIO(blob)) as zf:
        entries = {info.filename: zf.read(info) for info in zf.infolist()}
    entries["[Content_Types].xml"] = entries["[Content_Types].xml"].replace(old.encode(), new.encode())
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as zf:
        for name, data in entries.items():
            zf.writestr(name, data)
    return out.getvalue()


@pytest.mark.parametrize("render", [render_pptx, render_docx])
def test_text_file_renamed(tmp_path, story, render):
    bad = tmp_path / ("notes.pptx" if render is render_pptx else "notes.docx")
    bad.write_text("not an office file")
    with pytest.raises(OfficeTemplateError, match=r"notes\.(pptx|docx): not an Office file") as info:
        render(story, bad)
    assert len(info.value.problems) == 1
    assert "\n" not in info.value.problems[0]


@pytest.mark.parametrize(("render", "kind"), [(render_pptx, "pptx"), (render_docx, "docx")])
def test_truncated_zip(tmp_path, story, render, kind):
    data = reference_template(kind).read_bytes()
    bad = tmp_path / f"cut.{kind}"
    bad.write_bytes(data[: len(data) // 2])
    with pytest.raises(OfficeTemplateError, match="damaged or truncated"):
        render(story, bad)


def test_docx_given_as_pptx(tmp_path, story):
    bad = tmp_path / "paper.pptx"
    bad.write_bytes(reference_template("docx").read_bytes())
    with pytest.raises(OfficeTemplateError, match="is a Word file, but a PowerPoint template is needed"):
        render_pptx(story, bad)


def test_pptx_given_as_docx(tmp_path, story):
    bad = tmp_path / "deck.docx"
    bad.write_bytes(reference_template("pptx").read_bytes())
    with pytest.raises(OfficeTemplateError, match="is a PowerPoint file, but a Word template is needed"):
        render_docx(story, bad)


def test_missing_file(tmp_path, story):
    with pytest.raises(OfficeTemplateError, match="not found"):
        render_pptx(story, tmp_path / "nowhere.pptx")


def test_template_without_content_layout(tmp_path, story):
    prs = Presentation(str(reference_template("pptx")))
    for layout in list(prs.slide_layouts):
        if layout.name not in ("Title Slide", "Blank"):
            prs.slide_layouts.remove(layout)
    bad = tmp_path / "brand.pptx"
    prs.save(bad)
    with pytest.raises(
        OfficeTemplateError, match=r"brand\.pptx: has no slide layout with room for a slide.s content"
    ):
        render_pptx(story, bad)


def test_potx_and_dotx_are_accepted(tmp_path, story):
    potx = tmp_path / "brand.potx"
    potx.write_bytes(
        _retype(reference_template("pptx").read_bytes(), "presentation.main+xml", "template.main+xml")
    )
    dotx = tmp_path / "brand.dotx"
    dotx.write_bytes(
        _retype(reference_template("docx").read_bytes(), "document.main+xml", "template.main+xml")
    )
    assert render_pptx(story, potx) == render_pptx(story)
    assert render_docx(story, dotx)


def test_template_sample_slides_are_dropped(tmp_path, story):
    prs = Presentation(str(reference_template("pptx")))
    prs.slides.add_slide(prs.slide_layouts[1]).shapes.title.text = "Sample slide from the brand team"
    branded = tmp_path / "brand.pptx"
    prs.save(branded)
    deck = Presentation(io.BytesIO(render_pptx(story, branded)))
    assert "Sample slide from the brand team" not in [s.shapes.title.text_frame.text for s in deck.slides]


def test_default_templates_are_clean(parts):
    deck = Presentation(str(reference_template("pptx")))
    assert (deck.slide_width, deck.slide_height) == (12192000, 6858000)
    assert {"Title Slide", "Title and Content", "Section Header"} <= {lay.name for lay in deck.slide_layouts}
    for kind in ("pptx", "docx"):
        entries = parts(reference_template(kind).read_bytes())
        text = b"".join(v for k, v in entries.items() if k.endswith(".xml")).decode("utf-8", "replace")
        assert "Click to edit" not in text
        assert "Steve Canny" not in text


def test_default_templates_match_their_generator():
    spec = importlib.util.spec_from_file_location(
        "make_reference_templates", ROOT / "tools" / "make_reference_templates.py"
    )
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    assert module.make_pptx() == reference_template("pptx").read_bytes()
    assert module.make_docx() == reference_template("docx").read_bytes()
