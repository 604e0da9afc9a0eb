"""Renders a Story as Markdown: the fast preview for template editors, and an optional output."""

from __future__ import annotations

from narrator.tell.story import Section, Story, TableSpec


def render_markdown(story: Story) -> str:
    lines = [f"# {story.title.plain()}", "", f"_{story.subtitle.plain()}_", ""]
    if story.resolution:
        lines += [f"**Purpose: for {story.purpose}.** {story.resolution.plain()}", ""]
    for section in story.sections:
        if section.in_paper or section.in_deck:
            lines += _section(section)
    lines += [f"_{story.furniture.data_as_of.plain()}_", ""]
    return "\n".join(lines)


def _section(section: Section) -> list[str]:
    lines = [f"## {section.heading}", "", f"**{section.title.plain()}**", ""]
    if section.lead:
        lines += [section.lead.plain(), ""]
    if section.bullets:
        lines += [f"- {b.plain()}" for b in section.bullets] + [""]
    for paragraph in section.body:
        lines += [paragraph.plain(), ""]
    if section.chart:
        lines += [f"_Chart: {section.chart.alt_text}_ ({section.chart.source.plain()})", ""]
    if section.table:
        lines += _table(section.table)
    if section.notes:
        lines += ["> Speaker notes: " + " ".join(n.plain() for n in section.notes), ""]
    return lines


def _table(table: TableSpec) -> list[str]:
    def row(cells) -> str:
        return "| " + " | ".join(c.plain().replace("|", "\\|") for c in cells) + " |"

    align = table.align or ("left",) * len(table.header)
    rule = "| " + " | ".join("---:" if a == "right" else "---" for a in align) + " |"
    lines = [row(table.header), rule, *(row(r) for r in table.rows), ""]
    if table.source:
        lines += [f"_{table.source.plain()}_", ""]
    return lines
