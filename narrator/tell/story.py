"""The Story: the finished narrative every renderer consumes, with each value kept apart from the words.

A ``Segment`` is one sentence-sized piece of text (a title, a bullet, a paragraph, a table cell). Its
``parts`` alternate literal words and ``ValuePart``s; a ValuePart is a formatted value (a number with its
unit, a period, a name from the data) that points at the Fact it came from. Because values never melt
into the words, a renderer can prove every number traces to a fact, and the polish step can send the
words to a model with each value replaced by an opaque token (``masked()``) and put the values back after.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Annotated, Literal

from pydantic import BaseModel, BeforeValidator, ConfigDict

from narrator.cleaning import clean_text

TOKEN_OPEN, TOKEN_CLOSE = "⟦", "⟧"
TOKEN_PATTERN = re.compile(r"⟦(V\d+)⟧")

# Every text of the Story, whatever the template or the data put in it, is text a document can hold.
Text = Annotated[str, BeforeValidator(clean_text)]


class ValuePart(BaseModel):
    """A formatted value inside a segment, traceable to ``fact_id``."""

    model_config = ConfigDict(frozen=True)

    token: str  # unique within a story: "V12"
    text: Text  # as the reader sees it: "$1.2m", "84.2%", "March 2025"
    fact_id: str


Part = Text | ValuePart


class Segment(BaseModel):
    """A sentence-sized piece of text whose values are held as ValueParts."""

    model_config = ConfigDict(frozen=True)

    id: str  # unique within a story: "outcome.bullets.2"
    parts: tuple[Part, ...] = ()

    def plain(self) -> str:
        return "".join(p if isinstance(p, str) else p.text for p in self.parts)

    def masked(self) -> str:
        return "".join(p if isinstance(p, str) else f"{TOKEN_OPEN}{p.token}{TOKEN_CLOSE}" for p in self.parts)

    def values(self) -> list[ValuePart]:
        return [p for p in self.parts if isinstance(p, ValuePart)]

    def with_masked_text(self, masked: str) -> Segment:
        """A copy whose words are ``masked`` (tokens included); the tokens must be this segment's own."""
        by_token = {v.token: v for v in self.values()}
        parts: list[Part] = []
        pos = 0
        for match in TOKEN_PATTERN.finditer(masked):
            if match.start() > pos:
                parts.append(masked[pos : match.start()])
            parts.append(by_token[match.group(1)])
            pos = match.end()
        if pos < len(masked):
            parts.append(masked[pos:])
        return Segment(id=self.id, parts=tuple(parts))

    def __bool__(self) -> bool:
        return bool(self.plain().strip())

    @classmethod
    def literal(cls, id: str, text: str) -> Segment:
        return cls(id=id, parts=(text,) if text else ())


class ChartSeries(BaseModel):
    model_config = ConfigDict(frozen=True)

    name: Text
    values: tuple[float | None, ...]  # None where the data has no value (a gap, not a zero)
    kind: Literal["bar", "line"] = "bar"
    axis: Literal["primary", "secondary"] = "primary"
    number_format: str = "#,##0"  # Excel format code; percentages are fractions with "0%" formats
    fact_ids: tuple[str, ...] = ()
    dashed: bool = False  # targets and benchmarks are drawn dashed


class ChartSpec(BaseModel):
    """A native chart: what it shows, in data, with the words a reader needs to trust it."""

    model_config = ConfigDict(frozen=True)

    kind: Literal["line", "bar", "combo", "waterfall", "column"]
    title: Text
    categories: tuple[Text, ...]
    series: tuple[ChartSeries, ...]
    alt_text: Text  # generated from the data: "Line chart of service level by month, Jan to Dec 2025 ..."
    source: Segment  # printed under the chart
    value_axis_format: str = "#,##0"


class TableSpec(BaseModel):
    model_config = ConfigDict(frozen=True)

    header: tuple[Segment, ...]
    rows: tuple[tuple[Segment, ...], ...]
    align: tuple[Literal["left", "right"], ...] = ()
    caption: Segment | None = None
    source: Segment | None = None


SectionKind = Literal["cover", "summary", "content", "ask", "appendix"]


class Section(BaseModel):
    """One message: a slide in the deck and a headed section in the paper."""

    model_config = ConfigDict(frozen=True)

    id: str
    kind: SectionKind = "content"
    heading: Text  # short label for the paper's heading and the deck's navigation ("The problem")
    title: Segment  # the action title: a full sentence with the number in it
    lead: Segment | None = None  # the one-sentence message under the title
    bullets: tuple[Segment, ...] = ()
    body: tuple[Segment, ...] = ()  # paragraphs for the paper (the deck uses bullets)
    notes: tuple[Segment, ...] = ()  # speaker notes: the narrative and its evidence
    chart: ChartSpec | None = None
    table: TableSpec | None = None
    sources: tuple[Segment, ...] = ()
    in_deck: bool = True
    in_paper: bool = True
    template: str = ""  # the template file the section was written from, for messages that name it
    phrases: dict[str, tuple[str, ...]] = {}  # segment id -> the ready phrases it printed, for the text preview


class Furniture(BaseModel):
    """What stands on every page or slide: data-as-of line, footer, classification."""

    model_config = ConfigDict(frozen=True)

    data_as_of: Segment
    footer: Segment
    classification: Text = "Board confidential"


class DocumentProperties(BaseModel):
    model_config = ConfigDict(frozen=True)

    title: Text
    subject: Text
    author: Text
    company: Text
    keywords: Text = ""
    created: str  # ISO date; fixed by the inputs so builds are reproducible


class Story(BaseModel):
    """The whole narrative of a pack, complete and validated before any file is touched."""

    model_config = ConfigDict(frozen=True)

    slug: str
    title: Segment
    subtitle: Segment
    purpose: Literal["decision", "discussion", "information"]
    resolution: Segment | None = None  # the exact wording the board is asked to approve
    sections: tuple[Section, ...]
    furniture: Furniture
    properties: DocumentProperties
    locale: str
    currency: str

    def segments(self) -> Iterator[Segment]:
        """Every segment, in reading order (the polish step walks these)."""
        yield self.title
        yield self.subtitle
        if self.resolution is not None:
            yield self.resolution
        for section in self.sections:
            yield section.title
            if section.lead is not None:
                yield section.lead
            yield from section.bullets
            yield from section.body
            yield from section.notes

    def with_segments(self, replacements: dict[str, Segment]) -> Story:
        """A copy with the segments of the given ids replaced (used by polish)."""

        def swap(seg: Segment | None) -> Segment | None:
            return replacements.get(seg.id, seg) if seg is not None else None

        sections = tuple(
            s.model_copy(
                update={
                    "title": swap(s.title),
                    "lead": swap(s.lead),
                    "bullets": tuple(swap(b) for b in s.bullets),
                    "body": tuple(swap(b) for b in s.body),
                    "notes": tuple(swap(n) for n in s.notes),
                }
            )
            for s in self.sections
        )
        return self.model_copy(
            update={
                "title": swap(self.title),
                "subtitle": swap(self.subtitle),
                "resolution": swap(self.resolution),
                "sections": sections,
            }
        )

