"""Value items (translation results) from .yaml, .json or .csv, checked against catalogue and report."""

from __future__ import annotations

from pathlib import Path

from pydantic import ValidationError

from narrator.catalogue import Catalogue, normalise_name
from narrator.dataset import ValueItem
from narrator.errors import InputError
from narrator.load.documents import read_document
from narrator.load.parse import ParseError, is_blank, parse_number
from narrator.load.problems import Problems, validation_lines
from narrator.load.tables import read_table
from narrator.provenance import Source

CONFIG_KEY = "inputs.values"
_AMOUNTS = ("amount", "low", "high")
_LISTS = ("drivers", "assumptions")


def load_value_items(path: Path, name: str, catalogue: Catalogue, currency: str) -> tuple[ValueItem, ...]:
    """Every value item in the file, or one InputError listing every problem.

    ``name`` is the file as the config writes it; ``currency`` is the report's, which items must share.
    """
    suffix = path.suffix.lower()
    if suffix in {".yaml", ".yml", ".json"}:
        records = _document_records(path, name)
    elif suffix == ".csv":
        records = _csv_records(path, name)
    else:
        raise InputError(
            f'{name}: cannot read "{suffix or "no extension"}" value items; use .yaml, .json or .csv'
        )
    problems = Problems()
    items: list[ValueItem] = []
    first_place: dict[str, str] = {}
    for place, source, data in records:
        where = f"{name}, {place}" + (f' ("{data["id"]}")' if isinstance(data.get("id"), str) else "")
        item = _item(data, source, where, catalogue, currency, problems)
        if item is None:
            continue
        if item.id in first_place:
            problems.add(
                f'{where}: id "{item.id}" is already used by {first_place[item.id]}; ids must be unique'
            )
            continue
        first_place[item.id] = place
        items.append(item)
    problems.raise_if_any()
    return tuple(items)


def _document_records(path: Path, name: str) -> list[tuple[str, Source, dict]]:
    data = read_document(path, name, CONFIG_KEY)
    if isinstance(data, dict) and set(data) == {"items"}:
        data = data["items"]
    if not isinstance(data, list):
        raise InputError(
            f"{name}: expected a list of value items (or items: [...]); see samples/ for an example"
        )
    if not data:
        raise InputError(
            f"{name}: has no value items; add at least one or remove inputs.values from the config"
        )
    bad = [i for i, entry in enumerate(data, 1) if not isinstance(entry, dict)]
    if bad:
        raise InputError(
            [f"{name}, item {i}: expected a mapping of fields (id, label, category, amount)" for i in bad]
        )
    return [(f"item {i}", Source(file=name, key=f"item {i}"), dict(entry)) for i, entry in enumerate(data, 1)]


def _csv_records(path: Path, name: str) -> list[tuple[str, Source, dict]]:
    table = read_table(path, name, config_key=CONFIG_KEY)
    records = []
    for row, cells in table.rows():
        # Headers fold to field names ("Benefit class" -> benefit_class); blank cells take the default.
        data = {normalise_name(header): value for header, value in cells.items() if not is_blank(value)}
        records.append((f"row {row}", Source(file=name, row=row), data))
    return records


def _item(data: dict, source: Source, where: str, catalogue: Catalogue, currency: str, problems: Problems):
    data = dict(data)
    clean = True
    unreadable = set()
    for field in _AMOUNTS:
        if isinstance(data.get(field), str):  # "£1,200,000" in a CSV or YAML cell
            try:
                data[field] = parse_number(data[field])
            except ParseError as exc:
                problems.add(f"{where}: {field}: {exc.message}")
                unreadable.add(field)
                data.pop(field)
    for field in _LISTS:
        if isinstance(data.get(field), str):  # one cell or string holds several, separated by ";"
            data[field] = [part.strip() for part in data[field].split(";") if part.strip()]
    drivers = []
    for driver in data.get("drivers") or []:
        kpi = catalogue.find(str(driver))
        if kpi is None:
            problems.add(
                f'{where}: drivers: "{driver}" is not a KPI the catalogue knows; use a KPI id such as '
                "first_contact_resolution, or declare it under kpis: in the config with unit and direction"
            )
            clean = False
        else:
            drivers.append(kpi.id)  # aliases ("FCR") become ids, so facts can look the driver up
    if isinstance(data.get("drivers"), list):
        data["drivers"] = drivers
    if isinstance(data.get("currency"), str):
        data["currency"] = data["currency"].strip().upper()
        if data["currency"] != currency:
            problems.add(
                f"{where}: currency: {data['currency']} differs from the report's {currency}; narrator does "
                f"not convert currencies, so state the amount in {currency}"
            )
            clean = False
    try:
        item = ValueItem.model_validate({**data, "provenance": source})
    except ValidationError as exc:
        problems.extend(validation_lines(exc, where, skip=unreadable))
        return None
    return item if clean and not unreadable else None
