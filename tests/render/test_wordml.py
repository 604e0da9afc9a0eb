"""WordprocessingML written directly: the same XML python-docx writes for the same steps."""

from __future__ import annotations

import itertools

import docx
import pytest
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.text.font import CT_RPr
from docx.oxml.text.parfmt import CT_PPr
from docx.shared import Pt
from docx.text.paragraph import Paragraph
from lxml import etree

from narrator.render import wordml


@pytest.mark.parametrize("code", [0x00, 0x08, 0x0B, 0x0C, 0x0E, 0x1F, 0xD800, 0xDFFF, 0xFFFE, 0xFFFF])
def test_characters_xml_cannot_hold_go_to_python_docx(code):
    assert wordml.paragraph(f"a{chr(code)}b") is None


@pytest.mark.parametrize("code", [0x09, 0x0A, 0x0D, 0x20, 0xD7FF, 0xE000, 0xFFFD, 0x10000, 0x10FFFF])
def test_characters_xml_holds_are_written(code):
    assert wordml.paragraph(f"a{chr(code)}b") is not None


def _parent(kind: str, tags: tuple[str, ...]):
    parent = OxmlElement("w:pPr" if kind == "p" else "w:rPr")
    for tag in tags:
        parent.append(OxmlElement(tag))
    return parent


# Children already there, in and out of schema order, around the property being added.
_AROUND = {
    "p": ("w:pStyle", "w:keepLines", "w:tabs", "w:ind", "w:rPr", "w:sectPr"),
    "r": ("w:rStyle", "w:i", "w:color", "w:sz", "w:lang"),
}


@pytest.mark.parametrize(("kind", "tag"), [("p", "w:keepNext"), ("p", "w:spacing"), ("p", "w:jc"), ("r", "w:b")])
def test_a_property_goes_where_python_docx_puts_it(kind, tag):
    name = tag.split(":")[1]
    for count in range(3):
        for tags in itertools.permutations(_AROUND[kind], count):
            ours, theirs = _parent(kind, tags), _parent(kind, tags)
            added = wordml.property_child(ours, tag)
            getattr(theirs, f"get_or_add_{name}")()
            assert etree.tostring(ours) == etree.tostring(theirs), tags
            assert wordml.property_child(ours, tag) is added  # found, not added twice


def test_the_child_orders_are_python_docx_own():
    for owner, tag in ((CT_PPr, "keepNext"), (CT_PPr, "spacing"), (CT_PPr, "jc"), (CT_RPr, "b")):
        order = wordml._ORDERS[owner]
        successors = getattr(owner, f"_insert_{tag}").__closure__[0].cell_contents._successors
        assert tuple(order[order.index(f"w:{tag}") + 1 :]) == successors


def test_paragraph_helpers_write_what_python_docx_writes():
    document = docx.Document()
    ours, theirs = document.add_paragraph("text"), document.add_paragraph("text")
    wordml.keep_with_next(ours)
    wordml.spacing(ours, before=Pt(14), after=Pt(2))
    wordml.align(ours, WD_ALIGN_PARAGRAPH.CENTER)
    wordml.bold_run(ours, "bold")
    theirs.paragraph_format.keep_with_next = True
    theirs.paragraph_format.space_before = Pt(14)
    theirs.paragraph_format.space_after = Pt(2)
    theirs.alignment = WD_ALIGN_PARAGRAPH.CENTER
    theirs.add_run("bold").bold = True
    assert etree.tostring(ours._p) == etree.tostring(theirs._p)


def test_every_contents_entry_is_styled_and_tabbed():
    document = docx.Document()
    wordml.toc(document, ["One", "Two", "Three"], "TOC1", Pt(400))
    entries = [Paragraph(p, document._body) for p in document.element.body.iterchildren("{*}p")]
    assert [e.text for e in entries] == ["One", "Two", "Three"]
    for entry in entries:
        assert entry._p.pPr.pStyle.val == "TOC1"
        assert [t.position for t in entry.paragraph_format.tab_stops] == [Pt(400)]
