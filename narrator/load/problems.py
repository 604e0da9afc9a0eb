"""Collecting a file's problems so the user sees all of them at once, capped so the list stays readable."""

from __future__ import annotations

from pydantic import ValidationError

from narrator.errors import InputError
from narrator.load.parse import show

# Beyond this many lines a user stops reading; the count of the rest tells them how big the job is.
PROBLEM_CAP = 20


class Problems:
    """Problem lines gathered while reading one input; ``raise_if_any`` raises them as one InputError."""

    def __init__(self) -> None:
        self.lines: list[str] = []

    def add(self, line: str) -> None:
        self.lines.append(line)

    def extend(self, lines: list[str]) -> None:
        self.lines.extend(lines)

    def __bool__(self) -> bool:
        return bool(self.lines)

    def raise_if_any(self) -> None:
        if self.lines:
            raise InputError(capped(self.lines))


def capped(lines: list[str], cap: int = PROBLEM_CAP) -> list[str]:
    if len(lines) <= cap:
        return list(lines)
    more = len(lines) - cap
    return [*lines[:cap], f"and {more} more problem{'s' if more != 1 else ''}"]


def validation_lines(error: ValidationError, where: str, skip: set[str] = frozenset()) -> list[str]:
    """One line per pydantic problem, worded for a user: ``where: field: what is wrong; what to do``.

    ``skip``: top-level fields already reported by the caller, whose echo from pydantic would be noise.
    """
    lines = []
    for item in error.errors():
        if item.get("loc") and str(item["loc"][0]) in skip:
            continue
        loc = ".".join(map(str, item.get("loc", ())))
        lines.append(f"{where}: {loc}: {_message(item, loc)}" if loc else f"{where}: {_message(item, loc)}")
    return lines


def _message(item: dict, loc: str) -> str:
    kind, ctx, given = item.get("type", ""), item.get("ctx") or {}, item.get("input")
    # Rates and adjustments are fractions; a user who writes 10 for 10% needs to be told so.
    hint = "; rates are fractions (0.10 means 10%)" if loc.endswith(("rate", "adjustment")) else ""
    if kind == "missing":
        return "required field is missing; add it"
    if kind == "extra_forbidden":
        return "unknown field; check its spelling (or remove it)"
    if kind in {"greater_than_equal", "greater_than", "less_than_equal", "less_than"}:
        words = {
            "greater_than_equal": ("at least", "ge"),
            "greater_than": ("more than", "gt"),
            "less_than_equal": ("at most", "le"),
            "less_than": ("less than", "lt"),
        }[kind]
        return f"must be {words[0]} {show(ctx.get(words[1]))}, got {show(given)}{hint}"
    if kind == "value_error":
        return str(ctx.get("error") or item.get("msg", "invalid value"))
    if kind == "literal_error":
        return f"got {given!r}; expected {ctx.get('expected')}"
    if kind == "string_pattern_mismatch" and loc == "id":
        return f"got {given!r}; use lower case letters, digits and underscores, starting with a letter"
    return f"{item.get('msg', 'invalid value')}, got {given!r}"
