"""The paper's headers and footers, added to the template's own rather than stacked on them.

Corporate Word templates put their furniture in places python-docx's ``header.paragraphs`` does not
reach: page numbers inside content controls (``w:sdt``), security markings in text boxes, first-page and
even-page variants. So the furniture is read from the XML:

- every variant that shows gets narrator's furniture: the default one always, the even-page one when the
  document sets even-and-odd headers, the first-page one (classification only) when it sets a title page;
  variants the template defines but never shows are left alone;
- the header gets the classification, unless it already says it; a paragraph holding an inline logo is
  never reused, so the logo stays where it was;
- the footer's own text line (outside text boxes) gets narrator's footer and data-as-of appended to it, on
  the same line; a page-number field the template already has (in a content control or not) is kept and
  no second one is added; only a footer with no page number gets "Page X of Y".
"""

from __future__ import annotations

from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_TAB_ALIGNMENT
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.text.paragraph import Paragraph

from narrator.render import wordml

_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


def _in_text_box(element) -> bool:
    return any(a.tag in (f"{_W}txbxContent",) or a.tag.endswith("}txbxContent") for a in element.iterancestors())


def _paragraphs(root) -> list:
    """The paragraphs of a header or footer, those inside content controls included, text boxes not."""
    return [p for p in root.iter(f"{_W}p") if not _in_text_box(p)]


def _text(p) -> str:
    return "".join(t.text or "" for t in p.iter(f"{_W}t") if not _in_text_box(t))


def has_page_number(root) -> bool:
    """A PAGE field anywhere in the part: a complex field, a simple field, or one in a content control."""
    for instr in root.iter(f"{_W}instrText"):
        if "PAGE" in (instr.text or "").upper().split():
            return True
    return any("PAGE" in (f.get(f"{_W}instr") or "").upper().split() for f in root.iter(f"{_W}fldSimple"))


def describe_part(header_or_footer) -> str:
    """What a header or footer holds, in words: its text, page fields, pictures, text boxes, controls."""
    if header_or_footer.is_linked_to_previous:
        return "none (linked to the previous section)"
    root = header_or_footer._element
    text = " / ".join(t for t in (_text(p).strip() for p in _paragraphs(root)) if t)
    boxes = " / ".join(
        "".join(t.text or "" for t in box.iter(f"{_W}t")).strip()
        for box in root.iter()
        if box.tag.endswith("}txbxContent")
    )
    pictures = sum(1 for el in root.iter() if el.tag.endswith("}docPr"))
    controls = sum(1 for _ in root.iter(f"{_W}sdt"))
    parts = [f'text "{text}"' if text else "no text"]
    if has_page_number(root):
        parts.append("a page-number field")
    if boxes:
        parts.append(f'text boxes "{boxes}"')
    if pictures:
        parts.append(f"{pictures} picture(s) or shape(s)")
    if controls:
        parts.append(f"{controls} content control(s)")
    return ", ".join(parts)


def _has_inline_picture(p) -> bool:
    return any(el.tag.endswith("}inline") for el in p.iter())


def _new_paragraph(part_root, style_id: str | None):
    p = OxmlElement("w:p")
    part_root.append(p)
    para = Paragraph(p, None)
    if style_id:
        para._p.style = style_id
    return para


def _reusable(root):
    """An empty paragraph of the part that holds no inline picture, to write into; None if there is none."""
    for p in _paragraphs(root):
        if not _text(p).strip() and not _has_inline_picture(p) and p.getparent() is root:
            return Paragraph(p, None)
    return None


class WordFurniture:
    """Adds the classification to the headers and the footer line (with page numbers) to the footers."""

    def __init__(self, document, story, style_ids: dict, text_width: int):
        self.document, self.story = document, story
        self.style_ids, self.text_width = style_ids, text_width
        settings = document.settings.element
        flag = settings.find(qn("w:evenAndOddHeaders"))
        self.even_odd = flag is not None and flag.get(qn("w:val")) not in ("0", "false", "off")

    def apply(self, section) -> None:
        variants = [(section.header, section.footer, True)]
        if self.even_odd:
            variants.append((section.even_page_header, section.even_page_footer, True))
        if section.different_first_page_header_footer:
            variants.append((section.first_page_header, None, False))
        for header, footer, with_footer in variants:
            header.is_linked_to_previous = False
            self._header(header._element)
            if with_footer and footer is not None:
                footer.is_linked_to_previous = False
                self._footer(footer._element)

    def _header(self, root) -> None:
        classification = self.story.furniture.classification
        if not classification or classification.casefold() in "".join(_text(p) for p in root.iter(f"{_W}p")).casefold():
            return  # a marking the template already shows, in a paragraph or a text box, is not repeated
        para = _reusable(root) or _new_paragraph(root, self.style_ids["Header"])
        para._p.style = self.style_ids["Header"]
        para.alignment = WD_ALIGN_PARAGRAPH.RIGHT
        para.add_run(classification.upper()).bold = True

    def _footer(self, root) -> None:
        furniture = self.story.furniture
        line = "  |  ".join(t for t in (furniture.footer.plain(), furniture.data_as_of.plain()) if t)
        numbered = has_page_number(root)
        own = next((p for p in _paragraphs(root) if _text(p).strip()), None)
        if own is not None:
            _append_after_text(own, f"  |  {line}" if line else "")
            if not numbered:
                para = Paragraph(own, None)
                para.add_run("  |  Page ")
                wordml.field(para, " PAGE ", "1")
                para.add_run(" of ")
                wordml.field(para, " NUMPAGES ", "1")
            return
        para = _reusable(root) or _new_paragraph(root, self.style_ids["Footer"])
        para._p.style = self.style_ids["Footer"]
        if numbered:
            para.add_run(line)  # the template's page number stays the only one
            return
        para.paragraph_format.tab_stops.clear_all()
        para.paragraph_format.tab_stops.add_tab_stop(self.text_width, WD_TAB_ALIGNMENT.RIGHT)
        para.add_run(f"{line}\tPage ")
        wordml.field(para, " PAGE ", "1")
        para.add_run(" of ")
        wordml.field(para, " NUMPAGES ", "1")


def _append_after_text(p, text: str) -> None:
    """Add ``text`` to paragraph ``p`` right after its last run of plain text (not a field's result), in
    that run's formatting, so the footer reads as one line with the template's own text."""
    if not text:
        return
    depth = 0
    last = None
    for run in p.iter(f"{_W}r"):
        if _in_text_box(run):
            continue
        for child in run:
            if child.tag == f"{_W}fldChar":
                kind = child.get(f"{_W}fldCharType")
                depth += 1 if kind == "begin" else -1 if kind == "end" else 0
        if depth == 0 and run.find(f"{_W}t") is not None and (run.find(f"{_W}t").text or "").strip():
            last = run
    new = OxmlElement("w:r")
    if last is not None and last.find(f"{_W}rPr") is not None:
        import copy

        new.append(copy.deepcopy(last.find(f"{_W}rPr")))
    t = OxmlElement("w:t")
    t.text = text
    t.set("{http://www.w3.org/XML/1998/namespace}space", "preserve")
    new.append(t)
    if last is not None:
        last.addnext(new)
    else:
        p.append(new)
