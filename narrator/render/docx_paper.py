"""The board paper: cover, contents, summary and sections, with native charts and footnoted sources."""

from __future__ import annotations

import copy
from pathlib import Path

import docx
from docx.enum.section import WD_SECTION_START
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_BREAK
from docx.oxml.ns import qn
from docx.shared import Emu, Pt
from docx.styles.style import StyleFactory
from docx.text.paragraph import Paragraph

from narrator.errors import OfficeTemplateError
from narrator.render import charts, wordml
from narrator.render.contrast import paper_chart_palette
from narrator.render.metrics import Measure
from narrator.render.ooxml import body_typeface, finalise_entries, open_reference, package_entries
from narrator.render.tables import column_widths, fits_width
from narrator.render.word_furniture import WordFurniture
from narrator.resources import reference_template
from narrator.tell.story import ChartSpec, Section, Segment, Story, TableSpec

PURPOSE = {"decision": "For decision", "discussion": "For discussion", "information": "For information"}
TABLE_PT, CHART_PT = 9, 9
TABLE_SIZES = (TABLE_PT, 8.5, 8, 7.5, 7)
CHART_HEIGHT = Emu(int(3.1 * 914400))
# Styles the paper uses, with what to fall back on when a client's template lacks one.
STYLES = (
    "Title",
    "Subtitle",
    "Heading 1",
    "Heading 2",
    "Caption",
    "List Bullet",
    "TOC Heading",
    "TOC 1",
    "Action Title",
    "Footnote Text",
    "Footnote Reference",
    "Header",
    "Footer",
)


def render_paper(story: Story, reference: Path | None = None) -> bytes:
    path = reference or reference_template("docx")
    try:
        document = docx.Document(open_reference(path, "docx"))
    except OfficeTemplateError:
        raise
    except Exception as exc:  # python-docx raises many kinds on a damaged part; the user needs one message
        raise OfficeTemplateError(
            f"{path}: cannot be read as a Word template ({type(exc).__name__}); re-save it from Word "
            "as .docx or .dotx, or remove the template setting to use the built-in default"
        ) from exc
    paper = _Paper(document, story)
    paper.cover()
    paper.end_cover()
    paper.contents()
    # The executive summary leads whatever order the storyline chose for the rest.
    sections = [s for s in story.sections if s.in_paper and s.kind != "cover"]
    for section in sorted(sections, key=lambda s: s.kind != "summary"):
        paper.section(section)
    paper.finish()
    return finalise_entries(package_entries(document.part.package), story.properties, {})


class _Paper:
    def __init__(self, document, story: Story):
        self.doc, self.story = document, story
        self.footnotes = wordml.Footnotes(document.part)
        self.figures = self.tables = 0
        self.cited: set[str] = set()  # sources already footnoted in the current section
        self.colours = charts.series_colours(s.chart for s in story.sections if s.in_paper and s.chart)
        self.palette, _ = paper_chart_palette(wordml.theme_root(document))  # series that read on white
        self.drawing_id = 1000  # clear of ids a template's header logo may already use
        body = document.element.body
        # A template of several sections keeps its first section's page setup and furniture (a cover
        # with its logo) for the cover; the rest of the paper takes the last section's.
        first = next(
            (p for p in body.iterchildren(qn("w:p")) if p.find(f"{qn('w:pPr')}/{qn('w:sectPr')}") is not None), None
        )
        self.cover_section = copy.deepcopy(first.find(f"{qn('w:pPr')}/{qn('w:sectPr')}")) if first is not None else None
        for child in list(body):
            if child.tag != qn("w:sectPr"):
                body.remove(child)
        # Word 2010's stylesWithEffects copy goes stale once styles are added; later Words ignore it.
        for rel in list(document.part.rels.values()):
            if rel.reltype.endswith("/stylesWithEffects"):
                document.part.drop_rel(rel.rId)
        self.style = _resolve_styles(document)
        self.style_id = _style_ids(document, self.style)
        self.hidden = {name for name, style in self.style.items() if style is not None and _hides_text(style.element)}
        section = document.sections[-1]
        section.start_type = WD_SECTION_START.NEW_PAGE
        self.text_width = section.page_width - section.left_margin - section.right_margin
        self.measure = Measure(body_font(document))
        WordFurniture(document, story, self.style_id, self.text_width).apply(section)

    def _para(self, text: str, style: str):
        """``document.add_paragraph(text, style=...)`` with the style id resolved once per paper.

        A template may hide a style's text (a pandoc reference document's Title is ``w:vanish``): the
        paper's text in such a style is made visible on its runs, so nothing the Story says is hidden."""
        if style in self.hidden:
            para = self.doc.add_paragraph(text)
            para._p.style = self.style_id[style]
            for run in para.runs:
                run.font.hidden = False
            return para
        return self._add(text, self.style_id[style], styled=True)

    def _add(self, text: str = "", style_id: str | None = None, styled: bool = False):
        """``self.doc.add_paragraph(text)``, styled as ``_para`` does when ``styled``: the same XML, made
        in one go (python-docx's paragraph, run and style steps each search the XML again)."""
        p = wordml.paragraph(text, style_id, styled)
        if p is None:  # text XML cannot hold: python-docx says so
            para = self.doc.add_paragraph(text)
            if styled:
                para._p.style = style_id
            return para
        self.doc.element.body._insert_p(p)
        return Paragraph(p, self.doc._body)

    # -- blocks ---------------------------------------------------------------------------------------

    def cover(self) -> None:
        story = self.story
        self._para(story.title.plain(), "Title")
        self._para(story.subtitle.plain(), "Subtitle")
        for label, value in (
            ("Purpose", PURPOSE[story.purpose]),
            ("Author", story.properties.author),
            ("Classification", story.furniture.classification),
        ):
            para = self._add()
            wordml.spacing(para, after=Pt(2))
            wordml.bold_run(para, f"{label}: ")
            para.add_run(value)
        wordml.spacing(self._add(story.furniture.data_as_of.plain()), after=Pt(2))
        if story.resolution:
            para = self._add()
            wordml.spacing(para, before=Pt(14))
            wordml.bold_run(para, "Resolution")
            para.add_run().add_break()
            para.add_run(story.resolution.plain())
            wordml.box(para)
        cover = next((s for s in story.sections if s.kind == "cover"), None)
        if cover and cover.lead:
            self._add(cover.lead.plain())

    def end_cover(self) -> None:
        """Close the cover's section, when the template has a cover section of its own."""
        if self.cover_section is None:
            return
        para = self._add()
        para._p.get_or_add_pPr().append(self.cover_section)

    def contents(self) -> None:
        headings = [s.heading for s in self.story.sections if s.in_paper and s.kind != "cover"]
        para = self._para("Contents", "TOC Heading")
        wordml.spacing(para, before=Pt(24))
        wordml.toc(self.doc, headings, self.style_id["TOC 1"], self.text_width)
        self._add().add_run().add_break(WD_BREAK.PAGE)

    def section(self, section: Section) -> None:
        self._para(section.heading, "Heading 1")
        title = self._para(section.title.plain(), "Action Title")
        anchor = title
        if section.lead:
            anchor = self._add(section.lead.plain())
            wordml.keep_with_next(anchor)
        self.cited = set()
        for source in section.sources:
            self._cite(anchor, source.plain())
        if section.body:
            for para in section.body:
                self._add(para.plain())
        else:
            for bullet in section.bullets:
                self._para(bullet.plain(), "List Bullet")
        if section.chart:
            self._chart(section.chart)
        if section.table:
            self._table(section.table, section)

    def _caption(self, label: str, text: str, source: Segment | None) -> None:
        para = self._para("", "Caption")
        wordml.keep_with_next(para)
        number = self.figures if label == "Figure" else self.tables
        para.add_run(f"{label} ")
        wordml.field(para, f" SEQ {label} \\* ARABIC ", str(number))
        para.add_run(f": {text}")
        if source:
            self._cite(para, source.plain())

    def _cite(self, paragraph, text: str) -> None:
        """Footnote a source once per section: a second mention would only repeat the first note."""
        key = " ".join(text.casefold().removeprefix("sources:").removeprefix("source:").split())
        if key and key not in self.cited:
            self.cited.add(key)
            self.footnotes.reference(paragraph, text)

    def _chart(self, spec: ChartSpec) -> None:
        self.figures += 1
        self._caption("Figure", spec.title, spec.source)
        # The caption carries the chart's title in the paper, so the chart does not repeat it.
        space, workbook = charts.chart_space(spec, CHART_PT, title=False, colours=self.colours, palette=self.palette)
        self.drawing_id += 1
        rid = wordml.add_chart_part(self.doc.part, space, workbook, self.figures)
        para = self._add()
        wordml.align(para, WD_ALIGN_PARAGRAPH.CENTER)
        wordml.spacing(para, after=Pt(12))
        wordml.inline_chart(para, rid, self.drawing_id, self.text_width, CHART_HEIGHT, spec.alt_text)

    def _table(self, spec: TableSpec, section: Section) -> None:
        self.tables += 1
        caption = spec.caption.plain() if spec.caption else section.heading
        self._caption("Table", caption, spec.source)
        # A page cannot continue a table sideways: a wide one steps down in size until no word breaks.
        size = next((pt for pt in TABLE_SIZES if fits_width(spec, self.measure, pt, self.text_width)), TABLE_SIZES[-1])
        widths = column_widths(spec, self.measure, size, self.text_width)
        rows = [spec.header, *spec.rows]
        table = self.doc.add_table(rows=0, cols=len(widths))
        table._tbl.tblStyle_val = self.style_id["table"]
        table.alignment = WD_TABLE_ALIGNMENT.CENTER
        table.autofit = False
        right = [spec.align[c : c + 1] == ("right",) for c in range(len(widths))]
        wordml.table_rows(table, [[segment.plain() for segment in row] for row in rows], widths, size, right)
        wordml.table_look(table, widths)
        wordml.spacing(self._add(), after=Pt(6))

    def finish(self) -> None:
        self.footnotes.write()
        wordml.update_fields_on_open(self.doc.settings)


def _resolve_styles(document) -> dict:
    """Look each style up once (python-docx's lookup by name is slow), adding any a template lacks."""
    styles = document.styles
    by_name = wordml.styles_by_key(styles.element)
    look = wordml.TemplateLook.of(document)
    found = {}
    for name in STYLES:
        element = by_name.get(wordml.style_key(name))
        if element is None:
            kind = WD_STYLE_TYPE.CHARACTER if name == "Footnote Reference" else WD_STYLE_TYPE.PARAGRAPH
            style = styles.add_style(name, kind)
            wordml.default_style(style, name, look)
        else:
            style = StyleFactory(element)
        found[name] = style
    table = by_name.get(wordml.style_key("Narrator Table"))
    table = table if table is not None else by_name.get(wordml.style_key("Table Grid"))
    found["table"] = StyleFactory(table) if table is not None else None
    return found


def _style_ids(document, styles: dict) -> dict[str, str | None]:
    """The id python-docx would write for each resolved style: none for its type's default style.

    python-docx finds a type's default by scanning every style on each assignment; once is enough.
    """
    defaults: dict = {}
    ids: dict[str, str | None] = {}
    for name, style in styles.items():
        if style is None:
            ids[name] = None
            continue
        kind = style.element.get(qn("w:type")) or "paragraph"  # python-docx reads a missing type so
        if kind not in defaults:
            defaults[kind] = wordml.default_style_element(document.styles.element, kind)
        ids[name] = None if style.element is defaults[kind] else style.style_id
    return ids


def _hides_text(style) -> bool:
    """Whether a style sets its text hidden (``w:vanish`` on, in its own run properties)."""
    vanish = style.find(f"{qn('w:rPr')}/{qn('w:vanish')}")
    return vanish is not None and vanish.get(qn("w:val")) not in ("0", "false", "off")


def body_font(document) -> str:
    """The font body text is set in: the Normal style's, else the document default, else Arial."""
    return body_typeface(document.styles.element, wordml.theme_root(document))
