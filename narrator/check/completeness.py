"""Nothing lost: every segment of the Story that a document promises to carry is in the built document.

A template can swallow content without any other check noticing (bullets written to a placeholder the
layout does not have, a chart placed off the page, a footer that replaced a paragraph). This compares
the built package with the Story it was rendered from, segment by segment:

- deck: each section in the deck has a slide whose title is the section's title; its lead, every bullet,
  its chart (by its alt text and series count), every table cell and every speaker note are on that
  slide or its continuations;
- paper: each section in the paper has its heading and action title; its lead, its body paragraphs (or
  its bullets when it has no body), its chart (by alt text) and every table cell are in the document.

The comparison is on whitespace-normalised text, so wrapping and run splits do not matter.
"""

from __future__ import annotations

from narrator.check.deck_view import paragraph_text, read_deck
from narrator.check.package import Package
from narrator.check.problem import Problem
from narrator.tell.story import Section, Story

_A = "{http://schemas.openxmlformats.org/drawingml/2006/main}"
_C = "{http://schemas.openxmlformats.org/drawingml/2006/chart}"
_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_RID = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}id"
_NOTES = "/notesSlide"


def _norm(text: str) -> str:
    return " ".join(text.split()).casefold()


def _short(text: str, limit: int = 60) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def check_completeness(name: str, package: Package, story: Story) -> list[Problem]:
    """One problem per Story segment the document should carry and does not."""
    if package.kind == "pptx":
        return _deck(name, package, story)
    return _paper(name, package, story)


# -- deck ---------------------------------------------------------------------------------------------


class _Slide:
    """What one built slide carries: its title, all its text, its notes and its charts."""

    def __init__(self, number: int, title: str, texts: list[str], notes: str, charts: list[tuple[str, set]]):
        self.number, self.title, self.notes, self.charts = number, title, notes, charts
        self.text = "\n".join(texts)


def _deck_slides(package: Package) -> list[_Slide]:
    deck = read_deck(package)
    targets = package.relationships(package.main)
    presentation = package.trees[package.main]
    ids = presentation.find("{http://schemas.openxmlformats.org/presentationml/2006/main}sldIdLst")
    part_names = [targets.get(i.get(_RID), ("", ""))[0] for i in (ids if ids is not None else ())]
    part_names = [p for p in part_names if p in package.trees]
    slides = []
    for view, part in zip(deck.slides, part_names, strict=False):
        texts = []
        charts = []
        rels = package.relationships(part)
        for shape in view.shapes:
            element = shape.element
            for para in element.iter(f"{_A}p"):
                texts.append(_norm(paragraph_text(para, runs_only=False)))
            if shape.kind == "chart":
                ref = element.find(f".//{_C}chart")
                rid = ref.get(_RID) if ref is not None else None
                chart_part = rels.get(rid, ("", ""))[0] if rid else ""
                tree = package.trees.get(chart_part)
                series = _series_names(tree) if tree is not None else set()
                charts.append((_norm(shape.description or ""), series))
        notes = ""
        for target, kind in rels.values():
            if kind.endswith(_NOTES) and target in package.trees:
                notes = "\n".join(
                    _norm(paragraph_text(p, runs_only=False)) for p in package.trees[target].iter(f"{_A}p")
                )
        title = _norm(view.title.text) if view.title is not None else ""
        slides.append(_Slide(view.number, title, texts, notes, charts))
    return slides


def _series_names(chart) -> set[str]:
    """The names of a chart part's series (a waterfall's invisible base series included)."""
    return {
        _norm("".join(v.text or "" for v in ser.find(f"{_C}tx").iter(f"{_C}v")))
        for ser in chart.iter(f"{_C}ser")
        if ser.find(f"{_C}tx") is not None
    }


def _deck(name: str, package: Package, story: Story) -> list[Problem]:
    slides = _deck_slides(package)
    problems: list[Problem] = []

    def missing(where: str, segment: str, text: str) -> None:
        problems.append(Problem(name, where, f"{segment} is missing from the deck: {_short(text)!r}"))

    cover = slides[0] if slides else None
    if cover is None or _norm(story.title.plain()) not in cover.text:
        missing("slide 1", "the pack title", story.title.plain())
    elif _norm(story.subtitle.plain()) not in cover.text:
        missing("slide 1", "the subtitle", story.subtitle.plain())
    for section in story.sections:
        if not section.in_deck:
            continue
        if section.kind == "cover":
            for i, note in enumerate(section.notes, 1):
                if cover is not None and _norm(note.plain()) not in cover.notes:
                    missing("slide 1", f"cover note {i}", note.plain())
            continue
        title = _norm(section.title.plain())
        own = [s for s in slides if s.title == title or s.title.startswith(f"{title} (continued")]
        if not own:
            missing(f"section {section.id!r}", "the slide title", section.title.plain())
            continue
        where = f"slide {own[0].number}"
        problems += [
            Problem(name, where, f"{what} is missing from the deck: {_short(text)!r}")
            for what, text in _deck_segments(section, own)
        ]
    return problems


def _deck_segments(section: Section, own: list[_Slide]):
    """(segment, text) for each segment of the section that none of its slides carries."""
    text = "\n".join(s.text for s in own)
    notes = "\n".join(s.notes for s in own)
    if section.lead and _norm(section.lead.plain()) not in text:
        yield "the lead", section.lead.plain()
    for i, bullet in enumerate(section.bullets, 1):
        if _norm(bullet.plain()) not in text:
            yield f"bullet {i}", bullet.plain()
    for i, note in enumerate(section.notes, 1):
        if _norm(note.plain()) not in notes:
            yield f"speaker note {i}", note.plain()
    if section.chart is not None:
        alt = _norm(section.chart.alt_text)
        series = {_norm(s.name) for s in section.chart.series}
        if not any(descr == alt and series <= names for s in own for descr, names in s.charts):
            yield "the chart", section.chart.title
    if section.table is not None:
        yield from _table_cells(section, text)


def _table_cells(section: Section, text: str):
    table = section.table
    for c, cell in enumerate(table.header):
        if _norm(cell.plain()) not in text:
            yield f"table header {c + 1}", cell.plain()
    for r, row in enumerate(table.rows, 1):
        for c, cell in enumerate(row, 1):
            if cell.plain().strip() and _norm(cell.plain()) not in text:
                yield f"table row {r}, column {c}", cell.plain()


# -- paper --------------------------------------------------------------------------------------------


def _paper(name: str, package: Package, story: Story) -> list[Problem]:
    document = package.trees[package.main]
    paragraphs = [_norm("".join(t.text or "" for t in p.iter(f"{_W}t"))) for p in document.iter(f"{_W}p")]
    text = "\n".join(paragraphs)
    charts = {
        _norm(d.get("descr", ""))
        for d in document.iter("{http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing}docPr")
    }
    problems: list[Problem] = []

    def missing(where: str, segment: str, wanted: str) -> None:
        problems.append(Problem(name, where, f"{segment} is missing from the paper: {_short(wanted)!r}"))

    if _norm(story.title.plain()) not in text:
        missing("cover", "the pack title", story.title.plain())
    for section in story.sections:
        if not section.in_paper or section.kind == "cover":
            continue
        where = f"section {section.heading!r}"
        if _norm(section.heading) not in paragraphs:
            missing(where, "the heading", section.heading)
        if _norm(section.title.plain()) not in text:
            missing(where, "the action title", section.title.plain())
        if section.lead and _norm(section.lead.plain()) not in text:
            missing(where, "the lead", section.lead.plain())
        for i, para in enumerate(section.body, 1):
            if _norm(para.plain()) not in text:
                missing(where, f"body paragraph {i}", para.plain())
        if not section.body:
            for i, bullet in enumerate(section.bullets, 1):
                if _norm(bullet.plain()) not in text:
                    missing(where, f"bullet {i}", bullet.plain())
        if section.chart is not None and _norm(section.chart.alt_text) not in charts:
            missing(where, "the chart", section.chart.title)
        if section.table is not None:
            for what, cell in _table_cells(section, text):
                missing(where, what, cell)
    return problems
