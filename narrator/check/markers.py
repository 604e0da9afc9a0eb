"""Leftover template markers: prompt text, unrendered Jinja, polish tokens, private-use characters."""

from __future__ import annotations

import re

from narrator.check.package import Package
from narrator.check.problem import Problem, slide_order

MARKERS = ("Click to edit", "Click to add", "Action title:", "{{", "{%", "⟦", "⟧", "\ue000")
_TEXT_TAGS = ("{*}t", "{*}v", "{*}instrText")
_SLIDE = re.compile(r"ppt/slides/slide(\d+)\.xml$")
_NOTES = re.compile(r"ppt/notesSlides/notesSlide(\d+)\.xml$")
_CHART = re.compile(r"(?:ppt|word)/charts/chart(\d+)\.xml$")
_WORD = re.compile(r"word/(document|header\d*|footer\d*|footnotes|endnotes|comments)\.xml$")


def _texts(root) -> list[str]:
    """Each paragraph's text (DrawingML a:p, Word w:p), or each text node where there are no paragraphs."""
    paragraphs = list(root.iter("{*}p"))
    if not paragraphs:
        return [el.text or "" for el in root.iter(*_TEXT_TAGS)]
    return ["".join(t.text or "" for t in p.iter(*_TEXT_TAGS)) for p in paragraphs]


def _where(part: str, slides: dict[str, int]) -> str | None:
    if _SLIDE.search(part):
        return f"slide {slides.get(part, '?')}"
    if _NOTES.search(part):
        return f"notes of slide {slides.get(part, '?')}"
    if m := _CHART.search(part):
        return f"chart on slide {slides[part]}" if part in slides else f"chart part {m.group(1)}"
    if m := _WORD.search(part):
        return m.group(1)
    return None


def check_markers(name: str, package: Package) -> list[Problem]:
    """Markers in what a reader sees: slides, notes, charts, the Word body, headers, footers and notes.

    Layouts and masters legitimately hold "Click to edit" prompts, so they are not read.
    """
    problems = []
    slides = slide_order(package.parts, package.relationships) if package.kind == "pptx" else {}
    for part in sorted(package.trees, key=lambda p: (slides.get(p, 0), p)):
        where = _where(part, slides)
        if where is None:
            continue
        for n, text in enumerate(_texts(package.trees[part]), 1):
            found = [m for m in MARKERS if m in text]
            if found:
                shown = ", ".join(repr(m) for m in found)
                place = f"{where}, paragraph {n}"
                problems.append(Problem(name, place, f"leftover template text {shown} in {text.strip()[:60]!r}"))
    return problems
