"""Reconciliation of supplied value items: each amount against its own formula, in sequence, one unit cost.

A finance reader recomputes every line. So narrator does first:

* an item with structured ``inputs`` and a built-in ``lever`` is computed by that lever's translator;
  items on the shared contact volume (containment, then first-contact resolution, then handle time) are
  applied one after another, each on the contacts the earlier ones leave, exactly as computed levers are;
* an item with a text formula ("690,000 calls x 14 pts x (£5.55 phone - £0.10 self-service)") or an
  expression over its inputs' names is evaluated;
* an amount more than ``TOLERANCE`` away from its formula is refused, naming the item, the formula with
  its inputs, the claimed and the computed amount; ``value_claims: as_claimed`` keeps the claim, and the
  pack then flags the figure wherever it is named and lists the gap in the methodology;
* a formula that cannot be evaluated is refused the same way, or with ``as_claimed`` kept and marked
  unreconciled; an item with no formula at all is marked unreconciled, never silently trusted;
* the cost of one contact in one channel is one figure across the pack: two items (or an item and an
  assumption parameter) that price a phone contact differently are refused, naming both.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Literal

from narrator.dataset import ValueItem
from narrator.errors import InputError
from narrator.value.checks import LEVER_ALIASES
from narrator.value.formula import FormulaError, evaluate_formula
from narrator.value.lever import Lever
from narrator.value.levers import (
    AHT_CAPACITY,
    ATTRITION,
    CHURN_CLV,
    CITIZEN_TIME,
    COMPLAINTS,
    CONTAINMENT,
    DOWNTIME,
    FCR_REPEATS,
    FCR_REVENUE,
    RETENTION_SAVES,
)
from narrator.value.plan import SEQUENCED
from narrator.value.text import money, number, show

TOLERANCE = 0.01
"""Largest gap between an amount and its formula that is rounding, not a different figure (1%)."""

LEVERS: dict[str, Lever] = {
    lever.id: lever
    for lever in (
        CONTAINMENT, FCR_REPEATS, AHT_CAPACITY, ATTRITION, CITIZEN_TIME, FCR_REVENUE, RETENTION_SAVES,
        CHURN_CLV, COMPLAINTS, DOWNTIME,
    )
}
"""The levers a supplied item can name as ``lever:`` and be computed by from its structured inputs."""

Status = Literal["reconciled", "as_claimed", "unreconciled"]

_CHANNELS = (
    ("web chat", ("chat", "webchat")),
    ("self-service", ("self-service", "self_service", "selfservice", "online", "digital", "ivr", "web")),
    ("email", ("email", "e-mail")),
    ("phone", ("phone", "telephone", "call", "calls", "voice", "assisted")),
    ("blended", ("blended", "average", "cost_per_contact", "per contact")),
)
"""Words that tie a money figure to a channel's cost per contact, a named channel before a blended figure."""


@dataclass(frozen=True)
class Reconciliation:
    """One supplied item's amount set against its own formula."""

    item: str
    status: Status
    claimed: float
    computed: float | None
    formula: str
    """The formula as evaluated, with its numbers in and the computed result."""
    reason: str = ""
    """Why it is kept as claimed or unreconciled; empty when reconciled."""

    @property
    def gap(self) -> float | None:
        return None if self.computed is None else self.claimed - self.computed


@dataclass(frozen=True)
class Reconciled:
    """The supplied items as the pack counts them, and the verdict on each."""

    items: tuple[ValueItem, ...]
    records: tuple[Reconciliation, ...] = ()
    warnings: tuple[str, ...] = field(default_factory=tuple)


def reconcile_items(
    items: Sequence[ValueItem],
    file: str,
    currency: str,
    locale: str,
    *,
    keep_claimed: bool = False,
    parameters: Mapping[str, object] | None = None,
) -> Reconciled:
    """Check every supplied item against its formula; raise one InputError listing every problem."""
    problems: list[str] = []
    places = {item.id: place_of(item, file) for item in items}
    levers = {item.id: _lever_of(item, places[item.id], problems) for item in items}
    computed: dict[str, tuple[float, str, tuple[str, ...]]] = {}
    unevaluable: dict[str, str] = {}

    for realised in (True, False):
        group = [item for item in items if item.realised == realised]
        _sequenced(group, levers, places, computed, problems, currency, locale)
    for item in items:
        if item.id in computed or any(p.startswith(places[item.id] + ":") for p in problems):
            continue
        try:
            result = _evaluate(item, levers[item.id], currency, locale)
        except FormulaError as error:
            unevaluable[item.id] = str(error)
            continue
        if result is not None:
            computed[item.id] = result

    records: list[Reconciliation] = []
    out: list[ValueItem] = []
    warnings: list[str] = []
    for item in items:
        where = places[item.id]
        claimed = item.amount
        if item.id in unevaluable:
            reason = f"its formula cannot be evaluated: {unevaluable[item.id]}"
            if not keep_claimed:
                problems.append(
                    f"{where}: formula {item.formula!r}: {reason}; write it as arithmetic whose numbers carry "
                    "labels ('405 agents x 4.6 pts x £9,980 cost per leaver') or give inputs:, or set "
                    "value_claims: as_claimed in the config to keep the amount unreconciled"
                )
                continue
            records.append(Reconciliation(item.id, "unreconciled", claimed, None, item.formula, reason))
            warnings.append(f"{where}: kept unreconciled, as value_claims: as_claimed allows: {reason}")
            out.append(_flagged(item, "not reconciled"))
            continue
        if item.id not in computed:
            if any(p.startswith(where + ":") for p in problems):
                continue
            reason = "it has no formula to reconcile the amount with"
            records.append(Reconciliation(item.id, "unreconciled", claimed, None, "", reason))
            warnings.append(f"{where}: {reason}; the amount is shown as supplied and marked unreconciled")
            out.append(_flagged(item, "not reconciled"))
            continue
        value, shown, notes = computed[item.id]
        text = f"{shown} = {money(value, currency, locale, whole=True)}"
        if abs(claimed - value) > TOLERANCE * abs(value) + 0.5:
            gap = f"{claimed / value - 1:+.1%}" if value else "n/a"
            if not keep_claimed:
                problems.append(
                    f"{where}: amount {money(claimed, currency, locale, whole=True)} differs from its formula "
                    f"by {gap}: {text}; correct the amount or the formula's inputs (or set value_claims: "
                    "as_claimed in the config to keep the claim, flagged in the pack)"
                )
                continue
            reason = f"the amount is {gap} against its formula"
            records.append(Reconciliation(item.id, "as_claimed", claimed, value, text, reason))
            warnings.append(
                f"{where}: kept as claimed, as value_claims: as_claimed allows: "
                f"{money(claimed, currency, locale, whole=True)} against {text}"
            )
            kept = item.model_copy(update={"formula": text}) if item.inputs else item
            out.append(_flagged(kept, "as claimed, not reconciled"))
            continue
        records.append(Reconciliation(item.id, "reconciled", claimed, value, text))
        out.append(item.model_copy(update={"formula": text, "assumptions": [*item.assumptions, *notes]})
                   if item.inputs else item)

    problems += _unit_cost_conflicts(items, places, parameters or {}, currency, locale)
    if problems:
        raise InputError(problems)
    return Reconciled(tuple(out), tuple(records), tuple(warnings))


def place_of(item: ValueItem, file: str) -> str:
    """How messages name an item: "values.yaml, item 5 (ivr_containment)"."""
    source = item.provenance
    key = source.key if source is not None and source.key else (f"row {source.row}" if source and source.row
                                                                 else "")
    return f"{file}, {key} ({item.id})" if key else f"{file} ({item.id})"


def _lever_of(item: ValueItem, where: str, problems: list[str]) -> str | None:
    """The built-in lever the item is: stated, a known id, or read from the id's words."""
    if item.lever is not None:
        if item.lever == "none":
            return None
        lever = LEVER_ALIASES.get(item.lever, item.lever)
        if lever not in LEVERS:
            problems.append(
                f"{where}: lever: {item.lever!r} is not a lever narrator can compute; use one of "
                f"{', '.join(LEVERS)}, or none"
            )
            return None
        return lever
    lever = LEVER_ALIASES.get(item.id, item.id)
    if lever in LEVERS:
        return lever
    words = set(item.id.split("_"))
    if words & {"revenue", "clv", "churn", "retention", "retained"}:
        return None
    if words & {"containment", "contained", "ivr"} or "self_service" in item.id:
        return "containment"
    if words & {"fcr", "repeat", "repeats"}:
        return "fcr_repeat_contacts"
    if words & {"aht", "handle"}:
        return "aht_capacity"
    return None


def _lever_inputs(item: ValueItem, lever: str) -> dict[str, float] | None:
    """The item's inputs as the lever's arguments, when it gives every one of them."""
    names = [arg.name for arg in LEVERS[lever].args]
    if not item.inputs or set(names) - set(item.inputs):
        return None
    return {name: item.inputs[name].value for name in names}


def _sequenced(group, levers, places, computed, problems, currency: str, locale: str) -> None:
    """Items on the shared contact volume, applied one after another on the contacts left."""
    rank = {lever: i for i, lever in enumerate(SEQUENCED)}
    on_volume = sorted(
        (item for item in group if levers[item.id] in rank), key=lambda item: rank[levers[item.id]]
    )
    if len(on_volume) < 2:
        return
    missing = [item for item in on_volume if _lever_inputs(item, levers[item.id]) is None]
    if missing:
        acting = ", ".join(f"{item.id} ({levers[item.id]})" for item in on_volume)
        for item in missing:
            needed = ", ".join(arg.name for arg in LEVERS[levers[item.id]].args)
            problems.append(
                f"{places[item.id]}: {acting} act on the same contacts, so each must be applied to the "
                f"contacts the earlier ones leave; give this item inputs: ({needed}, each with value, unit "
                "and source) and lever:, or set lever: none if it does not act on contacts"
            )
        return
    removed_total = 0.0
    earlier: list[str] = []
    for item in on_volume:
        lever = LEVERS[levers[item.id]]
        kwargs = _lever_inputs(item, lever.id)
        assert kwargs is not None  # checked above
        left = kwargs["volume"] - removed_total
        if left < 0:
            problems.append(
                f"{places[item.id]}: the contacts removed by {', '.join(earlier)} exceed its volume; check "
                "the uplifts"
            )
            return
        kwargs["volume"] = left
        try:
            result = lever.translate(currency=currency, locale=locale, **kwargs)
        except InputError as error:
            problems += [f"{places[item.id]}: {p}" for p in error.problems]
            return
        notes = _cited(item, lever, kwargs, currency, locale)
        if earlier:
            notes += (
                f"applied to the {number(left, locale)} contacts left after {', '.join(earlier)} "
                f"({number(removed_total, locale)} removed), so no contact is counted twice",
            )
        computed[item.id] = (result.amount, result.formula.rsplit(" = ", 1)[0], notes)
        removed_total += result.quantities.get("contacts_removed", 0.0)
        earlier.append(item.id)


def _evaluate(item: ValueItem, lever: str | None, currency: str, locale: str):
    """(value, formula as shown, notes) of one item on its own; None when it has no formula."""
    if lever is not None and (kwargs := _lever_inputs(item, lever)) is not None:
        result = LEVERS[lever].translate(currency=currency, locale=locale, **kwargs)
        return result.amount, result.formula.rsplit(" = ", 1)[0], _cited(item, LEVERS[lever], kwargs,
                                                                         currency, locale)
    if not item.formula.strip():
        if item.inputs:
            raise FormulaError("it gives inputs but no formula naming them")
        return None
    names = {name: given.value for name, given in item.inputs.items()}
    evaluated = evaluate_formula(item.formula, names)
    shown = item.formula.split("=", 1)[0].strip()
    for name, given in item.inputs.items():
        shown = _replace_word(shown, name, show(given.value, given.unit, currency, locale))
    notes = tuple(
        f"{given.label or name.replace('_', ' ')} = {show(given.value, given.unit, currency, locale)} "
        f"({given.source})"
        for name, given in item.inputs.items()
    )
    return evaluated.value, shown, notes


def _cited(item: ValueItem, lever: Lever, kwargs, currency: str, locale: str) -> tuple[str, ...]:
    out = []
    for arg in lever.args:
        given = item.inputs[arg.name]
        value = show(kwargs[arg.name] if arg.name != "volume" else given.value, arg.unit, currency, locale)
        out.append(f"{given.label or arg.label} = {value} ({given.source})")
    return tuple(out)


def _replace_word(text: str, name: str, value: str) -> str:
    import re

    return re.sub(rf"(?<![A-Za-z0-9_]){re.escape(name)}(?![A-Za-z0-9_])", value, text)


def _flagged(item: ValueItem, why: str) -> ValueItem:
    return item.model_copy(update={"label": f"{item.label} ({why})"})


# --- one cost per contact per channel ----------------------------------------------------------------


def channel_of(words: str) -> str | None:
    """The channel whose cost per contact ``words`` name ("phone cost per call" -> phone), or None."""
    lowered = words.lower()
    for channel, keys in _CHANNELS:
        if any(key in lowered for key in keys):
            return channel
    return None


@dataclass(frozen=True)
class UnitCost:
    """One cost per contact a supplied item uses: its channel, value, and how the item writes it."""

    channel: str
    value: float
    written: str
    input: str | None = None
    """The structured input that gives it; None when it is a number of the item's text formula."""


def input_channel(name: str, label: str, unit: str) -> str | None:
    """The channel of a named input that is a cost per contact ("assisted_cpc" -> phone), else None."""
    words = f"{name} {label}"
    if unit == "money" and ("cpc" in name or "cost" in words.lower()):
        return channel_of(words)
    return None


def unit_costs(item: ValueItem) -> list[UnitCost]:
    """Every cost per contact the item uses, from its structured inputs or else its text formula."""
    found = []
    for name, given in item.inputs.items():
        if ch := input_channel(name, given.label, given.unit):
            found.append(UnitCost(ch, given.value, f"{name} = {given.value:g}", name))
    if not item.inputs and item.formula:
        try:
            terms = evaluate_formula(item.formula).terms
        except FormulaError:
            return found
        for term in terms:
            if term.money and term.label and (ch := channel_of(term.label)) and not _not_unit_cost(term.label):
                found.append(UnitCost(ch, term.value, f"{term.written} {term.label}"))
    return found


def _not_unit_cost(label: str) -> bool:
    lowered = label.lower()
    return any(word in lowered for word in ("margin", "hour", "leaver", "attrit", "handling", "fee", "redress"))


def _unit_cost_conflicts(items, places, parameters, currency: str, locale: str) -> list[str]:
    seen: dict[str, tuple[float, str]] = {}
    problems: list[str] = []
    for name in ("assisted_cpc", "self_service_cpc", "cost_per_contact"):
        parameter = parameters.get(name)
        if parameter is not None and (ch := channel_of(name)):
            seen.setdefault(ch, (parameter.value, f"the assumption parameter {name}"))
    for item in items:
        for unit_cost in unit_costs(item):
            channel, cost, written = unit_cost.channel, unit_cost.value, unit_cost.written
            first = seen.get(channel)
            if first is None:
                seen[channel] = (cost, f"{places[item.id]} ({written})")
            elif abs(first[0] - cost) > 0.005:
                problems.append(
                    f"{places[item.id]}: prices a {channel} contact at {money(cost, currency, locale)} "
                    f"({written}), but {first[1]} prices it at {money(first[0], currency, locale)}; use one "
                    "cost per contact per channel (from the data or a named parameter) in both"
                )
    return problems
