"""The calls layout: a call-level export aggregated into monthly KPIs, per segment and for the whole centre.

Column defaults match the widely used PwC "PhoneNow" export (Date, Answered (Y/N), Resolved, Speed of
answer in seconds, AvgTalkDuration, Satisfaction rating), so ``layout: calls`` reads it with no mapping.
Talk time there is an Excel day fraction (or a time cell); other platforms give seconds or h:mm:ss.
"""

from __future__ import annotations

from dataclasses import dataclass

from narrator.catalogue import Catalogue
from narrator.config import KpiInput
from narrator.dataset import Observation
from narrator.load.cells import Cells, LoadState
from narrator.load.columns import check_mapping_keys, find_columns, quoted
from narrator.load.parse import (
    ParseError,
    is_blank,
    parse_flag,
    parse_number,
    show,
)
from narrator.load.problems import Problems
from narrator.load.tables import Table
from narrator.periods import Period
from narrator.provenance import Source

CALL_COLUMNS = {
    "date": ("date", "call date"),
    "answered": ("answered (y/n)", "answered"),
    "abandoned": (),  # only when mapped: a Y/N abandon flag instead of an answered one (NICE CXone)
    "resolved": ("resolved",),
    "speed_of_answer": ("speed of answer in seconds", "speed of answer"),
    "talk_time": ("avgtalkduration", "talk duration", "talk time"),
    "satisfaction": ("satisfaction rating", "satisfaction"),
    "segment": (),  # only when mapped: which column splits the centre (Topic, Queue) is the user's choice
}
REQUIRED = ("date",)


@dataclass
class _Tally:
    offered: int = 0
    handled: int = 0
    resolved: int = 0
    speed: tuple[float, int] = (0.0, 0)
    talk: tuple[float, int] = (0.0, 0)
    rating: tuple[float, int] = (0.0, 0)


def _add(pair: tuple[float, int], value: float | None) -> tuple[float, int]:
    return pair if value is None else (pair[0] + value, pair[1] + 1)


def _mean(pair: tuple[float, int]) -> float | None:
    return pair[0] / pair[1] if pair[1] else None


def _segment(raw: object) -> str:
    # Unlike a KPI file, a call export has no total rows, so "Total" here is a real segment's name.
    return "(blank)" if is_blank(raw) else show(raw)


def _rating(raw: object) -> float | None:
    value = parse_number(raw)
    if value is not None and value < 0:
        raise ParseError(f'expected a rating of 0 or more, got "{show(raw)}"')
    return value


# Per-call measures: tally field -> (column name, parser). Each is optional; a missing column skips its KPI.
# Durations have no parser here: their reading (seconds, h:mm:ss, Excel day fractions) is decided per
# column from all its cells, in _duration_parsers.
_MEASURES = {
    "resolved": ("resolved", parse_flag),
    "speed": ("speed_of_answer", None),
    "talk": ("talk_time", None),
    "rating": ("satisfaction", _rating),
}
_DURATION_KPIS = {"speed_of_answer": "average_speed_of_answer", "talk_time": "average_talk_time"}


def _duration_parsers(table: Table, cols: dict[str, str], catalogue: Catalogue, cells: Cells, uses: dict) -> dict:
    """Column name -> the parser of its durations, read one way for the whole column."""
    parsers = {}
    for name, kpi_id in _DURATION_KPIS.items():
        if name in cols:
            header = cols[name]
            column = zip(table.row_numbers, table.column(header), strict=True)
            reading = cells.settle(header, catalogue.get(kpi_id), column)
            parsers[name] = reading.parse
            uses[header] = f"{name}, {reading.describe()}"
    return parsers


def read_calls(
    table: Table,
    kpi_input: KpiInput,
    catalogue: Catalogue,
    problems: Problems,
    config_name: str,
    state: LoadState | None = None,
) -> list[tuple[int | None, Observation]]:
    """Monthly observations with no row (they summarise many); problems are added, not raised."""
    state = LoadState() if state is None else state
    uses = state.uses
    check_mapping_keys(kpi_input.columns, CALL_COLUMNS, "calls", problems, config_name)
    cols = find_columns(table, kpi_input.columns, CALL_COLUMNS, REQUIRED, problems, config_name)
    if "answered" not in cols and "abandoned" not in cols:
        problems.add(
            f'{table.name}: no "answered" column; the columns are {quoted(table.columns)}; rename one to '
            '"answered" or map it in inputs.kpis.columns (answered: "<header>", or abandoned: "<header>" for an '
            "abandon flag)"
        )
    if any(name not in cols for name in REQUIRED) or ("answered" not in cols and "abandoned" not in cols):
        return []
    cells = Cells(table, problems, state)
    for name, header in cols.items():
        uses.setdefault(header, name)
    durations = _duration_parsers(table, cols, catalogue, cells, uses)
    answered_by = _answered_reader(kpi_input, cols)
    cols.setdefault("answered", cols.get("abandoned"))  # the column the answered counts cite
    tallies = _tally(table, cols, cells, durations, answered_by)
    return [
        (None, obs)
        for key in sorted(tallies, key=_order)
        for obs in _observations(table, cols, key, tallies[key])
    ]


def _order(key: tuple[Period, str | None]):
    return key[0].ordinal, key[1] is not None, key[1] or ""


def _answered_reader(kpi_input: KpiInput, cols: dict[str, str]):
    """(column, parser) telling whether a call was answered: a Y/N flag; the outcome values that mean
    answered (inputs.kpis.answered_values, e.g. AGENT); or an abandon flag, read the other way round."""
    if "answered" in cols and kpi_input.answered_values:
        wanted = {value.strip().upper() for value in kpi_input.answered_values}
        return cols["answered"], lambda raw: show(raw).upper() in wanted
    if "answered" in cols:
        return cols["answered"], parse_flag
    return cols["abandoned"], lambda raw: not parse_flag(raw)


def _tally(
    table: Table, cols: dict[str, str], cells: Cells, durations: dict, answered_by
) -> dict[tuple[Period, str | None], _Tally]:
    tallies: dict[tuple[Period, str | None], _Tally] = {}
    for row, record in table.rows():
        moment = cells.moment(row, cols["date"], record[cols["date"]])
        period = None if moment is None else moment.period
        if moment is not None and moment.day is None:
            cells.bad(row, cols["date"], f'expected the date of the call, got "{show(record[cols["date"]])}"')
            period = None
        answered = None
        column, reader = answered_by
        if is_blank(record[column]):
            cells.bad(row, column, "the cell is blank; every call needs Y or N", "fill it in")
        else:
            answered = cells.parsed(row, column, record[column], reader)
        read = {
            k: cells.parsed(row, cols[c], record[cols[c]], f or durations[c]) if c in cols else None
            for k, (c, f) in _MEASURES.items()
        }
        if period is None or answered is None:
            continue
        # Every call counts once for the whole centre (segment None) and once for its own segment.
        segments = [None] + ([_segment(record[cols["segment"]])] if "segment" in cols else [])
        for segment in segments:
            tally = tallies.setdefault((period, segment), _Tally())
            tally.offered += 1
            if answered:  # speed, talk time, resolution and rating describe answered calls only
                tally.handled += 1
                tally.resolved += bool(read["resolved"])
                tally.speed = _add(tally.speed, read["speed"])
                tally.talk = _add(tally.talk, read["talk"])
                tally.rating = _add(tally.rating, read["rating"])
    return tallies


def _observations(table: Table, cols: dict[str, str], key, tally: _Tally) -> list[Observation]:
    period, segment = key
    answer_rate = tally.handled / tally.offered
    values = [
        ("contacts_offered", tally.offered, "date", "calls in the month"),
        ("contacts_handled", tally.handled, "answered", "calls answered"),
        ("contacts_abandoned", tally.offered - tally.handled, "answered", "calls not answered"),
        ("answer_rate", answer_rate, "answered", "answered / offered"),
        ("abandonment_rate", 1 - answer_rate, "answered", "1 - answered / offered"),
        ("average_speed_of_answer", _mean(tally.speed), "speed_of_answer", "mean of answered calls, seconds"),
        ("average_talk_time", _mean(tally.talk), "talk_time", "mean of answered calls, seconds"),
        (
            "first_contact_resolution",
            tally.resolved / tally.handled if tally.handled else None,
            "resolved",
            "resolved / answered",
        ),
        ("csat_score", _mean(tally.rating), "satisfaction", "mean rating of answered calls"),
    ]
    return [
        Observation(
            period=period,
            kpi=kpi,
            value=float(value),
            segment=segment,
            # Aggregates have no single row; the column note says how the value was derived.
            source=Source(file=table.name, column=f"{cols[column]} ({note})"),
        )
        for kpi, value, column, note in values
        if column in cols and value is not None
    ]
