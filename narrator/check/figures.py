"""One figure per concept: a pack states each board concept with one value, and each total as its parts.

A finance reader who finds the cost of doing nothing at £1.1m on one slide and £930k on the next stops
trusting every other number. Facts carry the concept they state (``narrator.compute.ledger.CONCEPTS``);
this check reads every value the story shows, as the reader sees it ("£1.1m", "$408,994", "36.4%"), and
fails when two mentions of one concept cannot be roundings of the same number. A total that is shown
with all its parts must be their sum at the rounding shown, and must not be shown beside parts it leaves
out (non-cash value listed among the cash it is not added to).

It checks the Story, before render, because only the Story knows which fact each figure came from.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

from narrator.check.problem import Problem
from narrator.compute.facts import Fact, FactBook
from narrator.tell.story import Segment, Story

_SHOWN = re.compile(r"(?P<digits>\d[\d,]*(?:\.(?P<decimals>\d+))?)\s*(?P<scale>bn|[kKmM])?\s*(?P<pct>%)?")
_SCALES = {"k": 1e3, "m": 1e6, "bn": 1e9}


@dataclass(frozen=True)
class Mention:
    """One value as shown: its fact, the text, where, and the interval of numbers it can be a rounding of."""

    fact: Fact
    text: str
    where: str
    low: float
    high: float


def shown_interval(text: str) -> tuple[float, float] | None:
    """The magnitudes ``text`` can be a rounding of: "£1.1m" -> (1,050,000, 1,150,000); None if no number."""
    match = _SHOWN.search(text.replace("\u2009", "").replace("\u00a0", ""))
    if match is None:
        return None
    value = float(match["digits"].replace(",", ""))
    half = 0.5 * 10 ** -len(match["decimals"] or "")
    scale = _SCALES.get((match["scale"] or "").lower(), 1.0)
    if match["pct"]:
        scale /= 100
    # Money is rounded half up to whole units and may carry a cent of float error: allow that much.
    slack = 1e-9 * max(1.0, value * scale)
    return (value - half) * scale - slack, (value + half) * scale + slack


def check_figures(story: Story, book: FactBook, name: str = "pack") -> list[Problem]:
    """Every concept stated with two values, and every total that is not the sum of the parts it shows."""
    mentions = list(_mentions(story, book))
    problems = _concepts(mentions, name)
    problems += _totals(story, book, name)
    return problems


def _segments(story: Story) -> Iterator[tuple[str, Segment]]:
    for segment in (story.title, story.subtitle, story.resolution):
        if segment is not None:
            yield "cover", segment
    for section in story.sections:
        place = f"section {section.id!r}"
        for segment in (section.title, section.lead, *section.bullets, *section.body, *section.notes):
            if segment is not None:
                yield place, segment
        if section.table is not None:
            for row in section.table.rows:
                for cell in row:
                    yield f"{place}, table", cell


def _mentions(story: Story, book: FactBook) -> Iterator[Mention]:
    for where, segment in _segments(story):
        for part in segment.values():
            if part.fact_id not in book:
                continue
            fact = book.get(part.fact_id)
            if fact.concept is None or not isinstance(fact.value, int | float):
                continue
            interval = shown_interval(part.text)
            if interval is not None:
                yield Mention(fact, part.text, f"{where} ({segment.id})", *interval)


def _concepts(mentions: list[Mention], name: str) -> list[Problem]:
    by_concept: dict[str, list[Mention]] = {}
    for mention in mentions:
        by_concept.setdefault(mention.fact.concept, []).append(mention)
    problems = []
    for concept, found in sorted(by_concept.items()):
        low = max(found, key=lambda m: m.low)
        high = min(found, key=lambda m: m.high)
        if low.low > high.high:
            problems.append(Problem(
                name, "figures",
                f"the {concept.replace('_', ' ')} is stated as {high.text} in {high.where} and as {low.text} in "
                f"{low.where}; state one figure for one concept (use the fact {high.fact.id} in both)",
            ))
    return problems


def _totals(story: Story, book: FactBook, name: str) -> list[Problem]:
    problems = []
    for where, segment in _segments(story):
        shown = {part.fact_id: part.text for part in segment.values()}
        for fact_id, text in shown.items():
            if fact_id not in book:
                continue
            total = book.get(fact_id)
            if len(total.parts) < 2 or not set(total.parts) <= set(shown):
                continue
            beside = [shown[f] for f in total.beside if f in shown]
            if beside:
                problems.append(Problem(
                    name, f"{where} ({segment.id})",
                    f"the total {text} is shown with {', '.join(beside)}, which it does not include; state what "
                    "is left out of a total apart from its parts",
                ))
            intervals = [shown_interval(shown[part]) for part in total.parts]
            own = shown_interval(text)
            if own is None or any(i is None for i in intervals):
                continue
            low, high = sum(i[0] for i in intervals), sum(i[1] for i in intervals)
            if low > own[1] or high < own[0]:
                problems.append(Problem(
                    name, f"{where} ({segment.id})",
                    f"the total {text} is not the sum of the parts shown beside it "
                    f"({', '.join(shown[p] for p in dict.fromkeys(total.parts))})",
                ))
    return problems
