"""Honest accounting: levers on the same contacts are applied one after another to the volume left."""

from __future__ import annotations

from collections.abc import Callable, Sequence

from narrator.errors import InputError
from narrator.value.assumptions import Parameter
from narrator.value.lever import Num
from narrator.value.result import TranslationResult
from narrator.value.text import number

Step = Callable[..., TranslationResult]
"""A volume-based translator with every input but ``volume`` bound, e.g.
``functools.partial(containment, uplift=0.05, assisted_cpc=8.01, self_service_cpc=0.10)``."""


def apply_in_sequence(volume: Num, steps: Sequence[Step]) -> tuple[TranslationResult, ...]:
    """Run ``steps`` in order, each on the contacts the earlier ones left, so no contact is counted twice.

    Containment takes the contacts it resolves in self-service out of the volume before first-contact
    resolution counts repeat contacts avoided, and handle-time capacity is then computed on what is left.
    Order matters and is the caller's statement of how the levers act; a step that does not act on the
    contact volume (its result has no ``contacts_removed``) is refused. A ``Parameter`` volume keeps its
    source and grade, and its range shrinks in proportion to the volume removed.
    """
    results: list[TranslationResult] = []
    remaining: Num = volume
    for i, step in enumerate(steps):
        result = step(volume=remaining)
        if "contacts_removed" not in result.quantities:
            raise InputError(
                f"apply_in_sequence: step {i + 1} ({result.lever}) does not act on the contact volume; "
                "sequence only containment, fcr_repeat_contacts and aht_capacity; translate others alone"
            )
        if results:
            result = result.model_copy(update={"notes": (*result.notes, _after(remaining, results))})
        results.append(result)
        remaining = _less(remaining, result.quantities["contacts_removed"], result.lever)
    return tuple(results)


def _after(remaining: Num, earlier: Sequence[TranslationResult]) -> str:
    value = remaining.value if isinstance(remaining, Parameter) else float(remaining)
    levers = ", ".join(r.lever for r in earlier)
    return f"applied to the {number(value, 'en_US')} contacts left after {levers}, so none is counted twice"


def _less(volume: Num, removed: float, lever: str) -> Num:
    value = volume.value if isinstance(volume, Parameter) else float(volume)
    left = value - removed
    if left < 0:
        raise InputError(
            f"apply_in_sequence: {lever} removes {removed:,.0f} contacts but only {value:,.0f} remain; the "
            "uplifts together exceed the volume, so check them"
        )
    if not isinstance(volume, Parameter):
        return left
    low, high = volume.range()
    share = left / value if value else 0.0
    return volume.model_copy(
        update={
            "value": left,
            "low": low * share,
            "high": high * share,
            "source": f"{volume.source}; less {removed:,.0f} contacts removed by {lever}",
        }
    )
