"""The compute stage: from a Dataset to every Fact the story may state. Pure: no I/O, no wording."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

from narrator.catalogue import Catalogue
from narrator.compute.ask_facts import ask_facts
from narrator.compute.caveats import Caveat, find_caveats, is_indicative
from narrator.compute.facts import Fact, FactBook
from narrator.compute.insights import Insight, find_insights
from narrator.compute.investment import (
    GREEN_BOOK_DISCOUNT_RATE,
    DoMinimum,
    InvestmentCase,
    OptionsComparison,
    build_case,
    compare_options,
)
from narrator.compute.kpi_facts import PeriodFrame, combine_segments, frame_periods, kpi_facts, segment_series
from narrator.compute.ledger import ledger_facts
from narrator.compute.realisation import realisation_problems
from narrator.compute.since_last import SinceLast, since_last_facts
from narrator.compute.value_facts import ValueFacts, value_facts
from narrator.config import ReportConfig
from narrator.dataset import Dataset, InvestmentAsk
from narrator.errors import InputError
from narrator.periods import Period, parse_period
from narrator.value.against_data import DataGap, compare_with_data, gap_warning
from narrator.value.checks import LEVER_ALIASES
from narrator.value.from_data import KpiData, ValueTranslation, translate_plan
from narrator.value.reconcile import Reconciled, place_of, reconcile_items
from narrator.value.sector import check_sector_fit

ALTERNATIVE_RATE = 0.10
"""The private-sector (Forrester TEI) rate a public case is also shown at, for comparison."""


@dataclass(frozen=True)
class Computed:
    """The facts of one pack and the structures they were computed from."""

    book: FactBook
    frame: PeriodFrame
    catalogue: Catalogue
    kpis: dict[str, dict]  # kpi id -> short name (latest, vs_prior, ...) -> Fact | None | bool
    value: ValueFacts
    ask: InvestmentAsk | None
    case: InvestmentCase | None
    reconciled: Reconciled | None = None
    """The supplied value items as counted, each reconciled with its own formula."""
    translation: ValueTranslation = ValueTranslation()
    """Value items narrator computed from the assumptions file, and the checks of the user's own."""
    options: OptionsComparison | None = None
    """Do nothing, do minimum (when the ask has one) and the proposal, side by side."""
    alternative: InvestmentCase | None = None
    """The case at the other customary rate (3.5% Green Book for a private case, 10% for a public one)."""
    warnings: tuple[str, ...] = ()
    """What a reader of the figures must know: claims the data cannot support, levers left out."""
    since_last: SinceLast | None = None
    """What changed since the last report, when its run record was given or found."""
    insights: tuple[Insight, ...] = ()
    """What the data says, most material first (compute/insights.py): the storyline leads with these."""
    caveats: tuple[Caveat, ...] = ()
    """What a reader must know before relying on the figures (compute/caveats.py)."""
    data_gaps: tuple[DataGap, ...] = ()
    """Figures the value items use that the KPI data measures otherwise (a lever's cost per contact
    beside the scorecard's): the methodology states both, and the build warns unless a basis is given."""


def compute_facts(
    dataset: Dataset,
    config: ReportConfig,
    config_name: str = "config",
    previous: tuple[dict, str] | None = None,
) -> Computed:
    """Every fact of the pack. ``previous`` is the last report's run record and its file name."""
    book = FactBook()
    current = resolve_period(config.period, dataset, config_name)
    frame = frame_periods(current, dataset.periods, config.trend_periods)
    _context_facts(book, frame, dataset, config)

    series = combine_segments(list(dataset.observations), dataset.catalogue)
    kpis = {kpi_id: kpi_facts(s, frame, config.thresholds, book) for kpi_id, s in sorted(series.items())}

    reconciled = _reconciled(dataset, config)
    supplied = reconciled.items
    translation = ValueTranslation()
    if dataset.assumptions is not None:
        data = KpiData(
            values={kpi_id: s.values for kpi_id, s in series.items()},
            catalogue=dataset.catalogue,
            current=current,
            file=Path(dataset.input_files.get("kpis", "KPI data")).name,
            locale=config.locale.replace("-", "_"),
        )
        translation = translate_plan(dataset.assumptions, data, config.currency, supplied)
    items_all = _merge_items(supplied, translation.items, dataset.assumptions)
    _check_sector(items_all, reconciled, translation, dataset, config)
    value = value_facts(items_all, config.currency, book)
    for item in items_all:
        book.add(Fact(id=f"value.{item.id}.label", label="value lever", value=item.label, unit="text"))

    by_segment = segment_series(list(dataset.observations), dataset.catalogue)
    gaps = compare_with_data(
        supplied, {item.id: place_of(item, _values_file(dataset)) for item in supplied}, series, by_segment,
        current, translation.results, dataset.assumptions.parameters if dataset.assumptions is not None else {},
    )
    # What the data itself asks the reader to know (partial months, how rates were derived) comes first.
    warnings = list(dataset.notes) + list(reconciled.warnings) + list(translation.warnings)
    warnings += _data_gap_facts(gaps, book, config)
    _reconciliation_facts(reconciled, book, config)
    ask, case, options, alternative = _sector_defaults(dataset.investment, config, warnings), None, None, None
    if ask is not None:
        items = {item.id: item for item in items_all}
        case = build_case(ask, items, optimism_bias=ask.optimism_bias)
        do_minimum = DoMinimum(**ask.do_minimum.model_dump()) if ask.do_minimum is not None else None
        options = compare_options(ask, items, do_minimum=do_minimum, optimism_bias=ask.optimism_bias)
        other = ALTERNATIVE_RATE if config.sector == "public" else GREEN_BOOK_DISCOUNT_RATE
        if other != ask.discount_rate:
            alternative = build_case(ask.model_copy(update={"discount_rate": other}), items,
                                     optimism_bias=ask.optimism_bias)
        _check_realisation(ask, dataset, config_name, items, kpis)
        ask_facts(case, ask, config.currency, config.locale, book, options=options, alternative=alternative,
                  catalogue=dataset.catalogue)
        ledger_facts(book, case, ask, items, config.currency, config.locale, dataset.catalogue, options)
    _warning_facts(warnings, translation, book)
    insights = find_insights(
        series, by_segment, kpis, frame, config.thresholds, dataset.catalogue, value, tuple(config.headline_kpis),
        book, config.locale,
    )
    caveats = find_caveats(
        series, kpis, frame, value, {item.id for item in items_all if is_indicative(item)},
        dataset.assumptions.parameters if dataset.assumptions is not None else {}, by_segment, book,
    )
    since = None
    if previous is not None and previous[0].get("period") != current.key():
        since = since_last_facts(previous[0], previous[1], kpis, book, config.locale)
    return Computed(book, frame, dataset.catalogue, kpis, value, ask, case, reconciled, translation, options,
                    alternative, tuple(warnings), since, insights, caveats, gaps)


def _values_file(dataset: Dataset) -> str:
    return Path(dataset.input_files.get("values", "values")).name


def _reconciled(dataset: Dataset, config: ReportConfig) -> Reconciled:
    """The supplied value items, each reconciled with its own formula (refused when it does not)."""
    parameters = dataset.assumptions.parameters if dataset.assumptions is not None else {}
    return reconcile_items(
        dataset.value_items, _values_file(dataset), config.currency, config.locale.replace("-", "_"),
        keep_claimed=config.value_claims == "as_claimed", parameters=parameters,
    )


def _check_sector(items, reconciled: Reconciled, translation: ValueTranslation, dataset: Dataset,
                  config: ReportConfig) -> None:
    places = {item.id: place_of(item, _values_file(dataset)) for item in reconciled.items}
    if dataset.assumptions is not None:
        places.update({spec.item_id: f"{dataset.assumptions.file}: levers ({spec.item_id})"
                       for spec in dataset.assumptions.levers})
    levers = {item_id: result.lever for item_id, result in translation.results.items()}
    levers.update({item.id: item.lever or LEVER_ALIASES.get(item.id) for item in reconciled.items})
    check_sector_fit(items, sector=config.sector, customers_can_switch=config.customers_can_switch,
                     places=places, levers=levers)


def _reconciliation_facts(reconciled: Reconciled, book: FactBook, config: ReportConfig) -> None:
    """Each supplied item's reconciliation as text and money facts: the methodology states them and the
    run record lists them."""
    for record in reconciled.records:
        base = f"value.{record.item}.reconciliation"
        book.add(Fact(id=f"{base}.status", label="reconciliation", value=record.status, unit="text"))
        if record.formula:
            book.add(Fact(id=f"{base}.formula", label="formula as evaluated", value=record.formula, unit="text"))
        if record.computed is not None:
            book.add(Fact(id=f"{base}.computed", label="amount its formula gives", value=record.computed,
                          unit="money", currency=config.currency, derivation=record.formula))
        if record.reason:
            book.add(Fact(id=f"{base}.reason", label="why not reconciled", value=record.reason, unit="text"))


def _data_gap_facts(gaps: tuple[DataGap, ...], book: FactBook, config: ReportConfig) -> list[str]:
    """Both figures of each gap as facts, for the methodology's sentence; a warning for each gap no item
    explains (an explained one is the pack's to state, not the build's to warn about)."""
    locale = config.locale.replace("-", "_")
    warnings = []
    for i, gap in enumerate(gaps):
        base = f"value.data_gap.{i}"
        money = {"currency": config.currency} if gap.unit == "money" else {}
        book.add(Fact(id=f"{base}.concept", label="figure the levers and the KPI data both state",
                      value=gap.concept, unit="text"))
        book.add(Fact(id=f"{base}.figure", label=f"{gap.concept} the levers use", value=gap.value,
                      unit=gap.unit, derivation=gap.written, **money))
        book.add(Fact(id=f"{base}.source", label="source of the levers' figure", value=gap.source, unit="text"))
        book.add(Fact(id=f"{base}.data", label=f"{gap.concept} in the KPI data", value=gap.data, unit=gap.unit,
                      derivation=f"{gap.kpi}{f', segment {gap.segment}' if gap.segment else ''}, "
                                 f"{gap.period.key()}", sources=gap.data_sources, **money))
        book.add(Fact(id=f"{base}.period", label="period of the KPI data's figure",
                      value=gap.period.label(config.locale), unit="period"))
        if gap.basis:
            basis = gap.basis.rstrip(". ")
            book.add(Fact(id=f"{base}.basis", label="why the levers use their own figure",
                          value=basis[:1].upper() + basis[1:], unit="text"))
        else:
            warnings.append(gap_warning(gap, config.currency, locale))
    return warnings


def _merge_items(supplied, computed, assumptions) -> tuple:
    """The user's value items, then narrator's own; an id used by both is an error, not a silent overwrite."""
    ids = {item.id for item in supplied}
    clashes = [item.id for item in computed if item.id in ids]
    if clashes:
        raise InputError(
            f"{assumptions.file}: levers: the id {', '.join(repr(c) for c in clashes)} is also a value item in "
            "inputs.values; give the lever another id: (or drop one of the two, so nothing is counted twice)"
        )
    return tuple(supplied) + tuple(computed)


def _sector_defaults(ask: InvestmentAsk | None, config: ReportConfig, warnings: list[str]) -> InvestmentAsk | None:
    """A public body appraises at the Green Book's 3.5% unless its ask states a rate; and applies optimism bias."""
    if ask is None or config.sector != "public":
        return ask
    if "discount_rate" not in ask.model_fields_set:
        ask = ask.model_copy(update={"discount_rate": GREEN_BOOK_DISCOUNT_RATE})
    if not ask.optimism_bias:
        warnings.append(
            "investment ask: no optimism bias is applied to costs; the Green Book expects one (set optimism_bias)"
        )
    return ask


def _check_realisation(ask: InvestmentAsk, dataset: Dataset, config_name: str, items: dict, kpis: dict) -> None:
    where = dataset.input_files.get("investment", "investment ask")
    problems = []
    for i, step in enumerate(ask.realisation):
        if dataset.catalogue.find(step.kpi) is None:
            problems.append(
                f"{Path(where).name}: realisation[{i}].kpi: {step.kpi!r} is not a KPI the catalogue knows; use a "
                "KPI id such as first_contact_resolution, or declare it under kpis: in the config"
            )
    if not problems:
        latest = {kpi_id: getattr(facts.get("latest"), "value", None) for kpi_id, facts in kpis.items()}
        parameters = dataset.assumptions.parameters if dataset.assumptions is not None else {}
        problems = realisation_problems(ask, items, latest, dataset.catalogue, Path(where).name, parameters)
    if problems:
        raise InputError(problems)


def _warning_facts(warnings: list[str], translation: ValueTranslation, book: FactBook) -> None:
    """Warnings and check notes as text facts, so the methodology can state them and the record lists them."""
    for i, warning in enumerate(warnings):
        book.add(Fact(id=f"value.warning.{i}", label="value warning", value=warning, unit="text"))
    for i, note in enumerate(translation.notes):
        book.add(Fact(id=f"value.check_note.{i}", label="value check note", value=note, unit="text"))


def resolve_period(wanted: str, dataset: Dataset, config_name: str = "config") -> Period:
    """The reporting period: "latest" is the last period any KPI has a value for."""
    available = sorted({o.period for o in dataset.observations if o.value is not None})
    if not available:
        raise InputError(f"{dataset.input_files.get('kpis', 'KPI data')}: no KPI values at all; check the file")
    if wanted == "latest":
        # A month the export only starts or stops inside is not the latest month; name it to report it.
        complete = [p for p in available if p not in dataset.partial_periods]
        latest = complete[-1] if complete else available[-1]
        # A row dated December 2099 would otherwise make the pack report 2099. Only a period the user
        # names (period: in the config, --period) may be one that has not begun.
        begins = latest.prior().end_date() + dt.timedelta(days=1)
        if begins > dt.date.today():
            raise InputError(
                f"{dataset.input_files.get('kpis', 'KPI data')}: the latest period with values, {latest.key()}, "
                f"has not begun (today is {dt.date.today().isoformat()}); correct the period of those rows, or "
                f'name the period to report with period: in {config_name} or --period'
            )
        return latest
    period = parse_period(wanted)
    if period is None:
        raise InputError(
            f'{config_name}: period: cannot read "{wanted}"; use "latest", "2025-12", "Dec 2025" or "2025-Q4"'
        )
    if period not in available:
        first, last = available[0].key(), available[-1].key()
        raise InputError(
            f"{config_name}: period: the data has no values for {period.key()}; it covers {first} to {last}"
        )
    return period


def _context_facts(book: FactBook, frame: PeriodFrame, dataset: Dataset, config: ReportConfig) -> None:
    """Names, periods and sources: data strings the text states, so they are facts too."""
    text = [
        ("org.name", "organisation", config.organisation),
        ("period.current", "reporting period", frame.current.label(config.locale)),
        ("period.current_short", "reporting period", frame.current.label(config.locale, short=True)),
        ("period.prior", "prior period", frame.prior.label(config.locale)),
        ("period.year_ago", "same period last year", frame.year_ago.label(config.locale)),
        ("period.trend_start", "start of the trend", frame.trend_start.label(config.locale)),
        ("period.data_as_of", "data as of", _date_label(frame.current, config.locale)),
    ]
    if config.title:
        text.append(("report.title", "report title", config.title))
    for fact_id, label, value in text:
        book.add(Fact(id=fact_id, label=label, value=value, unit="period" if fact_id.startswith("period.") else "text"))
    for role, path in sorted(dataset.input_files.items()):
        book.add(Fact(id=f"source.{role}", label=f"{role} input", value=Path(path).name, unit="text"))
    for i, note in enumerate(dataset.method_notes + dataset.notes, 1):
        # How the KPI data was read where a reader must know it (how a rate was derived, a partial month,
        # a missing value): listed with the sources, so every pack states it, not only those with a method.
        value = note[:1].upper() + note[1:]
        book.add(Fact(id=f"source.kpis_note_{i}", label="Note on the KPI data", value=value, unit="text"))
    if dataset.kpi_source and "kpis" not in dataset.input_files:  # KPI rows from a database, named without password
        where = dataset.kpi_source.get("table") or "query"
        value = f"{where} at {dataset.kpi_source['url']}"
        book.add(Fact(id="source.kpis", label="kpis input", value=value, unit="text"))


def _date_label(period: Period, locale: str) -> str:
    from babel.dates import format_date

    return format_date(period.end_date(), "d MMMM yyyy", locale=locale.replace("-", "_"))
