"""A readable listing of a reference template: what it offers and which parts narrator will use."""

from __future__ import annotations

from pathlib import Path

from narrator.errors import OfficeTemplateError
from narrator.render.ooxml import open_reference

_KINDS = {
    ".pptx": "pptx",
    ".potx": "pptx",
    ".pptm": "pptx",
    ".docx": "docx",
    ".dotx": "docx",
    ".docm": "docx",
}


def inspect_template(path: Path) -> str:
    """Layouts and placeholders of a .pptx/.potx, or styles of a .docx/.dotx, marking what narrator uses.

    Raises OfficeTemplateError, with what is missing, for a file narrator could not build on.
    """
    path = Path(path)
    kind = _KINDS.get(path.suffix.lower())
    if kind is None:
        raise OfficeTemplateError(f"{path}: not a PowerPoint or Word template; give a .pptx, .potx, .docx or .dotx")
    return _inspect_pptx(path) if kind == "pptx" else _inspect_docx(path)


def _inspect_pptx(path: Path) -> str:
    from pptx import Presentation

    from narrator.render.pptx_deck import (
        describe_layout,
        find_content_layout,
        find_cover_layout,
        find_section_layout,
        theme_fonts,
    )

    try:
        prs = Presentation(open_reference(path, "pptx"))
    except OfficeTemplateError:
        raise
    except Exception as exc:  # a damaged part: one message, as when building
        raise OfficeTemplateError(f"{path}: cannot be read as a PowerPoint template ({type(exc).__name__})") from exc
    width, height = prs.slide_width / 914400, prs.slide_height / 914400
    ratio = "16:9" if abs(width / height - 16 / 9) < 0.02 else "4:3" if abs(width / height - 4 / 3) < 0.02 else ""
    major, minor = theme_fonts(prs)
    lines = [
        f"{path.name}: PowerPoint template",
        f"  slide size: {width:.2f} x {height:.2f} in {ratio}".rstrip(),
        f"  theme fonts: headings {major}, body {minor}",
    ]
    problems = []
    try:
        content = find_content_layout(prs, path)
    except OfficeTemplateError as exc:
        content = None
        problems.append(str(exc))
    cover = find_cover_layout(prs)
    section = find_section_layout(prs)
    roles = {}
    for layout, role in ((section, "section (not used yet)"), (cover, "cover"), (content, "content")):
        if layout is not None:
            roles.setdefault(id(layout), []).append(role)
    lines.append("  layouts:")
    for layout in prs.slide_layouts:
        used = roles.get(id(layout))
        mark = f"  <- {' and '.join(used)}" if used else ""
        lines.append(f'    "{layout.name}": {describe_layout(layout)}{mark}')
        for ph in layout.placeholders:
            fmt = ph.placeholder_format
            lines.append(
                f"        idx {fmt.idx} {str(fmt.type).split('.')[-1].split(' ')[0].lower()} "
                f'"{ph.name}" {ph.width / 914400:.2f} x {ph.height / 914400:.2f} in'
            )
    if cover is None and content is not None:
        lines.append(f'  cover: no layout with a centred title; the cover uses "{content.name}"')
    pictures = sum(1 for shape in prs.slide_master.shapes if shape.shape_type == 13)
    lines.append(f"  master: {pictures} picture(s) (logos are kept on every slide)")
    if problems:
        lines += ["  problems:"] + [f"    {p}" for p in problems]
    return "\n".join(lines)


def _inspect_docx(path: Path) -> str:
    import docx

    from narrator.render.docx_paper import STYLES, body_font

    try:
        document = docx.Document(open_reference(path, "docx"))
    except OfficeTemplateError:
        raise
    except Exception as exc:
        raise OfficeTemplateError(f"{path}: cannot be read as a Word template ({type(exc).__name__})") from exc
    section = document.sections[-1]
    names = {s.name for s in document.styles}
    lines = [
        f"{path.name}: Word template",
        f"  page: {section.page_width / 914400:.2f} x {section.page_height / 914400:.2f} in, "
        f"text width {(section.page_width - section.left_margin - section.right_margin) / 914400:.2f} in",
        f"  body font: {body_font(document)}",
        "  styles narrator uses:",
    ]
    for name in STYLES:
        state = "found" if name in names else "missing: narrator adds a plain one"
        lines.append(f'    "{name}": {state}')
    table = "Narrator Table" if "Narrator Table" in names else "Table Grid" if "Table Grid" in names else None
    lines.append(f'    tables: "{table}"' if table else "    tables: no table style; tables use Word's default")
    header = " / ".join(p.text for p in section.header.paragraphs if p.text.strip()) or "(empty)"
    pictures = len(list(section.header._element.iter("{*}docPr")))
    lines.append(f"  header: {header}; {pictures} picture(s) kept; narrator adds the classification")
    lines.append("  footer: narrator adds the footer line and page X of Y")
    return "\n".join(lines)
