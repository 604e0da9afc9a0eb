"""The load stage: read the KPI file, value items and investment ask of a pack into one validated Dataset."""

from __future__ import annotations

from narrator.catalogue import Catalogue, check_kpi_references
from narrator.config import LoadedConfig
from narrator.dataset import Dataset
from narrator.errors import InputError
from narrator.load.completeness import check_complete, reporting_period
from narrator.load.investment import load_investment
from narrator.load.kpis import load_kpis, load_observations
from narrator.load.parse import currency
from narrator.load.values import load_value_items
from narrator.periods import parse_period

__all__ = ["load_dataset", "load_investment", "load_observations", "load_value_items"]


def load_dataset(loaded: LoadedConfig, catalogue: Catalogue) -> Dataset:
    """Every input of the pack, validated; problems from all files are raised together as one InputError."""
    token = currency.set(loaded.config.currency)  # a cell in another currency is an error, not pounds
    try:
        return _load_dataset(loaded, catalogue)
    finally:
        currency.reset(token)


def _load_dataset(loaded: LoadedConfig, catalogue: Catalogue) -> Dataset:
    config = loaded.config
    inputs = config.inputs
    problems: list[str] = check_kpi_references(config, catalogue, loaded.path.name)
    files = {"kpis": str(loaded.resolve(inputs.kpis.path))} if inputs.kpis.path is not None else {}
    kpi_source: dict = {}

    observations: tuple = ()
    columns: tuple = ()
    notes: tuple = ()
    method_notes: tuple = ()
    partial: tuple = ()
    try:
        where = loaded.resolve(inputs.kpis.path) if inputs.kpis.path is not None else None
        kpi_load = load_kpis(inputs.kpis, where, catalogue, loaded.path.name)
        kpi_source = kpi_load.source
        observations, columns, notes = kpi_load.observations, kpi_load.columns, kpi_load.notes
        partial, method_notes = kpi_load.partial, kpi_load.method_notes
        accepted = {p.key() for p in map(parse_period, inputs.kpis.accept_incomplete) if p is not None}
        problems.extend(
            f'{loaded.path.name}: inputs.kpis.accept_incomplete: cannot read "{text}" as a period; use 2025-12'
            for text in inputs.kpis.accept_incomplete
            if parse_period(text) is None
        )
        current = reporting_period(config.period, observations, partial)
        missing, more_notes, extra = check_complete(
            observations, current, accepted, catalogue, inputs.kpis.label, loaded.path.name
        )
        problems.extend(missing)
        notes, observations = notes + tuple(more_notes), observations + tuple(extra)
    except InputError as exc:
        problems.extend(exc.problems)

    value_items: tuple = ()
    values_ok = True
    if inputs.values is not None:
        files["values"] = str(loaded.resolve(inputs.values))
        try:
            value_items = load_value_items(
                loaded.resolve(inputs.values), str(inputs.values), catalogue, config.currency
            )
        except InputError as exc:
            problems.extend(exc.problems)
            values_ok = False

    assumptions = None
    if inputs.assumptions is not None:
        from narrator.value.assumptions import load_assumptions

        files["assumptions"] = str(loaded.resolve(inputs.assumptions))
        try:
            assumptions = load_assumptions(loaded.resolve(inputs.assumptions), str(inputs.assumptions))
        except InputError as exc:
            problems.extend(exc.problems)
            values_ok = False

    investment = None
    if inputs.investment is not None:
        files["investment"] = str(loaded.resolve(inputs.investment))
        # When the value file failed, its ids are unknown; checking links against them would only add noise.
        lever_ids = [spec.item_id for spec in assumptions.levers] if assumptions is not None else []
        item_ids = [item.id for item in value_items] + lever_ids if values_ok else None
        try:
            investment = load_investment(loaded.resolve(inputs.investment), str(inputs.investment), item_ids)
        except InputError as exc:
            problems.extend(exc.problems)

    if problems:
        raise InputError(problems)
    return Dataset(
        observations=observations,
        catalogue=catalogue,
        value_items=value_items,
        investment=investment,
        assumptions=assumptions,
        input_files=files,
        columns=columns,
        notes=notes,
        method_notes=method_notes,
        partial_periods=partial,
        kpi_source=kpi_source,
    )
