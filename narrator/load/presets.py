"""Presets: the standard exports of contact-centre platforms, mapped once so a user maps nothing.

A preset names the platform's real headers for each KPI, how its bare numbers are written (seconds or
milliseconds, 0-1 or 0-100 percentages), its time column and grain, and the columns a board pack does
not need. Headers, units and formats are those recorded in ../shared/data/exports/PLATFORMS.md (with
their sources); `narrator validate` prints how each column was read. The config's own `columns`,
`units`, `ignore` and `threshold_seconds` win over the preset's.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from narrator.catalogue import fold_header
from narrator.config import KpiInput
from narrator.errors import ConfigError
from narrator.load.tables import Table


@dataclass(frozen=True)
class Preset:
    platform: str
    layout: str  # wide (one row per queue and interval) or calls (one row per contact)
    period: tuple[str, ...]  # the time column, first found wins
    kpis: dict[str, tuple[str, ...]]  # KPI id (or calls-layout column) -> headers, first found wins
    units: dict[str, str] = field(default_factory=dict)  # KPI id -> reading of its bare numbers
    unused: tuple[str, ...] = ()  # regular expressions for headers a pack does not need
    threshold: int | None = None  # service-level threshold (seconds) when the export has several
    month_first: bool = False  # US dates (MM/DD/YYYY)
    grain: str = ""  # in words, for the README and validate


PRESETS: dict[str, Preset] = {
    # PLATFORMS.md section 1: a real 34-column queue x 30-minute export; durations in seconds (the UI
    # may show hh:mm:ss, which is read as it is), service level as "100.00%" strings, zero counts blank.
    "amazon-connect": Preset(
        platform="Amazon Connect historical metrics report",
        layout="wide",
        period=("StartInterval", "Start interval", "StartDate"),
        kpis={
            "contacts_offered": ("Contacts queued",),
            "contacts_handled": ("Contacts handled incoming", "Contacts handled"),
            "contacts_abandoned": ("Contacts abandoned",),
            "average_speed_of_answer": ("Average queue answer time",),
            "average_handle_time": ("Average handle time",),
            "average_hold_time": ("Average customer hold time",),
            "average_abandon_time": ("Average queue abandon time",),
        },
        units={
            "average_speed_of_answer": "seconds", "average_handle_time": "seconds",
            "average_hold_time": "seconds", "average_abandon_time": "seconds",
        },
        unused=(
            r"^Queue( name)?$", r"^EndInterval$", r"^End interval$", r"^EndDate$", r"^Agent interaction time$",
            r"^Average agent interaction time$", r"^API contacts", r"^Callback contacts",
            r"^Contacts handled outbound$",
            r"^Contacts put on hold$", r"^After contact work time$", r"^Contacts transferred",
        ),
        threshold=60,
        grain="15 or 30-minute intervals, hours or days, per queue; rolled up to months",
    ),
    # PLATFORMS.md section 2: queue performance view export; durations in milliseconds unless the export
    # was asked for hh:mm:ss (read as it is); rates 0-100.
    "genesys-cloud": Preset(
        platform="Genesys Cloud queue performance export",
        layout="wide",
        period=("Interval Start", "Date"),
        kpis={
            "contacts_offered": ("Offered",),
            "contacts_handled": ("Answered", "Handle"),
            "contacts_abandoned": ("Abandoned", "Abandon"),
            "service_level": ("Service Level %", "Service Level"),
            "answer_rate": ("Answer %",),
            "abandonment_rate": ("Abandon %",),
            "average_speed_of_answer": ("ASA", "Avg Answer"),
            "average_wait_time": ("Average wait", "Avg Wait"),
            "average_abandon_time": ("Average abandon", "Avg Abandon"),
            "average_handle_time": ("Avg Handle", "Average handle"),
            "average_talk_time": ("Avg Talk",),
            "average_hold_time": ("Avg Hold",),
        },
        units={
            "service_level": "points", "answer_rate": "points", "abandonment_rate": "points",
            **{k: "milliseconds" for k in (
                "average_speed_of_answer", "average_wait_time", "average_abandon_time", "average_handle_time",
                "average_talk_time", "average_hold_time",
            )},
        },
        unused=(
            r"^Interval End$", r"^Interval Complete$", r"^Filters$", r"^Media Type$", r"^Queue( Id| Name)?$",
            r"^Total ", r"^Avg ACW$", r"^ACD Exit$", r"^Agent (Id|Name)$",
        ),
        grain="the export's period (e.g. 30 minutes) per queue and media type; rolled up to months",
    ),
    # PLATFORMS.md section 9: the CSQ Activity report, as UCCX names its fields and as open-data portals
    # republish it (CallsPresented, Avg_Queue_Time__seconds_); durations in seconds or hh:mm:ss.
    "cisco-uccx": Preset(
        platform="Cisco UCCX Contact Service Queue Activity report",
        layout="wide",
        period=("Interval Start Time", "Interval Start", "Start Date", "Date", "Report Date"),
        kpis={
            "contacts_offered": ("Calls Presented",),
            "contacts_handled": ("Calls Handled",),
            "contacts_abandoned": ("Calls Abandoned",),
            "average_speed_of_answer": ("Avg Speed of Answer", "Avg Speedof Answer", "Average Speed of Answer"),
            "average_handle_time": ("Avg Handle Time",),
            "average_wait_time": ("Avg Queue Time",),
            "average_abandon_time": ("Avg Time to Abandon",),
            "abandonment_rate": ("Abandon Rate", "Abandon %"),
        },
        units={k: "seconds" for k in (
            "average_speed_of_answer", "average_handle_time", "average_wait_time", "average_abandon_time",
        )},
        unused=(
            r"^CSQ( Name| ID)?$", r"^Interval End Time$", r"^Max ", r"Per Day", r"Dequeue", r"Handled by Other",
        ),
        grain="intervals or days per contact service queue; rolled up to months",
    ),
    # PLATFORMS.md section 3: the Data Download call detail reports, one row per contact: Start_Date as
    # MM/DD/YYYY, Abandon Y/N, Skill_Name the queue.
    "nice-cxone": Preset(
        platform="NICE CXone Data Download call detail report",
        layout="calls",
        period=("Start_Date",),
        kpis={"abandoned": ("Abandon",)},
        unused=(),
        month_first=True,
        grain="one row per contact; counted into months",
    ),
}


def preset_names() -> str:
    return ", ".join(sorted(PRESETS))


def apply_preset(kpi_input: KpiInput, table: Table, config_name: str) -> tuple[KpiInput, dict, list[str]]:
    """The KPI input as if the user had written the preset's mapping for this file's headers; the
    preset's units by header (reading, who chose it) for the columns the config leaves to it; and the
    headers the preset knows a pack does not need."""
    if kpi_input.preset is None:
        return kpi_input, {}, []
    preset = PRESETS.get(kpi_input.preset)
    if preset is None:
        raise ConfigError(
            f'{config_name}: inputs.kpis.preset: unknown preset "{kpi_input.preset}"; use one of {preset_names()}'
        )
    headers = {fold_header(h): h for h in table.columns}
    time_key = "date" if preset.layout == "calls" else "period"
    columns: dict[str, str] = {}
    found = _first(headers, preset.period)
    if found:
        columns[time_key] = found
    units: dict[str, str] = {}
    for kpi_id, names in preset.kpis.items():
        header = _first(headers, names)
        if header is not None:
            columns[kpi_id] = header
            if kpi_id in preset.units:
                units[header] = (preset.units[kpi_id], f"preset {kpi_input.preset}")
    unused = [
        h for h in table.columns
        if any(re.search(p, re.sub(r"_+", " ", h).strip(), re.IGNORECASE) for p in preset.unused)
    ]
    if "segment" in kpi_input.columns:  # the user splits by queue: that column is no longer unused
        unused = [h for h in unused if h != kpi_input.columns["segment"]]
    updated = kpi_input.model_copy(
        update={
            "layout": preset.layout,
            "columns": {**columns, **kpi_input.columns},
            "threshold_seconds": kpi_input.threshold_seconds or preset.threshold,
            "date_order": "month_first" if preset.month_first else kpi_input.date_order,
        }
    )
    return updated, units, [h for h in unused if h not in kpi_input.columns.values()]


def _first(headers: dict[str, str], names: tuple[str, ...]) -> str | None:
    return next((headers[n] for n in map(fold_header, names) if n in headers), None)
