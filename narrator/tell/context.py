"""The template context: the declared, documented variables a narrative template can use.

Every attribute that holds a number or a string from the data is a ``Fact``, so it can only reach the
text through the value door (see environment.py). Words the template chooses (labels of standard KPIs,
the sector, the audience) are plain strings. docs/templates.md documents every name here, and a test
fails when one is missing there.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field

from narrator.catalogue import KpiDef
from narrator.compute import Computed
from narrator.compute.caveats import is_indicative
from narrator.compute.facts import Fact
from narrator.compute.insights import DEMAND_KPIS, SERVICE_KPIS, Insight
from narrator.compute.value_facts import CATEGORY_LABELS, CLASS_LABELS, HEADLINE_CLASSES
from narrator.config import ReportConfig
from narrator.tell.formatting import Formatter
from narrator.tell.phrases import EMPTY, Periods, Phrase, Phrasebook


@dataclass(frozen=True)
class KpiPhrases:
    """Ready wording for one KPI: ``{{ k.say.status }}``. Each is empty when the data has nothing to say."""

    movement: Phrase  # "service level rose by 2.1 pts to 84.3%" / "... held steady at 84.3%"
    target: Phrase  # "3.6 pts below its target of 75%", "16 seconds over its target of 20 seconds"
    against_target: Phrase  # the same after a comma, to follow a movement
    against_year: Phrase  # ", 2.4 pts better than a year earlier" (when the movement spoke of last month)
    status: Phrase  # movement, target and year together
    vs_prior: Phrase  # "up 0.4% on November 2025", "unchanged on November 2025"
    vs_year_ago: Phrase  # "up 2.8% on a year earlier"
    vs_trend_start: Phrase  # "down 5% since April 2024"
    worth: Phrase  # ", worth £348k a year (repeat calls avoided ...)" where a value lever links the KPI
    worth_amount: Phrase = EMPTY  # the same on its own: "£348k a year (repeat calls avoided ...)"
    dated: Phrase = EMPTY  # the movement as a title states it, the reporting period where a reader looks:
    #                        "In December 2025 service level stood at 83.7%, up 6.6 pts on a year earlier",
    #                        "Cost per contact fell from £5.76 in April 2024 to £4.23 in March 2025"


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
    say: KpiPhrases | None = None  # ready phrases (tell/phrases.py)
    is_demand: bool = False  # a volume: its movement is demand, never better or worse

    @property
    def misses_target(self) -> bool:
        """True when the KPI has a target and is on the wrong side of it (below, or over for lower-is-better)."""
        return self.on_target is False

    @property
    def meets_target(self) -> bool:
        """True when the KPI has a target and is on it or on the good side."""
        return self.on_target is True

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
    class_label: str = ""  # words: "cost avoidance", "non-cash"
    indicative: bool = False  # rests on a correlation or a grade-C benchmark
    computed: bool = False  # computed by narrator from the KPI data and the assumptions file
    cash: bool = True  # not a non-cash (social or revenue-protection) benefit
    route_to_cash: Fact | None = None  # cost avoidance and capacity: how it becomes cash, or that it is not cash


@dataclass(frozen=True)
class CategoryView:
    label: str
    amount: Fact


@dataclass(frozen=True)
class ClaimView:
    """A supplied item the pack does not count as reconciled: ``claim.label``, ``claim.claimed`` ..."""

    label: Fact
    status: str  # as_claimed (its formula gives another amount) or unreconciled (no formula narrator can read)
    claimed: Fact
    computed: Fact | None  # what its formula gives, when narrator could evaluate it
    formula: Fact | None
    reason: Fact | None


@dataclass(frozen=True)
class DataGapView:
    """A figure the levers use that the KPI data states otherwise: ``gap.figure`` beside ``gap.data``."""

    items: tuple[Fact, ...]  # labels of the levers that use the figure
    concept: Fact  # text: "blended cost per contact"
    figure: Fact  # the levers' figure (money or seconds)
    source: Fact  # text: where the levers' figure comes from
    data: Fact  # the KPI data's figure for the period
    period: Fact  # the period of the data's figure
    basis: Fact | None  # text: why the levers use their own figure; none when the value items do not say


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
    realised_cash: Fact | None = None  # the headline (cash + cost avoidance); only when something sits beside it
    realised_non_cash: Fact | None = None  # delivered non-cash (social, revenue-protection) value
    potential_cash: Fact | None = None
    potential_non_cash: Fact | None = None
    realised_capacity: Fact | None = None  # capacity released: cash only if headcount, overtime or outsourcing fall
    potential_capacity: Fact | None = None
    realised_headline_items: tuple[ValueItemView, ...] = ()  # the cash and cost-avoidance levers the total adds
    realised_beside_items: tuple[ValueItemView, ...] = ()  # capacity and non-cash levers, stated beside it
    potential_headline_items: tuple[ValueItemView, ...] = ()
    potential_beside_items: tuple[ValueItemView, ...] = ()
    computed_items: tuple[ValueItemView, ...] = ()  # items narrator computed from the assumptions file
    indicative_items: tuple[ValueItemView, ...] = ()
    warnings: tuple[Fact, ...] = ()  # claims the data cannot support, levers left out (text facts)
    check_notes: tuple[Fact, ...] = ()  # user items that could not be checked, and why
    checked: int = 0  # how many user items were checked against the data
    reconciled: int = 0  # how many supplied items agree with their own formula within 1%
    claims: tuple[ClaimView, ...] = ()  # supplied items kept as claimed or not reconciled, with the gap
    realised_cash_saving: Fact | None = None  # of the headline delivered value, the part that is cash saved
    realised_cost_avoidance: Fact | None = None  # ... and the part that is cost avoidance, which is not cash
    potential_cash_saving: Fact | None = None
    potential_cost_avoidance: Fact | None = None
    realised_kind: str = ""  # words: what the headline delivered value is, "cost avoidance", "cash saving" or
    #                          "cash saving and cost avoidance", by the classes it adds up
    potential_kind: str = ""  # the same for the value the ask or the levers would unlock
    data_gaps: tuple[DataGapView, ...] = ()  # figures the levers use that the KPI data states otherwise


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
    cash: bool = True  # cash saving or cost avoidance: counted in the headline and the cost of inaction
    class_label: str = ""


@dataclass(frozen=True)
class OptionView:
    """One option side by side: ``option.label``, ``option.npv`` ..."""

    name: str  # do_nothing, do_minimum, proposed
    label: Fact
    pv_benefits: Fact
    pv_costs: Fact
    npv: Fact
    roi: Fact | None
    payback_month: Fact | None
    run_rate: Fact
    step_npv: Fact | None = None  # NPV added over the option before it (do nothing, then do minimum)
    step_pv_costs: Fact | None = None
    step_roi: Fact | None = None  # return on the cost added
    step_from: Fact | None = None  # the option it is compared with


@dataclass(frozen=True)
class SensitivityView:
    """One driver of the tornado: NPV with the driver lower and higher."""

    driver: str  # line.<item id>, costs, discount_rate or ramp
    label: Fact | str  # a benefit line's label (a fact from the data), or narrator's words for the others
    low: Fact
    high: Fact

    @property
    def is_line(self) -> bool:
        return self.driver.startswith("line.")


@dataclass(frozen=True)
class RealisationView:
    """One line of the benefits-realisation plan."""

    kpi: Fact
    target: Fact
    by: Fact | None
    owner: Fact
    review: Fact
    latest: Fact | None  # the KPI's value in the reporting period, when the data has it
    kpi_id: str = ""  # the catalogue id, so a template can tell which KPIs the plan already tracks


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
    one_off_adjusted: Fact | None = None
    recurring_adjusted: Fact | None = None
    cost_risk_adjustment: Fact | None = None
    optimism_bias: Fact | None = None
    ramp: tuple[Fact, ...] = ()
    irr_note: Fact | None = None
    alt_rate: Fact | None = None
    alt_npv: Fact | None = None
    alt_roi: Fact | None = None
    options: tuple[OptionView, ...] = ()
    cost_of_inaction: Fact | None = None
    sensitivity: tuple[SensitivityView, ...] = ()
    sensitivity_step: Fact | None = None
    realisation: tuple[RealisationView, ...] = ()
    funding: Fact | None = None
    cash_npv: Fact | None = None
    cash_roi: Fact | None = None
    non_cash_pv: Fact | None = None
    zero_cost: bool = False
    commitment: Fact | None = None  # up front + recurring over the horizon, as asked
    commitment_pv: Fact | None = None  # its present value at the discount rate
    cost_of_inaction_non_cash: Fact | None = None  # non-cash benefit forgone a year, beside the cost of inaction
    cash_payback_month: Fact | None = None
    downside_line: Fact | None = None  # when the conservative case loses money: the line a pilot tests first
    downside_kpi: str = ""  # the KPI its stop-go test reads, in the catalogue's words (not data)
    downside_target: Fact | None = None
    downside_by: Fact | None = None
    downside_uplift: Fact | None = None  # the planned KPI improvement, when no realisation target is given
    cost_of_inaction_kind: str = ""  # words: what the cost of inaction forgoes, by its lines' classes
    #                                  ("cost avoidance", "cash saving", "cash saving and cost avoidance")

    @property
    def downside(self) -> bool:
        """The conservative case loses money, so the ask needs a gate that limits the loss."""
        return self.downside_line is not None

    @property
    def repaid(self) -> bool:
        return self.payback_month is not None

    @property
    def positive(self) -> bool:
        return self.npv.value > 0


@dataclass(frozen=True)
class SinceLastView:
    """What changed since the last report: ``since_last.now_on_target``, ``since_last.value_change`` ..."""

    previous_period: Fact
    now_on_target: tuple[KpiView, ...]  # off target last time, on target now
    now_off_target: tuple[KpiView, ...]  # on target last time, off target now
    value_before: Fact | None
    value_change: Fact | None  # with direction; None when either report had no value delivered
    new_risks: tuple[Fact, ...]

    @property
    def anything(self) -> bool:
        """True when there is something to report since last time."""
        moved = self.value_change is not None and self.value_change.direction != "flat"
        return bool(self.now_on_target or self.now_off_target or moved or self.new_risks)


@dataclass(frozen=True)
class InsightView:
    """One insight as templates see it: ``insight.says`` is its ready clause (no capital, no full stop)."""

    id: str
    kind: str  # prior_change, year_change, trend, target, record, demand_capacity, driver_segment,
    #            hidden_miss, trade_off, money_at_stake
    kpi: KpiView | None
    says: Phrase
    favourable: bool | None
    status: str = ""
    segment: str | None = None
    other_kpi: str | None = None  # the second KPI of a trade-off or of demand against capacity
    notable: bool = True  # the movement passes the config's threshold
    brief: Phrase = EMPTY  # the summary bullet's short form: "cost per contact down £0.57 since April 2024, to £8.09"
    action: Phrase = EMPTY  # what to do about a concern: "close the gap on Phone service level: from 75% to ..."
    comparison: str = ""  # what a change is measured against: prior, year_ago or trend_start


@dataclass(frozen=True)
class StoryPlan:
    """What the pack leads with, chosen from the insights ranked by materiality (compute/insights.py)."""

    insights: tuple[InsightView, ...]  # every insight, most material first
    lead: InsightView | None  # the most material insight about performance: the governing thought's evidence
    messages: tuple[InsightView, ...]  # the next most material, one per KPI, up to three
    evidence: tuple[KpiView, ...]  # headline KPIs, most material first: the order the situation shows them
    concerns: tuple[InsightView, ...]  # unfavourable insights (not money), most material first
    strengths: tuple[InsightView, ...]  # favourable insights (not money), most material first
    demand: InsightView | None  # demand outgrew capacity: volume up while service fell
    hidden_misses: tuple[InsightView, ...]  # a segment missing its target under a blend that meets it
    segment_misses: tuple[InsightView, ...]  # every segment missing its own target
    trade_offs: tuple[InsightView, ...]
    worth: tuple[InsightView, ...]  # what delivered movements are worth, where a lever links them to money
    year_on_year: bool  # the data reaches a year back; else movements are told over the trend window
    in_title: InsightView | None = None  # the insight the summary's title states (none when it states value)
    lead_details: tuple[InsightView, ...] = ()  # records, driver segments, trade-offs of the situation's lead KPI
    actions: tuple[InsightView, ...] = ()  # the two most material concerns about different KPIs: what to act on
    message_says: tuple[Phrase, ...] = ()  # the messages as the paper states them: a KPI's gap to target folded
    #   into the sentence on its movement ("rose by 4.7 pts on a year earlier to 71.4%, 3.6 pts below its target
    #   of 75%"), not said again in a sentence of its own
    first_period: bool = False  # no KPI has a value for the period before: levels only, nothing to compare
    other_levels: tuple[KpiView, ...] = ()  # a first period's other KPIs with data (not headline, not volumes):
    #   what its summary states beside the headline KPIs, so a first export is summarised by what it has
    lead_comparisons: tuple[Phrase, ...] = ()  # the situation's lead KPI against the prior period and a year
    #   earlier ("down 1.2 pts on November 2025"), those its title did not state, when the slide would
    #   otherwise carry under two bullets: a slide a board reads carries its evidence

    @property
    def has_targets(self) -> bool:
        return any(i.kind in ("target", "hidden_miss") for i in self.insights)


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
    since_last: SinceLastView | None = None
    story: StoryPlan | None = None
    best_kpi: KpiView | None = None  # the KPI whose movement is the most material good news
    worst_kpi: KpiView | None = None  # the KPI whose movement is the most material bad news
    below_target: tuple[KpiView, ...] = ()  # KPIs on the wrong side of their target (same as off_target)
    caveats: tuple[Phrase, ...] = ()  # what a reader must know to trust the figures (tell/caveats.py)
    section: dict = field(default_factory=dict)

    def as_dict(self) -> dict:
        return {name: getattr(self, name) for name in self.__dataclass_fields__}


def build_context(computed: Computed, config: ReportConfig) -> TemplateContext:
    book = computed.book
    phrases = Phrasebook(
        Formatter(config.locale, config.currency),
        Periods(book.get("period.current"), book.get("period.prior"), book.get("period.year_ago"),
                book.get("period.trend_start"), PERIOD_NOUNS.get(computed.frame.current.freq, "period")),
    )
    worth = {}
    for insight in computed.insights:
        if insight.kind == "money_at_stake" and insight.status == "delivered" and insight.kpi not in worth \
                and "change" in insight.facts and not phrases.rounds_to_zero(insight.facts["change"]):
            worth[insight.kpi] = insight
    prefer: dict[str, str] = {}
    turns = {i.kpi: i for i in computed.insights if i.kind == "trend" and i.status == "turned"}
    for insight in computed.insights:  # most material first: the first change insight per KPI wins
        if insight.kind in ("prior_change", "year_change", "trend") and insight.kpi not in prefer:
            prefer[insight.kpi] = insight.comparison
    views = {
        kpi_id: _with_phrases(_kpi_view(computed.catalogue.get(kpi_id), facts), phrases, worth.get(kpi_id),
                              prefer.get(kpi_id, "prior"), turns.get(kpi_id) if prefer.get(kpi_id) == "trend_start"
                              else None, computed.catalogue)
        for kpi_id, facts in computed.kpis.items()
    }
    present = [v for v in views.values() if v.has_data]
    headline = tuple(views[k] for k in config.headline_kpis if k in views and views[k].has_data)
    plan = _story_plan(computed.insights, views, headline, phrases)
    ask_positive = computed.case is not None and computed.case.npv > 0
    if computed.value.realised_total is None and not ask_positive:
        plan = dataclasses.replace(plan, in_title=plan.lead)
    plan = dataclasses.replace(plan, lead_comparisons=_lead_comparisons(plan))
    off_target = tuple(v for v in present if v.on_target is False and not v.is_demand)
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
        improved=tuple(v for v in present if v.notable_vs_prior and v.vs_prior.favourable and not v.is_demand),
        worsened=tuple(v for v in present if v.notable_vs_prior and v.vs_prior.favourable is False
                       and not v.is_demand),
        off_target=off_target,
        value=_value_view(computed),
        ask=_ask_view(computed),
        sources=tuple(f for f in computed.book if f.id.startswith("source.")),
        since_last=_since_last_view(computed, views),
        story=plan,
        best_kpi=plan.strengths[0].kpi if plan.strengths else None,
        worst_kpi=plan.concerns[0].kpi if plan.concerns else None,
        below_target=off_target,
        caveats=tuple(phrases.caveat_list(computed.caveats, {k: v.label for k, v in views.items()})),
    )


def _with_phrases(view: KpiView, phrases: Phrasebook, worth: Insight | None, prefer: str,
                  turn: Insight | None = None, catalogue=None) -> KpiView:
    if not view.has_data:
        return dataclasses.replace(view, is_demand=view.id in DEMAND_KPIS)
    view = dataclasses.replace(view, is_demand=view.id in DEMAND_KPIS)
    movement = phrases.insight(turn, {view.id: view.label}) if turn else phrases.movement(view, prefer)
    say = KpiPhrases(
        movement=movement,
        target=phrases.target(view),
        against_target=phrases.against_target(view),
        against_year=phrases.against_year(view, prefer),
        status=(phrases.insight(turn, {view.id: view.label}) + phrases.against_target(view) if turn
                else phrases.status(view, prefer)),
        vs_prior=phrases.change(view, "prior"),
        vs_year_ago=phrases.change(view, "year_ago"),
        vs_trend_start=phrases.change(view, "trend_start"),
        worth=phrases.worth(worth) if worth else EMPTY,
        worth_amount=phrases.worth_amount(worth) if worth else EMPTY,
        dated=phrases.dated(movement),
    )
    return dataclasses.replace(view, say=say)


PERIOD_NOUNS = {"M": "month", "Q": "quarter", "Y": "year"}
"""What one reporting period is called in a sentence ("its highest in the 12 months from January 2025")."""

NOT_LEADS = ("money_at_stake", "driver_segment")
"""Kinds that explain or price a movement rather than state one: they support a message, never lead it."""


def _story_plan(insights, views: dict[str, KpiView], headline, phrases: Phrasebook) -> StoryPlan:
    labels = {kpi_id: v.label for kpi_id, v in views.items()}
    ranked = tuple(
        InsightView(id=i.id, kind=i.kind, kpi=views.get(i.kpi), says=phrases.insight(i, labels),
                    favourable=i.favourable, status=i.status, segment=i.segment, other_kpi=i.other_kpi,
                    notable=i.notable,
                    brief=phrases.brief(i, labels),
                    action=phrases.action(i, labels) if i.favourable is False else EMPTY,
                    comparison=i.comparison)
        for i in insights
    )
    ranked = tuple(i for i in ranked if i.says)
    telling = [i for i in ranked if i.kind not in NOT_LEADS and not (i.kind == "target" and i.status == "met")]
    # News first: a movement under the threshold leads only when nothing moved enough to mention.
    telling = [i for i in telling if i.notable] + [i for i in telling if not i.notable]
    lead = telling[0] if telling else None
    # One message per KPI and kind of news: a record low adds to a fall already told; a second fall does not.
    seen = set()
    if lead is not None:
        seen = {_message_key(lead)}
        if lead.other_kpi:  # demand against capacity has told the volume's movement, and its record with it
            seen |= {(lead.other_kpi, "movement", None), (lead.other_kpi, "record", None)}
        if lead.kind == "demand_capacity" and lead.kpi is not None:
            seen.add((lead.kpi.id, "movement", None))
    messages = []
    for insight in telling[1:]:
        key = _message_key(insight)
        if key in seen or (not insight.notable and len(messages) >= 2):
            continue  # small movements only fill a summary that would otherwise have under two points
        seen.add(key)
        messages.append(insight)
        if len(messages) == 3:
            break
    news = [i for i in telling if i.notable]
    order = {}
    for position, insight in enumerate(ranked):
        if insight.kpi is not None:
            order.setdefault(insight.kpi.id, position)
    evidence = tuple(sorted(headline, key=lambda k: order.get(k.id, len(ranked))))
    lead_kpi = evidence[0] if evidence else None
    movements = ("prior_change", "year_change", "trend")
    present = [v for v in views.values() if v.has_data]
    first_period = bool(present) and all(v.prior is None for v in present)
    others = sorted((v for v in present if v not in headline and not v.is_demand),
                    key=lambda v: (SERVICE_ORDER.get(v.id, len(SERVICE_ORDER)), v.id))
    return StoryPlan(
        insights=ranked,
        lead=lead,
        messages=tuple(messages),
        evidence=evidence,
        concerns=tuple(i for i in news if i.favourable is False),
        strengths=tuple(i for i in news if i.favourable is True and i.kind in movements),
        demand=next((i for i in ranked if i.kind == "demand_capacity"), None),
        hidden_misses=tuple(i for i in ranked if i.kind == "hidden_miss"),
        segment_misses=tuple(i for i in ranked if i.segment and i.kind in ("target", "hidden_miss")),
        trade_offs=tuple(i for i in ranked if i.kind == "trade_off"),
        worth=tuple(i for i in ranked if i.kind == "money_at_stake" and i.status == "delivered"),
        year_on_year=any(v.vs_year_ago is not None for v in headline),
        lead_details=tuple(
            i for i in ranked
            if lead_kpi is not None and i.kpi == lead_kpi and i.kind in ("record", "driver_segment", "trade_off")
            and i not in messages and i != lead  # the summary already said those
        )[:_detail_room(evidence, headline, ranked, lead)],
        actions=_one_per_kpi([i for i in news if i.favourable is False], 2),
        message_says=_message_says(messages),
        first_period=first_period,
        other_levels=tuple(others[:FIRST_PERIOD_OTHERS]) if first_period else (),
    )


def _message_says(messages: list[InsightView]) -> tuple[Phrase, ...]:
    """Each message's clause, a whole-centre target message folded into the same KPI's movement message
    before it: two sentences that both open "First-contact resolution ... 71.4%" read as one said twice."""
    said: list[Phrase] = []
    moved: dict[str, int] = {}  # KPI id -> index in said of its movement clause
    for m in messages:
        kpi = m.kpi
        if m.kind == "target" and not m.segment and kpi is not None and kpi.id in moved and kpi.say \
                and kpi.say.against_target:
            said[moved[kpi.id]] = said[moved[kpi.id]] + kpi.say.against_target
            continue
        if m.kind in ("prior_change", "year_change", "trend") and kpi is not None:
            moved.setdefault(kpi.id, len(said))
        said.append(m.says)
    return tuple(said)


FIRST_PERIOD_OTHERS = 3
"""How many KPIs beside the headline ones a first period's summary names, in one bullet."""

SERVICE_ORDER = {kpi_id: i for i, kpi_id in enumerate(SERVICE_KPIS)}


def _lead_comparisons(plan: StoryPlan) -> tuple[Phrase, ...]:
    """The situation's lead KPI against the prior period, a year earlier and the trend's start, leaving
    out the comparison its title states, when the slide's other bullets number under two (the slide
    shows the lead KPI's worth, its details, the other headline KPIs and hidden misses)."""
    lead_kpi = plan.evidence[0] if plan.evidence else None
    if lead_kpi is None or lead_kpi.say is None:
        return ()
    used = bool(lead_kpi.say.worth_amount) + len(plan.lead_details) + len(plan.evidence[1:])
    used += sum(1 for h in plan.hidden_misses if h != plan.lead and h not in plan.messages[:1])
    if used >= 2:
        return ()
    told: set[str] = set()
    if not (plan.in_title is not None and plan.in_title.kpi == lead_kpi):  # else the title states the level only
        told = set(TITLE_COMPARISON.get(lead_kpi.say.movement.name, {"trend_start"}))
    # Nor what the summary, the slide before, said of it: its lead, messages and the concern it watches.
    summary = [plan.lead, *plan.messages, *plan.concerns[:1]]
    told |= {i.comparison for i in summary
             if i is not None and i.kpi == lead_kpi and i.kind in ("prior_change", "year_change", "trend")}
    said = [getattr(lead_kpi.say, f"vs_{c}") for c in ("prior", "year_ago", "trend_start") if c not in told]
    return tuple(p for p in said if p)[:2 - used]


TITLE_COMPARISON = {"movement.prior": {"prior"}, "movement.steady": {"prior"}, "movement.year_ago": {"year_ago"},
                    "movement.level": set()}
"""Which comparison the situation title's movement states, by the phrase it chose (a trend states the
window from its start)."""


def _detail_room(evidence, headline, ranked, lead) -> int:
    """How many lead details fit: the situation slide holds five bullets at most (what the lead KPI's
    movement is worth, the other headline KPIs, hidden misses), and two details at most."""
    used = len(evidence[1:]) + bool(evidence and evidence[0].say and evidence[0].say.worth_amount)
    used += sum(1 for i in ranked if i.kind == "hidden_miss" and i != lead)
    return max(0, min(2, 5 - used))


def _one_per_kpi(insights: list[InsightView], limit: int) -> tuple[InsightView, ...]:
    out, kpis = [], set()
    for insight in insights:
        about = {insight.kpi.id if insight.kpi else insight.id, insight.other_kpi} - {None}
        if about & kpis:
            continue
        kpis |= about
        out.append(insight)
    return tuple(out[:limit])


def _message_key(insight: InsightView) -> tuple:
    group = "movement" if insight.kind in ("prior_change", "year_change", "trend") else insight.kind
    return (insight.kpi.id if insight.kpi else insight.id, group, insight.segment)


def _since_last_view(computed: Computed, views: dict[str, KpiView]) -> SinceLastView | None:
    since = computed.since_last
    if since is None:
        return None
    return SinceLastView(
        previous_period=since.previous_period,
        now_on_target=tuple(views[k] for k in since.now_on_target),
        now_off_target=tuple(views[k] for k in since.now_off_target),
        value_before=since.value_before,
        value_change=since.value_change,
        new_risks=since.new_risks,
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
            class_label=CLASS_LABELS[f.item.benefit_class], indicative=is_indicative(f.item),
            computed=f.item.id in computed.translation.results, cash=f.item.benefit_class != "non_cash",
            route_to_cash=book.get(f"value.{f.item.id}.route_to_cash")
            if f"value.{f.item.id}.route_to_cash" in book else None,
        )
        for f in sorted(computed.value.items, key=lambda f: -f.amount.value)
    )
    split = computed.value.split or {}
    records = computed.reconciled.records if computed.reconciled is not None else ()

    def opt(fact_id: str) -> Fact | None:
        return book.get(fact_id) if fact_id in book else None

    return ValueView(
        realised=computed.value.realised_total,
        potential=computed.value.potential_total,
        items=items,
        realised_items=tuple(i for i in items if i.realised),
        potential_items=tuple(i for i in items if not i.realised),
        categories=tuple(CategoryView(CATEGORY_LABELS[c], f) for c, f in computed.value.by_category),
        realised_categories=_categories(computed, "realised"),
        potential_categories=_categories(computed, "potential"),
        realised_cash=split.get("realised_cash"),
        realised_non_cash=split.get("realised_non_cash"),
        potential_cash=split.get("potential_cash"),
        potential_non_cash=split.get("potential_non_cash"),
        realised_capacity=split.get("realised_capacity"),
        potential_capacity=split.get("potential_capacity"),
        realised_headline_items=tuple(i for i in items if i.realised and i.benefit_class in HEADLINE_CLASSES),
        realised_beside_items=tuple(i for i in items if i.realised and i.benefit_class not in HEADLINE_CLASSES),
        potential_headline_items=tuple(
            i for i in items if not i.realised and i.benefit_class in HEADLINE_CLASSES),
        potential_beside_items=tuple(
            i for i in items if not i.realised and i.benefit_class not in HEADLINE_CLASSES),
        computed_items=tuple(i for i in items if i.computed),
        indicative_items=tuple(i for i in items if i.indicative),
        warnings=tuple(f for f in book if f.id.startswith("value.warning.")),
        check_notes=tuple(f for f in book if f.id.startswith("value.check_note.")),
        checked=len(computed.translation.checks),
        reconciled=sum(r.status == "reconciled" for r in records),
        realised_cash_saving=split.get("realised_cash_saving"),
        realised_cost_avoidance=split.get("realised_cost_avoidance"),
        potential_cash_saving=split.get("potential_cash_saving"),
        potential_cost_avoidance=split.get("potential_cost_avoidance"),
        realised_kind=money_kind(i.benefit_class for i in items if i.realised),
        potential_kind=money_kind(i.benefit_class for i in items if not i.realised),
        claims=tuple(
            ClaimView(
                label=book.get(f"value.{r.item}.label"), status=r.status, claimed=book.get(f"value.{r.item}.amount"),
                computed=opt(f"value.{r.item}.reconciliation.computed"),
                formula=opt(f"value.{r.item}.reconciliation.formula"),
                reason=opt(f"value.{r.item}.reconciliation.reason"),
            )
            for r in records if r.status != "reconciled"
        ),
        data_gaps=tuple(
            DataGapView(
                items=tuple(book.get(f"value.{item}.label") for item in gap.items),
                **{part: book.get(f"value.data_gap.{i}.{part}")
                   for part in ("concept", "figure", "source", "data", "period")},
                basis=opt(f"value.data_gap.{i}.basis"),
            )
            for i, gap in enumerate(computed.data_gaps)
        ),
    )




def money_kind(classes) -> str:
    """What a headline money figure is, named by the classes it adds up: a board reads "cash saving and
    cost avoidance" as partly cash, so a figure that is all cost avoidance is called that and no more."""
    present = {c for c in classes if c in HEADLINE_CLASSES}
    return " and ".join(CLASS_LABELS[c] for c in HEADLINE_CLASSES if c in present)


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

    classes = {f.item.id: f.item.benefit_class for f in computed.value.items}
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
            cash=classes.get(line.item) in HEADLINE_CLASSES, class_label=CLASS_LABELS.get(classes.get(line.item), ""),
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
        one_off_adjusted=opt("ask.one_off_adjusted"),
        recurring_adjusted=opt("ask.recurring_adjusted"),
        cost_risk_adjustment=opt("ask.cost_risk_adjustment"),
        optimism_bias=opt("ask.optimism_bias"),
        ramp=tuple(book.get(f"ask.ramp.{y}") for y in range(1, len(computed.case.ramp) + 1)),
        irr_note=opt("ask.irr_note"),
        alt_rate=opt("ask.alt_rate"),
        alt_npv=opt("ask.alt_npv"),
        alt_roi=opt("ask.alt_roi"),
        options=tuple(
            OptionView(
                name=o.name, label=book.get(f"ask.option.{o.name}.label"),
                **{k: opt(f"ask.option.{o.name}.{k}") for k in (
                    "pv_benefits", "pv_costs", "npv", "roi", "payback_month", "run_rate")},
                **{f"step_{k}": opt(f"ask.option.{o.name}.step.{k}") for k in ("npv", "pv_costs", "roi", "from")},
            )
            for o in (computed.options.options if computed.options else ())
        ),
        cost_of_inaction=opt("ask.cost_of_inaction"),
        sensitivity=tuple(
            SensitivityView(driver=bar.driver,
                            label=book.get(f"ask.{bar.driver}.label") if bar.driver.startswith("line.")
                            else bar.label,
                            low=book.get(f"ask.sensitivity.{bar.driver}.low"),
                            high=book.get(f"ask.sensitivity.{bar.driver}.high"))
            for bar in computed.case.sensitivity
        ),
        sensitivity_step=opt("ask.sensitivity_step"),
        realisation=tuple(
            RealisationView(
                kpi=book.get(f"ask.realisation.{i}.kpi"), target=book.get(f"ask.realisation.{i}.target"),
                by=opt(f"ask.realisation.{i}.by"), owner=book.get(f"ask.realisation.{i}.owner"),
                review=book.get(f"ask.realisation.{i}.review"),
                latest=_latest(computed, step.kpi),
                kpi_id=getattr(computed.catalogue.find(step.kpi), "id", step.kpi),
            )
            for i, step in enumerate(computed.ask.realisation)
        ),
        funding=opt("ask.funding"),
        cash_npv=opt("ask.cash_npv"),
        cash_roi=opt("ask.cash_roi"),
        non_cash_pv=opt("ask.non_cash_pv"),
        zero_cost="ask.zero_cost" in book,
        commitment=opt("ask.commitment"),
        commitment_pv=opt("ask.commitment_pv"),
        cost_of_inaction_non_cash=opt("ask.cost_of_inaction_non_cash"),
        cash_payback_month=opt("ask.cash_payback_month"),
        downside_line=opt("ask.downside.line"),
        downside_kpi=opt("ask.downside.kpi").value if "ask.downside.kpi" in book else "",
        downside_target=opt("ask.downside.target"),
        downside_by=opt("ask.downside.by"),
        downside_uplift=opt("ask.downside.uplift"),
        cost_of_inaction_kind=money_kind(classes.get(line.item) for line in computed.case.lines
                                         if not line.one_off),
    )


def _latest(computed: Computed, kpi: str) -> Fact | None:
    kpi_def = computed.catalogue.find(kpi)
    facts = computed.kpis.get(kpi_def.id if kpi_def else kpi, {})
    return facts.get("latest")
