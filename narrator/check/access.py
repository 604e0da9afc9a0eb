"""Accessibility: alt text on charts and pictures, a unique title on every slide, marked table headers."""

from __future__ import annotations

import re

from lxml import etree

from narrator.check.problem import Problem

_FILE_NAME = re.compile(r"^[\w\-. ]+\.(png|jpe?g|gif|bmp|tiff?|emf|wmf|svg)$", re.IGNORECASE)
_WP = "http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing"


def _alt_problem(descr: str | None) -> str | None:
    text = (descr or "").strip()
    if not text:
        return "no alt text; describe what the chart or picture shows"
    if _FILE_NAME.match(text):
        return f"alt text is a file name ({text!r}); describe what it shows"
    return None


def check_deck_access(name: str, prs) -> list[Problem]:
    from pptx.enum.shapes import MSO_SHAPE_TYPE

    problems: list[Problem] = []
    seen: dict[str, int] = {}
    for number, slide in enumerate(prs.slides, 1):
        title = slide.shapes.title
        text = " ".join(title.text_frame.text.split()) if title is not None and title.has_text_frame else ""
        if not text:
            problems.append(
                Problem(name, f"slide {number}", "no slide title (screen readers navigate by title)")
            )
        elif text.casefold() in seen:
            problems.append(
                Problem(name, f"slide {number}", f"title {text[:60]!r} repeats slide {seen[text.casefold()]}")
            )
        else:
            seen[text.casefold()] = number
        for shape in slide.shapes:
            visual = shape.shape_type == MSO_SHAPE_TYPE.PICTURE or getattr(shape, "has_chart", False)
            if visual:
                c_nv_pr = shape._element.xpath("./*[1]/p:cNvPr")
                descr = c_nv_pr[0].get("descr") if c_nv_pr else None
                message = _alt_problem(descr)
                if message:
                    problems.append(Problem(name, f"slide {number}, shape {shape.name!r}", message))
            if getattr(shape, "has_table", False) and not shape.table.first_row:
                problems.append(
                    Problem(name, f"slide {number}, shape {shape.name!r}", "table header row is not marked")
                )
    return problems


def check_paper_access(name: str, parts: dict[str, bytes]) -> list[Problem]:
    problems: list[Problem] = []
    try:
        root = etree.fromstring(parts.get("word/document.xml", b"<x/>"))
    except etree.XMLSyntaxError:
        return problems
    for n, doc_pr in enumerate(root.iter(f"{{{_WP}}}docPr"), 1):
        message = _alt_problem(doc_pr.get("descr"))
        if message:
            label = doc_pr.get("name") or f"drawing {n}"
            problems.append(Problem(name, f"drawing {n} ({label!r})", message))
    return problems
