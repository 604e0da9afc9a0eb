"""Assumption parameters (value, unit, source, year, grade, range) and the YAML file that holds them.

An assumptions file looks like::

    parameters:
      assisted_cpc:
        value: 8.01
        unit: money
        source: Gartner, cost per contact by channel
        year: 2019
        grade: B          # A primary/official, B named industry study, C vendor or secondary ("indicative")
        low: 7.00         # optional; without low/high the range is the grade's confidence band
        high: 9.00
        basis: ...        # optional: why a cost per contact differs on purpose from the KPI data's

Every problem in the file is collected and raised once as an ``InputError``, one line per problem naming
the file, the parameter and the fix.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from narrator.errors import InputError
from narrator.limits import DOCUMENT, read_text
from narrator.provenance import Source

Unit = Literal["count", "share", "pts", "money", "seconds", "minutes", "hours", "ratio", "rate"]
"""count: things (contacts, agents); share: a fraction 0..1 shown as %; pts: a movement of a share, as a
fraction (0.05 = 5 points); money: in the report currency; ratio: a plain multiplier (1.5 repeats per
unresolved issue); rate: an annual discount rate as a fraction."""

Grade = Literal["A", "B", "C"]

GRADE_BAND: dict[str, float] = {"A": 0.05, "B": 0.15, "C": 0.30}
"""Relative half-width of a parameter's range when the file gives no low/high: narrator's convention,
wider as the source is weaker. Override per parameter with explicit low and high."""

OPEN_MARGIN = 0.01
"""How far short of an open bound a range end stops (0.01 = one point of a share)."""


@dataclass(frozen=True)
class Bounds:
    """The values a parameter may take, and how to say so when it does not."""

    lo: float | None = None
    hi: float | None = None
    lo_open: bool = False
    hi_open: bool = False
    hint: str = ""

    def problem(self, value: float) -> str | None:
        """Why ``value`` is out of bounds, with the fix; None when it is fine."""
        if not math.isfinite(value):
            return f"is {value}; give a finite number{self._fix()}"
        if self.lo is not None and (value < self.lo or (self.lo_open and value == self.lo)):
            return f"is {value:g}, {'at or ' if self.lo_open else ''}below {self.lo:g}{self._fix()}"
        if self.hi is not None and (value > self.hi or (self.hi_open and value == self.hi)):
            return f"is {value:g}, {'at or ' if self.hi_open else ''}above {self.hi:g}{self._fix()}"
        return None

    def clamp(self, value: float) -> float:
        """Keep a range end inside the bounds (a ±30% band on a 90% share must not pass 100%).

        An open end cannot be reached, so the range stops ``OPEN_MARGIN`` short of it: a retention rate
        of exactly 100% would make lifetime value infinite.
        """
        if self.lo is not None:
            value = max(value, self.lo + (OPEN_MARGIN if self.lo_open else 0.0))
        if self.hi is not None:
            value = min(value, self.hi - (OPEN_MARGIN if self.hi_open else 0.0))
        return value

    def _fix(self) -> str:
        return f"; {self.hint}" if self.hint else ""


UNIT_BOUNDS: dict[str, Bounds] = {
    "count": Bounds(0, None, hint="give a count of 0 or more"),
    "share": Bounds(0, 1, hint="give a share between 0 and 1 (0.34 = 34%)"),
    "pts": Bounds(0, 1, hint="give the improvement as a share between 0 and 1 (0.05 = 5 points)"),
    "money": Bounds(0, None, hint="give an amount of 0 or more"),
    "seconds": Bounds(0, None, hint="give a duration of 0 or more seconds"),
    "minutes": Bounds(0, None, hint="give a duration of 0 or more minutes"),
    "hours": Bounds(0, None, hint="give a duration of 0 or more hours"),
    "ratio": Bounds(0, None, hint="give a multiplier of 0 or more"),
    "rate": Bounds(0, 0.5, hint="give an annual rate between 0 and 0.5 (0.10 = 10%)"),
}

KNOWN_PARAMETERS: dict[str, tuple[str, Bounds]] = {
    "containment_uplift": ("pts", UNIT_BOUNDS["pts"]),
    "fcr_uplift": ("pts", UNIT_BOUNDS["pts"]),
    "attrition_reduction": ("pts", UNIT_BOUNDS["pts"]),
    "churn_reduction": ("pts", UNIT_BOUNDS["pts"]),
    "assisted_cpc": ("money", Bounds(0, None, hint="give a cost per contact of 0 or more")),
    "self_service_cpc": ("money", Bounds(0, None, hint="give a cost per contact of 0 or more")),
    "cost_per_contact": ("money", Bounds(0, None, hint="give a cost per contact of 0 or more")),
    "cost_per_attrit": ("money", UNIT_BOUNDS["money"]),
    "repeats_per_unresolved": ("ratio", UNIT_BOUNDS["ratio"]),
    "occupancy": (
        "share",
        Bounds(0, 1, lo_open=True, hint="give occupancy above 0 and at most 1 (0.85 = 85%)"),
    ),
    "shrinkage": ("share", Bounds(0, 1, hi_open=True, hint="give shrinkage from 0 up to, not including, 1")),
    "retention_rate": ("share", Bounds(0, 1, hi_open=True, hint="give a retention rate below 1 (0.8 = 80%)")),
    "paid_hours_per_fte": ("hours", Bounds(0, 8784, lo_open=True, hint="give paid hours a year per FTE")),
    "discount_rate": ("rate", UNIT_BOUNDS["rate"]),
}
"""Parameters narrator's translators use by these names: their unit and tighter bounds where needed."""


class Parameter(BaseModel):
    """One assumption: a number with its unit, where it comes from, how reliable it is, and its range."""

    model_config = ConfigDict(extra="forbid", frozen=True, allow_inf_nan=False)

    value: float
    """The central value used in every translation."""
    unit: Unit
    """What the number measures; percentages are fractions (0.05, not 5)."""
    source: str = Field(min_length=1)
    """Where the number comes from: study, publisher or internal report."""
    year: int = Field(ge=1900, le=2100)
    """The year the source refers to."""
    grade: Grade
    """A primary or official source, B named industry study, C vendor or secondary (shown as indicative)."""
    low: float | None = None
    """Low end of the plausible range; default: value less the grade's band."""
    high: float | None = None
    """High end of the plausible range; default: value plus the grade's band."""
    note: str = ""
    """Anything a reviewer should know (definition used, sample, caveats)."""
    basis: str = ""
    """Why a cost per contact differs on purpose from the KPI data's (a finance model's blended or marginal
    unit cost beside the data's fully loaded one): the pack states it instead of the build warning."""
    provenance: Source | None = None
    """Where in which file the parameter was read; set by the loader."""

    def range(self, bounds: Bounds | None = None) -> tuple[float, float]:
        """(low, high): explicit ends if given, else the grade band, kept inside ``bounds``."""
        band = GRADE_BAND[self.grade] * abs(self.value)
        low = self.low if self.low is not None else self.value - band
        high = self.high if self.high is not None else self.value + band
        bounds = bounds or UNIT_BOUNDS[self.unit]
        # min/max keep the value itself inside its range even when it sits closer to an open end.
        return min(self.value, bounds.clamp(low)), max(self.value, bounds.clamp(high))

    def cite(self) -> str:
        """The source in one phrase: "Gartner, 2019, grade B"."""
        return f"{self.source}, {self.year}, grade {self.grade}"


def parameter_problems(name: str, parameter: Parameter, where: str) -> list[str]:
    """Range problems of one parameter (value, low, high), one line each."""
    expected_unit, bounds = KNOWN_PARAMETERS.get(name, (parameter.unit, UNIT_BOUNDS[parameter.unit]))
    problems = []
    if parameter.unit != expected_unit:
        problems.append(
            f"{where}.unit: is {parameter.unit}, but {name} is measured in {expected_unit}; fix the unit"
        )
    for field in ("value", "low", "high"):
        value = getattr(parameter, field)
        if value is not None and (problem := bounds.problem(value)):
            problems.append(f"{where}.{field}: {problem}")
    if parameter.low is not None and parameter.low > parameter.value:
        problems.append(
            f"{where}.low: {parameter.low:g} is above value {parameter.value:g}; swap or correct them"
        )
    if parameter.high is not None and parameter.high < parameter.value:
        problems.append(
            f"{where}.high: {parameter.high:g} is below value {parameter.value:g}; swap or correct them"
        )
    return problems


class Assumptions(BaseModel):
    """The validated parameters of one assumptions file, by name."""

    model_config = ConfigDict(frozen=True)

    file: str
    parameters: dict[str, Parameter]
    levers: tuple[Any, ...] = ()
    """The levers narrator computes from these parameters and the KPI data (``plan.LeverSpec``)."""

    def __getitem__(self, name: str) -> Parameter:
        try:
            return self.parameters[name]
        except KeyError:
            raise InputError(
                f"{self.file}: parameter {name!r} is missing; add it under parameters with value, unit, "
                "source, year and grade"
            ) from None

    def __contains__(self, name: object) -> bool:
        return name in self.parameters


_ALLOWED = "value, unit, source, year, grade, low, high, note, basis"


def _problem(item: Mapping[str, Any]) -> str:
    """One pydantic error as "key: what is wrong, got what"."""
    key = ".".join(map(str, item.get("loc", ()))) or "(top level)"
    if item.get("type") == "extra_forbidden":
        return f"{key}: unknown key; allowed keys: {_ALLOWED}"
    if item.get("type") == "missing":
        return f"{key}: required key is missing; every parameter needs {_ALLOWED.rsplit(', low', 1)[0]}"
    return f"{key}: {item.get('msg', 'invalid value')}, got {item.get('input')!r}"


def parse_assumptions(data: Any, file: str) -> Assumptions:
    """Validate already-parsed YAML/JSON ``data``; ``file`` names it in messages."""
    if (
        not isinstance(data, Mapping)
        or set(data) - {"parameters", "levers"}
        or not isinstance(data.get("parameters"), Mapping)
    ):
        raise InputError(
            f"{file}: expected a mapping with one key, parameters, holding one entry per parameter "
            "(value, unit, source, year, grade), and optionally levers, the levers to compute"
        )
    problems: list[str] = []
    parameters: dict[str, Parameter] = {}
    for name, raw in data["parameters"].items():
        where = f"parameters.{name}"
        if not isinstance(raw, Mapping):
            problems.append(f"{file}: {where}: expected value, unit, source, year and grade, got {raw!r}")
            continue
        if "provenance" in raw:
            problems.append(f"{file}: {where}.provenance: unknown key; allowed keys: {_ALLOWED}")
            continue
        try:
            parameter = Parameter(**{**raw, "provenance": Source(file=file, key=where)})
        except ValidationError as error:
            problems += [f"{file}: {where}.{_problem(item)}" for item in error.errors()]
            continue
        problems += [f"{file}: {line}" for line in parameter_problems(str(name), parameter, where)]
        parameters[str(name)] = parameter
    from narrator.value.plan import parse_levers

    levers, lever_problems = parse_levers(data.get("levers"), file, data["parameters"])
    problems += lever_problems
    if problems:
        raise InputError(problems)
    return Assumptions(file=file, parameters=parameters, levers=levers)


def load_assumptions(path: str | Path, name: str | None = None) -> Assumptions:
    """Read and validate an assumptions YAML file; ``name`` is the file as messages call it."""
    path = Path(path)
    name = name or str(path)
    try:
        if not path.exists():
            raise FileNotFoundError(2, "No such file or directory")
        text = read_text(path, name, DOCUMENT, InputError)
    except UnicodeDecodeError:
        raise InputError(f"{name}: not a UTF-8 text file; save it as UTF-8") from None
    except OSError as error:
        raise InputError(
            f"{name}: cannot read the assumptions file ({error.strerror}); check the path"
        ) from None
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        line = f", line {mark.line + 1}" if mark is not None else ""
        raise InputError(
            f"{name}{line}: not valid YAML ({getattr(error, 'problem', error)}); fix the syntax"
        ) from None
    return parse_assumptions(data, name)
