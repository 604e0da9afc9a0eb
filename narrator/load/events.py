"""The events layout: one row per ticket, complaint or contact, counted into a KPI per month and segment.

A ticket log (a complaints export, a CRM case list) carries no measures, only events with a date; the
KPI is how many there were: ``count_as`` names it (complaints by default, or contacts_offered for a
contact log with no answered column).
"""

from __future__ import annotations

from collections import Counter

from narrator.catalogue import Catalogue
from narrator.config import KpiInput
from narrator.dataset import Observation
from narrator.load.cells import Cells, LoadState
from narrator.load.columns import check_mapping_keys, find_columns
from narrator.load.problems import Problems
from narrator.load.tables import Table
from narrator.provenance import Source

EVENT_COLUMNS = {"date": ("date", "created", "created at", "opened", "received"), "segment": ()}


def read_events(
    table: Table,
    kpi_input: KpiInput,
    catalogue: Catalogue,
    problems: Problems,
    config_name: str,
    state: LoadState | None = None,
) -> list[tuple[int | None, Observation]]:
    """Counts per period (and segment), with no row: each summarises many."""
    state = LoadState() if state is None else state
    check_mapping_keys(kpi_input.columns, EVENT_COLUMNS, "events", problems, config_name)
    cols = find_columns(table, kpi_input.columns, EVENT_COLUMNS, ("date",), problems, config_name)
    kpi = catalogue.find(kpi_input.count_as)
    if kpi is None or kpi.unit != "count":
        problems.add(
            f'{config_name}: inputs.kpis.count_as: "{kpi_input.count_as}" is not a count KPI the catalogue knows; '
            f"{catalogue.hint(kpi_input.count_as)}"
        )
        return []
    if "date" not in cols:
        return []
    for name, header in cols.items():
        state.uses[header] = name
    state.uses[cols["date"]] = f"date (each row counts as one of {kpi.id})"
    cells = Cells(table, problems, state)
    counts: Counter = Counter()
    for row, (raw_date, raw_segment) in table.cells(cols["date"], cols.get("segment")):
        moment = cells.moment(row, cols["date"], raw_date)
        if moment is None:
            continue
        counts[(moment.period, None)] += 1
        if "segment" in cols:
            counts[(moment.period, cells.segment(raw_segment) or "(blank)")] += 1
    return [
        (
            None,
            Observation(
                period=period,
                kpi=kpi.id,
                value=float(count),
                segment=segment,
                source=Source(file=table.name, column=f"{cols['date']} (rows counted)"),
            ),
        )
        for (period, segment), count in sorted(counts.items(), key=lambda item: (item[0][0], item[0][1] or ""))
    ]
