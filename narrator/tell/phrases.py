"""Phrases: the wording decisions that follow from the data, made in code and handed to templates ready.

Whether a change is better or worse (by the KPI's own favourable direction), whether a value is over or
under its target, whether a change rounds to nothing ("unchanged", never "0%" or "-0.0 pts"), whether a
volume is demand rather than a service result, singular or plural: these are logic, so they live here
where tests can reach them, and a template holds only words and their order. A ``Phrase`` keeps each
value as the fact it came from, so the value door (environment.py) still marks every number.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from narrator.compute.facts import Fact
from narrator.compute.insights import DEMAND_KPIS, Insight
from narrator.tell.formatting import Formatter

Piece = str | tuple[Fact, str]  # words, or (fact, form) where form names a Formatter wording


@dataclass(frozen=True)
class Phrase:
    """Words and values, ready to print: ``{{ k.say.movement }}``. Empty phrases are false in ``{% if %}``."""

    pieces: tuple[Piece, ...] = ()
    name: str = ""  # which wording was chosen ("movement.year_ago"), shown by the text preview

    def __bool__(self) -> bool:
        return any(isinstance(p, tuple) or p.strip() for p in self.pieces)

    def __add__(self, other: Phrase | str) -> Phrase:
        if isinstance(other, str):
            other = Phrase((other,))
        name = "+".join(n for n in (self.name, other.name) if n)
        return Phrase(self.pieces + other.pieces, name)

    def capitalized(self) -> Phrase:
        """The same phrase opening a sentence (a value that opens it stays as it is)."""
        if not self.pieces or not isinstance(self.pieces[0], str):
            return self
        first = self.pieces[0]
        return Phrase((first[:1].upper() + first[1:], *self.pieces[1:]), self.name)

    def text(self, formatter: Formatter) -> str:
        """The phrase as a reader sees it (for tests and the claim check's messages, not for templates)."""
        forms = {"value": formatter.default, "money_short": lambda f: formatter.money_short(abs(f.value), f.currency),
                 "midsentence": lambda f: f.value[:1].lower() + f.value[1:]}
        return "".join(p if isinstance(p, str) else forms[p[1]](p[0]) for p in self.pieces)

    def facts(self) -> tuple[Fact, ...]:
        return tuple(p[0] for p in self.pieces if isinstance(p, tuple))

    def __str__(self) -> str:
        # Like a Fact, a phrase turned into plain text would carry its numbers past the value door.
        raise TypeError("a phrase cannot be joined as plain text with ~; print it directly: {{ ... }}")


EMPTY = Phrase()


def phrase(*pieces: Piece | Fact | Phrase, name: str = "") -> Phrase:
    """Build a phrase from words, facts (printed in their natural form) and other phrases."""
    out: list[Piece] = []
    for piece in pieces:
        if isinstance(piece, Phrase):
            out.extend(piece.pieces)
        elif isinstance(piece, Fact):
            out.append((piece, "value"))
        else:
            out.append(piece)
    return Phrase(tuple(out), name)


def join(items: list[Phrase | str | Fact], conjunction: str = "and") -> Phrase:
    """ "a", "a and b", "a, b and c"."""
    pieces: list = []
    for i, item in enumerate(items):
        if i:
            pieces.append(f" {conjunction} " if i == len(items) - 1 else ", ")
        pieces.append(item)
    return phrase(*pieces)


def plural(count: int, one: str, many: str) -> str:
    return one if count == 1 else many


def is_plural(label: str) -> bool:
    """ "contacts offered", "complaints" take a plural verb; "service level", "occupancy" do not."""
    first = label.split(" ", 1)[0].lower()
    return first.endswith("s") and not first.endswith(("ss", "us", "is"))


@dataclass(frozen=True)
class Periods:
    """The period names phrases refer to (facts: they are data)."""

    current: Fact
    prior: Fact
    year_ago: Fact
    trend_start: Fact
    noun: str = "month"  # what one period is called: month, quarter or year


class Phrasebook:
    """Words each KPI and insight as a board would read it, for one locale."""

    def __init__(self, formatter: Formatter, periods: Periods):
        self.formatter = formatter
        self.periods = periods

    # --- small decisions -------------------------------------------------------------------------
    def rounds_to_zero(self, fact: Fact | None) -> bool:
        """True when the change, as the reader would see it, shows no digit but zero."""
        if fact is None or not isinstance(fact.value, int | float):
            return True
        return not re.search(r"[1-9]", self.formatter.default(fact))

    def size(self, change: Fact, relative: Fact | None, unit: str) -> Fact:
        """The figure that best shows a change: points for percentages, a relative change for counts."""
        if unit == "count" and relative is not None:
            return relative
        return change

    def moved(self, change: Fact) -> str:
        return {"up": "rose", "down": "fell"}.get(change.direction, "was unchanged")

    def up_down(self, change: Fact) -> str:
        return {"up": "up", "down": "down"}.get(change.direction, "unchanged")

    def against(self, comparison: str) -> Phrase:
        """How a comparison is named after a change: "on a year earlier", "since April 2024"."""
        if comparison == "year_ago":
            return phrase("on a year earlier")
        if comparison == "trend_start":
            return phrase("since ", self.periods.trend_start)
        return phrase("on ", self.periods.prior)

    # --- one KPI ---------------------------------------------------------------------------------
    def change(self, k, comparison: str) -> Phrase:
        """ "up 2.8% on a year earlier", "unchanged on November 2025"; empty without the comparison."""
        change = getattr(k, f"vs_{comparison}")
        if change is None:
            return EMPTY
        shown = self.size(change, getattr(k, f"vs_{comparison}_relative", None), k.unit)
        if self.rounds_to_zero(shown):
            return phrase("unchanged ", self.against(comparison), name=f"change.{comparison}.unchanged")
        return phrase(self.up_down(change), " ", shown, " ", self.against(comparison), name=f"change.{comparison}")

    def movement(self, k, prefer: str = "prior") -> Phrase:
        """The strongest true statement of a KPI's movement, led by its name. ``prefer`` ("prior" or
        "year_ago") is the comparison the insight ranking found more material; the other is the fallback."""
        name = k.label
        if prefer == "trend_start" and k.vs_year_ago is None and k.vs_trend_start is not None \
                and k.notable_vs_trend_start:
            return self._over_window(k)
        order = (("prior", k.notable_vs_prior), ("year_ago", k.notable_vs_year_ago))
        for comparison, notable in (order if prefer == "prior" else order[::-1]):
            change = getattr(k, f"vs_{comparison}")
            if change is not None and notable:
                shown = self.size(change, getattr(k, f"vs_{comparison}_relative"), k.unit)
                if comparison == "prior":
                    return phrase(name, " ", self.moved(change), " by ", shown, " to ", k.latest,
                                  name="movement.prior")
                return phrase(name, " stood at ", k.latest, ", ", self.up_down(change), " ", shown, " ",
                              self.against("year_ago"), name="movement.year_ago")
        if k.vs_year_ago is None and k.vs_trend_start is not None and k.notable_vs_trend_start:
            return self._over_window(k)
        if k.vs_prior is not None:
            return phrase(name, " held steady at ", k.latest, name="movement.steady")
        return phrase(name, " stood at ", k.latest, name="movement.level")

    def _over_window(self, k) -> Phrase:
        return phrase(k.label, " ", self.moved(k.vs_trend_start), " from ", k.trend_start, " in ",
                      self.periods.trend_start, " to ", k.latest, name="movement.trend")

    def dated(self, movement: Phrase) -> Phrase:
        """A movement as a title states it, the reporting period where a reader looks for it. A movement
        that names an earlier period beside its first value ("rose from 69.9% in January 2023 to 82.8% in
        April 2023, then fell to 73.3%") takes the reporting period after its last value, so each value
        stands beside its own period; any other opens with it ("In December 2025 service level stood at
        83.7%, up 6.6 pts on a year earlier")."""
        if not movement:
            return EMPTY
        if movement.name in ("movement.trend", "insight.trend.turned", "insight.trend.steady"):
            return phrase(movement, " in ", self.periods.current, name=movement.name).capitalized()
        return phrase("In ", self.periods.current, " ", movement, name=movement.name)

    def target_words(self, k) -> str:
        """above/below for a KPI where higher is better, over/under where lower is; "on" when level."""
        gap = k.vs_target
        if self.rounds_to_zero(gap):
            return "on"
        if k.good_direction == "up":
            return "above" if gap.value > 0 else "below"
        return "over" if gap.value > 0 else "under"

    def target(self, k) -> Phrase:
        """ "3.6 pts below its target of 75%", "16 seconds over its target of 20 seconds", "on its
        target of 80%"; empty without a target."""
        if k.vs_target is None:
            return EMPTY
        words = self.target_words(k)
        if words == "on":
            return phrase("on its target of ", k.target, name="target.on")
        return phrase(k.vs_target, f" {words} its target of ", k.target, name=f"target.{words}")

    def against_target(self, k) -> Phrase:
        """The target clause after a movement: ", 3.6 pts below its target of 75%"."""
        clause = self.target(k)
        return phrase(", ", clause) if clause else EMPTY

    def against_year(self, k, prefer: str = "prior") -> Phrase:
        """ ", 2.4 pts better than a year earlier" when the movement spoke of the prior period."""
        change = k.vs_year_ago
        if not (k.notable_vs_prior and change is not None and k.notable_vs_year_ago) or k.id in DEMAND_KPIS:
            return EMPTY
        if prefer != "prior":
            return EMPTY  # the movement already speaks of the year, or of the window
        shown = self.size(change, k.vs_year_ago_relative, k.unit)
        word = "better" if change.favourable else "worse"
        return phrase(", ", shown, f" {word} than a year earlier", name=f"year.{word}")

    def status(self, k, prefer: str = "prior") -> Phrase:
        """Movement, target and year together: the full clause a bullet states."""
        return self.movement(k, prefer) + self.against_target(k) + self.against_year(k, prefer)

    # --- insights --------------------------------------------------------------------------------
    def brief(self, insight: Insight, labels: dict[str, str]) -> Phrase:
        """An insight in the summary's short form ("cost per contact down £0.57 since April 2024, to
        £8.09"), so the slide that evidences it does not repeat the summary's sentence word for word."""
        f = insight.facts
        label = labels.get(insight.kpi, "")
        if insight.kind == "trend" and "turn" in f:
            peaked = f["turn"].value > f["start"].value
            verb = " are back " if is_plural(label) else " is back "
            turned = phrase(label, " peaked at " if peaked else " bottomed at ", f["turn"], " in ", f["turn_period"],
                            " and", verb, "down to " if peaked else "up to ", f["latest"], name="brief.trend.turned")
            # Only where the reader sees two different levels ("back down to 76.5%, against 76.5%" said nothing).
            shown_apart = "start" in f and self.formatter.default(f["start"]) != self.formatter.default(f["latest"])
            if insight.favourable is False and shown_apart:
                # Back from its turn but worse than where the window began: "back up" alone read as a
                # recovery, under a heading that asks the board to act on it; the start says how far.
                return phrase(turned, ", against ", f["start"], " in ", self.periods.trend_start,
                              name="brief.trend.turned_worse")
            return turned
        if insight.kind in ("prior_change", "year_change") or insight.kind == "trend" and "turn" not in f:
            shown = self.size(f["change"], f.get("relative"), f["latest"].unit)
            if not self.rounds_to_zero(shown):
                return phrase(label, " ", self.up_down(f["change"]), " ", shown, " ", self.against(insight.comparison),
                              ", to ", f["latest"], name=f"brief.{insight.kind}")
        return self.insight(insight, labels)

    def insight(self, insight: Insight, labels: dict[str, str]) -> Phrase:
        """One insight as a clause (no capital, no full stop)."""
        f = insight.facts
        label = labels.get(insight.kpi, "")
        kind = insight.kind
        name = f"insight.{kind}" + (f".{insight.status}" if insight.status else "")
        if kind in ("prior_change", "year_change"):
            shown = self.size(f["change"], f.get("relative"), f["latest"].unit if "latest" in f else "")
            if self.rounds_to_zero(shown):
                verb = " were unchanged " if is_plural(label) else " was unchanged "
                return phrase(label, verb, self.against(insight.comparison), " at ", f["latest"],
                              name=name + ".unchanged")
            return phrase(label, " ", self.moved(f["change"]), " by ", shown, " ", self.against(insight.comparison),
                          " to ", f["latest"], name=name)
        if kind == "trend":
            if "turn" in f:
                back = f["since_turn"]
                # Each value beside its own period: the start's, then the turn's ("from 69.9% in January
                # 2023 to 82.8% in April 2023"); the last is the reporting period's.
                return phrase(label, " ", self.moved(phrase_direction(f["turn"], f["start"])), " from ", f["start"],
                              " in ", self.periods.trend_start, " to ", f["turn"], " in ", f["turn_period"],
                              ", then ", self.moved(back), " to ", f["latest"], name=name)
            if self.rounds_to_zero(self.size(f["change"], f.get("relative"), f["latest"].unit)):
                verb = " were unchanged since " if is_plural(label) else " was unchanged since "
                return phrase(label, verb, self.periods.trend_start, " at ", f["latest"], name=name + ".unchanged")
            return phrase(label, " ", self.moved(f["change"]), " from ", f["start"], " in ", self.periods.trend_start,
                          " to ", f["latest"], name=name)
        if kind == "target":
            subject = phrase(f["segment"], " ", label) if "segment" in f else phrase(label)
            words = _target_words(f["gap"], insight, self)
            if insight.status == "crossed_up":
                return phrase(subject, " reached its target of ", f["target"], ", at ", f["latest"], name=name)
            if words == "on":
                return phrase(subject, " is on its target of ", f["target"], name=name)
            verb = " slipped to " if insight.status == "crossed_down" else " is at "
            return phrase(subject, verb, f["latest"], ", ", f["gap"], f" {words} its target of ", f["target"],
                          name=name)
        if kind == "hidden_miss":
            words = _target_words(f["gap"], insight, self)
            return phrase(label, " meets its target across the centre at ", f["whole"], ", but ", f["segment"],
                          ", with ", f["share"], " of contacts, is at ", f["latest"], ", ", f["gap"],
                          f" {words} its own target of ", f["target"], name=name)
        if kind == "record":
            word = "highest" if insight.status == "high" else "lowest"
            their = "their" if is_plural(label) else "its"
            # "highest since January 2025" would say January 2025 was higher still; the window is what
            # the record is over.
            return phrase(label, " reached ", f["latest"], f", {their} {word} in the ", f["periods"],
                          f" {self.periods.noun}s from ", self.periods.trend_start, name=name)
        if kind == "demand_capacity":
            demand = f["demand"]
            return phrase("demand ", self.moved(demand), " by ", demand, " ", self.against(insight.comparison),
                          " to ", f["demand_latest"], " contacts while ", label, " ", self.moved(f["change"]),
                          " from ", f["reference"], " to ", f["latest"], name=name)
        if kind == "driver_segment":
            return phrase(f["segment"], " drove the change in ", label, ": its own ", label, " ",
                          self.moved(f["segment_change"]), " by ", f["segment_change"], " ",
                          self.against(insight.comparison), name=name)
        if kind == "trade_off":
            other = labels.get(insight.other_kpi, "")
            return phrase(label, " ", self.moved(f["gain"]), " by ", f["gain"], " ", self.against(insight.comparison),
                          " while ", other, " ", self.moved(f["cost"]), " by ", f["cost"], name=name)
        if kind == "money_at_stake":
            lever = self._lever_named(insight)
            if insight.status == "delivered" and "change" in f and not self.rounds_to_zero(f["change"]):
                return phrase(label, " ", self.up_down(f["change"]), " ", f["change"], " ",
                              self.against(insight.comparison), self._linked(insight), name=name)
            return phrase("improving ", label, " is worth ", (f["amount"], "money_short"), " a year", lever,
                          name=name)

    def caveat(self, caveat, labels: dict[str, str]) -> Phrase:
        """One caveat as a full sentence (capitalised, with its full stop)."""
        f = caveat.facts
        label = labels.get(caveat.kpi, "")
        kind = caveat.kind
        name = f"caveat.{kind}"
        if kind == "indicative_lever":
            return phrase(f["label"], " (", (f["amount"], "money_short"), " a year) rests on a correlation or an "
                          "indicative benchmark, not a measured effect: read it as indicative.", name=name)
        if kind == "survey_no_count":
            return phrase(label, " is a survey measure and the data gives no response count, so how far a "
                          "movement is sampling noise cannot be stated.", name=name).capitalized()
        if kind in ("survey_sample", "survey_count"):
            margin = (phrase(", so a movement of under ", f["margin"], " may be sampling noise") if "margin" in f
                      else EMPTY)
            small = " a small sample" if kind == "survey_sample" else ""
            return phrase(label, " rests on ", f["responses"], " survey responses in ", self.periods.current,
                          ("," + small) if small else "", margin, ".", name=name).capitalized()
        if kind == "benchmark_grade":
            why = "a secondary source" if caveat.detail == "secondary" else "a source several years old"
            return phrase("A parameter rests on ", (f["source"], "value"), " (", f["year"], ", grade ", f["grade"],
                          f"): {why}, so the figures it feeds are indicative.", name=f"{name}.{caveat.detail}")
        if kind == "benchmark_unsourced":
            where = phrase(" in ", f["file"]) if "file" in f else EMPTY
            return phrase("The industry benchmarks", where, " carry no source or year: read them as a guide, not "
                          "a standard.", name=name)
        if kind == "data_gap":
            count = f["missing"].value
            return phrase(label, " has no data for ", f["missing"], f" {plural(count, 'period', 'periods')} of the "
                          "trend window; its trend is drawn across the gap.", name=name).capitalized()
        if kind == "segment_gap":
            return phrase(f["segment"], " reported in earlier periods but not in ", self.periods.current,
                          ", so that period's whole-centre figures cover the other segments only.", name=name)
        return EMPTY

    def caveat_list(self, caveats, labels: dict[str, str]) -> list[Phrase]:
        """Every caveat as a sentence, those about parameters of one grade said once: three sentences
        "A parameter rests on Gartner, ... (2019, grade B): a source several years old ..." read as
        boilerplate, so the sources are listed in one sentence that says it once."""
        out: list[Phrase] = []
        grouped: dict[str, list] = {}
        for caveat in caveats:
            if caveat.kind == "benchmark_grade":
                if caveat.detail not in grouped:
                    grouped[caveat.detail] = []
                    out.append(caveat.detail)  # its place in the order: where the first of them stood
                grouped[caveat.detail].append(caveat)
            else:
                out.append(self.caveat(caveat, labels))
        return [p for p in (self._parameters(grouped[o]) if isinstance(o, str) else o for o in out) if p]

    def _parameters(self, caveats) -> Phrase:
        if len(caveats) == 1:
            return self.caveat(caveats[0], {})
        why = "secondary sources" if caveats[0].detail == "secondary" else "sources several years old"
        sources = [phrase((c.facts["source"], "value"), " (", c.facts["year"], ", grade ", c.facts["grade"], ")")
                   for c in caveats]
        listed: list = []
        for i, source in enumerate(sources):  # a source's own name has commas: semicolons part them
            listed += (["; "] if i else []) + [source]
        return phrase(f"Some parameters rest on {why}, so the figures they feed are indicative: ", *listed, ".",
                      name=f"caveat.benchmark_grade.{caveats[0].detail}")

    def action(self, insight: Insight, labels: dict[str, str]) -> Phrase:
        """What to do about a concern, for next steps: "close the gap on Phone service level: from 75% to
        its own target of 80%"; a movement is named as what to address."""
        f = insight.facts
        label = labels.get(insight.kpi, "")
        if insight.kind in ("target", "hidden_miss") and insight.status in ("missed", "crossed_down"):
            subject = phrase(f["segment"], " ", label) if "segment" in f else phrase(label)
            own = "its own target" if "segment" in f else "its target"
            return phrase("close the gap on ", subject, ": from ", f["latest"], f" to {own} of ", f["target"],
                          name=f"action.{insight.kind}")
        if insight.kind == "demand_capacity":
            return phrase("match capacity to demand: contacts ", self.up_down(f["demand"]), " ", f["demand"], " ",
                          self.against(insight.comparison), " while ", label, " ", self.moved(f["change"]), " to ",
                          f["latest"], name="action.demand_capacity")
        # "Act on average speed of answer: up 10 seconds on November 2023, to 74 seconds": the KPI named
        # once, as what to act on, then its movement ("address average speed of answer up 10 seconds"
        # did not parse as a sentence).
        said = self.brief(insight, labels)
        pieces = said.pieces
        if label and pieces and pieces[0] == label and len(pieces) > 1 and isinstance(pieces[1], str):
            rest = (pieces[1].lstrip(), *pieces[2:])
            return phrase("act on ", label, ": ", Phrase(rest), name=f"action.{insight.kind}")
        return phrase("act on this: ", said, name=f"action.{insight.kind}")

    @staticmethod
    def _lever_named(insight: Insight) -> Phrase:
        """ " (repeat calls avoided ...)", or " (premium retained ..., non-cash)": a board must not read
        non-cash value as money the centre saves, so the lever that is not cash says so where it is named."""
        f = insight.facts
        if "lever" not in f:
            return phrase(" (non-cash)") if insight.non_cash else EMPTY
        return phrase(" (", (f["lever"], "midsentence"), ", non-cash)" if insight.non_cash else ")")

    def worth_amount(self, insight: Insight | None) -> Phrase:
        """ "£348k a year (repeat calls avoided ...)": the value a lever delivers, the KPI its driver."""
        if insight is None:
            return EMPTY
        return phrase((insight.facts["amount"], "money_short"), " a year", self._lever_named(insight),
                      name="worth_amount")

    def worth(self, insight: Insight | None) -> Phrase:
        """ "; value delivered linked to it: £348k a year (repeat calls avoided ...)", after a KPI's movement."""
        if insight is None:
            return EMPTY
        return self._linked(insight)

    def _linked(self, insight: Insight) -> Phrase:
        # "Up 0.3 pts on last month, worth £350k a year" read as the month's movement being worth the year's
        # value; the amount is the value model's figure for the reporting year, worked out from its own movement,
        # so the sentence says only what values.yaml says: the KPI is one of that lever's drivers.
        return phrase("; value delivered linked to it: ", self.worth_amount(insight), name="worth")


def phrase_direction(end: Fact, start: Fact) -> Fact:
    """A direction-only fact for the first leg of a turn (never printed: only its direction is read)."""
    value = end.value - start.value
    return Fact(id=f"{end.id}.leg", label="", value=value, unit=end.unit,
                direction="flat" if abs(value) < 1e-12 else ("up" if value > 0 else "down"))


def _target_words(gap: Fact, insight: Insight, book: Phrasebook) -> str:
    if book.rounds_to_zero(gap):
        return "on"
    good_up = (gap.favourable is True) == (gap.value > 0)
    if good_up:
        return "above" if gap.value > 0 else "below"
    return "over" if gap.value > 0 else "under"
