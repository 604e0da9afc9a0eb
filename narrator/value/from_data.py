"""Value from the pack's own data: run the planned levers on KPI movements and parameters, check claims.

``translate_plan`` is pure: it takes the KPI values already loaded (``KpiData``) and the validated
assumptions file, and returns value items narrator computed, the checks of the user's own items, and the
warnings a reader of the figures should see. Every problem that stops a lever is collected and raised
once as an ``InputError`` naming the file, the lever, the missing KPI or parameter, and what to do.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from narrator.catalogue import Catalogue
from narrator.dataset import ValueItem
from narrator.errors import InputError
from narrator.periods import Period
from narrator.provenance import Source
from narrator.value.assumptions import Assumptions, Parameter
from narrator.value.checks import LEVER_ALIASES, ClaimCheck, check_claim
from narrator.value.plan import SEQUENCED, SOURCES, VOLUME, Either, LeverSpec, Movement
from narrator.value.result import TranslationResult
from narrator.value.sequence import _less
from narrator.value.text import number, percent
from narrator.value.translators import TRANSLATORS

_VOLUME_KPIS = ("contacts_offered", "contacts_handled")
_KPI_UNITS = {"percent": "share", "money": "money", "seconds": "seconds", "count": "count", "number": "count"}
_MOVE_UNITS = {"percent": "pts", "money": "money", "seconds": "seconds", "count": "count", "number": "count"}


@dataclass(frozen=True)
class KpiData:
    """The whole-centre KPI values the levers read, and how to name them."""

    values: Mapping[str, Mapping[Period, float | None]]
    catalogue: Catalogue
    current: Period
    file: str
    """The KPI file as messages name it."""
    locale: str = "en_US"

    def value(self, kpi: str, period: Period) -> float | None:
        return self.values.get(kpi, {}).get(period)


@dataclass(frozen=True)
class ValueTranslation:
    """What narrator computed and checked: value items, their translations, checks, warnings."""

    items: tuple[ValueItem, ...] = ()
    """Value items computed from the plan, in the plan's order."""
    results: dict[str, TranslationResult] = field(default_factory=dict)
    """Each computed item's translation (formula, inputs with sources, range), by item id."""
    checks: tuple[ClaimCheck, ...] = ()
    """The user's own value items checked against the data and parameters."""
    warnings: tuple[str, ...] = ()
    """Claims the data cannot support, levers left out, possible double counts: one line each."""
    notes: tuple[str, ...] = ()
    """Items that could not be checked, and why."""


class _Missing(Exception):
    """An input cannot be resolved; the message says which and what to do."""


class _NoGain(Exception):
    """The observed movement is not an improvement, so the lever has no value to claim."""


def translate_plan(
    assumptions: Assumptions,
    data: KpiData,
    currency: str,
    supplied: Sequence[ValueItem] = (),
) -> ValueTranslation:
    """Compute every lever of ``assumptions.levers`` and check ``supplied`` items against the same inputs."""
    problems: list[str] = []
    warnings: list[str] = []
    resolved: list[tuple[int, LeverSpec, dict[str, Parameter]]] = []
    for i, spec in enumerate(assumptions.levers):
        where = f"{assumptions.file}: levers[{i}] ({spec.lever})"
        try:
            resolved.append((i, spec, _inputs(spec.lever, spec.basis, spec.inputs, assumptions, data)))
        except _Missing as missing:
            problems.append(f"{where}: {missing}")
        except _NoGain as no_gain:
            warnings.append(f"{where}: {no_gain}; the lever is left out, no value is claimed for it")
    if problems:
        raise InputError(problems)

    results: dict[str, TranslationResult] = {}
    items: list[ValueItem] = []
    for basis in ("observed", "planned"):
        group = [(i, spec, kw) for i, spec, kw in resolved if spec.basis == basis]
        translated = _translate_group(group, assumptions.file, currency, data.locale)
        for i, spec, result in translated:
            item = result.to_value_item(spec.item_id, label=spec.label, realised=basis == "observed")
            item = item.model_copy(update={"provenance": Source(file=assumptions.file, key=f"levers[{i}]")})
            results[item.id] = result
            items.append(item)
    order = {spec.item_id: i for i, spec in enumerate(assumptions.levers)}
    items.sort(key=lambda it: order[it.id])

    levers = {item.id: results[item.id].lever for item in items}
    checks, notes, check_warnings = _check_supplied(supplied, items, levers, assumptions, data)
    return ValueTranslation(
        items=tuple(items),
        results=results,
        checks=checks,
        warnings=tuple(warnings + check_warnings),
        notes=tuple(notes),
    )


def _translate_group(group, file: str, currency: str, locale: str):
    """Translate one basis' levers; those on the shared contact volume one after another."""
    out = []
    remaining: Parameter | None = None
    earlier: list[str] = []
    for i, spec, kwargs in group:
        translator = TRANSLATORS[spec.lever]
        sequenced = spec.lever in SEQUENCED and "volume" not in spec.inputs
        if sequenced and remaining is not None:
            kwargs = {**kwargs, "volume": remaining}
        try:
            result = translator(**kwargs, currency=currency, locale=locale)
        except InputError as error:
            raise InputError([f"{file}: levers[{i}]: {p}" for p in error.problems]) from None
        if sequenced:
            if earlier:
                note = (
                    f"applied to the {number(kwargs['volume'].value, locale)} contacts left after "
                    f"{', '.join(earlier)}, so no contact is counted twice"
                )
                result = result.model_copy(update={"notes": (*result.notes, note)})
            try:
                remaining = _less(kwargs["volume"], result.quantities["contacts_removed"], spec.item_id)
            except InputError as error:
                raise InputError([f"{file}: levers[{i}]: {p}" for p in error.problems]) from None
            earlier.append(spec.item_id)
        out.append((i, spec, result))
    return out


def _inputs(
    lever: str, basis: str, overrides: Mapping[str, str], assumptions: Assumptions, data: KpiData
) -> dict[str, Parameter]:
    """Every input of ``lever`` as a Parameter, from the data or the assumptions file."""
    kwargs: dict[str, Parameter] = {}
    missing: list[str] = []
    for name, default in SOURCES[lever].items():
        source = overrides.get(name, default)
        try:
            kwargs[name] = _resolve(source, basis, assumptions, data)
        except _Missing as error:
            missing.append(str(error))
    if missing:
        raise _Missing("; ".join(missing))
    return kwargs


def _resolve(source, basis: str, assumptions: Assumptions, data: KpiData) -> Parameter:
    if source == VOLUME:
        return _volume(data)
    if isinstance(source, Movement):
        if basis == "planned":
            return _parameter(source.parameter, assumptions, "the planned improvement")
        return _movement(source.kpi, source.sign, data, source.parameter)
    if isinstance(source, Either):
        if source.parameter in assumptions:
            return assumptions[source.parameter]
        if data.value(source.kpi, data.current) is not None:
            return _latest(source.kpi, data)
        label = _label(source.kpi, data)
        raise _Missing(
            f"needs the parameter {source.parameter} or the KPI {source.kpi} ({label}) in {data.file}; "
            f"add {source.parameter} under parameters with value, unit, source, year and grade"
        )
    if source.startswith("kpi:"):
        _, kpi, *measure = source.split(":")
        measure = measure[0] if measure else "latest"
        if measure == "annual":
            return _annual(kpi, data)
        if measure == "change":
            kpi_def = data.catalogue.find(kpi)
            return _movement(kpi, 1 if kpi_def is None or kpi_def.direction == "up" else -1, data, "")
        return _latest(kpi, data)
    return _parameter(source, assumptions, "")


def _parameter(name: str, assumptions: Assumptions, what: str) -> Parameter:
    if name in assumptions:
        return assumptions[name]
    what = f" ({what})" if what else ""
    raise _Missing(
        f"needs the parameter {name}{what}; add it under parameters with value, unit, source, year and grade"
    )


def _label(kpi: str, data: KpiData) -> str:
    kpi_def = data.catalogue.find(kpi)
    return kpi_def.label if kpi_def is not None else kpi.replace("_", " ")


def _unit(kpi: str, data: KpiData, table: Mapping[str, str]) -> str:
    kpi_def = data.catalogue.find(kpi)
    return table.get(kpi_def.unit if kpi_def else "number", "ratio")


def _measured(value: float, unit: str, source: str, key: str, data: KpiData) -> Parameter:
    # Measured in the centre's own data: a primary source, and no range of its own (ranges come from the
    # parameters, whose uncertainty is the real one).
    return Parameter(
        value=value,
        unit=unit,
        source=source,
        year=data.current.year,
        grade="A",
        low=value,
        high=value,
        provenance=Source(file=data.file, key=key),
    )


def _no_kpi(kpi: str, data: KpiData, parameter: str) -> _Missing:
    fix = (
        f"add it to the data, or set basis: planned and give {parameter} under parameters"
        if parameter
        else "add it to the data, or point the input at a parameter"
    )
    return _Missing(
        f"needs the KPI {kpi} ({_label(kpi, data)}), but {data.file} has no value for it in "
        f"{data.current.key()}; {fix}"
    )


def _latest(kpi: str, data: KpiData) -> Parameter:
    value = data.value(kpi, data.current)
    if value is None:
        raise _no_kpi(kpi, data, "")
    unit = _unit(kpi, data, _KPI_UNITS)
    return _measured(
        value,
        unit,
        f"{data.file}: {_label(kpi, data)}, {data.current.key()}",
        f"{kpi}, {data.current.key()}",
        data,
    )


def _movement(kpi: str, sign: int, data: KpiData, parameter: str) -> Parameter:
    latest = data.value(kpi, data.current)
    if latest is None:
        raise _no_kpi(kpi, data, parameter)
    year_ago = data.current.same_last_year()
    before = data.value(kpi, year_ago)
    label = _label(kpi, data)
    if before is None:
        fix = (
            f"add it, or set basis: planned and give {parameter} under parameters" if parameter else "add it"
        )
        raise _Missing(
            f"needs the KPI {kpi} ({label}) a year earlier, in {year_ago.key()}, to measure its movement, "
            "but "
            f"{data.file} has no value for it then; {fix}"
        )
    kpi_def = data.catalogue.find(kpi)
    unit = kpi_def.unit if kpi_def else "number"
    shown = (lambda v: percent(v, data.locale)) if unit == "percent" else (lambda v: number(v, data.locale))
    change = sign * (latest - before)
    moved = (
        f"{label} went from {shown(before)} in {year_ago.key()} to {shown(latest)} in {data.current.key()}"
    )
    if change <= 0:
        raise _NoGain(f"{moved}, which is no improvement")
    return _measured(
        change,
        _unit(kpi, data, _MOVE_UNITS),
        f"{data.file}: {moved}",
        f"{kpi}, {year_ago.key()} and {data.current.key()}",
        data,
    )


def _volume(data: KpiData) -> Parameter:
    for kpi in _VOLUME_KPIS:
        if data.value(kpi, data.current) is not None:
            return _annual(kpi, data)
    raise _Missing(
        f"needs the annual contact volume, but {data.file} has neither contacts_offered nor contacts_handled "
        f"in {data.current.key()}; add one, or give volume under inputs: as a parameter"
    )


def _annual(kpi: str, data: KpiData) -> Parameter:
    per_year = data.current.per_year
    periods = [data.current.shift(-k) for k in range(per_year)]
    values = [v for v in (data.value(kpi, p) for p in periods) if v is not None]
    if not values:
        raise _no_kpi(kpi, data, "")
    label = _label(kpi, data)
    first = periods[-1].key()
    if len(values) == per_year:
        total, how = sum(values), f"sum of the {per_year} periods {first} to {data.current.key()}"
    else:
        total = sum(values) / len(values) * per_year
        how = (
            f"annualised from the {len(values)} of {per_year} periods {first} to {data.current.key()} "
            "with data"
        )
    return _measured(
        total, "count", f"{data.file}: {label}, {how}", f"{kpi}, {first} to {data.current.key()}", data
    )


# --- checks of the user's own value items -----------------------------------------------------------


def _check_supplied(
    supplied: Sequence[ValueItem],
    computed: Sequence[ValueItem],
    levers: Mapping[str, str],
    assumptions: Assumptions,
    data: KpiData,
) -> tuple[tuple[ClaimCheck, ...], list[str], list[str]]:
    checks: list[ClaimCheck] = []
    notes: list[str] = []
    warnings: list[str] = []
    computed_levers = {levers[item.id]: item for item in computed}
    candidates = []
    for item in supplied:
        lever = _lever_of(item)
        if lever is None:
            continue
        twin = computed_levers.get(lever)
        if twin is not None and twin.realised == item.realised:
            warnings.append(
                f"value item {item.id!r} and the computed lever {twin.id!r} both value {lever}; count one of "
                "them only, or the same contacts are counted twice"
            )
        candidates.append((lever, item))
    # Levers on the shared contact volume are checked one after another, as they are computed.
    rank = {lever: i for i, lever in enumerate(SEQUENCED)}
    candidates.sort(key=lambda pair: (pair[1].realised, rank.get(pair[0], len(rank))))
    remaining: dict[bool, Parameter] = {}
    earlier: dict[bool, list[str]] = {}
    for lever, item in candidates:
        basis = "observed" if item.realised else "planned"
        try:
            kwargs = _inputs(lever, basis, {}, assumptions, data)
        except (_Missing, _NoGain) as error:
            notes.append(f"value item {item.id!r} is not checked against the data: as {lever} it {error}")
            continue
        sequenced = lever in SEQUENCED
        if sequenced and item.realised in remaining:
            kwargs["volume"] = remaining[item.realised]
        try:
            check = check_claim(item, lever, locale=data.locale, **kwargs)
        except InputError as error:
            notes.append(
                f"value item {item.id!r} is not checked against the data: {'; '.join(error.problems)}"
            )
            continue
        if sequenced:
            before = earlier.setdefault(item.realised, [])
            if before and not check.ok:
                check = check.model_copy(
                    update={
                        "message": check.message
                        + (
                            f" (the check applies it to the contacts left after {', '.join(before)}, "
                            "so none is "
                            "counted twice)"
                        )
                    }
                )
            try:
                remaining[item.realised] = _less(
                    kwargs["volume"], check.translation.quantities.get("contacts_removed", 0.0), item.id
                )
            except InputError:
                pass
            before.append(item.id)
        checks.append(check)
        if not check.ok:
            warnings.append(check.message)
    return tuple(checks), notes, warnings


def _lever_of(item: ValueItem) -> str | None:
    lever = LEVER_ALIASES.get(item.id, item.id)
    return lever if lever in SOURCES else None
