"""The compute stage: from a Dataset to every Fact the story may state. Pure: no I/O, no wording."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from narrator.catalogue import Catalogue
from narrator.compute.ask_facts import ask_facts
from narrator.compute.facts import Fact, FactBook
from narrator.compute.investment import InvestmentCase, build_case
from narrator.compute.kpi_facts import PeriodFrame, combine_segments, frame_periods, kpi_facts
from narrator.compute.value_facts import ValueFacts, value_facts
from narrator.config import ReportConfig
from narrator.dataset import Dataset, InvestmentAsk
from narrator.errors import InputError
from narrator.periods import Period, parse_period


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


def compute_facts(dataset: Dataset, config: ReportConfig, config_name: str = "config") -> Computed:
    book = FactBook()
    current = resolve_period(config.period, dataset, config_name)
    frame = frame_periods(current, dataset.periods, config.trend_periods)
    _context_facts(book, frame, dataset, config)

    series = combine_segments(list(dataset.observations), dataset.catalogue)
    kpis = {kpi_id: kpi_facts(s, frame, config.thresholds, book) for kpi_id, s in sorted(series.items())}

    value = value_facts(dataset.value_items, config.currency, book)
    for item in dataset.value_items:
        book.add(Fact(id=f"value.{item.id}.label", label="value lever", value=item.label, unit="text"))

    case = None
    if dataset.investment is not None:
        items = {item.id: item for item in dataset.value_items}
        case = build_case(dataset.investment, items, optimism_bias=dataset.investment.optimism_bias)
        ask_facts(case, dataset.investment, config.currency, config.locale, book)
    return Computed(book, frame, dataset.catalogue, kpis, value, dataset.investment, case)


def resolve_period(wanted: str, dataset: Dataset, config_name: str = "config") -> Period:
    """The reporting period: "latest" is the last period any KPI has a value for."""
    available = sorted({o.period for o in dataset.observations if o.value is not None})
    if not available:
        raise InputError(f"{dataset.input_files.get('kpis', 'KPI data')}: no KPI values at all; check the file")
    if wanted == "latest":
        return available[-1]
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


def _date_label(period: Period, locale: str) -> str:
    from babel.dates import format_date

    return format_date(period.end_date(), "d MMMM yyyy", locale=locale.replace("-", "_"))
