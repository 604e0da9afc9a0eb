"""The wide KPI layout: one row per period (and segment), one column per KPI, optional target columns."""

from __future__ import annotations

import re

from narrator.catalogue import Catalogue, KpiDef, fold_header, normalise_name, threshold_column
from narrator.config import KpiInput
from narrator.dataset import Observation
from narrator.load.cells import Cells, LoadState
from narrator.load.columns import find_columns, match_header
from narrator.load.parse import is_blank
from narrator.load.problems import Problems
from narrator.load.tables import Table
from narrator.load.tidy import PERIOD_NAMES
from narrator.load.units import chosen_reading

KEYS = {"period": PERIOD_NAMES, "segment": ("segment",)}
ROLES = ("value", "target", "benchmark")


def read_wide(
    table: Table,
    kpi_input: KpiInput,
    catalogue: Catalogue,
    problems: Problems,
    config_name: str,
    state: LoadState | None = None,
) -> list[tuple[int | None, Observation]]:
    """(row, observation) pairs, one per KPI cell; problems are added, not raised. ``state`` gathers how
    each column was mapped and read (for `narrator validate`) and the time each row is for."""
    state = LoadState() if state is None else state
    uses = state.uses
    mapping = {k: v for k, v in kpi_input.columns.items() if k in KEYS}
    keys = find_columns(table, mapping, KEYS, ("period",), problems, config_name)
    mapped = _mapped_kpis(table, kpi_input.columns, catalogue, problems, config_name)
    roles = _kpi_columns(
        table, [h for h in table.columns if h not in keys.values()], mapped, catalogue, problems,
        set(kpi_input.ignore), state, kpi_input.threshold_seconds,
    )
    if "period" not in keys:
        return []

    cells = Cells(table, problems, state)
    for name, header in keys.items():
        uses[header] = name
    for kpi_id, headers in roles.items():
        kpi = catalogue.get(kpi_id)
        for role, header in headers.items():
            reading = cells.settle(header, kpi, zip(table.row_numbers, table.column(header), strict=True),
                                   chosen_reading(kpi_input, header, kpi, cells.state.preset_units))
            uses[header] = f"{kpi_id}{'' if role == 'value' else ' ' + role}, {reading.describe()}"
    # Columns that tell rows apart without being read (a queue, a commissioner): rows for one time that
    # differ in them are parts of a whole, not duplicates.
    others = [h for h in table.columns if uses.get(h, "not used").startswith(("not used", "ignored"))]
    found = []
    for row, record in table.rows():
        moment = cells.moment(row, keys["period"], record[keys["period"]])
        period = None if moment is None else moment.period
        if moment is not None:
            state.times[row] = (moment.key, tuple(str(record[h]) for h in others))
        segment = cells.segment(record[keys["segment"]]) if "segment" in keys else None
        for kpi_id, headers in roles.items():
            if "value" not in headers:
                continue
            kpi = catalogue.get(kpi_id)
            read = {role: cells.value(row, h, record[h], kpi) for role, h in headers.items()}
            if period is None or all(v is None for v in read.values()):
                continue  # an empty cell in a grid is a gap, not an observation
            found.append(
                (
                    row,
                    Observation(
                        period=period,
                        kpi=kpi_id,
                        value=read.get("value"),
                        target=read.get("target"),
                        benchmark=read.get("benchmark"),
                        segment=segment,
                        source=table.source(row, headers["value"]),
                    ),
                )
            )
    return found


def _mapped_kpis(table, columns, catalogue, problems, config_name) -> dict[str, KpiDef]:
    """File header -> KPI for each KPI entry of inputs.kpis.columns."""
    mapped = {}
    for key, wanted in columns.items():
        if key in KEYS:
            continue
        kpi = catalogue.find(key)
        if kpi is None:
            problems.add(
                f'{config_name}: inputs.kpis.columns.{key}: "{key}" is not a KPI the catalogue knows; '
                f"{catalogue.hint(key)} (or period, segment); or declare it under kpis: with unit and direction"
            )
            continue
        header = match_header(table.columns, wanted)
        if header is None:
            problems.add(
                f'{config_name}: inputs.kpis.columns.{key}: column "{wanted}" is not in {table.name}; '
                f"the columns are {', '.join(repr(c) for c in table.columns)}"
            )
            continue
        mapped[header] = kpi
    return mapped


# Words of a header that names a measure rather than a record id, code or rank.
_KPI_WORDS = frozenset(
    "rate pct percent share level time duration speed calls contacts handled offered abandoned answered cost "
    "sla aht asa fcr csat nps ces score satisfaction resolution resolved occupancy adherence shrinkage attrition "
    "volume wait hold talk complaints transfers fte".split()
)
_NUMERIC = re.compile(r"^[\s£$€(−+-]*[\d.,:' ]+\s*(?:%|s|k|m)?\)?$", re.IGNORECASE)


def _numeric(column) -> bool:
    """True when most filled cells of a column hold numbers, percentages or durations (a measure), not
    names or codes (a queue, a weekday)."""
    filled = [cell for cell in column if not is_blank(cell)][:200]
    numeric = sum(isinstance(c, int | float) or (isinstance(c, str) and bool(_NUMERIC.match(c))) for c in filled)
    return bool(filled) and numeric * 2 >= len(filled)


def looks_like_kpi(header: str) -> bool:
    """True for a header that names a measure ("Web share", "Callback rate"), false for "BI_ID", "Index"."""
    return "%" in header or bool(set(fold_header(header).split("_")) & _KPI_WORDS)


def _kpi_columns(table, headers, mapped, catalogue, problems, ignored=(), state=None, wanted=None):
    """KPI id -> {"value"/"target"/"benchmark": header}. A header that finds no KPI is listed as not used,
    unless it looks like a KPI (then it is an error naming the closest catalogue ids). Columns for one
    KPI at several thresholds ("answered in 20 / 60 seconds") keep the one at the service-level threshold
    (``wanted``, or the only one there is)."""
    state = LoadState() if state is None else state
    uses = state.uses
    roles: dict[str, dict[str, str]] = {}
    at_thresholds: dict[str, list[tuple[int, str]]] = {}
    for header in headers:
        if header in ignored:
            uses[header] = "ignored (inputs.kpis.ignore)"
            continue
        if header in state.preset_unused:
            uses[header] = f"not used (preset {state.preset})"
            continue
        found = None if header in mapped else threshold_column(header)
        if found is not None:
            kpi_id, seconds = found
            if kpi_id in catalogue:
                at_thresholds.setdefault(kpi_id, []).append((seconds, header))
            else:
                uses[header] = f"not used ({kpi_id.replace('_', ' ')} within {seconds} s)"
            continue
        role, kpi = _identify(header, mapped, catalogue)
        if kpi is None:
            if looks_like_kpi(header) and _numeric(table.column(header)):
                # A KPI narrator cannot place would be lost without a word; ask the user to decide.
                near = catalogue.closest(header)
                example = near[0] if near else "service_level"
                problems.add(
                    f'{table.name}: column "{header}" looks like a KPI but matches none; '
                    f"{catalogue.hint(header)}; map it in inputs.kpis.columns ({example}: \"{header}\"), declare "
                    "it under kpis: with unit and direction, or list it under inputs.kpis.ignore"
                )
            else:
                uses[header] = "not used"  # record ids, weekday codes, ranks: listed by validate
            continue
        slot = roles.setdefault(kpi.id, {})
        if role in slot:
            problems.add(
                f'{table.name}: columns "{slot[role]}" and "{header}" both hold the {role} of {kpi.id}; '
                "delete one or map the right one in inputs.kpis.columns"
            )
            continue
        slot[role] = header
    threshold = _pick_threshold(table, at_thresholds, wanted, problems)
    state.threshold = threshold
    for kpi_id, columns in at_thresholds.items():
        for seconds, header in columns:
            if seconds == threshold and "value" not in roles.get(kpi_id, {}):
                roles.setdefault(kpi_id, {})["value"] = header
            else:
                uses[header] = f"not used ({kpi_id.replace('_', ' ')} at {seconds} s; the threshold is {threshold} s)"
    for kpi_id, slot in roles.items():
        if "value" not in slot:
            orphans = " and ".join(f'"{h}"' for h in slot.values())
            problems.add(
                f"{table.name}: column {orphans} gives a {'/'.join(slot)} for {kpi_id} but the file has no "
                f"{kpi_id} column; add the values or delete the column"
            )
    return roles


def _pick_threshold(table, at_thresholds, wanted, problems) -> int | None:
    """The service-level threshold in seconds: the config's, else the only one the columns use."""
    if wanted is not None:
        return wanted
    seen = sorted({seconds for columns in at_thresholds.values() for seconds, _ in columns})
    if len(seen) <= 1:
        return seen[0] if seen else None
    problems.add(
        f"{table.name}: columns give service-level counts or rates at {', '.join(map(str, seen))} seconds; set "
        "inputs.kpis.threshold_seconds to the threshold your service level uses"
    )
    return None


def _identify(header: str, mapped: dict[str, KpiDef], catalogue: Catalogue) -> tuple[str, KpiDef | None]:
    if header in mapped:
        return "value", mapped[header]
    kpi = catalogue.find(header)
    if kpi is not None:
        return "value", kpi
    name = normalise_name(header)
    for role in ("target", "benchmark"):
        if name.endswith(f"_{role}"):
            base = name[: -len(role) - 1]
            kpi = next((k for h, k in mapped.items() if normalise_name(h) == base), None) or catalogue.find(
                base
            )
            if kpi is not None:
                return role, kpi
    return "value", None
