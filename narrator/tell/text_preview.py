"""The editor's text preview: the narrative as plain text, each block marked with where it lands (slide
title, bullet, paper only, notes) and the ready phrases it printed, so a wording edit can be checked in a
second without opening Office files."""

from __future__ import annotations

from narrator.tell.story import Section, Segment, Story


def text_preview(story: Story) -> str:
    lines = [f"# {story.title.plain()}", f"  [cover] {story.subtitle.plain()}"]
    if story.resolution:
        lines.append(f"  [resolution, paper and cover] {story.resolution.plain()}")
    lines.append("")
    for section in story.sections:
        lines += _section(section)
    return "\n".join(lines)


def _section(section: Section) -> list[str]:
    where = ("deck and paper" if section.in_deck and section.in_paper
             else "deck only" if section.in_deck else "paper only")
    lines = [f"## {section.heading}  ({section.template or section.id}; {where})"]

    def add(label: str, segment: Segment | None) -> None:
        if segment is None or not segment:
            return
        chosen = section.phrases.get(segment.id)
        lines.append(f"  [{label}] {segment.plain()}")
        if chosen:
            lines.append(f"      phrases: {', '.join(chosen)}")

    add("slide title" if section.in_deck else "heading sentence", section.title)
    add("lead, under the title", section.lead)
    for bullet in section.bullets:
        add("bullet, deck only" if section.in_deck else "bullet (not shown: paper-only section)", bullet)
    for paragraph in section.body:
        add("paragraph, paper only", paragraph)
    for note in section.notes:
        add("speaker notes", note)
    if section.chart:
        lines.append(f"  [chart] {section.chart.alt_text}")
    if section.table:
        lines.append(f"  [table] {len(section.table.rows)} rows: "
                     + ", ".join(h.plain() for h in section.table.header))
    lines.append("")
    return lines
