"""Bring-your-own templates: client layouts, sizes, fonts and logos; bad templates fail early and clearly."""

from __future__ import annotations

import importlib.util
import io
from pathlib import Path

import pytest
from pptx import Presentation
from pptx.enum.shapes import MSO_SHAPE_TYPE

from narrator.errors import OfficeTemplateError
from narrator.render import render_docx, render_pptx
from narrator.render.inspect import inspect_template
from narrator.resources import reference_template

DATA = Path(__file__).parent / "data"
ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def deck_43(rich_story):
    return Presentation(io.BytesIO(render_pptx(rich_story, DATA / "brand-43.pptx")))


@pytest.fixture(scope="module")
def deck_169(rich_story):
    return Presentation(io.BytesIO(render_pptx(rich_story, DATA / "brand-169.potx")))


def test_4_3_template_keeps_its_size_and_renamed_layouts(deck_43):
    assert (deck_43.slide_width, deck_43.slide_height) == (9144000, 6858000)
    layouts = [slide.slide_layout.name for slide in deck_43.slides]
    assert layouts[0] == "Titel"
    assert set(layouts[1:]) == {"Inhalt"}
    for slide in deck_43.slides:
        for shape in slide.shapes:
            assert shape.left + shape.width <= deck_43.slide_width
            assert shape.top + shape.height <= deck_43.slide_height


def test_16_9_template_keeps_logo_and_uses_its_layouts(deck_169):
    assert (deck_169.slide_width, deck_169.slide_height) == (12192000, 6858000)
    assert {s.slide_layout.name for s in deck_169.slides} == {"Cover", "Content"}
    logos = [s for s in deck_169.slide_master.shapes if s.shape_type == MSO_SHAPE_TYPE.PICTURE]
    assert [logo.name for logo in logos] == ["Logo"]


def test_theme_fonts_and_colours_carry_through(deck_43, parts, rich_story):
    entries = parts(render_pptx(rich_story, DATA / "brand-43.pptx"))
    theme = next(v for k, v in entries.items() if k.startswith("ppt/theme/")).decode("utf-8")
    assert 'typeface="Cambria"' in theme
    assert 'typeface="Times New Roman"' in theme
    assert "2E7D5B" in theme
    charts = [v.decode("utf-8") for k, v in entries.items() if k.startswith("ppt/charts/chart")]
    assert charts
    assert all("<a:srgbClr" not in c.split("<c:plotArea>")[1].split("</c:ser>")[0] for c in charts)


def test_word_templates_keep_page_header_and_fonts(rich_story):
    import docx

    paper = docx.Document(io.BytesIO(render_docx(rich_story, DATA / "brand-43.docx")))
    section = paper.sections[-1]
    assert (section.page_width, section.page_height) == (7772400, 10058400)  # US Letter
    assert "Green Mutual" in [p.text for p in section.header.paragraphs]
    names = {s.name for s in paper.styles}
    assert {"Caption", "List Bullet"} <= names  # missing from the template, added by narrator
    logo = docx.Document(io.BytesIO(render_docx(rich_story, DATA / "brand-169.dotx")))
    assert list(logo.sections[-1].header._element.iter("{*}docPr"))


def test_client_template_output_passes_the_gate(rich_story):
    from narrator.check import check_bytes, errors_only

    for name, template in (
        ("brand.pptx", "brand-169.potx"),
        ("brand.docx", "brand-43.docx"),
        ("brand.docx", "brand-169.dotx"),
        ("default.pptx", None),
        ("default.docx", None),
    ):
        kind = name.rsplit(".", 1)[1]
        blob = (render_pptx if kind == "pptx" else render_docx)(
            rich_story, DATA / template if template else None
        )
        assert [str(p) for p in errors_only(check_bytes(name, blob))] == []


def test_inspect_marks_the_layouts_narrator_uses():
    listing = inspect_template(DATA / "brand-43.pptx")
    assert '"Titel" (master 1): title, subtitle  <- cover' in listing
    assert '"Inhalt" (master 1): title, text  <- content and exhibit' in listing
    assert "theme fonts: headings Cambria (major), body Times New Roman (minor)" in listing
    assert "4:3" in listing
    assert "1 picture(s)" in inspect_template(DATA / "brand-169.potx")
    word = inspect_template(DATA / "brand-43.docx")
    assert '"Caption": missing: narrator adds one in the template' in word
    assert "body font: Times New Roman" in word


def test_no_usable_layout_lists_what_there_is(tmp_path, story):
    prs = Presentation(str(DATA / "brand-43.pptx"))
    for layout in list(prs.slide_layouts):
        if layout.name not in ("Titel", "Leer", "Nur Titel"):
            prs.slide_layouts.remove(layout)
    bad = tmp_path / "brand.pptx"
    prs.save(bad)
    with pytest.raises(OfficeTemplateError) as caught:
        render_pptx(story, bad)
    message = str(caught.value)
    assert (
        'layouts found: "Titel" (title, subtitle); "Nur Titel" (title); "Leer" (no placeholders)' in message
    )
    assert "problems:" in inspect_template(bad)


@pytest.mark.parametrize("kind", ["pptx", "docx"])
def test_password_protected_template(tmp_path, story, kind):
    locked = tmp_path / f"locked.{kind}"
    locked.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 504)
    render = render_pptx if kind == "pptx" else render_docx
    with pytest.raises(OfficeTemplateError, match="password-protected or in the old binary format"):
        render(story, locked)


def test_test_templates_match_their_generator():
    spec = importlib.util.spec_from_file_location(
        "make_test_templates", ROOT / "tools" / "make_test_templates.py"
    )
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    for name, make in module.TEMPLATES.items():
        assert make() == (DATA / name).read_bytes(), f"{name}: run python tools/make_test_templates.py"


def test_default_template_still_preferred_by_name():
    from narrator.render.layouts import plan_layouts

    prs = Presentation(str(reference_template("pptx")))
    choices = plan_layouts(prs, "default.pptx").choices
    assert choices["content"].name == "Title and Content"
    assert choices["cover"].name == "Title Slide"
