"""The tidy KPI layout: one row per period, KPI and (optional) segment, with optional target and benchmark."""

from __future__ import annotations

from narrator.catalogue import Catalogue, KpiDef, normalise_name
from narrator.config import KpiInput
from narrator.dataset import Observation
from narrator.load.cells import Cells, LoadState
from narrator.load.columns import check_mapping_keys, find_columns
from narrator.load.parse import is_blank, show
from narrator.load.problems import Problems
from narrator.load.tables import Table
from narrator.load.units import chosen_reading

PERIOD_NAMES = (
    "period", "month", "date", "quarter", "year", "week", "day", "datetime", "timestamp", "start", "interval start",
    "start interval", "interval", "start date", "start time",
)
TIDY_COLUMNS = {
    "period": PERIOD_NAMES,
    "kpi": ("kpi", "metric", "measure"),
    "value": ("value",),
    "target": ("target",),
    "benchmark": ("benchmark",),
    "segment": ("segment",),
}
REQUIRED = ("period", "kpi", "value")


def read_tidy(
    table: Table,
    kpi_input: KpiInput,
    catalogue: Catalogue,
    problems: Problems,
    config_name: str,
    state: LoadState | None = None,
) -> list[tuple[int | None, Observation]]:
    """(row, observation) pairs; problems are added, not raised, so one run reports them all."""
    state = LoadState() if state is None else state
    uses = state.uses
    check_mapping_keys(kpi_input.columns, TIDY_COLUMNS, "tidy", problems, config_name)
    cols = find_columns(table, kpi_input.columns, TIDY_COLUMNS, REQUIRED, problems, config_name)
    for header in table.columns:
        if header in kpi_input.ignore:
            uses[header] = "ignored (inputs.kpis.ignore)"
        elif header not in cols.values():
            # An extra column may be a dimension (channel, site) narrator would silently merge; say so.
            problems.add(
                f'{table.name}: column "{header}" is not one narrator reads; a tidy file has '
                f"{', '.join(TIDY_COLUMNS)}; map it in inputs.kpis.columns or delete the column"
            )
    if any(name not in cols for name in REQUIRED):
        return []

    cells = Cells(table, problems, state)
    unknown: dict[str, list[int]] = {}
    kpis: dict[str, KpiDef | None] = {}  # KPI name -> KPI: a file names a few KPIs on many rows
    period_col, kpi_col, value_col = cols["period"], cols["kpi"], cols["value"]
    target_col, benchmark_col, segment_col = cols.get("target"), cols.get("benchmark"), cols.get("segment")
    for name, header in cols.items():
        uses[header] = name
    _settle_readings(table, cells, catalogue, kpi_input, kpis, kpi_col, (value_col, target_col, benchmark_col), uses)
    found = []
    for row, (raw_period, raw_kpi, raw_value, raw_target, raw_benchmark, raw_segment) in table.cells(
        period_col, kpi_col, value_col, target_col, benchmark_col, segment_col
    ):
        moment = cells.moment(row, period_col, raw_period)
        period = None if moment is None else moment.period
        if moment is not None:
            state.times[row] = (moment.key, ())
        if is_blank(raw_kpi):
            cells.bad(row, kpi_col, "the KPI name is blank", "fill it in or delete the row")
            continue
        name = show(raw_kpi)
        if name not in kpis:
            kpis[name] = catalogue.find(name)
        kpi = kpis[name]
        if kpi is None:
            unknown.setdefault(name, []).append(row)
            continue
        value = cells.value(row, value_col, raw_value, kpi)
        target = cells.value(row, target_col, raw_target, kpi) if target_col is not None else None
        benchmark = cells.value(row, benchmark_col, raw_benchmark, kpi) if benchmark_col is not None else None
        segment = cells.segment(raw_segment) if segment_col is not None else None
        if period is None or (value is None and target is None and benchmark is None):
            continue  # a row with nothing to say is a gap, not an observation
        found.append(
            (
                row,
                Observation(
                    period=period,
                    kpi=kpi.id,
                    value=value,
                    target=target,
                    benchmark=benchmark,
                    segment=segment,
                    source=table.source(row, value_col),
                ),
            )
        )
    for name, rows in unknown.items():
        problems.add(unknown_kpi_line(table, kpi_col, name, rows, catalogue))
    return found


def _settle_readings(table, cells, catalogue, kpi_input, kpis, kpi_col, columns, uses) -> None:
    """Each KPI's numbers in the value (target, benchmark) column read one way, decided from that KPI's
    cells alone: a tidy file's value column holds percentages, seconds and counts side by side."""
    by_kpi: dict[str, list] = {}
    headers = [c for c in columns if c is not None]
    for row, (raw_kpi, *raws) in table.cells(kpi_col, *headers):
        if is_blank(raw_kpi):
            continue
        name = show(raw_kpi)
        if name not in kpis:
            kpis[name] = catalogue.find(name)
        if kpis[name] is not None:
            by_kpi.setdefault(kpis[name].id, []).append((row, raws))
    read_as = []
    for kpi_id, rows in by_kpi.items():
        kpi = catalogue.get(kpi_id)
        for i, header in enumerate(headers):
            reading = cells.settle(
                header, kpi, ((row, raws[i]) for row, raws in rows),
                chosen_reading(kpi_input, header, kpi, cells.state.preset_units),
                label=f" ({kpi_id})",
            )
            if i == 0:
                read_as.append(f"{kpi_id}: {reading.describe()}")
    uses[columns[0]] = "\n".join(["value, per KPI:", *read_as])


def unknown_kpi_line(table: Table, column: str, name: str, rows: list[int], catalogue: Catalogue) -> str:
    """One line per unknown KPI name, however many rows use it."""
    also = ""
    if len(rows) > 1:
        shown = ", ".join(map(str, rows[1:4]))
        also = f" (also {table.row_word}s {shown}{f' and {len(rows) - 4} more' if len(rows) > 4 else ''})"
    return (
        f'{table.where(rows[0], column)}: "{name}" is not a KPI the catalogue knows{also}; {catalogue.hint(name)}; '
        f"declare it under kpis: in the config with unit and direction (e.g. {normalise_name(name)}: "
        "{unit: percent, direction: up}) or add it to an existing KPI's aliases"
    )
