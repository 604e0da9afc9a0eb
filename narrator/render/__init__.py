"""Render a finished Story as a PowerPoint deck and a Word board paper, on the user's reference templates."""

from __future__ import annotations

from pathlib import Path

from narrator.tell.story import Story


def render_pptx(story: Story, reference: Path | None = None, layouts: dict[str, str] | None = None) -> bytes:
    """The deck as .pptx bytes; ``reference`` is a .pptx/.potx template, None for the default; ``layouts``
    names the template's layout for a role (cover, section, content, exhibit) where narrator's choice is wrong."""
    from narrator.render.pptx_deck import render_deck

    return render_deck(story, reference, layouts)


def render_docx(story: Story, reference: Path | None = None) -> bytes:
    """The board paper as .docx bytes; ``reference`` is a .docx/.dotx template, None for the default."""
    from narrator.render.docx_paper import render_paper

    return render_paper(story, reference)


def reference_bytes(path: Path, kind: str) -> bytes:
    """A reference template as a document package ("pptx" or "docx"): a .potx/.dotx retyped as the
    document it is based on, so the validator reads it as the documents built on it are read."""
    from narrator.render.ooxml import open_reference

    return open_reference(path, kind).getvalue()


__all__ = ["render_pptx", "render_docx", "reference_bytes"]
