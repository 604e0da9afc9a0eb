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


def _own_findings(path: Path, kind: str) -> list[str]:
    """The validator's findings in the template itself: the template's, never blamed on narrator (the gate
    leaves them out), listed once here with the fix."""
    from narrator.check.schema import validate_package
    from narrator.render import reference_bytes

    try:
        found = validate_package(reference_bytes(path, kind), kind)
    except ImportError:
        return ["  template's own validator findings: not checked (openxml-audit is not installed)"]
    if not found:
        return ["  template's own validator findings: none"]
    app, save_as = ("PowerPoint", ".pptx or .potx") if kind == "pptx" else ("Word", ".docx or .dotx")
    lines = [
        f"  template's own validator findings ({len(found)}; not narrator's, so the gate leaves them out; "
        f"opening the template in {app} and saving it again as {save_as} clears most of them):"
    ]
    for error_type, part, description in found[:12]:
        lines.append(f"    {part or 'package'}: [{error_type}] {description}"[:220])
    if len(found) > 12:
        lines.append(f"    ... and {len(found) - 12} more")
    return lines


def _inspect_pptx(path: Path, layouts: dict[str, str] | None = None) -> str:
    from narrator.render.deck_parts import theme_fonts
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
    major, minor = theme_fonts(prs)
    lines.append(f"  theme fonts: headings {major} (major), body {minor} (minor)")
    if template.fonts != (major, minor):
        title, body = template.fonts
        lines.append(f"  text styles set titles in {title}, body text in {body} (text is fitted in these)")
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
    lines += _own_findings(path, "pptx")
    return "\n".join(lines)


def _inspect_docx(path: Path) -> str:
    import docx

    from narrator.render import wordml
    from narrator.render.docx_paper import STYLES, body_font
    from narrator.render.word_furniture import describe_part

    try:
        document = docx.Document(open_reference(path, "docx"))
    except OfficeTemplateError:
        raise
    except Exception as exc:
        raise OfficeTemplateError(f"{path}: cannot be read as a Word template ({type(exc).__name__})") from exc
    sections = document.sections
    last = sections[-1]
    by_key = wordml.styles_by_key(document.styles.element)
    theme = wordml.theme_fonts(document)
    lines = [
        f"{path.name}: Word template",
        f"  page: {last.page_width / 914400:.2f} x {last.page_height / 914400:.2f} in, "
        f"text width {(last.page_width - last.left_margin - last.right_margin) / 914400:.2f} in",
        f"  theme fonts: headings {theme[0]} (major), body {theme[1]} (minor)",
        f"  body font: {body_font(document)}",
        "  styles narrator uses:",
    ]
    for name in STYLES:
        found = by_key.get(wordml.style_key(name))
        if found is None:
            state = "missing: narrator adds one in the template's look (theme fonts, Normal size, heading colour)"
        else:
            style_id = found.get("{http://schemas.openxmlformats.org/wordprocessingml/2006/main}styleId")
            state = f"found (id {style_id})"
        lines.append(f'    "{name}": {state}')
    table = by_key.get(wordml.style_key("Narrator Table")) or by_key.get(wordml.style_key("Table Grid"))
    lines.append("    tables: a table style of the template's" if table is not None else "    tables: Word's default")
    even = document.settings.element.find(
        "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}evenAndOddHeaders"
    )
    for number, section in enumerate(sections, 1):
        role = (
            "the cover" if number == 1 and len(sections) > 1 else "the paper" if number == len(sections) else "not used"
        )
        first = section.different_first_page_header_footer
        lines.append(
            f"  section {number} ({role}): first-page header/footer {'on' if first else 'off'}, "
            f"even pages {'on' if even is not None else 'off'}"
        )
        variants = [("default", section.header, section.footer)]
        if first:
            variants.append(("first page", section.first_page_header, section.first_page_footer))
        if even is not None:
            variants.append(("even pages", section.even_page_header, section.even_page_footer))
        for label, header, footer in variants:
            lines.append(f"    {label} header: {describe_part(header)}")
            lines.append(f"    {label} footer: {describe_part(footer)}")
    lines.append(
        "  narrator adds: the classification to each header that shows (unless it already says it), its footer "
        "line to the template's footer text, and page X of Y only where the template has no page number"
    )
    from narrator.render.contrast import paper_chart_palette

    _, changes = paper_chart_palette(wordml.theme_root(document))
    lines.append("  chart colours changed for contrast on white (WCAG 2.1: 3:1 for chart marks):")
    lines += [f"    {change}" for change in changes] or ["    none"]
    lines += _own_findings(path, "docx")
    return "\n".join(lines)
