"""Real corporate templates no one here made (../shared/data/templates): every sample builds on each through
the full gate (schema validation with the template's own findings left to it, completeness, contrast,
overflow), loses nothing, and keeps the template's furniture."""

from __future__ import annotations

import io
import shutil
from pathlib import Path

import pytest
from pptx import Presentation

from narrator.check import check_bytes, errors_only
from narrator.errors import NarratorError
from narrator.pipeline import build, prepare
from narrator.render import render_docx, render_pptx

ROOT = Path(__file__).resolve().parents[2]
CORPUS = ROOT.parent / "shared" / "data" / "templates"
TEMPLATES = sorted(p for p in CORPUS.glob("*.*x") if p.suffix in (".pptx", ".potx", ".docx", ".dotx"))
DECKS = [p for p in TEMPLATES if p.suffix in (".pptx", ".potx")]
PAPERS = [p for p in TEMPLATES if p.suffix in (".docx", ".dotx")]
SAMPLES = ("private-insurer", "outsourcer-client", "tei-worked-example", "public-council")
pytestmark = pytest.mark.skipif(not TEMPLATES, reason="the corporate template corpus is not on this machine")


@pytest.fixture(scope="module")
def corpus_builds(tmp_path_factory):
    """Every sample built through the full gate on every template, once for all the tests below: each build
    pairs one deck template with one paper template, so 32 builds cover the 12 x 4 documents.

    Returns {(sample, template name): (deck or paper path, None) or (None, the build's error)}."""
    results: dict[tuple[str, str], tuple[Path | None, str | None]] = {}
    root = tmp_path_factory.mktemp("corpus")
    for s, sample in enumerate(SAMPLES):
        for d, deck in enumerate(DECKS):
            paper = PAPERS[(d + s) % len(PAPERS)]
            pack = root / f"{sample}-{d}"
            shutil.copytree(ROOT / "samples" / sample, pack)
            config = pack / "report.yaml"
            config.write_text(
                config.read_text(encoding="utf-8") + f"\nreference:\n  pptx: {deck}\n  docx: {paper}\n",
                encoding="utf-8",
            )
            try:
                built = build(config, pack / "out", check="full")
                outputs, error = built.outputs, None
            except NarratorError as exc:
                outputs, error = {}, str(exc)
            results[(sample, deck.name)] = (outputs.get("pptx"), error)
            if (sample, paper.name) not in results or results[(sample, paper.name)][1]:
                results[(sample, paper.name)] = (outputs.get("docx"), error)
    return results


@pytest.mark.parametrize("sample", SAMPLES)
@pytest.mark.parametrize("template", TEMPLATES, ids=lambda p: p.stem)
def test_every_sample_passes_the_full_gate_on_every_template(corpus_builds, sample, template):
    path, error = corpus_builds[(sample, template.name)]
    assert error is None, error
    assert path is not None
    assert path.stat().st_size > 0


def test_word_page_numbers_are_the_templates_own_not_doubled(corpus_builds):
    """The public health template's footers number their pages in a content control: no second number."""
    import docx

    path, error = corpus_builds[("private-insurer", "docx-content-controls-public-health-agency.docx")]
    assert error is None, error
    paper = docx.Document(str(path))
    footer = paper.sections[-1].footer._element
    instructions = [t.text.split()[0] for t in footer.iter("{*}instrText") if t.text and t.text.strip()]
    assert instructions.count("PAGE") == 1, instructions
    assert "Board confidential".upper() in "".join(
        t.text or "" for t in paper.sections[-1].header._element.iter("{*}t")
    )
    assert len(paper.sections) == 2  # the template's cover section kept for the cover, with its logo
    assert list(paper.sections[0].first_page_header._element.iter("{*}docPr"))


def test_word_footer_text_is_merged_on_even_and_odd_pages(corpus_builds):
    import docx

    path, error = corpus_builds[("private-insurer", "docx-a4-standards-committee-even-odd-footers.docx")]
    assert error is None, error
    section = docx.Document(str(path)).sections[-1]
    for footer in (section.footer, section.even_page_footer):
        lines = ["".join(t.text or "" for t in p.iter("{*}t")) for p in footer._element.iter("{*}p")]
        merged = [line for line in lines if "All rights reserved" in line]
        assert merged, lines
        assert "Customer service report" in merged[0], lines
        fields = [t.text.split()[0] for t in footer._element.iter("{*}instrText") if t.text and t.text.strip()]
        assert fields.count("PAGE") == 1, fields


def test_localised_style_ids_are_used_not_duplicated(corpus_builds):
    import docx

    path, error = corpus_builds[("private-insurer", "docx-french-styleids-county-government.docx")]
    assert error is None, error
    paper = docx.Document(str(path))
    ids = [
        s.get("{http://schemas.openxmlformats.org/wordprocessingml/2006/main}styleId")
        for s in paper.styles.element.iter("{*}style")
    ]
    assert len(ids) == len(set(ids))
    headings = [p for p in paper.paragraphs if p.style.style_id == "Titre1"]
    assert headings, "section headings should use the template's heading 1 (id Titre1)"


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


def test_contrast_check_names_unreadable_text(insurer):
    """A lead in #DDDDDD on white (a pale accent 1) is what the issue saw; the gate must refuse it."""
    from pptx.dml.color import RGBColor

    template = CORPUS / "pptx-16x9-german-two-masters-manufacturer.potx"
    deck = Presentation(io.BytesIO(render_pptx(insurer, template)))
    lead = next(shape for slide in deck.slides for shape in slide.shapes if shape.name == "Lead")
    lead.text_frame.paragraphs[0].runs[0].font.color.rgb = RGBColor(0xDD, 0xDD, 0xDD)
    out = io.BytesIO()
    deck.save(out)
    problems = [str(p) for p in check_bytes("pack.pptx", out.getvalue(), schema=False)]
    assert any("shape 'Lead': text #DDDDDD on #FFFFFF has a contrast of 1.4:1, below 3:1" in p for p in problems), (
        problems
    )


def test_pale_theme_colours_are_replaced_and_reported():
    """The pastel institute's accents are too faint on white: inspect says which colour replaced which."""
    from narrator.render.inspect import inspect_template

    listing = inspect_template(CORPUS / "pptx-16x9-10in-pastel-research-institute.potx")
    changes = listing.split("colours changed for contrast")[1]
    assert "chart series accent3" in changes
    assert "uses" in changes


def test_a_template_style_that_hides_its_text_does_not_hide_the_title(corpus_builds):
    """The standards committee's Title style is hidden (w:vanish, for pandoc): the paper's title shows."""
    import docx

    path, error = corpus_builds[("private-insurer", "docx-a4-standards-committee-even-odd-footers.docx")]
    assert error is None, error
    title = docx.Document(str(path)).paragraphs[0]
    assert title.style.name == "Title"
    assert title.runs
    assert all(run.font.hidden is False for run in title.runs)
