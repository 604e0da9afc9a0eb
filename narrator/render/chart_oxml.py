"""Chart XML without python-pptx: the namespaces a chart part uses, Clark names for their prefixed tags,
new elements, and a parser set up as python-pptx's own.

The Word paper builds its charts from these alone, so it never imports python-pptx (a fifth of a second
at start-up). Elements made and parsed here serialise to the bytes python-pptx's would: its parser only
differs in the Python classes it hands out for elements, which the XML does not carry. The deck styles
python-pptx's chart part with the same functions; plain lxml calls work on its elements too.
"""

from __future__ import annotations

from functools import cache

from lxml import etree

NAMESPACES = {
    "a": "http://schemas.openxmlformats.org/drawingml/2006/main",
    "c": "http://schemas.openxmlformats.org/drawingml/2006/chart",
    "mc": "http://schemas.openxmlformats.org/markup-compatibility/2006",
    "r": "http://schemas.openxmlformats.org/officeDocument/2006/relationships",
}

# python-pptx's parser settings: whitespace between tags dropped (its templates are indented), no entities.
_PARSER = etree.XMLParser(remove_blank_text=True, resolve_entities=False)


@cache
def qn(tag: str) -> str:
    """The Clark name of a prefixed tag: ``qn("c:chart")`` is "{http://...drawingml/2006/chart}chart"."""
    prefix, local = tag.split(":")
    return f"{{{NAMESPACES[prefix]}}}{local}"


def parse_xml(xml: str | bytes) -> etree._Element:
    """The root element of ``xml``, parsed as python-pptx's ``parse_xml`` parses it."""
    return etree.fromstring(xml, _PARSER)


@cache
def _made_as(tag: str) -> tuple[str, dict[str, str]]:
    prefix = tag.split(":")[0]
    return qn(tag), {prefix: NAMESPACES[prefix]}


def new_element(tag: str) -> etree._Element:
    """python-pptx's ``OxmlElement(tag)``: a loose element declaring only its own prefix."""
    clark, nsmap = _made_as(tag)
    return _PARSER.makeelement(clark, nsmap=nsmap)
