"""The board paper: cover, contents, sections, native charts, footnoted sources, furniture, metadata."""

from __future__ import annotations

import io

import docx
import pytest

from narrator.render import render_docx

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


@pytest.fixture(scope="module")
def blob(story) -> bytes:
    return render_docx(story)


@pytest.fixture(scope="module")
def paper(blob):
    return docx.Document(io.BytesIO(blob))


@pytest.fixture(scope="module")
def body_xml(blob, parts) -> str:
    return parts(blob)["word/document.xml"].decode()


def test_cover_block(paper, story):
    texts = [p.text for p in paper.paragraphs[:10]]
    assert texts[0] == story.title.plain()
    assert texts[1] == story.subtitle.plain()
    assert "Purpose: For decision" in texts
    assert "Author: Jane Smith, Director of Customer Operations" in texts
    assert story.furniture.data_as_of.plain() in texts
    assert any(story.resolution.plain() in t for t in texts)


def test_headings_in_order_summary_first(paper, story):
    headings = [p.text for p in paper.paragraphs if p.style.name == "Heading 1"]
    assert headings == [s.heading for s in story.sections if s.kind != "cover"]


def test_table_of_contents_field(paper, body_xml, blob, parts):
    assert 'TOC \\o "1-2" \\h \\z \\u' in body_xml
    toc = [p.text for p in paper.paragraphs if p.style.name == "TOC 1"]
    assert toc[0] == "Executive summary"  # the placeholder result reads well before Word updates it
    assert '<w:updateFields w:val="true"/>' in parts(blob)["word/settings.xml"].decode()


def test_sections_carry_title_lead_body_and_bullets(paper, story):
    texts = [p.text for p in paper.paragraphs]
    problem = story.sections[2]
    assert problem.title.plain() in texts
    assert problem.lead.plain() in texts
    bullets = [p.text for p in paper.paragraphs if p.style.name == "List Bullet"]
    assert bullets == [b.plain() for b in problem.bullets]  # the others have body paragraphs instead
    assert story.sections[1].body[0].plain() in texts


def test_tables_repeat_header_rows_and_align_numbers(paper, story):
    assert len(paper.tables) == 2
    for table, spec in zip(paper.tables, [story.sections[4].table, story.sections[-1].table], strict=True):
        header = table.rows[0]._tr
        assert header.trPr.find(f"{W}tblHeader") is not None
        assert [c.text for c in table.rows[0].cells] == [s.plain() for s in spec.header]
        assert len(table.rows) == len(spec.rows) + 1
        assert table.rows[1].cells[1].paragraphs[0].alignment == 2  # WD_ALIGN_PARAGRAPH.RIGHT
        assert table.rows[1].cells[0].paragraphs[0].alignment is None


def test_captions_are_numbered_fields(paper, body_xml):
    captions = [p.text for p in paper.paragraphs if p.style.name == "Caption"]
    assert captions[0].startswith("Figure 1: Service level")
    assert any(c.startswith("Table 2: Performance and value by site") for c in captions)
    assert body_xml.count("SEQ Figure") == 2
    assert body_xml.count("SEQ Table") == 2


def test_sources_are_footnotes(blob, body_xml, story, parts):
    notes = parts(blob)["word/footnotes.xml"].decode()
    assert story.sections[2].chart.source.plain() in notes
    assert story.sections[-1].table.source.plain() in notes
    assert body_xml.count("<w:footnoteReference") == notes.count("<w:footnoteRef/>") == 6


def test_native_charts_with_alt_text(paper, blob, body_xml, story, parts):
    chart_rels = [r for r in paper.part.rels.values() if r.reltype.endswith("/chart")]
    assert len(chart_rels) == 2
    xml = parts(blob)["word/charts/chart1.xml"].decode()
    assert "<c:formatCode>0.0%</c:formatCode>" in xml
    assert 'formatCode="0%"' in xml
    assert "<c:externalData" in xml
    assert story.sections[2].chart.alt_text.split(":")[0] in body_xml
    assert sum(n.startswith("word/embeddings/") for n in parts(blob)) == 2


def test_header_and_page_x_of_y(paper):
    section = paper.sections[0]
    assert section.header.paragraphs[0].text == "BOARD CONFIDENTIAL"
    footer = section.footer.paragraphs[0]._p.xml
    assert " PAGE " in footer
    assert " NUMPAGES " in footer
    assert "Data as of 31 March 2025" in section.footer.paragraphs[0].text


def test_clean_document_properties(paper, blob, parts, leftovers):
    core = paper.core_properties
    assert core.title == "Contact centre: restoring service to protect £5.6m"
    assert core.author == core.last_modified_by == "Jane Smith, Director of Customer Operations"
    assert core.revision == 1
    assert core.created == core.modified
    docprops = b"".join(v for k, v in parts(blob).items() if k.startswith("docProps/")).decode()
    assert "<Company>Acme Utilities plc</Company>" in docprops
    assert not any(word in docprops for word in leftovers)


def test_byte_identical_builds(story, blob):
    assert render_docx(story) == blob


def test_valid_open_xml(blob, audit):
    assert audit("paper.docx", blob) == []


def test_combo_and_waterfall_in_paper(rich_story, parts, audit):
    blob = render_docx(rich_story)
    charts = [v.decode() for k, v in parts(blob).items() if k.startswith("word/charts/chart")]
    assert len(charts) == 4
    assert any("<c:lineChart>" in c and "<c:barChart>" in c for c in charts)
    assert audit("rich.docx", blob) == []


def test_libreoffice_converts_the_paper(blob, to_pdf):
    pdf = to_pdf("paper.docx", blob)
    assert pdf.startswith(b"%PDF")
