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


def _inspect_pptx(path: Path, layouts: dict[str, str] | None = None) -> str:
    from narrator.render.layouts import all_layouts
    from narrator.render.pptx_deck import open_deck_template, template_plan

    prs = open_deck_template(path)
    width, height = prs.slide_width / 914400, prs.slide_height / 914400
    ratio = "16:9" if abs(width / height - 16 / 9) < 0.02 else "4:3" if abs(width / height - 4 / 3) < 0.02 else ""
    shape = "portrait" if height > width else ""
    lines = [
        f"{path.name}: PowerPoint template",
        f"  slide size: {width:.2f} x {height:.2f} in {ratio} {shape}".rstrip(),
    ]
    try:
        template = template_plan(prs, path, layouts)
    except OfficeTemplateError as exc:
        return "\n".join([*lines, "  problems:", f"    {exc}"])
    major, minor = template.fonts
    lines.append(f"  theme fonts: headings {major} (major), body {minor} (minor)")
    plan = template.plan
    roles: dict[int, list[str]] = {}
    for role, choice in plan.choices.items():
        roles.setdefault(choice.index, []).append(
            role if role != "section" else "section (not used: no divider slides)"
        )
    lines.append("  layouts narrator uses:")
    for role, choice in plan.choices.items():
        lines.append(f'    {role}: "{choice.name}" (master {plan.layouts[choice.index].master + 1}): {choice.reason}')
        used = ", ".join(f"idx {i}" for i in choice.placeholders) or "none (text boxes at its areas)"
        lines.append(f"        placeholders filled: {used}")
    lines.append("  all layouts:")
    masters = prs.slide_masters
    for geometry, layout in zip(plan.layouts, all_layouts(prs), strict=True):
        used = roles.get(geometry.index)
        mark = f"  <- {' and '.join(used)}" if used else ""
        lines.append(f'    "{geometry.name}" (master {geometry.master + 1}): {geometry.describe()}{mark}')
        for ph in layout.placeholders:
            fmt = ph.placeholder_format
            try:
                size = f"{ph.width / 914400:.2f} x {ph.height / 914400:.2f} in"
            except (TypeError, AttributeError):
                size = "size inherited"
            lines.append(
                f'        idx {fmt.idx} {str(fmt.type).split(".")[-1].split(" ")[0].lower()} "{ph.name}" {size}'
            )
    pictures = sum(1 for master in masters for s in master.shapes if s.shape_type == 13)
    lines.append(f"  masters: {len(masters)}, {pictures} picture(s) on them (logos are kept on every slide)")
    changes = template.palette.changes
    lines.append("  colours changed for contrast (WCAG 2.1: 4.5:1 text, 3:1 titles and chart marks):")
    lines += [f"    {change}" for change in changes] or ["    none: every colour narrator uses reads on its background"]
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
