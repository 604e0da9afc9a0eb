"""The template context: the declared, documented variables a narrative template can use.

Every attribute that holds a number or a string from the data is a ``Fact``, so it can only reach the
text through the value door (see environment.py). Words the template chooses (labels of standard KPIs,
the sector, the audience) are plain strings. docs/templates.md documents every name here, and a test
fails when one is missing there.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from narrator.catalogue import KpiDef
from narrator.compute import Computed
from narrator.compute.facts import Fact
from narrator.compute.value_facts import CATEGORY_LABELS
from narrator.config import ReportConfig


@dataclass(frozen=True)
class KpiView:
    """One KPI as templates see it: ``kpi.service_level.latest``, ``kpi.service_level.vs_target``."""

    id: str
    label: str
    unit: str
    good_direction: str  # "up" or "down": which way is good for this KPI
    latest: Fact | None
    prior: Fact | None
    year_ago: Fact | None
    target: Fact | None
    benchmark: Fact | None
    trend_start: Fact | None
    vs_prior: Fact | None
    vs_year_ago: Fact | None
    vs_target: Fact | None
    vs_benchmark: Fact | None
    vs_trend_start: Fact | None
    vs_prior_relative: Fact | None
    vs_year_ago_relative: Fact | None
    vs_trend_start_relative: Fact | None
    notable_vs_prior: bool
    notable_vs_year_ago: bool
    notable_vs_trend_start: bool

    @property
    def on_target(self) -> bool | None:
        """True when the latest value is at or on the good side of target; None without a target."""
        if self.vs_target is None:
            return None
        return self.vs_target.favourable is not False

    @property
    def has_data(self) -> bool:
        return self.latest is not None


@dataclass(frozen=True)
class ValueItemView:
    """One value lever: ``item.label``, ``item.amount``, ``item.low``, ``item.high``."""

    id: str
    label: Fact
    category: str  # words: "cost avoided"
    amount: Fact
    low: Fact | None
    high: Fact | None
    confidence: str
    realised: bool
    benefit_class: str


@dataclass(frozen=True)
class CategoryView:
    label: str
    amount: Fact


@dataclass(frozen=True)
class ValueView:
    """Value totals and levers: ``value.realised``, ``value.potential``, ``value.items``."""

    realised: Fact | None
    potential: Fact | None
    items: tuple[ValueItemView, ...]
    realised_items: tuple[ValueItemView, ...]
    potential_items: tuple[ValueItemView, ...]
    categories: tuple[CategoryView, ...]  # all items, largest first
    realised_categories: tuple[CategoryView, ...]  # value delivered this year, by category
    potential_categories: tuple[CategoryView, ...]  # value the ask would unlock, by category


@dataclass(frozen=True)
class ScenarioView:
    name: str
    npv: Fact
    roi: Fact | None
    payback_month: Fact | None


@dataclass(frozen=True)
class BenefitLineView:
    label: Fact
    gross: Fact
    risk_adjustment: Fact
    adjusted: Fact


@dataclass(frozen=True)
class AskView:
    """The investment case: ``ask.npv``, ``ask.roi``, ``ask.payback_month`` ..."""

    title: Fact
    decision: str
    one_off: Fact
    recurring: Fact | None
    total_cost: Fact  # nominal, risk-adjusted, over the horizon
    pv_benefits: Fact
    pv_costs: Fact
    npv: Fact
    roi: Fact | None  # None when the ask costs nothing (ROI undefined)
    irr: Fact | None  # None when the cash flows have no internal rate of return
    payback_month: Fact | None  # None when costs are never repaid within the horizon
    discounted_payback_month: Fact | None
    benefit_cost_ratio: Fact | None
    horizon: Fact
    discount_rate: Fact
    first_year_benefit: Fact
    full_year_benefit: Fact
    lines: tuple[BenefitLineView, ...]
    scenarios: dict[str, ScenarioView]
    risks: tuple[Fact, ...]
    non_financial: tuple[Fact, ...]
    owner: Fact | None
    start: Fact | None

    @property
    def repaid(self) -> bool:
        return self.payback_month is not None

    @property
    def positive(self) -> bool:
        return self.npv.value > 0


@dataclass(frozen=True)
class TemplateContext:
    """Everything a section template can refer to. Field docs live in docs/templates.md."""

    org: Fact
    title: Fact | None  # the config's title, when it sets one
    decision_body: str  # "Board", "Committee" or the config's decision_body
    period: Fact
    prior_period: Fact
    year_ago_period: Fact
    trend_start_period: Fact
    data_as_of: Fact
    sector: str
    audience: str
    purpose: str
    kpi: dict[str, KpiView]
    headline: tuple[KpiView, ...]
    improved: tuple[KpiView, ...]
    worsened: tuple[KpiView, ...]
    off_target: tuple[KpiView, ...]
    value: ValueView
    ask: AskView | None
    sources: tuple[Fact, ...]
    section: dict = field(default_factory=dict)

    def as_dict(self) -> dict:
        return {name: getattr(self, name) for name in self.__dataclass_fields__}


def build_context(computed: Computed, config: ReportConfig) -> TemplateContext:
    views = {kpi_id: _kpi_view(computed.catalogue.get(kpi_id), facts) for kpi_id, facts in computed.kpis.items()}
    present = [v for v in views.values() if v.has_data]
    headline = tuple(views[k] for k in config.headline_kpis if k in views and views[k].has_data)
    return TemplateContext(
        org=computed.book.get("org.name"),
        title=computed.book.get("report.title") if "report.title" in computed.book else None,
        decision_body=config.decision_body or ("Committee" if config.sector == "public" else "Board"),
        period=computed.book.get("period.current"),
        prior_period=computed.book.get("period.prior"),
        year_ago_period=computed.book.get("period.year_ago"),
        trend_start_period=computed.book.get("period.trend_start"),
        data_as_of=computed.book.get("period.data_as_of"),
        sector=config.sector,
        audience=config.audience,
        purpose=config.purpose,
        kpi=views,
        headline=headline,
        improved=tuple(v for v in present if v.notable_vs_prior and v.vs_prior.favourable),
        worsened=tuple(v for v in present if v.notable_vs_prior and v.vs_prior.favourable is False),
        off_target=tuple(v for v in present if v.on_target is False),
        value=_value_view(computed),
        ask=_ask_view(computed),
        sources=tuple(f for f in computed.book if f.id.startswith("source.")),
    )


def _kpi_view(kpi: KpiDef, facts: dict) -> KpiView:
    return KpiView(
        id=kpi.id, label=kpi.label, unit=kpi.unit, good_direction=kpi.direction,
        **{name: facts.get(name) for name in (
            "latest", "prior", "year_ago", "target", "benchmark", "trend_start", "vs_prior", "vs_year_ago",
            "vs_target", "vs_benchmark", "vs_trend_start", "vs_prior_relative", "vs_year_ago_relative",
            "vs_trend_start_relative",
        )},
        notable_vs_prior=bool(facts.get("vs_prior_notable")),
        notable_vs_year_ago=bool(facts.get("vs_year_ago_notable")),
        notable_vs_trend_start=bool(facts.get("vs_trend_start_notable")),
    )


def _value_view(computed: Computed) -> ValueView:
    book = computed.book
    items = tuple(
        ValueItemView(
            id=f.item.id, label=book.get(f"value.{f.item.id}.label"),
            category=CATEGORY_LABELS[f.item.category], amount=f.amount, low=f.low, high=f.high,
            confidence=f.item.confidence, realised=f.item.realised, benefit_class=f.item.benefit_class,
        )
        for f in sorted(computed.value.items, key=lambda f: -f.amount.value)
    )
    return ValueView(
        realised=computed.value.realised_total,
        potential=computed.value.potential_total,
        items=items,
        realised_items=tuple(i for i in items if i.realised),
        potential_items=tuple(i for i in items if not i.realised),
        categories=tuple(CategoryView(CATEGORY_LABELS[c], f) for c, f in computed.value.by_category),
        realised_categories=_categories(computed, "realised"),
        potential_categories=_categories(computed, "potential"),
    )


def _categories(computed: Computed, status: str) -> tuple[CategoryView, ...]:
    return tuple(
        CategoryView(CATEGORY_LABELS[c], f)
        for c, f in computed.value.by_category_status.get(status, ())
    )


def _ask_view(computed: Computed) -> AskView | None:
    if computed.case is None:
        return None
    book = computed.book

    def opt(fact_id: str) -> Fact | None:
        return book.get(fact_id) if fact_id in book else None

    scenarios = {
        name: ScenarioView(
            name=name, npv=book.get(f"ask.scenario.{name}.npv"), roi=opt(f"ask.scenario.{name}.roi"),
            payback_month=opt(f"ask.scenario.{name}.payback_month"),
        )
        for name in computed.case.scenarios
    }
    lines = tuple(
        BenefitLineView(
            label=book.get(f"ask.line.{line.item}.label"), gross=book.get(f"ask.line.{line.item}.gross"),
            risk_adjustment=book.get(f"ask.line.{line.item}.risk_adjustment"),
            adjusted=book.get(f"ask.line.{line.item}.adjusted"),
        )
        for line in computed.case.lines
    )
    count = len(computed.ask.risks) if computed.ask else 0
    return AskView(
        title=book.get("ask.title"),
        decision=computed.ask.decision,
        one_off=book.get("ask.one_off"),
        recurring=opt("ask.recurring"),
        total_cost=book.get("ask.total_cost"),
        pv_benefits=book.get("ask.pv_benefits"),
        pv_costs=book.get("ask.pv_costs"),
        npv=book.get("ask.npv"),
        roi=opt("ask.roi"),
        irr=opt("ask.irr"),
        payback_month=opt("ask.payback_month"),
        discounted_payback_month=opt("ask.discounted_payback_month"),
        benefit_cost_ratio=opt("ask.benefit_cost_ratio"),
        horizon=book.get("ask.horizon"),
        discount_rate=book.get("ask.discount_rate"),
        first_year_benefit=book.get("ask.first_year_benefit"),
        full_year_benefit=book.get("ask.full_year_benefit"),
        lines=lines,
        scenarios=scenarios,
        risks=tuple(book.get(f"ask.risk.{i}") for i in range(count)),
        non_financial=tuple(book.get(f"ask.non_financial.{i}") for i in range(len(computed.ask.non_financial))),
        owner=opt("ask.owner"),
        start=opt("ask.start"),
    )
