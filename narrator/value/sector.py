"""Value that fits the sector: whose value a lever is, and whether the organisation's customers can leave.

* An outsourcer reports value to its client. Service credits the outsourcer avoided are the outsourcer's
  own money; the client's side is contract outcomes met, credits paid when missed, cost against the
  contract price and gainshare.
* A lever that rests on customers being able to leave (churn, retention saves, lifetime value, revenue
  protected by resolving issues) does not apply where they cannot: a regulated monopoly such as a UK
  water company. The config says so with ``customers_can_switch: false``.
* Citizens' time is social value, never cash.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from narrator.dataset import ValueItem
from narrator.errors import InputError

NEEDS_SWITCHING_LEVERS = ("churn_clv", "retention_saves", "fcr_revenue_protected")
NEEDS_SWITCHING_CATEGORIES = ("customer_lifetime_value", "revenue_protected")


def check_sector_fit(
    items: Sequence[ValueItem],
    *,
    sector: str,
    customers_can_switch: bool,
    places: Mapping[str, str],
    levers: Mapping[str, str | None] | None = None,
) -> None:
    """Raise one InputError listing every item that does not fit the sector or the reporting relationship.

    ``places`` names each item's file and position for the message; ``levers`` the built-in lever each
    item is (computed items name theirs).
    """
    levers = levers or {}
    problems: list[str] = []
    for item in items:
        where = places.get(item.id, item.id)
        lever = levers.get(item.id)
        if sector == "outsourcer" and (item.category == "penalties_avoided" or lever == "sla_penalties"):
            problems.append(
                f"{where}: service credits the outsourcer avoided are the outsourcer's money, not value to "
                "its client; report what the client gains (contract outcomes met, credits paid to the "
                "client when a target was missed, cost against the contract price, gainshare) and remove "
                "this item"
            )
        if not customers_can_switch and (
            item.category in NEEDS_SWITCHING_CATEGORIES or lever in NEEDS_SWITCHING_LEVERS
        ):
            problems.append(
                f"{where}: {item.category.replace('_', ' ')} needs customers able to leave, but the config "
                "says customers_can_switch: false (a regulated monopoly); remove the item, or set "
                "customers_can_switch: true if customers can in fact switch supplier"
            )
        if item.category == "citizen_value" and item.benefit_class != "non_cash":
            problems.append(
                f"{where}: citizen value is social value, not cash, but benefit_class is "
                f"{item.benefit_class}; set benefit_class: non_cash"
            )
    if problems:
        raise InputError(problems)
