"""The Fact: a single number (or label) the story may state, with its unit, direction and provenance."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Literal

from pydantic import BaseModel, ConfigDict

from narrator.errors import InternalError
from narrator.provenance import Source

# Canonical units. Percentages are stored as fractions (0.842 is 84.2%); "pp" is a difference of two
# percentages, also as a fraction (0.021 is 2.1 points); durations are seconds; money is in `currency`.
Unit = Literal[
    "percent", "pp", "seconds", "money", "count", "score", "ratio", "months", "years",
    "per_1k", "number", "text", "period",
]
Direction = Literal["up", "down", "flat"]


class Fact(BaseModel):
    """A value the narrative may state. Every number in a document is rendered from one of these."""

    model_config = ConfigDict(frozen=True)

    id: str
    label: str
    value: float | str | None
    unit: Unit
    currency: str | None = None
    direction: Direction | None = None  # for changes: which way the underlying value moved
    favourable: bool | None = None  # for changes and gaps: good news by the KPI's own direction
    derivation: str = ""  # how it was computed, in words or a formula
    sources: tuple[Source, ...] = ()
    concept: str | None = None
    """The board concept this figure states (npv, value_delivered, cost_of_inaction: see
    ``narrator.compute.ledger.CONCEPTS``); every fact of one concept must show one value."""
    parts: tuple[str, ...] = ()
    """For a total: the ids of the facts it adds up."""
    beside: tuple[str, ...] = ()
    """For a total: facts of the same kind deliberately left out of it (non-cash value beside cash)."""

    def __str__(self) -> str:
        # A fact turned into plain text would carry a number past the value door (and the polish lock):
        # templates must print it directly or through a value filter.
        raise TypeError(
            f"fact {self.id} cannot be used as plain text; print it directly ({{{{ ... }}}}) or through a "
            "value filter such as | pct or | money"
        )

    @property
    def is_missing(self) -> bool:
        return self.value is None

    @property
    def magnitude(self) -> float | None:
        """The unsigned size of a numeric fact; templates state direction in words, not signs."""
        return abs(self.value) if isinstance(self.value, int | float) else None


class FactBook:
    """All facts of one run, by id. Adding the same id twice is a bug, not a user error."""

    def __init__(self, facts: Iterable[Fact] = ()):
        self._facts: dict[str, Fact] = {}
        for fact in facts:
            self.add(fact)

    def add(self, fact: Fact) -> Fact:
        if fact.id in self._facts:
            raise InternalError(f"fact {fact.id!r} computed twice")
        self._facts[fact.id] = fact
        return fact

    def get(self, fact_id: str) -> Fact:
        try:
            return self._facts[fact_id]
        except KeyError:
            raise InternalError(f"no fact {fact_id!r}") from None

    def __contains__(self, fact_id: object) -> bool:
        return fact_id in self._facts

    def __iter__(self) -> Iterator[Fact]:
        return iter(self._facts.values())

    def __len__(self) -> int:
        return len(self._facts)
