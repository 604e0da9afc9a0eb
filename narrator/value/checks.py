"""Consistency checks of a user-supplied value item against what the KPI data can support."""

from __future__ import annotations

import inspect

from pydantic import BaseModel, ConfigDict

from narrator.dataset import ValueItem
from narrator.errors import InputError
from narrator.value.lever import Num
from narrator.value.result import TranslationResult
from narrator.value.text import money
from narrator.value.translators import TRANSLATORS

LEVER_ALIASES = {
    "deflection": "containment",
    "self_service": "containment",
    "fcr": "fcr_repeat_contacts",
    "fcr_repeat_calls": "fcr_repeat_contacts",
    "repeat_contacts": "fcr_repeat_contacts",
    "fcr_revenue": "fcr_revenue_protected",
    "aht": "aht_capacity",
    "capacity": "aht_capacity",
    "hiring_cost": "attrition",
    "churn": "churn_clv",
    "complaints": "complaints_risk",
    "sla": "sla_penalties",
    "downtime": "downtime_avoided",
}
"""Common value item ids and the lever that can check them."""


class ClaimCheck(BaseModel):
    """The verdict on one value item: what it claims, what the data support, and why it is flagged."""

    model_config = ConfigDict(frozen=True)

    item: str
    lever: str
    claimed: float
    """The item's annual amount."""
    supported: float
    """The lever's value at the observed inputs."""
    ok: bool
    message: str = ""
    """Empty when ok; otherwise one line with the arithmetic and what to do."""
    translation: TranslationResult


def check_claim(
    item: ValueItem,
    lever: str | None = None,
    *,
    tolerance: float = 0.01,
    locale: str = "en_US",
    **observed: Num,
) -> ClaimCheck:
    """Flag ``item`` when its annual amount exceeds what the observed inputs support, beyond ``tolerance``.

    ``observed`` are the lever's inputs from KPI data and assumptions (e.g. volume, uplift, assisted_cpc,
    self_service_cpc for containment); ``lever`` defaults to the item's id or a known alias of it. A claim
    below the supported value is not flagged: being conservative is the user's call.
    """
    lever = lever or LEVER_ALIASES.get(item.id, item.id)
    translator = TRANSLATORS.get(lever)
    if translator is None:
        raise InputError(
            f"value item {item.id!r}: no lever to check it against; "
            f"pass lever= one of {', '.join(TRANSLATORS)}"
        )
    kwargs = {**observed, "currency": item.currency or "USD", "locale": locale}
    try:
        inspect.signature(translator).bind(**kwargs)
    except TypeError as error:
        needed = [
            p
            for p, spec in inspect.signature(translator).parameters.items()
            if spec.default is inspect.Parameter.empty
        ]
        raise InputError(
            f"value item {item.id!r}: cannot check it as {lever} ({error}); give {', '.join(needed)}"
        ) from None
    result = translator(**kwargs)
    claimed, supported = item.annual_amount, result.amount
    # Half a currency unit absorbs the rounding of a claim typed in whole units.
    ok = claimed <= supported + tolerance * abs(supported) + 0.5
    message = ""
    if not ok:
        over = f", {claimed / supported - 1:.0%} more than" if supported > 0 else ", more than"
        message = (
            f"value item {item.id!r} claims {money(claimed, result.currency, locale, whole=True)} "
            f"a year{over} "
            f"the data support: {result.formula}; lower the claim or correct the inputs behind it"
        )
    return ClaimCheck(
        item=item.id,
        lever=lever,
        claimed=claimed,
        supported=supported,
        ok=ok,
        message=message,
        translation=result,
    )
