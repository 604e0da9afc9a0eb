"""The Dataset: validated inputs of one pack (KPI observations, value items, investment ask) with sources."""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, PrivateAttr, model_validator

from narrator.catalogue import Catalogue
from narrator.periods import Period
from narrator.provenance import Source


class Observation(BaseModel):
    """One KPI value for one period (and segment), in canonical units (percentages as fractions)."""

    model_config = ConfigDict(frozen=True, arbitrary_types_allowed=True)

    period: Period
    kpi: str
    value: float | None
    target: float | None = None
    benchmark: float | None = None
    segment: str | None = None  # None: the whole centre
    source: Source


ValueCategory = Literal[
    "cost_avoided", "cash_saving", "revenue_protected", "customer_lifetime_value", "risk_reduced",
    "capacity_released", "citizen_value", "penalties_avoided", "resilience",
]
BenefitClass = Literal["cash_saving", "cost_avoidance", "capacity_released", "non_cash"]


class ItemInput(BaseModel):
    """One structured input of a value item's formula: a number with its unit and where it comes from."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    value: float
    """The number, percentages and points as fractions (0.14 = 14 pts)."""
    unit: Literal["count", "share", "pts", "money", "seconds", "minutes", "hours", "ratio", "rate"]
    """What it measures (as for assumption parameters)."""
    source: str = Field(min_length=1)
    """Where the number comes from."""
    label: str = ""
    """How the formula names it ("phone cost per call"); default: the input's name."""
    basis: str = ""
    """Why the input differs on purpose from the figure the KPI data measures for the same thing (a finance
    model's blended or marginal cost per contact beside the data's fully loaded one). Stated, the pack
    explains the two figures in its methodology instead of the build warning about them."""


class ValueItem(BaseModel):
    """One translation result: a lever's value in money, with its range, drivers and assumptions."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    id: str = Field(pattern=r"^[a-z][a-z0-9_]*$")
    """Short identifier, lower case with underscores (deflection, fcr_repeat_calls)."""
    label: str
    """How the lever is named in text ("repeat calls avoided through better first-contact resolution")."""
    category: ValueCategory
    """What kind of value it is."""
    benefit_class: BenefitClass = "cost_avoidance"
    """Cash saving, cost avoidance, capacity released (cash only if spend falls) or non-cash."""
    amount: float
    """Value per period in `currency` (annual unless `period` says otherwise)."""
    currency: str | None = None
    """ISO currency; default: the report's currency."""
    period: Literal["year", "month", "quarter", "one_off"] = "year"
    """The period the amount covers."""
    low: float | None = None
    """Low end of the range."""
    high: float | None = None
    """High end of the range."""
    realised: bool = False
    """True for value already delivered in the reporting year; False for value the ask would unlock."""
    drivers: list[str] = Field(default_factory=list)
    """KPI ids whose movement produces this value."""
    formula: str = ""
    """The formula, written out with its inputs: text arithmetic whose numbers carry labels, or an
    expression over the names of ``inputs``; narrator evaluates it and reconciles it with ``amount``."""
    lever: str | None = None
    """The built-in lever this item is (containment, fcr_repeat_contacts, aht_capacity, ...), so narrator
    computes it from ``inputs`` and applies levers on the same contacts one after another; "none" says the
    item acts on no lever's contacts. Default: read from the id (deflection, fcr, ...)."""
    inputs: dict[str, ItemInput] = Field(default_factory=dict)
    """Structured inputs by name, each with value, unit and source (and optionally label)."""
    route_to_cash: str = ""
    """For cost avoidance and capacity released: how it becomes cash (fewer FTE, overtime or outsourcing,
    with the number); empty means the pack says it is not cash."""
    assumptions: list[str] = Field(default_factory=list)
    """Assumptions in words, each with its source."""
    confidence: Literal["high", "medium", "low"] = "medium"
    """How far the finance team can rely on it."""
    indicative: bool = False
    """True when the figure rests on a correlation or a grade-C benchmark: the pack labels it indicative."""
    source: str = ""
    """Where the figure comes from (model, study, finance sign-off)."""
    basis: str = ""
    """As an input's ``basis``, for the figures of a text formula: why its unit cost (or handle time)
    differs on purpose from what the KPI data shows for the same thing."""
    provenance: Source | None = None

    @model_validator(mode="after")
    def _range_brackets_amount(self) -> ValueItem:
        if self.low is not None and self.low > self.amount:
            raise ValueError(f"low ({self.low:,.0f}) is above amount ({self.amount:,.0f}); swap or correct them")
        if self.high is not None and self.high < self.amount:
            raise ValueError(f"high ({self.high:,.0f}) is below amount ({self.amount:,.0f}); swap or correct them")
        return self

    @property
    def annual_amount(self) -> float:
        return {"year": 1, "month": 12, "quarter": 4, "one_off": 1}[self.period] * self.amount


class Scenario(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    benefit_scale: float = Field(1.0, ge=0, le=5)
    """Multiplier on every benefit line (0.7 = 30% lower)."""
    ramp: list[float] | None = None
    """Share of full benefit realised in each year; default: the case's own ramp."""


class BenefitLink(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    item: str
    """The id of a value item the investment buys."""
    risk_adjustment: float = Field(0.10, ge=0, lt=1)
    """Share by which the benefit is cut for risk (0.15 = 15%)."""


class DoMinimumOption(BaseModel):
    """The do-minimum option: part of the proposal's benefits for a smaller cost."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    label: str = "do minimum"
    """How the option is named ("knowledge base only")."""
    benefits: list[str] = Field(min_length=1)
    """Ids of the proposal's benefit lines this option still delivers (their risk adjustments are kept)."""
    one_off_cost: float = Field(ge=0)
    """Up-front cost of this option."""
    recurring_cost: float = Field(0.0, ge=0)
    """Cost per year of this option."""


class RealisationStep(BaseModel):
    """One line of the benefits-realisation plan: the KPI evidencing a benefit, its target, owner, review."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    kpi: str
    """The KPI id tracked (first_contact_resolution)."""
    target: float
    """The KPI's target once the benefit is realised, in the KPI's units (percentages as fractions)."""
    by: str | None = None
    """When the target should be met ("2027-03")."""
    owner: str
    """Who is accountable for it."""
    review: str
    """When and where progress is reviewed ("quarterly at the Executive Committee")."""
    benefit: str | None = None
    """The value item id whose benefit this KPI evidences."""


class InvestmentAsk(BaseModel):
    """What the board is asked to fund and what it returns (Forrester TEI conventions by default)."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    title: str
    """What is being bought, in a few words ("conversational IVR and knowledge base")."""
    decision: str = "approve"
    """The verb of the resolution: approve, note, endorse."""
    one_off_cost: float = Field(ge=0)
    """Up-front cost, incurred at the start (year 0, not discounted)."""
    recurring_cost: float = Field(0.0, ge=0)
    """Cost per year, in each year of the horizon."""
    cost_risk_adjustment: float = Field(0.10, ge=0, lt=1)
    """Share by which costs are raised for risk (0.10 = 10%)."""
    benefits: list[BenefitLink]
    """The value items the investment buys, each with its risk adjustment."""
    horizon_years: int = Field(3, ge=1, le=15)
    """Years of benefit counted."""
    discount_rate: float = Field(0.10, ge=0, le=0.5)
    """Annual discount rate (0.10 private-sector TEI default; 0.035 HM Treasury Green Book)."""
    optimism_bias: float = Field(0.0, ge=0, le=2)
    """Extra uplift on costs for optimism bias (HM Treasury Green Book), e.g. 0.2 = 20%."""
    ramp: list[float] = Field(default_factory=lambda: [0.5, 1.0, 1.0])
    """Share of full benefit realised in each year; the last share holds for later years."""
    start: str | None = None
    """When spending starts ("2026-04"), for the phasing text."""
    scenarios: dict[Literal["conservative", "optimistic"], Scenario] = Field(
        default_factory=lambda: {
            "conservative": Scenario(benefit_scale=0.7, ramp=[0.4, 0.8, 0.9]),
            "optimistic": Scenario(benefit_scale=1.2, ramp=[0.7, 1.0, 1.0]),
        }
    )
    """Scenarios beside the expected case."""
    risks: list[str] = Field(default_factory=list)
    """Delivery risks and their mitigations, one sentence each."""
    non_financial: list[str] = Field(default_factory=list)
    """Benefits not counted in the return (customer effort, staff experience, resilience)."""
    owner: str = ""
    """Who is accountable for realising the benefits."""
    do_minimum: DoMinimumOption | None = None
    """The do-minimum option, compared side by side with doing nothing and the proposal."""
    realisation: list[RealisationStep] = Field(default_factory=list)
    """The benefits-realisation plan: KPI targets, owners and review dates."""
    funding: str = ""
    """Where the money comes from (budget line, reserve, grant): affordability, for the public sector."""


class Dataset(BaseModel):
    """Everything a pack is built from, validated."""

    model_config = ConfigDict(frozen=True, arbitrary_types_allowed=True)

    observations: tuple[Observation, ...]
    catalogue: Catalogue
    value_items: tuple[ValueItem, ...] = ()
    investment: InvestmentAsk | None = None
    assumptions: Any = None
    """The assumptions file (``narrator.value.Assumptions``): parameters and levers to compute."""
    input_files: dict[str, str] = Field(default_factory=dict)  # role -> path, for the run record
    columns: tuple[tuple[str, str], ...] = ()
    """The KPI source's columns: (header, how narrator mapped and read it), for `narrator validate`."""
    notes: tuple[str, ...] = ()
    """What a reader of the figures must know about the KPI data (partial months, missing values)."""
    method_notes: tuple[str, ...] = ()
    """How a figure was derived from the data (a rate from summed counts): stated with the pack's sources,
    not printed as a warning, since nothing is wrong."""
    kpi_source: dict[str, Any] = Field(default_factory=dict)
    """For KPI rows read from a database: the URL (without password), query or table, rows and checksum."""
    partial_periods: tuple[Period, ...] = ()
    """Periods the data does not cover in full (an export that starts or stops mid-month): never taken
    as the latest period unless the config or --period names one."""

    # (the observations it was built from, observations by segment): a batch narrows one dataset once per
    # pack, so it is split by segment once. Checked by identity, as model_copy carries private attributes.
    _by_segment: tuple | None = PrivateAttr(default=None)

    def observations_by_segment(self) -> dict[str, tuple[Observation, ...]]:
        """Observations by segment, built once per dataset."""
        cached = self._by_segment
        if cached is None or cached[0] is not self.observations:
            index: dict[str, list[Observation]] = {}
            for observation in self.observations:
                if observation.segment is not None:
                    index.setdefault(observation.segment, []).append(observation)
            cached = (self.observations, {segment: tuple(found) for segment, found in index.items()})
            self._by_segment = cached
        return cached[1]

    def for_segment(self, segment: str) -> Dataset:
        """The dataset of one segment (site, channel, client) as if it were a centre of its own. Value
        items and the investment ask are centre-wide, so a segment's pack does not repeat them."""
        observations = tuple(
            o.model_copy(update={"segment": None}) for o in self.observations if o.segment == segment
        )
        return self.model_copy(update={"observations": observations, "value_items": (), "investment": None})

    @property
    def periods(self) -> list[Period]:
        return sorted({o.period for o in self.observations})

    @property
    def segments(self) -> list[str]:
        return sorted({o.segment for o in self.observations if o.segment is not None})

    @property
    def kpis(self) -> list[str]:
        return sorted({o.kpi for o in self.observations})
