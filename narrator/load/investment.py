"""The investment ask from .yaml or .json, with its benefit links checked against the loaded value items."""

from __future__ import annotations

from pathlib import Path

from pydantic import ValidationError

from narrator.dataset import InvestmentAsk
from narrator.errors import InputError
from narrator.load.documents import read_document
from narrator.load.parse import ParseError, parse_number
from narrator.load.problems import Problems, validation_lines

CONFIG_KEY = "inputs.investment"
_MONEY = ("one_off_cost", "recurring_cost")


def load_investment(path: Path, name: str, item_ids: list[str] | None) -> InvestmentAsk:
    """The investment ask, or one InputError listing every problem.

    ``item_ids``: ids of the loaded value items; None when they failed to load, so links are not
    reported as broken when the value file is the real problem.
    """
    if path.suffix.lower() not in {".yaml", ".yml", ".json"}:
        raise InputError(f'{name}: cannot read "{path.suffix or "no extension"}" files; use .yaml or .json')
    data = read_document(path, name, CONFIG_KEY)
    if not isinstance(data, dict):
        raise InputError(f"{name}: expected a mapping of fields (title, one_off_cost, benefits, ...)")
    problems = Problems()
    data, unreadable = _lenient(data, name, problems)
    try:
        ask = InvestmentAsk.model_validate(data)
    except ValidationError as exc:
        problems.extend(validation_lines(exc, name, skip=unreadable))
        problems.raise_if_any()
        raise InputError(f"{name}: invalid investment ask") from None  # not reached: problems is not empty
    _check_links(ask, name, item_ids, problems)
    _check_ramps(ask, name, problems)
    problems.raise_if_any()
    return ask


def _lenient(data: dict, name: str, problems: Problems) -> tuple[dict, set[str]]:
    """Accept what people write by hand: "£250,000" for money, a bare item id for a benefit link.

    Returns the data and the fields already reported as unreadable.
    """
    data, unreadable = dict(data), set()
    for field in _MONEY:
        if isinstance(data.get(field), str):
            try:
                data[field] = parse_number(data[field])
            except ParseError as exc:
                problems.add(f"{name}: {field}: {exc.message}")
                unreadable.add(field)
                data.pop(field)
    if isinstance(data.get("benefits"), list):
        data["benefits"] = [{"item": b} if isinstance(b, str) else b for b in data["benefits"]]
    return data, unreadable


def _check_links(ask: InvestmentAsk, name: str, item_ids: list[str] | None, problems: Problems) -> None:
    if not ask.benefits:
        problems.add(f"{name}: benefits: the ask buys no benefits; link at least one value item (item: <id>)")
    if item_ids is None:
        return
    available = ", ".join(item_ids) if item_ids else "none: add inputs.values to the config"
    seen = set()
    for i, link in enumerate(ask.benefits):
        if link.item in seen:
            problems.add(f'{name}: benefits.{i}.item: "{link.item}" is listed twice; keep one link per item')
        elif link.item not in item_ids:
            problems.add(
                f'{name}: benefits.{i}.item: "{link.item}" is not a value item id; the ids are {available}'
            )
        seen.add(link.item)


def _check_ramps(ask: InvestmentAsk, name: str, problems: Problems) -> None:
    ramps = [("ramp", ask.ramp)] + [
        (f"scenarios.{k}.ramp", s.ramp) for k, s in ask.scenarios.items() if s.ramp
    ]
    for key, ramp in ramps:
        for i, share in enumerate(ramp):
            if not 0 <= share <= 1:
                problems.add(
                    f"{name}: {key}.{i}: must be between 0 and 1 (a share of the full benefit), got {share}"
                )
