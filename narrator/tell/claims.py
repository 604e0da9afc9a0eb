"""The claim check: every sentence's direction and comparison words against the facts it states.

Runs on the Story before anything is rendered. A sentence that says "rose" over a change that fell,
"short of" a target the value is over, "every KPI meets its target" when one does not, or "unchanged"
over a notable movement is refused, naming the template and segment. So is a section with a title and
no evidence, and a sentence said twice on one page or on consecutive slides. The check reads only the
Story and the facts; it knows nothing of how a template chose its words, so it holds for user templates.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from narrator.compute.facts import Fact
from narrator.tell.story import Section, Segment, Story, ValuePart

UP = {"rose", "increased", "up", "grew", "higher", "climbed", "more"}
DOWN = {"fell", "decreased", "down", "lower", "fewer", "dropped", "declined"}
BETTER = {"better", "improved", "improving"}
WORSE = {"worse", "worsened", "slipped", "deteriorated"}
STEADY = {"unchanged", "steady"}
ABOVE_TARGET = {"above", "over", "exceeds", "exceeded"}
BELOW_TARGET = {"below", "under", "short", "within"}
MEETS = {"meets", "met", "meet", "reached"}
MISSES = {"misses", "missed", "miss"}

CLAUSE_BREAK = re.compile(r"[;:.,]\s|[;:.,]$|\s(?:but|while|then|and|though)\s")
WORD = re.compile(r"[a-z]+(?:-[a-z]+)*")


@dataclass(frozen=True)
class Problem:
    """One claim-check finding: the template, the segment or section, and what is wrong, as one line.
    (Its own small record, not the gate's: the claim check runs in validate, which stays free of the
    document checks.)"""

    file: str
    where: str
    message: str

    def __str__(self) -> str:
        return " ".join(f"{self.file}: {self.where}: {self.message}".split())


@dataclass(frozen=True)
class _Clause:
    words: list[str]
    values: list[tuple[int, Fact, str]]  # (word position, fact, text as shown)


class ClaimChecker:
    """Checks sentences against facts; ``notable(kpi_id)`` says whether a KPI moved enough to mention."""

    def __init__(self, lookup: Callable[[str], Fact | None], kpis: dict[str, dict],
                 segment_misses: tuple[str, ...] = ()):
        self.lookup = lookup
        self.kpis = kpis
        self.segment_misses = segment_misses  # "Phone service level": segments missing their own target

    # --- one segment -------------------------------------------------------------------------------
    def segment(self, segment: Segment) -> list[str]:
        """What is wrong with one segment's claims, in words (empty when every claim holds)."""
        problems: list[str] = []
        for clause in self._clauses(segment):
            problems += self._directions(clause)
            problems += self._targets(clause)
        problems += self._quantifiers(segment)
        return problems

    def _clauses(self, segment: Segment) -> list[_Clause]:
        clauses, words, values = [], [], []
        for part in segment.parts:
            if isinstance(part, ValuePart):
                fact = self.lookup(part.fact_id)
                if fact is not None:
                    values.append((len(words), fact, part.text))
                continue
            pos = 0
            text = part.lower()
            for cut in CLAUSE_BREAK.finditer(text):
                words += WORD.findall(text[pos:cut.start()])
                clauses.append(_Clause(words, values))
                words, values = [], []
                pos = cut.end()
            words += WORD.findall(text[pos:])
        clauses.append(_Clause(words, values))
        return [c for c in clauses if c.words]

    def _directions(self, clause: _Clause) -> list[str]:
        problems = []
        if "target" in clause.words:
            return problems  # above/below a target is the target rule's business
        for i, word in enumerate(clause.words):
            if word == "steady" and (i == 0 or clause.words[i - 1] != "held"):
                continue
            if word in ("up", "down") and i + 1 < len(clause.words) and clause.words[i + 1] in ("to", "from"):
                continue  # "up to", "down from" are not claims of direction on their own
            if word not in UP | DOWN | BETTER | WORSE | STEADY:
                continue
            change = self._change(clause, i)
            if change is None:
                if word in STEADY:
                    problems += self._steady_level(clause, word)
                continue
            fact, shown = change
            if word in UP and fact.direction != "up" or word in DOWN and fact.direction != "down":
                problems.append(f'says "{word}" but {fact.label} went {_went(fact)} ({shown})')
            elif word in BETTER and fact.favourable is not True or word in WORSE and fact.favourable is not False:
                problems.append(f'says "{word}" but {fact.label} is {_goodness(fact)} news ({shown})')
            elif word in STEADY and fact.direction != "flat" and re.search(r"[1-9]", shown) \
                    and self._notable(fact):
                problems.append(f'says "{word}" but {fact.label} moved {shown}')
        return problems

    def _change(self, clause: _Clause, position: int) -> tuple[Fact, str] | None:
        """The change a direction word speaks of: the nearest change fact in the clause, else the move
        between the first and last level of one KPI ("rose from 74.6% to 83.7%")."""
        changes = [(abs(pos - position), fact, shown) for pos, fact, shown in clause.values
                   if fact.direction is not None]
        if changes:
            _, fact, shown = min(changes, key=lambda c: c[0])
            return fact, shown
        pair = self._from_to(clause, position)
        if pair is not None:
            (start, start_shown), (end, end_shown) = pair
            move = end.value - start.value
            kpi = self._kpi_of(end)
            good_up = kpi is None or self.kpis.get(kpi, {}).get("_direction", "up") == "up"
            moved = Fact(id=f"{end.id}.move", label=end.label.split(",")[0], value=move, unit=end.unit,
                         direction="flat" if abs(move) < 1e-12 else ("up" if move > 0 else "down"),
                         favourable=None if abs(move) < 1e-12 else (move > 0) == good_up)
            return moved, f"{start_shown} to {end_shown}"
        return None

    def _from_to(self, clause: _Clause, position: int):
        """The values right after "from" and after the "to" that follows it: "rose from 74.6% in January to 83.7%"."""
        words = clause.words
        starts = [i for i in range(position, len(words)) if words[i] == "from"]
        if not starts:
            return None
        numeric = [(pos, fact, shown) for pos, fact, shown in clause.values
                   if isinstance(fact.value, int | float) and fact.unit not in ("period", "text")]
        start = next(((pos, f, t) for pos, f, t in numeric if pos >= starts[0] + 1), None)
        if start is None:
            return None
        tos = [i for i in range(start[0], len(words)) if words[i] == "to"]
        if not tos:
            return None
        end = next(((pos, f, t) for pos, f, t in numeric if pos >= tos[0] + 1), None)
        if end is None or end[1].unit != start[1].unit:
            return None
        return (start[1], start[2]), (end[1], end[2])

    def _steady_level(self, clause: _Clause, word: str) -> list[str]:
        comparison = _comparison_named(clause.words)
        for _, fact, _shown in clause.values:
            kpi = self._kpi_of(fact)
            if kpi and fact.id.endswith(".latest") and self.kpis.get(kpi, {}).get(f"{comparison}_notable"):
                change = self.kpis[kpi][comparison]
                return [f'says "{word}" but {change.label} moved {"up" if change.value > 0 else "down"}']
        return []

    def _targets(self, clause: _Clause) -> list[str]:
        if "target" not in clause.words and "targets" not in clause.words:
            return []
        words = set(clause.words)
        side = None
        if words & ABOVE_TARGET:
            side = "above"
        if words & BELOW_TARGET:
            side = "below" if side is None else "both"
        gap = next((f for _, f, _ in clause.values if f.id.endswith(".vs_target")), None)
        latest = next((f for _, f, _ in clause.values if f.id.endswith(".latest")), None)
        target = next((f for _, f, _ in clause.values if f.id.endswith(".target")), None)
        if gap is None and latest is not None and target is not None:
            gap = Fact(id="gap", label=f"{latest.label.split(',')[0]} against its target",
                       value=latest.value - target.value, unit=latest.unit,
                       direction="flat" if latest.value == target.value else
                       ("up" if latest.value > target.value else "down"))
        if gap is None:
            return []
        problems = []
        name = gap.label.split(",")[0]
        kpi = self._kpi_of(gap) or (self._kpi_of(latest) if latest else None)
        good_up = self.kpis.get(kpi, {}).get("_direction", "up") == "up"
        favourable = None if gap.direction == "flat" else (gap.direction == "up") == good_up
        if side == "above" and gap.direction != "up" or side == "below" and gap.direction != "down":
            word = sorted(words & (ABOVE_TARGET if side == "above" else BELOW_TARGET))[0]
            problems.append(f'says "{word}" its target but {name} is {_went(gap, gap=True)}')
        if words & MEETS and favourable is False and not words & MISSES:
            problems.append(f'says the target is met but {name} is on the wrong side of it')
        if words & MISSES and favourable is not False:
            problems.append(f'says the target is missed but {name} meets it')
        return problems

    def _quantifiers(self, segment: Segment) -> list[str]:
        """ "every KPI with a target meets it", "no headline measure worsened": checked against all KPIs."""
        text = segment.plain().lower()
        problems = []
        with_target = {k: f for k, f in self.kpis.items() if f.get("vs_target") is not None}
        every = re.search(r"\b(every|all)\b[^.;]*\btargets?\b", text)
        if every and re.search(r"\b(meets?|on or above|at or above)\b", text):
            if not with_target:
                problems.append("says every target is met but the data has no targets")
            missed = [f["vs_target"].label for f in with_target.values() if f["vs_target"].favourable is False]
            if missed:
                problems.append(f"says every target is met but {missed[0]} is on the wrong side of it")
            elif self.segment_misses:
                problems.append(f"says every target is met but {self.segment_misses[0]} misses its own")
        if re.search(r"\bno headline measure (worsened|improved)\b", text):
            word = re.search(r"\bno headline measure (worsened|improved)\b", text).group(1)
            wanted = word == "improved"
            moved = [f["vs_prior"].label for f in self.kpis.values()
                     if f.get("vs_prior_notable") and f["vs_prior"].favourable is wanted and not f.get("_demand")]
            if moved:
                problems.append(f'says no headline measure {word} but {moved[0]} did')
        return problems

    def _kpi_of(self, fact: Fact) -> str | None:
        match = re.match(r"kpi\.([a-z0-9_]+)\.", fact.id)
        return match.group(1) if match else None

    def _notable(self, fact: Fact) -> bool:
        kpi = self._kpi_of(fact)
        name = fact.id.rsplit(".", 1)[-1].removesuffix("_relative")
        return bool(self.kpis.get(kpi, {}).get(f"{name}_notable", True))


def _comparison_named(words: list[str]) -> str:
    """Which change a level sentence's "unchanged" speaks of: "on a year earlier" / "year ago" is the
    year-on-year change, "since" the trend's start, anything else the prior period."""
    if "year" in words and ("earlier" in words or "ago" in words):
        return "vs_year_ago"
    if "since" in words:
        return "vs_trend_start"
    return "vs_prior"


def claim_checker(computed) -> ClaimChecker:
    """A checker over one pack's facts (``computed``: the compute stage's result)."""
    from narrator.compute.insights import DEMAND_KPIS

    book = computed.book
    kpis = {
        kpi_id: dict(facts) | {"_direction": computed.catalogue.get(kpi_id).direction,
                               "_demand": kpi_id in DEMAND_KPIS}
        for kpi_id, facts in computed.kpis.items()
    }
    misses = tuple(
        f"{i.segment} {computed.catalogue.get(i.kpi).label}" for i in computed.insights
        if i.segment and i.kind in ("target", "hidden_miss") and i.status == "missed"
    )
    return ClaimChecker(lambda fact_id: book.get(fact_id) if fact_id in book else None, kpis, misses)


def check_claims(story: Story, computed) -> list[Problem]:
    """The claim check of a told pack: what the gate refuses before anything is rendered."""
    return check_story(story, claim_checker(computed))


def check_story(story: Story, checker: ClaimChecker) -> list[Problem]:
    """Every claim, evidence and repetition problem of a Story, one line each."""
    problems: list[Problem] = []
    for section in story.sections:
        where = section.template or section.id
        for segment in _segments(section):
            for message in checker.segment(segment):
                problems.append(Problem(where, f"segment {segment.id}", message))
        if not (section.bullets or section.body or section.chart or section.table):
            problems.append(Problem(where, f"section {section.id}",
                                    "has a title and no evidence: no bullets, paragraphs, chart or table; "
                                    "leave the section out (requires: in the storyline) or give it evidence"))
        for view in (_deck_view(section), _paper_view(section)):
            problems += _repeats_within(section, view)
    problems += _repeats_across(story)
    return problems


def _segments(section: Section) -> Iterable[Segment]:
    yield section.title
    if section.lead is not None:
        yield section.lead
    yield from section.bullets
    yield from section.body


def _deck_view(section: Section) -> list[Segment]:
    return [section.title, *([section.lead] if section.lead else []), *section.bullets] if section.in_deck else []


def _paper_view(section: Section) -> list[Segment]:
    return [section.title, *([section.lead] if section.lead else []), *section.body] if section.in_paper else []


def _sentences(segment: Segment) -> list[str]:
    text = segment.plain()
    parts = re.split(r"(?<=[.;!?])\s+(?=[A-Z])", text)
    return [_norm(p) for p in parts if len(_norm(p).split()) >= 4]


def _norm(text: str) -> str:
    return " ".join(re.sub(r"[^\w%£$€.]+", " ", text.lower()).replace(" .", " ").split()).rstrip(".")


def _repeats_within(section: Section, view: list[Segment]) -> list[Problem]:
    seen: dict[str, str] = {}
    problems = []
    for segment in view:
        for sentence in _sentences(segment):
            if sentence in seen and seen[sentence] != segment.id:
                problems.append(Problem(section.template or section.id, f"segment {segment.id}",
                                        f"repeats a sentence of {seen[sentence]} on the same page: "
                                        f"\u201c{sentence[:70]}\u201d"))
            seen.setdefault(sentence, segment.id)
    return problems


def _repeats_across(story: Story) -> list[Problem]:
    """A sentence on consecutive slides, or a slide's whole title inside the slide before it."""
    problems = []
    slides = [s for s in story.sections if s.in_deck]
    for before, after in zip(slides, slides[1:], strict=False):
        earlier = {s: seg.id for seg in _deck_view(before) for s in _sentences(seg)}
        title = _norm(after.title.plain())
        for segment in _deck_view(after):
            for sentence in _sentences(segment):
                if sentence in earlier:
                    problems.append(Problem(after.template or after.id, f"segment {segment.id}",
                                            f"repeats {earlier[sentence]} on the slide before: "
                                            f"\u201c{sentence[:70]}\u201d"))
        if len(title.split()) >= 6:
            for sentence, seg_id in earlier.items():
                if sentence != title and (title in sentence or len(sentence.split()) >= 8 and sentence in title):
                    problems.append(Problem(before.template or before.id, f"segment {seg_id}",
                                            f"says word for word the title of the next slide ({after.id}): "
                                            f"\u201c{title[:70]}\u201d"))
    return problems


def _went(fact: Fact, gap: bool = False) -> str:
    if gap:
        return {"up": "above it", "down": "below it"}.get(fact.direction, "on it")
    return {"up": "up", "down": "down"}.get(fact.direction, "nowhere")


def _goodness(fact: Fact) -> str:
    return {True: "good", False: "bad"}.get(fact.favourable, "neutral")
