"""Turns rendered template text and facts into Segments, numbering value tokens across the story."""

from __future__ import annotations

import re
from collections.abc import Callable

from narrator.compute.facts import Fact
from narrator.errors import TemplateError
from narrator.tell.environment import MARK_PATTERN
from narrator.tell.formatting import Formatter
from narrator.tell.story import Part, Segment, ValuePart

_DIGIT = re.compile(r"\d")
_SPACES = re.compile(r"\s+")


class SegmentFactory:
    """Makes every Segment of one story, so value tokens are unique story-wide (V1, V2, ...)."""

    def __init__(self, formatter: Formatter):
        self.formatter = formatter
        self._next_token = 1

    def _value(self, text: str, fact_id: str) -> ValuePart:
        part = ValuePart(token=f"V{self._next_token}", text=text, fact_id=fact_id)
        self._next_token += 1
        return part

    def from_rendered(self, segment_id: str, text: str, values: list[tuple[str, str]], where: str) -> Segment:
        """A segment from template output: markers become ValueParts; a digit in the words is an error,
        because it would be a number no fact stands behind."""
        parts: list[Part] = []
        pos = 0
        text = _SPACES.sub(" ", text).strip()
        for match in MARK_PATTERN.finditer(text):
            parts.append(text[pos : match.start()])
            value_text, fact_id = values[int(match.group(1))]
            parts.append(self._value(value_text, fact_id))
            pos = match.end()
        parts.append(text[pos:])
        for literal in (p for p in parts if isinstance(p, str)):
            digit = _DIGIT.search(literal)
            if digit:
                snippet = literal[max(0, digit.start() - 20) : digit.end() + 20].strip()
                raise TemplateError(
                    f"{where}: a number is typed into the template text (\u201c{snippet}\u201d); numbers must "
                    "come from facts so they can be traced: use a variable such as {{ period }} or "
                    "{{ kpi.service_level.latest | pct }}"
                )
        return Segment(id=segment_id, parts=tuple(p for p in parts if p != ""))

    def from_fact(
        self, segment_id: str, fact: Fact | None, render: Callable[[Fact], str] | None = None
    ) -> Segment:
        """A table cell or label holding one value; an em dash where the data has none."""
        if fact is None or fact.value is None:
            return Segment(id=segment_id, parts=("\u2014",))
        text = (render or self.formatter.default)(fact)
        return Segment(id=segment_id, parts=(self._value(text, fact.id),))

    def compose(self, segment_id: str, *pieces: str | tuple[Fact, Callable[[Fact], str] | None]) -> Segment:
        """Words and facts in order: compose(id, "Source: ", (fact, None))."""
        parts: list[Part] = []
        for piece in pieces:
            if isinstance(piece, str):
                if _DIGIT.search(piece):
                    raise TemplateError(
                        f"internal wording {piece!r} has a digit; numbers must come from facts"
                    )
                parts.append(piece)
            else:
                fact, render = piece
                parts.append(self._value((render or self.formatter.default)(fact), fact.id))
        return Segment(id=segment_id, parts=tuple(parts))

    def words(self, segment_id: str, text: str) -> Segment:
        return self.compose(segment_id, text)
