"""The machinery every translator shares: check inputs, evaluate the formula over their ranges, cite them."""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from itertools import product

from narrator.dataset import BenefitClass, ValueCategory
from narrator.errors import InputError
from narrator.value.assumptions import UNIT_BOUNDS, Bounds, Parameter
from narrator.value.result import InputUsed, TranslationResult
from narrator.value.text import money, show

Num = float | int | Parameter
"""A translator input: a plain number (measured data, no range) or a Parameter with source and range."""

_MAX_VARYING = 12  # 4,096 corners; the largest lever has 8 inputs
MAX_FIGURE = 1e15
"""No contact-centre input or result comes near this; beyond it a unit or exponent is wrong (and Babel's
decimal formatting would fail)."""


@dataclass(frozen=True)
class Arg:
    """One input a lever takes: how it is named, measured, bounded and shown."""

    name: str
    label: str
    unit: str
    noun: str = ""
    bounds: Bounds | None = None

    @property
    def limits(self) -> Bounds:
        return self.bounds or UNIT_BOUNDS[self.unit]


Rule = tuple[Callable[[Mapping[str, float]], bool], str]
"""A check across inputs (on central values) and the message when it fails."""


@dataclass(frozen=True)
class Lever:
    """A value lever declared as data: its inputs, formula (as code and as text), class and caveats."""

    id: str
    label: str
    category: ValueCategory
    benefit_class: BenefitClass
    args: tuple[Arg, ...]
    compute: Callable[..., float]
    formula: str
    """str.format template over the shown inputs, e.g. "{volume} x {uplift}"; " = amount" is appended."""
    drivers: tuple[str, ...] = ()
    notes: tuple[str, ...] = ()
    correlation: str = ""
    """Why the link is only a correlation; non-empty makes every result indicative."""
    rules: tuple[Rule, ...] = ()
    quantities: Callable[[Mapping[str, float]], dict[str, float]] = field(default=lambda v: {})

    def translate(self, *, currency: str, locale: str, **given: Num) -> TranslationResult:
        inputs = resolve(self.id, self.args, given, currency, locale)
        central = {name: i.value for name, i in inputs.items()}
        broken = [message for ok, message in self.rules if not ok(central)]
        if broken:
            raise InputError([f"{self.id}: {message}" for message in broken])
        amount, low, high = evaluate(self.id, self.compute, inputs)
        text = self.formula.format(**{name: i.shown for name, i in inputs.items()})
        return finish(
            self,
            inputs.values(),
            amount,
            low,
            high,
            f"{text} = {money(amount, currency, locale, whole=True)}",
            self.quantities(central),
            currency,
        )


def resolve(
    lever: str, args: Sequence[Arg], given: Mapping[str, Num], currency: str, locale: str, prefix: str = ""
) -> dict[str, InputUsed]:
    """Check each input against its unit and bounds; every problem is collected and raised once."""
    problems: list[str] = []
    inputs: dict[str, InputUsed] = {}
    for arg in args:
        raw = given[arg.name]
        where = f"{lever}: {prefix}{arg.name} ({arg.label})"
        if isinstance(raw, Parameter):
            if raw.provenance is not None:
                where = f"{raw.provenance.describe()}, used as {where}"
            if raw.unit != arg.unit:
                problems.append(f"{where}: unit is {raw.unit}, expected {arg.unit}; pass the right parameter")
                continue
            value, (low, high) = raw.value, raw.range(arg.limits)
            cited = {"source": raw.source, "year": raw.year, "grade": raw.grade, "provenance": raw.provenance}
        elif isinstance(raw, int | float) and not isinstance(raw, bool):
            value = low = high = float(raw)
            cited = {}
        else:
            problems.append(f"{where}: expected a number or a Parameter, got {raw!r}")
            continue
        found = [p for p in (arg.limits.problem(v) for v in {value, low, high}) if p]
        if not found and max(abs(value), abs(low), abs(high)) > MAX_FIGURE:
            biggest = max(abs(value), abs(low), abs(high))
            found = [f"is {biggest:.3g}, implausibly large; check the unit or exponent"]
        if found:
            problems.append(f"{where}: {found[0]}")
            continue
        inputs[arg.name] = InputUsed(
            name=prefix + arg.name,
            label=arg.label,
            value=value,
            low=low,
            high=high,
            unit=arg.unit,
            shown=show(value, arg.unit, currency, locale, arg.noun),
            **cited,
        )
    if problems:
        raise InputError(problems)
    return inputs


def evaluate(
    lever: str, compute: Callable[..., float], inputs: Mapping[str, InputUsed]
) -> tuple[float, float, float]:
    """(amount, low, high): the formula at the central inputs and at every corner of their ranges.

    Each lever's formula is monotonic in each input separately, so its extremes over the box of input
    ranges lie at corners; trying all corners gives the exact range without knowing which way each input
    pushes (a higher self-service cost lowers a deflection saving).
    """
    central = {name: i.value for name, i in inputs.items()}
    varying = [name for name, i in inputs.items() if i.low != i.high]
    if len(varying) > _MAX_VARYING:
        raise InputError(f"{lever}: {len(varying)} inputs have ranges; give at most {_MAX_VARYING}")
    amount = compute(**central)
    values = [amount]
    for corner in product(*((inputs[n].low, inputs[n].high) for n in varying)):
        values.append(compute(**{**central, **dict(zip(varying, corner, strict=True))}))
    if not all(math.isfinite(v) and abs(v) <= MAX_FIGURE for v in values):
        raise InputError(
            f"{lever}: the value overflows or is implausibly large; check the inputs' units and exponents"
        )
    return amount, min(values), max(values)


def finish(
    lever: Lever,
    inputs: Iterable[InputUsed],
    amount: float,
    low: float,
    high: float,
    formula: str,
    quantities: Mapping[str, float],
    currency: str,
    notes: Sequence[str] = (),
) -> TranslationResult:
    inputs = tuple(inputs)
    weak = [i.label for i in inputs if i.grade == "C"]
    reasons = [lever.correlation] if lever.correlation else []
    if weak:
        reasons.append(f"rests on grade-C benchmarks ({', '.join(weak)})")
    return TranslationResult(
        lever=lever.id,
        label=lever.label,
        category=lever.category,
        benefit_class=lever.benefit_class,
        currency=currency,
        amount=amount,
        low=low,
        high=high,
        formula=formula,
        inputs=inputs,
        indicative=bool(reasons),
        indicative_reason="; ".join(reasons),
        notes=(*lever.notes, *notes),
        drivers=lever.drivers,
        quantities=dict(quantities),
    )
