"""KPI observations from the configured file: read, apply the layout, check the whole, add targets."""

from __future__ import annotations

import dataclasses
import gc
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from narrator.catalogue import Catalogue
from narrator.config import KpiInput
from narrator.dataset import Observation
from narrator.errors import InputError
from narrator.load.calls import read_calls
from narrator.load.cells import LoadState
from narrator.load.columns import quoted
from narrator.load.events import read_events
from narrator.load.parse import ParseError, decimal_comma, detect_decimal_comma, parse_value
from narrator.load.presets import apply_preset
from narrator.load.problems import Problems
from narrator.load.rates import derive_rates
from narrator.load.rollup import partial_periods, roll_up
from narrator.load.sql import read_sql
from narrator.load.tables import Table, read_table
from narrator.load.tidy import read_tidy
from narrator.load.wide import read_wide
from narrator.periods import Period

LAYOUTS = {"tidy": read_tidy, "wide": read_wide, "calls": read_calls, "events": read_events}
_FREQ_WORDS = {"M": "months", "Q": "quarters", "Y": "years"}
_GRAINS = {"month": "M", "quarter": "Q", "year": "Y"}


@dataclass(frozen=True)
class KpiLoad:
    """What the KPI source gave: its observations, and how each column was mapped and read."""

    observations: tuple[Observation, ...]
    columns: tuple[tuple[str, str], ...] = ()  # (file header, what narrator made of it), in file order
    notes: tuple[str, ...] = ()  # what a reader of the figures must know about the data (partial months)
    method_notes: tuple[str, ...] = ()  # how a figure was derived (a rate from summed counts): no warning
    partial: tuple[Period, ...] = ()  # periods the rows do not cover in full: never "latest" unless named
    threshold: int | None = None  # the service-level threshold in seconds, where the file states one
    source: dict = dataclasses.field(default_factory=dict)  # for a database: URL (no password), query, rows, checksum


def load_observations(
    kpi_input: KpiInput, path: Path, catalogue: Catalogue, config_name: str = "config"
) -> tuple[Observation, ...]:
    """Every observation in the KPI file at ``path``, or one InputError listing every problem found."""
    return load_kpis(kpi_input, path, catalogue, config_name).observations


def load_kpis(kpi_input: KpiInput, path: Path, catalogue: Catalogue, config_name: str = "config") -> KpiLoad:
    """The KPI file at ``path`` read into observations, or one InputError listing every problem found.

    ``kpi_input.path`` (as the config writes it) names the file in messages and sources; ``path`` is
    where it is on disk.
    """
    name = kpi_input.label
    state = LoadState(
        grain=_GRAINS[kpi_input.grain], zone=kpi_input.timezone, first_day=kpi_input.first_day
    )
    with _collector_paused():
        source: dict = {}
        if kpi_input.url is not None:
            table, source = read_sql(kpi_input, config_name)
        else:
            table = read_table(path, name, kpi_input.sheet)
        kpi_input, state.preset_units, unused = apply_preset(kpi_input, table, config_name)
        problems = Problems()
        for key in kpi_input.units:
            if key not in table.columns and catalogue.find(key) is None:
                problems.add(
                    f'{config_name}: inputs.kpis.units.{key}: "{key}" is neither a column of {name} nor a KPI id; '
                    f"{catalogue.hint(key)}; the columns are {quoted(table.columns)}"
                )
        state.preset, state.preset_unused = kpi_input.preset, tuple(unused)
        state.month_first = kpi_input.date_order == "month_first"
        convention = decimal_comma.set(detect_decimal_comma(table.all_cells()))
        try:
            found = LAYOUTS[kpi_input.layout](table, kpi_input, catalogue, problems, config_name, state)
        finally:
            decimal_comma.reset(convention)
        _check_frequencies(table, found, problems)
        found = roll_up(table, found, state, catalogue, problems)
        method_notes: list[str] = []
        if kpi_input.layout in {"tidy", "wide"}:  # the calls layout derives its rates from its own tallies
            headers = _count_headers(state.uses)
            found, method_notes = derive_rates(name, found, headers, state.threshold)
            for rate in {obs.kpi for _, obs in found if obs.source.column and "(summed counts)" in obs.source.column}:
                if rate in headers:  # the file's own rate column gives way to the one from the counts
                    state.uses[headers[rate]] += "; replaced by the rate from the summed counts"
        observations = _with_config_targets(
            [obs for _, obs in found], kpi_input, catalogue, problems, config_name
        )
    problems.raise_if_any()
    if not observations:
        raise InputError(f"{name}: no KPI values found (every value cell is blank); check the file")
    partial = partial_periods(state)
    notes = [
        f"{period.key()} is a partial period in {name} (rows from {days} only)"
        for period, days in sorted(partial.items())
    ]
    columns = tuple((header, state.uses.get(header, "not used")) for header in table.columns)
    return KpiLoad(
        tuple(_in_order(observations)), columns, tuple(notes), tuple(method_notes), tuple(sorted(partial)),
        state.threshold, source,
    )


def _in_order(observations: list[Observation]) -> list[Observation]:
    """Period order (a file may list its days newest first); otherwise as read."""
    return sorted(observations, key=lambda o: o.period.ordinal)


def _count_headers(uses: dict[str, str]) -> dict[str, str]:
    """KPI id -> the file header its values came from, for the sources of derived rates."""
    headers = {}
    for header, use in uses.items():
        kpi_id = use.split(",", 1)[0]
        headers.setdefault(kpi_id, header)
    return headers


@contextmanager
def _collector_paused():
    """Pause Python's cycle collector while a file is read.

    A large file becomes hundreds of thousands of objects that all live on (cells, observations,
    sources) and form no reference cycles; the collector would walk every one of them again each time
    enough new objects pile up, which took as long as the parsing itself. Left as it was if the caller
    had already turned it off.
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def _check_frequencies(table: Table, found: list[tuple[int | None, Observation]], problems: Problems) -> None:
    """Months and quarters in one file cannot be compared or ordered; ask for one kind of period."""
    first_row: dict[str, int | None] = {}
    for row, obs in found:
        first_row.setdefault(obs.period.freq, row)
    if len(first_row) > 1:
        kinds = " and ".join(f"{_FREQ_WORDS[f]} ({table.row_word} {r})" for f, r in first_row.items())
        problems.add(f"{table.name}: the periods mix {kinds}; use one kind of period per file")


def _with_config_targets(
    observations: list[Observation],
    kpi_input: KpiInput,
    catalogue: Catalogue,
    problems: Problems,
    config_name: str,
) -> list[Observation]:
    """Fill targets and benchmarks from the config where the data has none; the data's own values win."""
    extra: dict[str, dict[str, float | None]] = {"target": {}, "benchmark": {}}
    for field, given in (("target", kpi_input.targets), ("benchmark", kpi_input.benchmarks)):
        for key, number in given.items():
            where = f"{config_name}: inputs.kpis.{field}s.{key}"
            kpi = catalogue.find(key)
            if kpi is None:
                problems.add(
                    f"{where}: not a KPI the catalogue knows; {catalogue.hint(key)}; "
                    "or declare it under kpis: with unit and direction"
                )
                continue
            try:
                extra[field][kpi.id] = parse_value(number, kpi.unit)
            except ParseError as exc:
                problems.add(f"{where}: {exc.message}")
    if not extra["target"] and not extra["benchmark"]:
        return observations
    filled = []
    for obs in observations:
        update = {
            field: extra[field][obs.kpi]
            for field in ("target", "benchmark")
            if getattr(obs, field) is None and obs.kpi in extra[field]
        }
        filled.append(obs.model_copy(update=update) if update else obs)
    return filled
