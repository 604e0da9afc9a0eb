"""The Problem record every check returns, and the small package readers the checks share."""

from __future__ import annotations

import posixpath
import re
from dataclasses import dataclass


@dataclass(frozen=True)
class Problem:
    """One finding: the file, where in it ("slide 7, shape 'Chart 3'", "paragraph 12") and what is wrong.

    ``severity`` is "error" for anything that must stop a build, "note" for a check that could not run
    (an optional validator not installed); ``str(problem)`` is a single line either way.
    """

    file: str
    where: str
    message: str
    severity: str = "error"

    @property
    def is_error(self) -> bool:
        return self.severity == "error"

    def __str__(self) -> str:
        where = f"{self.where}: " if self.where else ""
        prefix = "note: " if self.severity == "note" else ""
        return " ".join(f"{self.file}: {where}{prefix}{self.message}".split())


def kind_of(name: str) -> str | None:
    """ "pptx" or "docx" by file extension (template and macro flavours included), else None."""
    suffix = name.lower().rsplit(".", 1)[-1]
    return {
        "pptx": "pptx",
        "potx": "pptx",
        "pptm": "pptx",
        "docx": "docx",
        "dotx": "docx",
        "docm": "docx",
    }.get(suffix)


_RELATIONSHIP = re.compile(r"<Relationship\b[^>]*>")
_ID, _TARGET, _TYPE = re.compile(r'Id="([^"]+)"'), re.compile(r'Target="([^"]+)"'), re.compile(r'Type="([^"]+)"')
_SLIDE_ID = re.compile(r"<p:sldId\b[^>]*r:id=\"([^\"]+)\"")


def relationships(parts: dict[str, bytes], part: str) -> dict[str, tuple[str, str]]:
    """A part's internal relationships: id -> (target part name, relationship type)."""
    folder, base = posixpath.split(part)
    xml = parts.get(f"{folder}/_rels/{base}.rels", b"").decode("utf-8", "replace")
    found = {}
    for tag in _RELATIONSHIP.findall(xml):
        rid, target = _ID.search(tag), _TARGET.search(tag)
        kind = _TYPE.search(tag)
        if rid and target and 'TargetMode="External"' not in tag:
            name = posixpath.normpath(posixpath.join(folder, target.group(1))).lstrip("/")
            found[rid.group(1)] = (name, kind.group(1) if kind else "")
    return found


def slide_order(parts: dict[str, bytes], relationships_of=None) -> dict[str, int]:
    """Slide, notes and chart part names -> the number of the slide they belong to, in deck order.

    ``relationships_of(part)`` reads a part's relationships (``Package.relationships``, which reads each
    once); by default they are read from ``parts``."""
    rels = relationships_of or (lambda part: relationships(parts, part))
    presentation = parts.get("ppt/presentation.xml", b"").decode("utf-8", "replace")
    targets = rels("ppt/presentation.xml")
    ids = _SLIDE_ID.findall(presentation)
    order: dict[str, int] = {}
    for number, rid in enumerate(ids, 1):
        slide = targets.get(rid, (None, ""))[0]
        if slide is None:
            continue
        order[slide] = number
        for target, _kind in rels(slide).values():
            order.setdefault(target, number)
    return order
