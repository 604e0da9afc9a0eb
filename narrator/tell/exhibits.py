"""Charts and tables built from facts: each exhibit is evidence for its section's action title."""

from __future__ import annotations

import re
from collections.abc import Callable

from narrator.compute import Computed
from narrator.compute.facts import Fact
from narrator.compute.value_facts import CLASS_LABELS, HEADLINE_CLASSES
from narrator.errors import ConfigError
from narrator.tell.context import KpiView, TemplateContext, is_indicative
from narrator.tell.segments import SegmentFactory
from narrator.tell.story import ChartSeries, ChartSpec, Segment, TableSpec

PERCENT_FORMAT = "0%"
PERCENT_DETAIL = "0.0%"


def _number_format(unit: str, currency_symbol: str) -> str:
    return {
        "percent": PERCENT_DETAIL,
        "money": f'"{currency_symbol}"#,##0',
        "seconds": "#,##0",
        "score": "0.00",
        "per_1k": "0.0",
    }.get(unit, "#,##0")


class ExhibitBuilder:
    """Builds the exhibits a storyline names; ``chart(type, ...)`` and ``table(type, ...)``."""

    def __init__(self, computed: Computed, context: TemplateContext, segments: SegmentFactory, currency_symbol: str):
        self.computed = computed
        self.ctx = context
        self.seg = segments
        self.fmt = segments.formatter
        self.symbol = currency_symbol

    # --- dispatch -------------------------------------------------------------------------------
    def chart(self, section_id: str, spec) -> ChartSpec | None:
        builders: dict[str, Callable] = {
            "kpi_trend": self._kpi_trend,
            "volume_service": self._volume_service,
            "value_by_category": self._value_by_category,
            "value_waterfall": self._value_waterfall,
            "cashflow": self._cashflow,
            "scenarios": self._scenarios,
            "sensitivity": self._sensitivity_chart,
        }
        return _dispatch("chart", builders, section_id, spec)

    def table(self, section_id: str, spec) -> TableSpec | None:
        builders: dict[str, Callable] = {
            "kpi_scorecard": self._kpi_scorecard,
            "value_lines": self._value_lines,
            "investment_case": self._investment_case,
            "methodology": self._methodology,
            "sources": self._sources,
            "options": self._options,
            "sensitivity": self._sensitivity_table,
            "realisation": self._realisation,
            "case_assumptions": self._case_assumptions,
        }
        return _dispatch("table", builders, section_id, spec)

    # --- helpers --------------------------------------------------------------------------------
    def _source(self, section_id: str, *roles: str) -> Segment:
        facts = [self.computed.book.get(f"source.{r}") for r in roles if f"source.{r}" in self.computed.book]
        pieces: list = ["Source: "]
        for i, fact in enumerate(facts):
            if i:
                pieces.append(", ")
            pieces.append((fact, None))
        if not facts:
            pieces = ["Source: narrator computation"]
        return self.seg.compose(f"{section_id}.source", *pieces)

    def _pick_kpi(self, spec) -> KpiView | None:
        if spec.kpi:
            view = self.ctx.kpi.get(spec.kpi)
            return view if view is not None and view.has_data else None
        # The KPI the situation's title states: the most material of the headline KPIs, so the chart is the
        # evidence for the title above it.
        if self.ctx.story is not None and self.ctx.story.evidence:
            return self.ctx.story.evidence[0]
        with_target = [v for v in self.ctx.headline if v.target is not None]
        return (with_target or list(self.ctx.headline) or [None])[0]

    def _series(self, kpi_id: str, prefix: str = "series") -> tuple[tuple[float | None, ...], tuple[str, ...]]:
        book = self.computed.book
        values, ids = [], []
        for period in self.computed.frame.trend:
            fact_id = f"kpi.{kpi_id}.{prefix}.{period.key()}"
            if fact_id in book:
                values.append(book.get(fact_id).value)
                ids.append(fact_id)
            else:
                values.append(None)
        return tuple(values), tuple(ids)

    def _categories(self) -> tuple[str, ...]:
        return tuple(p.label(self.fmt.locale, short=True) for p in self.computed.frame.trend)

    # --- charts ---------------------------------------------------------------------------------
    def _kpi_trend(self, section_id: str, spec) -> ChartSpec | None:
        view = self._pick_kpi(spec)
        if view is None or len(self.computed.frame.trend) < 2:
            return None
        number_format = _number_format(view.unit, self.symbol)
        values, ids = self._series(view.id)
        series = [ChartSeries(name=_cap(view.label), values=values, kind="line",
                              number_format=number_format, fact_ids=ids)]
        targets, target_ids = self._series(view.id, "target_series")
        if any(t is not None for t in targets):
            series.append(ChartSeries(name="Target", values=targets, kind="line", number_format=number_format,
                                      fact_ids=target_ids, dashed=True))
        categories = self._categories()
        first = next(v for v in values if v is not None)
        last = view.latest
        alt = (
            f"Line chart of {view.label} by period, {categories[0]} to {categories[-1]}, "
            f"from {self.fmt.default(_like(last, first))} to {self.fmt.default(last)}"
        )
        if view.target is not None:
            alt += f", against a target of {self.fmt.default(view.target)}"
        return ChartSpec(
            kind="line", title=f"{_cap(view.label)} by period", categories=categories,
            series=tuple(series), alt_text=alt + ".", source=self._source(section_id, "kpis"),
            value_axis_format=PERCENT_FORMAT if view.unit == "percent" else number_format,
        )

    def _volume_service(self, section_id: str, spec) -> ChartSpec | None:
        volume = self.ctx.kpi.get("contacts_offered") or self.ctx.kpi.get("contacts_handled")
        rate = self.ctx.kpi.get(spec.kpi or "service_level")
        if volume is None or rate is None or not rate.has_data or len(self.computed.frame.trend) < 2:
            return None
        volumes, volume_ids = self._series(volume.id)
        rates, rate_ids = self._series(rate.id)
        categories = self._categories()
        alt = (
            f"Combination chart of {volume.label} (bars) and {rate.label} (line, right axis) by period, "
            f"{categories[0]} to {categories[-1]}; in the latest period {self.fmt.default(volume.latest)} "
            f"contacts and {rate.label} of {self.fmt.default(rate.latest)}."
        )
        return ChartSpec(
            kind="combo", title=f"{_cap(volume.label)} and {rate.label}", categories=categories,
            series=(
                ChartSeries(name=_cap(volume.label), values=volumes, kind="bar", number_format="#,##0",
                            fact_ids=volume_ids),
                ChartSeries(name=_cap(rate.label), values=rates, kind="line", axis="secondary",
                            number_format=PERCENT_FORMAT, fact_ids=rate_ids),
            ),
            alt_text=alt, source=self._source(section_id, "kpis"), value_axis_format="#,##0",
        )

    def _scoped_items(self, spec):
        value = self.ctx.value
        return {"realised": value.realised_items, "potential": value.potential_items, "all": value.items}[spec.scope]

    def _value_by_category(self, section_id: str, spec) -> ChartSpec | None:
        items = self._scoped_items(spec)
        if not items:
            return None
        totals: dict[str, float] = {}
        ids: dict[str, list[str]] = {}
        for item in items:
            # Non-cash value and capacity are named as such, so no bar reads as money in the headline.
            category = item.category if item.benefit_class in HEADLINE_CLASSES else (
                f"{item.category} ({item.class_label}, not in the headline)")
            totals[category] = totals.get(category, 0.0) + item.amount.value
            ids.setdefault(category, []).append(item.amount.id)
        order = sorted(totals, key=lambda c: -totals[c])
        money = _number_format("money", self.symbol)
        alt = "Bar chart of annual value by category: " + "; ".join(
            f"{c} {self.fmt.money_short(totals[c])}" for c in order
        ) + "."
        return ChartSpec(
            kind="bar", title="Annual value by category", categories=tuple(_cap(c) for c in order),
            series=(ChartSeries(name="Value per year", values=tuple(totals[c] for c in order),
                                number_format=money, fact_ids=tuple(i for c in order for i in ids[c])),),
            alt_text=alt, source=self._source(section_id, "values"), value_axis_format=money,
        )

    def _value_waterfall(self, section_id: str, spec) -> ChartSpec | None:
        # A total adds money of one kind: cash saving and cost avoidance. With an ask, the cost of doing
        # nothing is the proposal's risk-adjusted lines, so the chart builds the same figure the text states.
        ask = self.ctx.ask
        if spec.scope == "potential" and ask is not None and ask.cost_of_inaction is not None:
            bars = [(line.label, line.adjusted) for line in ask.lines if line.cash]
            title = "Cost of doing nothing, per year, after risk adjustment"
        else:
            bars = [(i.label, i.amount) for i in self._scoped_items(spec) if i.benefit_class in HEADLINE_CLASSES]
            title = "How the value builds up, per year"
        if len(bars) < 2:
            return None
        money = _number_format("money", self.symbol)
        total = sum(amount.value for _, amount in bars)
        alt = "Waterfall chart building annual value lever by lever: " + "; ".join(
            f"{label.value} {self.fmt.money_short(amount.value)}" for label, amount in bars
        ) + f"; total {self.fmt.money_short(total)}."
        return ChartSpec(
            kind="waterfall", title=title,
            categories=tuple(_short(label.value) for label, _ in bars) + ("Total",),
            series=(ChartSeries(name="Value per year", values=tuple(a.value for _, a in bars) + (total,),
                                number_format=money, fact_ids=tuple(a.id for _, a in bars)),),
            alt_text=alt, source=self._source(section_id, "values"), value_axis_format=money,
        )

    def _cashflow(self, section_id: str, spec) -> ChartSpec | None:
        case = self.computed.case
        if case is None:
            return None
        money = _number_format("money", self.symbol)
        years = tuple(f"Year {t}" for t in range(len(case.yearly_costs)))
        ids = lambda kind: tuple(f"ask.year.{t}.{kind}" for t in range(len(years)))  # noqa: E731
        payback = self.ctx.ask.payback_month
        alt = (
            f"Combination chart of risk-adjusted benefits and costs by year (bars) and cumulative net benefit "
            f"(line), year 0 to year {len(years) - 1}; cumulative net ends at "
            f"{self.fmt.money_short(case.cumulative_net[-1])}"
            + (f" and turns positive in month {payback.value:.0f}." if payback else " and never turns positive.")
        )
        return ChartSpec(
            kind="combo", title="Cash flow and payback", categories=years,
            series=(
                ChartSeries(name="Benefits", values=case.yearly_benefits, number_format=money, fact_ids=ids("benefit")),
                ChartSeries(name="Costs", values=tuple(-c for c in case.yearly_costs), number_format=money,
                            fact_ids=ids("cost")),
                ChartSeries(name="Cumulative net", values=case.cumulative_net, kind="line", number_format=money,
                            fact_ids=ids("cumulative")),
            ),
            alt_text=alt, source=self._source(section_id, "investment", "values"), value_axis_format=money,
        )

    def _scenarios(self, section_id: str, spec) -> ChartSpec | None:
        ask = self.ctx.ask
        if ask is None or not ask.scenarios:
            return None
        order = [("conservative", "Conservative"), ("expected", "Expected"), ("optimistic", "Optimistic")]
        npvs = {name: view.npv for name, view in ask.scenarios.items()}
        npvs.setdefault("expected", ask.npv)
        shown = [(label, npvs[name]) for name, label in order if name in npvs]
        money = _number_format("money", self.symbol)
        alt = "Bar chart of net present value by scenario: " + "; ".join(
            f"{label} {('minus ' if f.value < 0 else '')}{self.fmt.money_short(f.value)}" for label, f in shown
        ) + "."
        return ChartSpec(
            kind="bar", title="Net present value by scenario", categories=tuple(label for label, _ in shown),
            series=(ChartSeries(name="NPV", values=tuple(f.value for _, f in shown), number_format=money,
                                fact_ids=tuple(f.id for _, f in shown)),),
            alt_text=alt, source=self._source(section_id, "investment"), value_axis_format=money,
        )

    def _sensitivity_chart(self, section_id: str, spec) -> ChartSpec | None:
        """A tornado: per driver, the change in NPV when it moves down and up, longest bar first."""
        ask = self.ctx.ask
        if ask is None or not ask.sensitivity:
            return None
        base = ask.npv.value
        bars = list(ask.sensitivity)  # longest first: the renderer draws horizontal bars top-down in data order
        step = self.fmt.percent(ask.sensitivity_step.value, 0) if ask.sensitivity_step else "20%"
        money = f'"{self.symbol}"#,##0;\u2212"{self.symbol}"#,##0'
        alt = (
            f"Tornado chart of the change in net present value from the expected "
            f"{self.fmt.money(base)} when each driver moves {step} down or up: "
            + "; ".join(
                f"{_text(b.label)} from {self.fmt.signed(_like(b.low, b.low.value - base))} to "
                f"{self.fmt.signed(_like(b.high, b.high.value - base))}"
                for b in ask.sensitivity
            )
            + "."
        )
        return ChartSpec(
            kind="bar", title=f"Change in NPV when each driver moves {step} either way",
            categories=tuple(_short(_cap(_text(b.label))) for b in bars),
            series=(
                ChartSeries(name=f"Driver {step} lower", values=tuple(b.low.value - base for b in bars),
                            number_format=money, fact_ids=tuple(b.low.id for b in bars) + (ask.npv.id,)),
                ChartSeries(name=f"Driver {step} higher", values=tuple(b.high.value - base for b in bars),
                            number_format=money, fact_ids=tuple(b.high.id for b in bars) + (ask.npv.id,)),
            ),
            alt_text=alt, source=self._source(section_id, "investment", "values"), value_axis_format=money,
        )

    # --- tables ---------------------------------------------------------------------------------
    def _header(self, section_id: str, *names: str | Fact) -> tuple[Segment, ...]:
        return tuple(
            self.seg.words(f"{section_id}.table.h{i}", n) if isinstance(n, str)
            else self.seg.from_fact(f"{section_id}.table.h{i}", n)
            for i, n in enumerate(names)
        )

    def _kpi_scorecard(self, section_id: str, spec) -> TableSpec | None:
        views = [v for v in self.ctx.kpi.values() if v.has_data]
        if not views:
            return None
        headline = [v.id for v in self.ctx.headline]
        views.sort(key=lambda v: (headline.index(v.id) if v.id in headline else len(headline), v.label))
        # Target, benchmark and status columns only where the data has any: a column of dashes says nothing.
        targets = any(v.target is not None for v in views)
        benchmarks = any(v.benchmark is not None for v in views)
        rows = []
        for r, v in enumerate(views):
            cid = f"{section_id}.table.r{r}"
            # Off target the right way round: a lower-is-better KPI misses by being over its target.
            missed = "Below target" if v.good_direction == "up" else "Over target"
            status = "\u2014" if v.on_target is None else ("On target" if v.on_target else missed)
            cells = [
                self.seg.words(f"{cid}.c0", _cap(v.label)),
                self.seg.from_fact(f"{cid}.c1", v.latest),
                self.seg.from_fact(f"{cid}.c2", v.prior),
                self._change_cell(f"{cid}.c3", v.vs_prior),
            ]
            if targets:
                cells.append(self.seg.from_fact(f"{cid}.c4", v.target))
            if benchmarks:
                cells.append(self.seg.from_fact(f"{cid}.c5", v.benchmark))
            if targets:
                cells.append(self.seg.words(f"{cid}.c6", status))
            rows.append(tuple(cells))
        header = ["KPI", self.ctx.period, self.ctx.prior_period, "Change"]
        header += (["Target"] if targets else []) + (["Benchmark"] if benchmarks else [])
        header += ["Status"] if targets else []
        align = ("left",) + ("right",) * (len(header) - 1 - targets) + (("left",) if targets else ())
        return TableSpec(
            header=self._header(section_id, *header),
            rows=tuple(rows), align=align,
            caption=self.seg.words(f"{section_id}.table.caption", "KPI scorecard"),
            source=self._source(f"{section_id}.table", "kpis"),
        )

    def _value_lines(self, section_id: str, spec) -> TableSpec | None:
        items = self.ctx.value.items
        if not items:
            return None
        rows = []
        for r, item in enumerate(items):
            cid = f"{section_id}.table.r{r}"
            rows.append((
                self.seg.from_fact(f"{cid}.c0", item.label),
                self.seg.words(f"{cid}.c1", _cap(item.category)),
                self.seg.words(f"{cid}.c2", _cap(item.class_label)),
                self.seg.words(f"{cid}.c3", "Delivered" if item.realised else "With investment"),
                self.seg.from_fact(f"{cid}.c4", item.amount, lambda f: self.fmt.money(f.value, f.currency)),
                self.seg.from_fact(f"{cid}.c5", item.low, lambda f: self.fmt.money_short(f.value, f.currency)),
                self.seg.from_fact(f"{cid}.c6", item.high, lambda f: self.fmt.money_short(f.value, f.currency)),
                self.seg.words(f"{cid}.c7", _confidence(item)),
            ))
        return TableSpec(
            header=self._header(section_id, "Lever", "Category", "Class", "Status", "Per year", "Low", "High",
                                "Confidence"),
            rows=tuple(rows), align=("left", "left", "left", "left", "right", "right", "right", "left"),
            caption=self.seg.words(f"{section_id}.table.caption", "Value by lever"),
            source=self._source(f"{section_id}.table", "values", "assumptions"),
        )

    def _investment_case(self, section_id: str, spec) -> TableSpec | None:
        ask = self.ctx.ask
        if ask is None:
            return None
        book = self.computed.book
        years = range(len(self.computed.case.yearly_costs))
        money = lambda f: self.fmt.money(f.value, f.currency)  # noqa: E731
        signed_money = lambda f: ("\u2212" if f.value < 0 else "") + self.fmt.money(abs(f.value), f.currency)  # noqa: E731
        rows = []
        for r, (label, kind, render) in enumerate(
            (("Risk-adjusted benefits", "benefit", money), ("Risk-adjusted costs", "cost", money),
             ("Cumulative net benefit", "cumulative", signed_money))
        ):
            cid = f"{section_id}.table.r{r}"
            rows.append((self.seg.words(f"{cid}.c0", label),) + tuple(
                self.seg.from_fact(f"{cid}.c{t + 1}", book.get(f"ask.year.{t}.{kind}"), render) for t in years
            ))
        header = self._header(section_id, "", *(book.get(f"ask.year.{t}.label") for t in years))
        return TableSpec(
            header=header, rows=tuple(rows), align=("left",) + ("right",) * len(years),
            caption=self.seg.words(f"{section_id}.table.caption", "Investment cash flows, undiscounted"),
            source=self._source(f"{section_id}.table", "investment", "values"),
        )

    def _methodology(self, section_id: str, spec) -> TableSpec | None:
        items = self.computed.value.items
        if not items:
            return None
        book = self.computed.book
        rows = []
        for r, f in enumerate(items):
            cid = f"{section_id}.table.r{r}"
            item = f.item
            formula = _text_fact(book, f"value.{item.id}.formula", "formula", item.formula or "as supplied")
            assumptions = _text_fact(book, f"value.{item.id}.assumptions", "assumptions",
                                     "; ".join(item.assumptions) or "none stated")
            source = _text_fact(book, f"value.{item.id}.source", "source", item.source or "not stated")
            rows.append((
                self.seg.from_fact(f"{cid}.c0", book.get(f"value.{item.id}.label")),
                self.seg.from_fact(f"{cid}.c1", formula),
                self.seg.from_fact(f"{cid}.c2", assumptions),
                self.seg.from_fact(f"{cid}.c3", source),
                self.seg.words(f"{cid}.c4", f"{_cap(CLASS_LABELS[item.benefit_class])}; "
                                            f"{_confidence_of(item.confidence, is_indicative(item))}"),
            ))
        return TableSpec(
            header=self._header(section_id, "Lever", "Formula", "Inputs and assumptions", "Source",
                                "Class; confidence"),
            rows=tuple(rows), align=("left",) * 5,
            caption=self.seg.words(f"{section_id}.table.caption", "How each value was calculated"),
            source=self._source(f"{section_id}.table", "values", "assumptions"),
        )

    def _change_cell(self, cid: str, change: Fact | None) -> Segment:
        """A signed change, or "unchanged" where it rounds to nothing (never "+£0.00" or "−0.0 pts")."""
        if change is not None and not re.search(r"[1-9]", self.fmt.default(change)):
            return self.seg.words(cid, "unchanged")
        return self.seg.from_fact(cid, change, self.fmt.signed)

    def _money_cell(self, cid: str, fact: Fact | None, signed: bool = False) -> Segment:
        def render(f: Fact) -> str:
            text = self.fmt.money(abs(f.value), f.currency)
            return ("\u2212" + text) if signed and f.value < 0 else text

        return self.seg.from_fact(cid, fact, render)

    def _options(self, section_id: str, spec) -> TableSpec | None:
        ask = self.ctx.ask
        if ask is None or not ask.options:
            return None
        rows = []
        for r, o in enumerate(ask.options):
            cid = f"{section_id}.table.r{r}"
            rows.append((
                self.seg.from_fact(f"{cid}.c0", o.label, lambda f: _cap(f.value)),
                self._money_cell(f"{cid}.c1", o.run_rate),
                self._money_cell(f"{cid}.c2", o.pv_benefits),
                self._money_cell(f"{cid}.c3", o.pv_costs),
                self._money_cell(f"{cid}.c4", o.npv, signed=True),
                self.seg.from_fact(f"{cid}.c5", o.roi, self.fmt.signed) if o.roi is not None
                else self.seg.words(f"{cid}.c5", "n/a (no cost)" if o.pv_costs.value == 0 else "\u2014"),
                self.seg.from_fact(f"{cid}.c6", o.payback_month, lambda f: f"Month {self.fmt.number(f.value)}")
                if o.payback_month is not None
                else self.seg.words(f"{cid}.c6", "Never" if o.pv_costs.value else "\u2014"),
            ))
        return TableSpec(
            header=self._header(section_id, "Option", "Benefit a year", "PV benefits", "PV costs", "NPV", "ROI",
                                "Payback"),
            rows=tuple(rows), align=("left",) + ("right",) * 6,
            caption=self.seg.compose(f"{section_id}.table.caption", "Options compared over ", (ask.horizon, None),
                                     " at ", (ask.discount_rate, None), ", risk-adjusted"),
            source=self._source(f"{section_id}.table", "investment", "values"),
        )

    def _sensitivity_table(self, section_id: str, spec) -> TableSpec | None:
        ask = self.ctx.ask
        if ask is None or not ask.sensitivity:
            return None
        rows = []
        for r, b in enumerate(ask.sensitivity):
            cid = f"{section_id}.table.r{r}"
            rows.append((
                self.seg.from_fact(f"{cid}.c0", b.label, lambda f: _cap(f.value)) if b.is_line
                else self.seg.words(f"{cid}.c0", _cap(b.label)),
                self._money_cell(f"{cid}.c1", b.low, signed=True),
                self._money_cell(f"{cid}.c2", ask.npv, signed=True),
                self._money_cell(f"{cid}.c3", b.high, signed=True),
            ))
        step_fact = ask.sensitivity_step
        header = (
            self.seg.words(f"{section_id}.table.h0", "Driver"),
            self.seg.compose(f"{section_id}.table.h1", "NPV, driver ", (step_fact, None), " lower"),
            self.seg.words(f"{section_id}.table.h2", "NPV, expected"),
            self.seg.compose(f"{section_id}.table.h3", "NPV, driver ", (step_fact, None), " higher"),
        )
        return TableSpec(
            header=header,
            rows=tuple(rows), align=("left", "right", "right", "right"),
            caption=self.seg.words(f"{section_id}.table.caption", "Sensitivity of net present value, one driver "
                                   "at a time"),
            source=self._source(f"{section_id}.table", "investment", "values"),
        )

    def _realisation(self, section_id: str, spec) -> TableSpec | None:
        ask = self.ctx.ask
        if ask is None or not ask.realisation:
            return None
        rows = []
        for r, step in enumerate(ask.realisation):
            cid = f"{section_id}.table.r{r}"
            rows.append((
                self.seg.from_fact(f"{cid}.c0", step.kpi, lambda f: _cap(f.value)),
                self.seg.from_fact(f"{cid}.c1", step.latest),
                self.seg.from_fact(f"{cid}.c2", step.target),
                self.seg.from_fact(f"{cid}.c3", step.by),
                self.seg.from_fact(f"{cid}.c4", step.owner, lambda f: _cap(f.value)),
                self.seg.from_fact(f"{cid}.c5", step.review, lambda f: _cap(f.value)),
            ))
        return TableSpec(
            header=self._header(section_id, "KPI", self.ctx.period, "Target", "By", "Owner", "Review"),
            rows=tuple(rows), align=("left", "right", "right", "left", "left", "left"),
            caption=self.seg.words(f"{section_id}.table.caption", "Benefits-realisation plan"),
            source=self._source(f"{section_id}.table", "investment", "kpis"),
        )

    def _case_assumptions(self, section_id: str, spec) -> TableSpec | None:
        """Every parameter of the investment case, with what it does and where it is set."""
        ask = self.ctx.ask
        if ask is None:
            return None
        book = self.computed.book
        case = self.computed.case
        rows: list[tuple] = []

        def row(label, fact: Fact | None, meaning, render=None) -> None:
            if fact is None:
                return
            cid = f"{section_id}.table.r{len(rows)}"
            label = label if isinstance(label, tuple) else (label,)
            meaning = meaning if isinstance(meaning, tuple) else (meaning,)
            rows.append((self.seg.compose(f"{cid}.c0", *label), self.seg.from_fact(f"{cid}.c1", fact, render),
                         self.seg.compose(f"{cid}.c2", *meaning)))

        lower = lambda f: f.value[:1].lower() + f.value[1:]  # noqa: E731

        row("Discount rate", ask.discount_rate, "Each year's benefits and costs are divided by one plus the rate, "
            "compounded by the year; the up-front cost is not discounted")
        row("Appraisal horizon", ask.horizon, "Years of benefit and recurring cost counted")
        for year, share in enumerate(ask.ramp, start=1):
            row(("Ramp, ", (book.get(f"ask.year.{year}.label"), lower)), share,
                "Share of the full risk-adjusted benefit realised in the year")
        row("Cost risk adjustment", ask.cost_risk_adjustment, "Every cost is raised by this share")
        row("Optimism bias", ask.optimism_bias, "Costs are raised again by this share (Green Book)")
        for line in case.lines:
            row(f"Risk adjustment: {_cap(line.label)}", book.get(f"ask.line.{line.item}.risk_adjustment"),
                "The line's benefit is cut by this share before the ramp")
        for name, scenario in case.scenarios.items():
            if name == "expected":
                continue
            ramp = [piece for y in range(1, len(scenario.ramp) + 1)
                    for piece in ((", " if y > 1 else ""), (book.get(f"ask.scenario.{name}.ramp.{y}"), None))]
            row(f"{_cap(name)} scenario: NPV", book.get(f"ask.scenario.{name}.npv"),
                ("Benefits scaled by ", (book.get(f"ask.scenario.{name}.scale"), None), " and ramped ", *ramp,
                 "; costs as expected"),
                lambda f: ("\u2212" if f.value < 0 else "") + self.fmt.money(abs(f.value), f.currency))
        row("Sensitivity step", ask.sensitivity_step, "Each driver moved down and up by this share, one at a time")
        if ask.alt_rate is not None:
            row("Alternative discount rate", ask.alt_rate, "The other customary rate, shown for comparison")
            row("NPV at the alternative rate", ask.alt_npv, "Same cash flows discounted at the alternative rate",
                lambda f: ("\u2212" if f.value < 0 else "") + self.fmt.money(abs(f.value), f.currency))
        return TableSpec(
            header=self._header(section_id, "Parameter", "Value", "What it does"),
            rows=tuple(rows), align=("left", "right", "left"),
            caption=self.seg.words(f"{section_id}.table.caption", "Investment case parameters"),
            source=self._source(f"{section_id}.table", "investment"),
        )

    def _sources(self, section_id: str, spec) -> TableSpec | None:
        facts = self.ctx.sources
        if not facts:
            return None
        roles = {"kpis": "KPI data", "values": "Value translations", "investment": "Investment ask",
                 "assumptions": "Assumptions and levers"}
        rows = tuple(
            (self.seg.words(f"{section_id}.table.r{r}.c0", roles.get(f.id.split(".", 1)[1], f.label)),
             self.seg.from_fact(f"{section_id}.table.r{r}.c1", f))
            for r, f in enumerate(facts)
        )
        return TableSpec(
            header=self._header(section_id, "Input", "File"), rows=rows, align=("left", "left"),
            caption=self.seg.words(f"{section_id}.table.caption", "Data sources"),
        )


def _text(label: Fact | str) -> str:
    return label.value if isinstance(label, Fact) else label


def _confidence_of(confidence: str, indicative: bool) -> str:
    return _cap(confidence) + (" (indicative)" if indicative else "")


def _confidence(item) -> str:
    return _confidence_of(item.confidence, item.indicative)


def _dispatch(kind: str, builders: dict[str, Callable], section_id: str, spec):
    """Build the exhibit a storyline names, or say which names exist."""
    if spec.type not in builders:
        raise ConfigError(
            f"storyline section {section_id}: unknown {kind} type {spec.type!r}; use one of "
            + ", ".join(sorted(builders))
        )
    return builders[spec.type](section_id, spec)


def _cap(text: str) -> str:
    """Upper-case the first letter only: "agent FTE" -> "Agent FTE" (str.capitalize would lower the rest)."""
    return text[:1].upper() + text[1:]


def _text_fact(book, fact_id: str, label: str, value: str) -> Fact:
    if fact_id not in book:
        book.add(Fact(id=fact_id, label=label, value=value, unit="text"))
    return book.get(fact_id)


def _like(fact: Fact, value: float) -> Fact:
    return fact.model_copy(update={"value": value})


def _short(label: str, width: int = 24, lines: int = 2) -> str:
    """A category label on at most ``lines`` lines of about ``width`` characters, broken between words
    ("Calls contained by a" / "conversational IVR"); only a label longer than that is cut, with an
    ellipsis. Chart axes give each category a narrow slot, and a cut-off label reads as careless."""
    words, rows = label.split(), [""]
    for word in words:
        if rows[-1] and len(rows[-1]) + 1 + len(word) > width:
            rows.append("")
        rows[-1] = f"{rows[-1]} {word}".strip()
    if len(rows) <= lines and all(len(row) <= width + 4 for row in rows):
        return "\n".join(rows)
    kept = rows[:lines]
    last = kept[-1] if len(rows) == lines else f"{kept[-1]} {rows[lines]}"
    kept[-1] = last if len(last) <= width else last[: width - 1].rstrip() + "\u2026"
    return "\n".join(kept)
