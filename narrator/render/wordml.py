"""WordprocessingML pieces python-docx has no API for: fields, a TOC, footnotes, chart parts, table flags."""

from __future__ import annotations

import copy
import re
from functools import lru_cache
from xml.sax.saxutils import escape

from docx.enum.text import WD_TAB_ALIGNMENT, WD_TAB_LEADER
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.opc.packuri import PackURI
from docx.opc.part import Part
from docx.oxml import OxmlElement, parse_xml
from docx.oxml.ns import qn
from docx.oxml.simpletypes import ST_HpsMeasure
from docx.oxml.text.font import CT_RPr
from docx.oxml.text.parfmt import CT_PPr
from docx.shared import Emu, Pt, RGBColor
from docx.text.paragraph import Paragraph
from lxml import etree

from narrator.render import chart_style

W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
CT_CHART = "application/vnd.openxmlformats-officedocument.drawingml.chart+xml"
CT_XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
CT_FOOTNOTES = "application/vnd.openxmlformats-officedocument.wordprocessingml.footnotes+xml"
# pPr children that must follow w:pBdr / w:shd (schema order), for inserting in the right place.
_AFTER_SHD = (
    "w:tabs",
    "w:suppressAutoHyphens",
    "w:kinsoku",
    "w:wordWrap",
    "w:overflowPunct",
    "w:topLinePunct",
    "w:autoSpaceDE",
    "w:autoSpaceDN",
    "w:bidi",
    "w:adjustRightInd",
    "w:snapToGrid",
    "w:spacing",
    "w:ind",
    "w:contextualSpacing",
    "w:mirrorIndents",
    "w:suppressOverlap",
    "w:jc",
    "w:textDirection",
    "w:textAlignment",
    "w:textboxTightWrap",
    "w:outlineLvl",
    "w:divId",
    "w:cnfStyle",
    "w:rPr",
    "w:sectPr",
    "w:pPrChange",
)
_SETTINGS_ORDER = (
    "w:updateFields",
    "w:hdrShapeDefaults",
    "w:footnotePr",
    "w:endnotePr",
    "w:compat",
    "w:docVars",
    "w:rsids",
    "m:mathPr",
    "w:attachedSchema",
    "w:themeFontLang",
    "w:clrSchemeMapping",
    "w:doNotIncludeSubdocsInStats",
    "w:doNotAutoCompressPictures",
    "w:forceUpgrade",
    "w:captions",
    "w:readModeInkLockDown",
    "w:smartTagType",
    "sl:schemaLibrary",
    "w:shapeDefaults",
    "w:doNotEmbedSmartTags",
    "w:decimalSymbol",
    "w:listSeparator",
)


def _run(*children: etree._Element) -> etree._Element:
    run = OxmlElement("w:r")
    for child in children:
        run.append(child)
    return run


def _el(tag: str, **attrs: str) -> etree._Element:
    el = OxmlElement(tag)
    for key, value in attrs.items():
        el.set(qn(f"w:{key}"), value)
    return el


def _text(value: str) -> etree._Element:
    t = OxmlElement("w:t")
    t.text = value
    t.set("{http://www.w3.org/XML/1998/namespace}space", "preserve")
    return t


# python-docx's child order for w:pPr and w:rPr (the schema's), where ``property_child`` adds a property.
_PPR_ORDER = tuple(
    "w:pStyle w:keepNext w:keepLines w:pageBreakBefore w:framePr w:widowControl w:numPr "
    "w:suppressLineNumbers w:pBdr w:shd w:tabs w:suppressAutoHyphens w:kinsoku w:wordWrap w:overflowPunct "
    "w:topLinePunct w:autoSpaceDE w:autoSpaceDN w:bidi w:adjustRightInd w:snapToGrid w:spacing w:ind "
    "w:contextualSpacing w:mirrorIndents w:suppressOverlap w:jc w:textDirection w:textAlignment "
    "w:textboxTightWrap w:outlineLvl w:divId w:cnfStyle w:rPr w:sectPr w:pPrChange".split()
)
_RPR_ORDER = tuple(
    "w:rStyle w:rFonts w:b w:bCs w:i w:iCs w:caps w:smallCaps w:strike w:dstrike w:outline w:shadow w:emboss "
    "w:imprint w:noProof w:snapToGrid w:vanish w:webHidden w:color w:spacing w:w w:kern w:position w:sz "
    "w:szCs w:highlight w:u w:effect w:bdr w:shd w:fitText w:vertAlign w:rtl w:cs w:em w:lang "
    "w:eastAsianLayout w:specVanish w:oMath".split()
)
_ORDERS = {CT_PPr: _PPR_ORDER, CT_RPr: _RPR_ORDER}


@lru_cache(maxsize=16)
def _later_tags(owner: type, tag: str) -> dict[str, int]:
    """The tags that follow ``tag`` among ``owner``'s children, by rank."""
    order = _ORDERS[owner]
    return {qn(t): n for n, t in enumerate(order[order.index(tag) + 1 :])}


def property_child(parent, tag: str):
    """python-docx's ``parent.get_or_add_<tag>()`` on a w:pPr or w:rPr: the same element in the same place.

    Its search for where a new child goes tries each later tag in turn (a find for each of some thirty
    tags, for w:keepNext); this is one pass over the parent's few children, choosing what it chooses: the
    first child of the earliest-ranked later tag."""
    later = _later_tags(type(parent), tag)
    found = parent.find(qn(tag))
    if found is not None:
        return found
    element = OxmlElement(tag)
    successor, best = None, len(later)
    for child in parent:
        rank = later.get(child.tag, best)
        if rank < best:
            successor, best = child, rank
    if successor is None:
        parent.append(element)
    else:
        successor.addprevious(element)
    return element


def keep_with_next(paragraph) -> None:
    """``paragraph.paragraph_format.keep_with_next = True``."""
    property_child(paragraph._p.get_or_add_pPr(), "w:keepNext").val = True


def spacing(paragraph, *, before=None, after=None) -> None:
    """``paragraph.paragraph_format.space_before`` and ``space_after``, where given."""
    found = property_child(paragraph._p.get_or_add_pPr(), "w:spacing")
    if before is not None:
        found.before = before
    if after is not None:
        found.after = after


def align(paragraph, value) -> None:
    """``paragraph.alignment = value`` (a WD_ALIGN_PARAGRAPH member)."""
    property_child(paragraph._p.get_or_add_pPr(), "w:jc").val = value


def bold_run(paragraph, text: str | None = None):
    """``paragraph.add_run(text).bold = True``; returns the run."""
    run = paragraph.add_run(text)
    property_child(run._r.get_or_add_rPr(), "w:b").val = True
    return run


def field(paragraph, instruction: str, cached: str) -> None:
    """A complex field (PAGE, NUMPAGES, SEQ ...) with a cached result shown until Word recalculates."""
    instr = OxmlElement("w:instrText")
    instr.text = instruction
    instr.set("{http://www.w3.org/XML/1998/namespace}space", "preserve")
    for child in (
        _run(_el("w:fldChar", fldCharType="begin")),
        _run(instr),
        _run(_el("w:fldChar", fldCharType="separate")),
        _run(_text(cached)),
        _run(_el("w:fldChar", fldCharType="end")),
    ):
        paragraph._p.append(child)


def toc(document, headings: list[str], style_id: str | None, width) -> None:
    """A TOC field whose cached result lists the headings, so it reads well before Word fills in pages.

    ``style_id`` is the entries' paragraph style id (None for the default paragraph style)."""
    entries = headings or ["Contents"]
    para = document.add_paragraph()
    para._p.style = style_id
    para.paragraph_format.tab_stops.add_tab_stop(width, WD_TAB_ALIGNMENT.RIGHT, WD_TAB_LEADER.DOTS)
    paragraphs = [para]
    # Every entry starts as the same styled, tabbed paragraph: the others are copies of the first, not
    # made again through python-docx's style and tab-stop steps (a fortieth of the paper's time).
    body = document.element.body
    for _ in entries[1:]:
        p = copy.deepcopy(para._p)
        body._insert_p(p)
        paragraphs.append(Paragraph(p, para._parent))
    instr = OxmlElement("w:instrText")
    instr.text = ' TOC \\o "1-2" \\h \\z \\u '
    instr.set("{http://www.w3.org/XML/1998/namespace}space", "preserve")
    first = paragraphs[0]._p
    for child in (
        _run(_el("w:fldChar", fldCharType="begin", dirty="true")),
        _run(instr),
        _run(_el("w:fldChar", fldCharType="separate")),
    ):
        first.append(child)
    for para, heading in zip(paragraphs, entries, strict=True):
        para._p.append(_run(_text(heading)))
    paragraphs[-1]._p.append(_run(_el("w:fldChar", fldCharType="end")))


def update_fields_on_open(settings) -> None:
    """Ask Word to refresh the TOC and page counts when the paper is opened."""
    _settings_child(settings.element, "w:updateFields").set(qn("w:val"), "true")


def _settings_child(settings, tag: str) -> etree._Element:
    found = settings.find(qn(tag))
    if found is not None:
        return found
    el = OxmlElement(tag)
    later = _SETTINGS_ORDER[_SETTINGS_ORDER.index(tag) + 1 :]
    anchor = next((c for c in settings if _prefixed(c.tag) in later), None)
    if anchor is not None:
        anchor.addprevious(el)
    else:
        settings.append(el)
    return el


def _prefixed(tag: str) -> str:
    return tag.replace(f"{{{W_NS}}}", "w:")


def box(paragraph) -> None:
    """Set a paragraph off as a shaded panel with a rule at the left: the resolution on the cover."""
    ppr = paragraph._p.get_or_add_pPr()
    borders = parse_xml(
        f'<w:pBdr xmlns:w="{W_NS}"><w:left w:val="single" w:sz="24" w:space="8" '
        'w:color="1F5A96" w:themeColor="accent1"/></w:pBdr>'
    )
    shade = parse_xml(
        f'<w:shd xmlns:w="{W_NS}" w:val="clear" w:color="auto" w:fill="E9EDF2" w:themeFill="background2"/>'
    )
    ppr.insert_element_before(borders, "w:shd", *_AFTER_SHD)
    ppr.insert_element_before(shade, *_AFTER_SHD)
    fmt = paragraph.paragraph_format
    fmt.left_indent, fmt.right_indent = Pt(10), Pt(10)
    fmt.space_after = Pt(14)


def row_props(row, header: bool) -> None:
    """Rows never split across pages; the header row repeats at the top of each page."""
    tr_pr = row._tr.get_or_add_trPr()
    tr_pr.append(OxmlElement("w:cantSplit"))
    if header:
        tr_pr.append(OxmlElement("w:tblHeader"))


_HEADER_SHADE = '<w:shd w:val="clear" w:color="auto" w:fill="1B2A41" w:themeFill="text2"/>'
_CELL_SPACING = '<w:spacing w:before="0" w:after="0" w:line="240" w:lineRule="auto"/>'


def run_content(text: str) -> str:
    """A run's content as python-docx writes it for ``run.text``: tabs, breaks and w:t elements."""
    if "\t" not in text and "\n" not in text and "\r" not in text:
        pieces = [text]
    else:
        pieces = re.split(r"([\t\r\n])", text)
    out = []
    for piece in pieces:
        if piece == "\t":
            out.append("<w:tab/>")
        elif piece in ("\r", "\n"):
            out.append("<w:br/>")
        elif piece:
            space = ' xml:space="preserve"' if len(piece.strip()) < len(piece) else ""
            out.append(f"<w:t{space}>{escape(piece)}</w:t>")
    return "".join(out)


# Characters XML 1.0 cannot hold: python-docx refuses them with its own error, so its path takes them.
# Written as the set of those characters, not as the negation of XML's ranges: the same matches on every
# code point, and it compiles in a tenth of the time (the negated class cost 8-14 ms of a cold build).
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def paragraph(text: str, style_id: str | None = None, styled: bool = False) -> etree._Element | None:
    """The w:p python-docx writes for ``add_paragraph(text)`` (and then ``p._p.style = style_id`` when
    ``styled``: an empty w:pPr for None), in one parse rather than an element and a lookup per step;
    None when ``text`` holds a character XML cannot."""
    if _NOT_XML.search(text):
        return None
    ppr = ("<w:pPr/>" if style_id is None else "<w:pPr><w:pStyle/></w:pPr>") if styled else ""
    run = f"<w:r>{run_content(text)}</w:r>" if text else ""
    p = parse_xml(f'<w:p xmlns:w="{W_NS}">{ppr}{run}</w:p>')
    if styled and style_id is not None:
        p[0][0].set(qn("w:val"), style_id)
    return p


def table_rows(table, rows: list[list[str]], widths: list[int], size: float, right: list[bool]) -> None:
    """Append rows of plain-text cells: fixed widths, no paragraph spacing, single line pitch, text at
    ``size`` pt, the first row a shaded header that repeats on each page and no row splitting.

    Written as XML in one go: python-docx's per-cell property API costs milliseconds a row.
    """
    sz = ST_HpsMeasure.convert_to_xml(Pt(size))
    twips = [str(Emu(w).twips) for w in widths]
    xml = [f'<w:tbl xmlns:w="{W_NS}">']
    for r, texts in enumerate(rows):
        header = r == 0
        xml.append(f"<w:tr><w:trPr><w:cantSplit/>{'<w:tblHeader/>' if header else ''}</w:trPr>")
        rpr = f'<w:b/><w:color w:val="FFFFFF"/><w:sz w:val="{sz}"/>' if header else f'<w:sz w:val="{sz}"/>'
        shd = _HEADER_SHADE if header else ""
        for c, (text, width) in enumerate(zip(texts, twips, strict=True)):
            jc = '<w:jc w:val="right"/>' if right[c] else ""
            xml.append(
                f'<w:tc><w:tcPr><w:tcW w:type="dxa" w:w="{width}"/>{shd}</w:tcPr>'
                f"<w:p><w:pPr>{_CELL_SPACING}{jc}</w:pPr><w:r><w:rPr>{rpr}</w:rPr>{run_content(text)}</w:r></w:p></w:tc>"
            )
        xml.append("</w:tr>")
    xml.append("</w:tbl>")
    tbl = table._tbl
    for tr in list(parse_xml("".join(xml))):
        tbl.append(tr)


def shade(cell, text_colour: str) -> None:
    tc_pr = cell._tc.get_or_add_tcPr()
    shd = parse_xml(f'<w:shd xmlns:w="{W_NS}" w:val="clear" w:color="auto" w:fill="1B2A41" w:themeFill="text2"/>')
    tc_pr.insert_element_before(shd, "w:noWrap", "w:tcMar", "w:textDirection", "w:tcFitText", "w:vAlign", "w:hideMark")
    for run in cell.paragraphs[0].runs:
        run.font.color.rgb = RGBColor.from_string(text_colour)


def table_look(table, widths: list[int]) -> None:
    """Fixed layout at the measured widths, header-row formatting on, banded rows."""
    tbl_pr = table._tbl.tblPr
    width = tbl_pr.find(qn("w:tblW"))
    if width is None:
        width = OxmlElement("w:tblW")
        tbl_pr.append(width)
    width.set(qn("w:w"), str(sum(widths) // 635))  # EMU to twentieths of a point
    width.set(qn("w:type"), "dxa")
    layout = tbl_pr.find(qn("w:tblLayout"))
    if layout is None:
        layout = OxmlElement("w:tblLayout")
        tbl_pr.insert_element_before(layout, "w:tblCellMar", "w:tblLook", "w:tblCaption", "w:tblDescription")
    layout.set(qn("w:type"), "fixed")
    look = tbl_pr.find(qn("w:tblLook"))
    if look is None:
        look = OxmlElement("w:tblLook")
        tbl_pr.append(look)
    for key, value in (
        ("val", "04A0"),
        ("firstRow", "1"),
        ("lastRow", "0"),
        ("firstColumn", "0"),
        ("lastColumn", "0"),
        ("noHBand", "0"),
        ("noVBand", "1"),
    ):
        look.set(qn(f"w:{key}"), value)
    for column, w in zip(table.columns, widths, strict=True):
        column.width = w


def add_chart_part(document_part, space, workbook: bytes, number: int) -> str:
    """Relate a chart part (with its embedded workbook) to the document; returns the relationship id."""
    package = document_part.package
    xlsx = Part(package.next_partname("/word/embeddings/Microsoft_Excel_Worksheet%d.xlsx"), CT_XLSX, workbook, package)
    chart = Part(package.next_partname("/word/charts/chart%d.xml"), CT_CHART, b"", package)
    rid = chart.relate_to(xlsx, RT.PACKAGE)
    external = chart_style.external_data(space)
    external.set(qn("r:id"), rid)
    chart._blob = etree.tostring(space, xml_declaration=True, encoding="UTF-8", standalone=True)
    del number
    return document_part.relate_to(chart, RT.CHART)


def inline_chart(paragraph, rid: str, drawing_id: int, cx: int, cy: int, descr: str) -> None:
    attr = escape(descr, {'"': "&quot;"})
    xml = (
        f'<w:r xmlns:w="{W_NS}" '
        'xmlns:wp="http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing" '
        'xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main" '
        'xmlns:c="http://schemas.openxmlformats.org/drawingml/2006/chart" '
        'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">'
        '<w:drawing><wp:inline distT="0" distB="0" distL="0" distR="0">'
        f'<wp:extent cx="{int(cx)}" cy="{int(cy)}"/><wp:effectExtent l="0" t="0" r="0" b="0"/>'
        f'<wp:docPr id="{drawing_id}" name="Chart {drawing_id}" descr="{attr}"/><wp:cNvGraphicFramePr/>'
        '<a:graphic><a:graphicData uri="http://schemas.openxmlformats.org/drawingml/2006/chart">'
        f'<c:chart r:id="{rid}"/></a:graphicData></a:graphic></wp:inline></w:drawing></w:r>'
    )
    paragraph._p.append(parse_xml(xml))


class TemplateLook:
    """What a style narrator adds takes from the template: its theme's heading and body fonts, its Normal
    size, and a heading colour that reads on white (accent 1, else text 2, else automatic)."""

    def __init__(self, normal_pt: float, heading_colour: str | None, numbering):
        self.normal_pt, self.heading_colour, self.numbering = normal_pt, heading_colour, numbering
        self._bullet_num: str | None = None

    @classmethod
    def of(cls, document) -> TemplateLook:
        from narrator.render import colours

        styles = document.styles.element
        size = styles.find(f"{qn('w:docDefaults')}/{qn('w:rPrDefault')}/{qn('w:rPr')}/{qn('w:sz')}")
        for style in styles.iterchildren(qn("w:style")):
            named = style.find(qn("w:name"))
            if named is not None and named.get(qn("w:val")) == "Normal":
                own = style.find(f"{qn('w:rPr')}/{qn('w:sz')}")
                size = own if own is not None else size
                break
        normal = int(size.get(qn("w:val"))) / 2 if size is not None and size.get(qn("w:val"), "").isdigit() else 11.0
        heading = None
        theme = theme_root(document)
        if theme is not None:
            scheme = colours.Theme(theme)
            for slot in ("accent1", "dk2"):
                if colours.contrast(scheme.slots[slot], "FFFFFF") >= colours.BODY_RATIO:
                    heading = scheme.slots[slot]
                    break
        return cls(normal, heading, document.part)

    def bullet_numbering(self) -> str:
        """The id of a bullet list numbering, added to the template's numbering part once."""
        if self._bullet_num is None:
            numbering = self.numbering.numbering_part.element
            abstract_ids = [int(a.get(qn("w:abstractNumId"))) for a in numbering.iterchildren(qn("w:abstractNum"))]
            num_ids = [int(n.get(qn("w:numId"))) for n in numbering.iterchildren(qn("w:num"))]
            abstract_id, num_id = max([0, *abstract_ids]) + 1, max([0, *num_ids]) + 1
            abstract = parse_xml(
                f'<w:abstractNum xmlns:w="{W_NS}" w:abstractNumId="{abstract_id}"><w:multiLevelType '
                'w:val="singleLevel"/><w:lvl w:ilvl="0"><w:start w:val="1"/><w:numFmt w:val="bullet"/>'
                '<w:lvlText w:val="\u2022"/><w:lvlJc w:val="left"/><w:pPr><w:ind w:left="360" w:hanging="360"/>'
                '</w:pPr><w:rPr><w:rFonts w:ascii="Arial" w:hAnsi="Arial"/></w:rPr></w:lvl></w:abstractNum>'
            )
            # Schema order: every abstractNum, then every num, then numIdMacAtCleanup.
            num = parse_xml(
                f'<w:num xmlns:w="{W_NS}" w:numId="{num_id}"><w:abstractNumId w:val="{abstract_id}"/></w:num>'
            )
            abstracts, nums = numbering.findall(qn("w:abstractNum")), numbering.findall(qn("w:num"))
            if abstracts:
                abstracts[-1].addnext(abstract)
            elif nums:
                nums[0].addprevious(abstract)
            elif numbering.findall(qn("w:numPicBullet")):
                numbering.findall(qn("w:numPicBullet"))[-1].addnext(abstract)
            else:
                numbering.insert(0, abstract)
            (nums[-1] if nums else abstract).addnext(num)
            self._bullet_num = str(num_id)
        return self._bullet_num


def _normal_id(styles_element) -> str:
    """The id of the template's Normal paragraph style (localised templates call it "Standard")."""
    found = styles_by_key(styles_element).get(style_key("Normal")) if styles_element is not None else None
    return found.get(qn("w:styleId")) if found is not None else "Normal"


def theme_fonts(document) -> tuple[str, str]:
    """The Word template's theme heading (major) and body (minor) Latin fonts; Arial where it has none."""
    from narrator.render.ooxml import theme_typefaces

    return theme_typefaces(theme_root(document))


def theme_root(document):
    for rel in document.part.rels.values():
        if rel.reltype.endswith("/theme") and not rel.is_external:
            try:
                return etree.fromstring(rel.target_part.blob)
            except etree.XMLSyntaxError:
                return None
    return None


def default_style(style, name: str, look: TemplateLook | None = None) -> None:
    """A style the client's template lacks, made in its look: the theme's heading font for headings and
    titles, sizes in proportion to its Normal text, its heading colour, based on its Normal style; a
    bullet list with a bullet of its own."""
    normal = look.normal_pt if look is not None else 11.0
    colour = look.heading_colour if look is not None else None
    element = style.element
    if name != "Footnote Reference" and element.find(qn("w:basedOn")) is None:
        named = element.find(qn("w:name"))
        based = _el("w:basedOn", val=_normal_id(element.getparent()))
        if named is not None:
            named.addnext(based)
        else:
            element.insert(0, based)
    heading = name.startswith("Heading") or name in ("Title", "TOC Heading", "Action Title")
    if heading:
        fonts = _el("w:rFonts", asciiTheme="majorHAnsi", hAnsiTheme="majorHAnsi", cstheme="majorBidi")
        style.element.get_or_add_rPr().insert(0, fonts)
        if colour:
            style.font.color.rgb = RGBColor.from_string(colour)
        style.paragraph_format.keep_with_next = True
    if name.startswith("Heading") or name == "TOC Heading":
        style.font.bold = True
        style.font.size = Pt(round(max(normal * (1.5 if name.endswith("1") or name == "TOC Heading" else 1.25), 12)))
        style.paragraph_format.space_before = Pt(round(normal * 1.2))
        style.paragraph_format.space_after = Pt(round(normal * 0.4))
        if name.startswith("Heading"):
            level = int(name[-1]) - 1
            style.element.get_or_add_pPr().append(_el("w:outlineLvl", val=str(level)))
    elif name == "Footnote Reference":
        style.font.superscript = True
    elif name in ("Footnote Text", "Source", "Header", "Footer"):
        style.font.size = Pt(max(8, normal - 2))
    elif name == "Action Title":
        style.font.bold, style.font.size = True, Pt(normal + 2)
    elif name == "Title":
        style.font.size, style.font.bold = Pt(round(normal * 2.3)), True
        style.paragraph_format.space_after = Pt(round(normal * 0.6))
    elif name == "Subtitle":
        style.font.size = Pt(round(normal * 1.3))
        if colour:
            style.font.color.rgb = RGBColor.from_string(colour)
    elif name == "Caption":
        style.font.bold, style.font.size = True, Pt(max(8, normal - 1))
        if colour:
            style.font.color.rgb = RGBColor.from_string(colour)
    elif name == "List Bullet" and look is not None:
        ppr = style.element.get_or_add_pPr()
        ppr.insert(0, parse_xml(f'<w:numPr xmlns:w="{W_NS}"><w:numId w:val="{look.bullet_numbering()}"/></w:numPr>'))
    elif name == "TOC 1":
        style.paragraph_format.space_after = Pt(4)


def style_key(name: str) -> str:
    """How styles are matched: case and spaces ignored, so Word's "toc 1", "footnote text" and a
    template's "Heading1" id all match narrator's "TOC 1", "Footnote Text" and "Heading 1"."""
    return "".join(name.split()).casefold()


def styles_by_key(styles_element) -> dict[str, object]:
    """Every style element by ``style_key`` of its name, and of its id where no name claims that key: a
    style is found by name even when its id is localised (Titre1 is "heading 1"), and by id when its name
    is (a German template's "Überschrift 1" is still Heading1). The last of a name wins, as in python-docx."""
    by_name: dict[str, object] = {}
    by_id: dict[str, object] = {}
    for style in styles_element.iterchildren(_W_STYLE):
        name = style.find(_W_NAME)
        value = name.get(_W_VAL) if name is not None else None
        if value:
            by_name[style_key(value)] = style
        style_id = style.get(_W_STYLE_ID)
        if style_id:
            by_id.setdefault(style_key(style_id), style)
    return {**by_id, **by_name}


# Clark names, made once: a template's styles part holds a few hundred styles, read three times a paper.
_W_STYLE, _W_NAME, _W_VAL, _W_STYLE_ID = qn("w:style"), qn("w:name"), qn("w:val"), qn("w:styleId")


def first_style_id(styles_element, name: str, fallback: str) -> str:
    """The id of the style called ``name`` (matched as ``style_key`` does), else ``fallback``."""
    found = styles_by_key(styles_element).get(style_key(name))
    return found.get(qn("w:styleId")) if found is not None else fallback


def default_style_element(styles_element, style_type: str):
    """The element of the type's default style (the last one marked default, as Word reads it), or None."""
    found = None
    for style in styles_element.iterchildren(qn("w:style")):
        if style.get(qn("w:type")) == style_type and style.get(qn("w:default")) in ("1", "true", "on"):
            found = style
    return found


class Footnotes:
    """Collects footnotes while the paper is written, then writes (or extends) the footnotes part."""

    def __init__(self, document_part):
        self.document_part = document_part
        self.notes: list[tuple[int, str]] = []
        self.part = next(
            (r.target_part for r in document_part.rels.values() if r.reltype == RT.FOOTNOTES and not r.is_external),
            None,
        )
        ids = [int(i) for i in re.findall(rb'w:id="(-?\d+)"', self.part.blob)] if self.part else []
        self.next_id = max([0, *ids]) + 1
        self.ref_style = None

    def reference(self, paragraph, text: str) -> None:
        number = self.next_id
        self.next_id += 1
        self.notes.append((number, text))
        run = parse_xml(
            f'<w:r xmlns:w="{W_NS}"><w:rPr><w:rStyle w:val="{self._ref_style()}"/></w:rPr>'
            f'<w:footnoteReference w:id="{number}"/></w:r>'
        )
        paragraph._p.append(run)

    def _ref_style(self) -> str:
        # Looked up on first use (the paper has resolved its styles by then), not once per footnote.
        if self.ref_style is None:
            self.ref_style = first_style_id(
                self.document_part.styles.element, "Footnote Reference", "FootnoteReference"
            )
        return self.ref_style

    def write(self) -> None:
        if not self.notes:
            return
        text_style = first_style_id(self.document_part.styles.element, "Footnote Text", "FootnoteText")
        notes = "".join(
            f'<w:footnote w:id="{n}"><w:p><w:pPr><w:pStyle w:val="{text_style}"/></w:pPr><w:r><w:rPr>'
            f'<w:rStyle w:val="{self._ref_style()}"/></w:rPr><w:footnoteRef/></w:r><w:r>'
            f'<w:t xml:space="preserve"> {escape(text)}</w:t></w:r></w:p></w:footnote>'
            for n, text in self.notes
        )
        if self.part is not None:
            blob = self.part.blob.decode("utf-8")
            self.part._blob = blob.replace("</w:footnotes>", notes + "</w:footnotes>").encode("utf-8")
            return
        separators = (
            '<w:footnote w:type="separator" w:id="-1"><w:p><w:pPr><w:spacing w:after="0" w:line="240" '
            'w:lineRule="auto"/></w:pPr><w:r><w:separator/></w:r></w:p></w:footnote>'
            '<w:footnote w:type="continuationSeparator" w:id="0"><w:p><w:pPr><w:spacing w:after="0" '
            'w:line="240" w:lineRule="auto"/></w:pPr><w:r><w:continuationSeparator/></w:r></w:p></w:footnote>'
        )
        xml = (
            f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<w:footnotes xmlns:w="{W_NS}">'
            f"{separators}{notes}</w:footnotes>"
        )
        package = self.document_part.package
        part = Part(PackURI("/word/footnotes.xml"), CT_FOOTNOTES, xml.encode("utf-8"), package)
        self.document_part.relate_to(part, RT.FOOTNOTES)
        settings = self.document_part._settings_part.settings.element
        pr = _settings_child(settings, "w:footnotePr")
        for sep in ("-1", "0"):
            pr.append(_el("w:footnote", id=sep))
