"""Accessibility: alt text on charts and pictures, a unique title on every slide, marked table headers."""

from __future__ import annotations

import re

from narrator.check.deck_view import DeckView
from narrator.check.problem import Problem

_FILE_NAME = re.compile(r"^[\w\-. ]+\.(png|jpe?g|gif|bmp|tiff?|emf|wmf|svg)$", re.IGNORECASE)
_A = "{http://schemas.openxmlformats.org/drawingml/2006/main}"
_WP = "http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing"


def _alt_problem(descr: str | None) -> str | None:
    text = (descr or "").strip()
    if not text:
        return "no alt text; describe what the chart or picture shows"
    if _FILE_NAME.match(text):
        return f"alt text is a file name ({text!r}); describe what it shows"
    return None


def check_deck_access(name: str, deck: DeckView) -> list[Problem]:
    problems: list[Problem] = []
    seen: dict[str, int] = {}
    for slide in deck.slides:
        number = slide.number
        title = slide.title
        text = " ".join(title.text.split()) if title is not None else ""
        if not text:
            problems.append(Problem(name, f"slide {number}", "no slide title (screen readers navigate by title)"))
        elif text.casefold() in seen:
            problems.append(
                Problem(name, f"slide {number}", f"title {text[:60]!r} repeats slide {seen[text.casefold()]}")
            )
        else:
            seen[text.casefold()] = number
        for shape in slide.shapes:
            if shape.kind in ("picture", "chart"):
                message = _alt_problem(shape.description)
                if message:
                    problems.append(Problem(name, f"slide {number}, shape {shape.name!r}", message))
            if shape.kind == "table" and not _first_row_marked(shape.table):
                problems.append(
                    Problem(name, f"slide {number}, shape {shape.name!r}", "table header row is not marked")
                )
    return problems


def _first_row_marked(table) -> bool:
    properties = table.find(f"{_A}tblPr")
    return properties is not None and properties.get("firstRow") in ("1", "true")


def check_paper_access(name: str, root) -> list[Problem]:
    """Alt text on every drawing in the parsed word/document.xml."""
    problems: list[Problem] = []
    for n, doc_pr in enumerate(root.iter(f"{{{_WP}}}docPr"), 1):
        message = _alt_problem(doc_pr.get("descr"))
        if message:
            label = doc_pr.get("name") or f"drawing {n}"
            problems.append(Problem(name, f"drawing {n} ({label!r})", message))
    return problems
