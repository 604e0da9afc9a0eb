"""TranslationResult: one lever's value with its range, written-out formula and cited inputs."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field

from narrator.dataset import BenefitClass, ValueCategory, ValueItem
from narrator.provenance import Source

_CONFIDENCE = {"A": "high", "B": "medium", "C": "low"}


class InputUsed(BaseModel):
    """One input of a translation as used: the number, its range, how it reads, and where it comes from."""

    model_config = ConfigDict(frozen=True)

    name: str
    """The argument it was passed as ("uplift", "shifts[1].cost_from")."""
    label: str
    value: float
    low: float
    high: float
    unit: str
    shown: str
    """The value as the formula shows it ("5.0 pts", "$8.01")."""
    source: str = ""
    """Where the number comes from; empty for a plain number passed in code."""
    year: int | None = None
    grade: str | None = None
    provenance: Source | None = None

    def describe(self) -> str:
        """ "assisted cost per contact = $8.01 (Gartner, 2019, grade B)"."""
        cite = ", ".join(str(x) for x in (self.source, self.year, self.grade and f"grade {self.grade}") if x)
        return f"{self.label} = {self.shown}" + (f" ({cite})" if cite else "")


class TranslationResult(BaseModel):
    """A lever's annual value, its range, the formula with the numbers in, and each input with its source."""

    model_config = ConfigDict(frozen=True)

    lever: str
    """The lever's id ("containment"); the default id of the value item it becomes."""
    label: str
    category: ValueCategory
    benefit_class: BenefitClass
    """Cash saving, cost avoidance, capacity released (cash only if spend falls) or non-cash."""
    currency: str
    amount: float
    """Value per year at the central inputs."""
    low: float
    """Lowest value over the inputs' ranges."""
    high: float
    """Highest value over the inputs' ranges."""
    formula: str
    """The formula with the numbers in: "1,000,000 contacts x 5.0 pts x ($8.01 - $0.10) = $395,500"."""
    inputs: tuple[InputUsed, ...]
    indicative: bool
    """True when the link is a correlation or rests on a grade-C benchmark: say "indicative" beside it."""
    indicative_reason: str = ""
    notes: tuple[str, ...] = ()
    """Caveats a finance reviewer should read with the figure."""
    drivers: tuple[str, ...] = ()
    """KPI ids whose movement produces this value."""
    quantities: dict[str, float] = Field(default_factory=dict)
    """Intermediate results: contacts_removed, hours_saved, fte_released, clv, ..."""

    @property
    def confidence(self) -> str:
        """high / medium / low: the weakest graded input, and low whenever the result is indicative."""
        if self.indicative:
            return "low"
        grades = sorted(i.grade for i in self.inputs if i.grade)
        return _CONFIDENCE[grades[-1]] if grades else "medium"

    def to_value_item(
        self, id: str | None = None, *, label: str | None = None, realised: bool = False
    ) -> ValueItem:
        """The result as a ``ValueItem`` the dataset and investment case take (annual amount)."""
        return ValueItem(
            id=id or self.lever,
            label=label or self.label,
            category=self.category,
            benefit_class=self.benefit_class,
            amount=self.amount,
            currency=self.currency,
            period="year",
            low=self.low,
            high=self.high,
            realised=realised,
            drivers=list(self.drivers),
            formula=self.formula,
            assumptions=[i.describe() for i in self.inputs]
            + list(self.notes)
            + ([f"indicative: {self.indicative_reason}"] if self.indicative else []),
            confidence=self.confidence,
            indicative=self.indicative,
            source=f"narrator value translation: {self.lever}",
        )
