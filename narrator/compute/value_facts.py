"""Value facts: each translation result's amount and range, and totals by category and status."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from narrator.compute.facts import Fact, FactBook
from narrator.dataset import ValueItem

CATEGORY_LABELS = {
    "cost_avoided": "cost avoided",
    "cash_saving": "cash saved",
    "revenue_protected": "revenue protected",
    "customer_lifetime_value": "customer lifetime value",
    "risk_reduced": "risk reduced",
    "capacity_released": "capacity released",
    "citizen_value": "citizen value",
    "penalties_avoided": "penalties avoided",
    "resilience": "downtime avoided",
}

CLASS_LABELS = {
    "cash_saving": "cash saving",
    "cost_avoidance": "cost avoidance",
    "capacity_released": "capacity released",
    "non_cash": "non-cash",
}
"""How each benefit class is named in text and tables."""

HEADLINE_CLASSES = ("cash_saving", "cost_avoidance")
"""The benefit classes the headline money figure adds up: money the organisation keeps."""


@dataclass(frozen=True)
class ItemFacts:
    item: ValueItem
    amount: Fact
    low: Fact | None
    high: Fact | None


@dataclass(frozen=True)
class ValueFacts:
    items: tuple[ItemFacts, ...]
    realised_total: Fact | None  # value delivered this year: cash saving and cost avoidance (the headline)
    potential_total: Fact | None  # value the ask would unlock: cash saving and cost avoidance, gross
    by_category: tuple[tuple[str, Fact], ...]  # (category, annual amount), largest first
    by_category_status: dict[str, tuple[tuple[str, Fact], ...]]  # "realised"/"potential" -> as above
    split: dict[str, Fact | None] = None
    """By status and class: "realised_cash" (the headline, when anything sits beside it), "realised_capacity",
    "realised_non_cash", "realised_cash_saving", "realised_cost_avoidance", and the same for "potential"."""


def value_facts(items: tuple[ValueItem, ...], currency: str, book: FactBook) -> ValueFacts:
    facts = []
    for item in items:
        source = (item.provenance,) if item.provenance else ()
        cur = item.currency or currency

        def money(name: str, amount: float, label: str, _item=item, _source=source, _cur=cur) -> Fact:
            return book.add(
                Fact(id=f"value.{_item.id}.{name}", label=f"{_item.label}, {label}", value=amount,
                     unit="money", currency=_cur, derivation=_item.formula or _item.source, sources=_source)
            )

        if item.benefit_class in ("cost_avoidance", "capacity_released") and item.route_to_cash:
            book.add(Fact(id=f"value.{item.id}.route_to_cash", label="route to cash", value=item.route_to_cash,
                          unit="text", sources=source))
        scale = item.annual_amount / item.amount if item.amount else 1
        facts.append(
            ItemFacts(
                item=item,
                amount=money("amount", item.annual_amount, "per year"),
                low=money("low", item.low * scale, "low case per year") if item.low is not None else None,
                high=money("high", item.high * scale, "high case per year") if item.high is not None else None,
            )
        )

    def total(name: str, members: list[ItemFacts], label: str, concept: str | None = None,
              beside: list[ItemFacts] = ()) -> Fact | None:
        if not members:
            return None
        return book.add(
            Fact(id=f"value.total.{name}", label=label, value=sum(f.amount.value for f in members),
                 unit="money", currency=currency, derivation=" + ".join(f.amount.id for f in members),
                 sources=tuple(s for f in members for s in f.amount.sources),
                 concept=concept or f"value.{name}", parts=tuple(f.amount.id for f in members),
                 beside=tuple(f.amount.id for f in beside if f not in members))
        )

    # The headline money is cash saving plus cost avoidance; capacity released (cash only if spend falls)
    # and non-cash value (revenue protected, lifetime value, citizens' time) are stated beside it, never
    # summed into it, so every total a board reads is money of one kind.
    def headline(members: list[ItemFacts]) -> list[ItemFacts]:
        return [f for f in members if f.item.benefit_class in HEADLINE_CLASSES]

    realised_all = [f for f in facts if f.item.realised]
    potential_all = [f for f in facts if not f.item.realised]
    realised = total("realised", headline(realised_all), "value delivered per year (cash saving and cost avoidance)",
                     "value_delivered", realised_all)
    potential = total("potential", headline(potential_all),
                      "value the ask unlocks per year (cash saving and cost avoidance), before risk adjustment",
                      "value_unlocked_gross", potential_all)
    by_category = _categories(headline(facts), currency, book, "")
    by_status = {
        status: _categories(headline(members), currency, book, f"{status}.")
        for status, members in (("realised", realised_all), ("potential", potential_all))
    }
    split = {}
    for status, members, head in (("realised", realised_all, realised), ("potential", potential_all, potential)):
        others = {cls: [f for f in members if f.item.benefit_class == cls]
                  for cls in ("capacity_released", "non_cash")}
        split[f"{status}_cash"] = head if others["non_cash"] or others["capacity_released"] else None
        split[f"{status}_capacity"] = total(f"{status}_capacity", others["capacity_released"],
                                            f"{status} capacity released per year (cash only if spend falls)")
        split[f"{status}_non_cash"] = total(f"{status}_non_cash", others["non_cash"], f"{status} non-cash value")
        for cls in ("cash_saving", "cost_avoidance"):
            split[f"{status}_{cls}"] = total(f"{status}_{cls}", [f for f in members if f.item.benefit_class == cls],
                                             f"{status} {CLASS_LABELS[cls]} per year")
    return ValueFacts(tuple(facts), realised, potential, by_category, by_status, split)


def _categories(members: list[ItemFacts], currency: str, book: FactBook, prefix: str) -> tuple:
    grouped: dict[str, list[ItemFacts]] = defaultdict(list)
    for f in members:
        grouped[f.item.category].append(f)
    out = []
    for category, group in grouped.items():
        fact = book.add(
            Fact(id=f"value.category.{prefix}{category}", label=CATEGORY_LABELS[category],
                 value=sum(m.amount.value for m in group), unit="money", currency=currency,
                 derivation=" + ".join(m.amount.id for m in group), parts=tuple(m.amount.id for m in group))
        )
        out.append((category, fact))
    out.sort(key=lambda pair: -pair[1].value)
    return tuple(out)
