"""A value item's formula, evaluated: arithmetic written as text whose numbers carry their labels.

A finance model's line is usually written the way a reviewer reads it::

    9,000 extra chat contacts a month x 12 x (£5.55 phone - £3.45 chat) x 2.14 contacts per issue avoided
    405 agents x 4.6 pts lower attrition x £9,980 cost per leaver
    volume x uplift x (assisted_cpc - self_service_cpc)       # names of the item's structured inputs

Numbers may carry a currency sign, thousands separators, a scale (``1.1m``, ``£40k``), ``%`` or ``pts``
(both read as fractions: 5 pts = 0.05); the words after a number are its label. Operators are ``x``,
``×``, ``*``, ``/``, ``+``, ``-`` (a minus needs spaces round it, so "self-service" stays a word) and
brackets. Anything after ``=`` is the stated result and is not evaluated. Two numbers with no operator
between them ("0.9 complaints per 1,000") cannot be read one way only, so they are an error, never a
guess.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass

_NUMBER = re.compile(
    r"(?P<sign>[£$€])?(?P<digits>\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?)"
    r"(?P<scale>bn|m|k)?(?![A-Za-z0-9])(?:\s*(?P<pct>%|pts?\b|points?\b|pp\b))?",
    re.IGNORECASE,
)
_SCALES = {"k": 1e3, "m": 1e6, "bn": 1e9}
_OPERATOR = re.compile(r"(?:(?<=\s)|(?<=\)))(?:[x×*/÷+]|[-−–])(?=\s|\(|[£$€\d])|[()]")
_PER_NUMBER = re.compile(r"\bper\s+[£$€]?\d")
_WORD = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")


class FormulaError(ValueError):
    """The formula cannot be evaluated; the message says where and why."""


@dataclass(frozen=True)
class Term:
    """One number of a formula as written, with the words that label it."""

    value: float
    """In base units: 5 pts and 5% are 0.05, £1.1m is 1,100,000."""
    written: str
    """As the formula writes it ("£5.55", "14 pts")."""
    label: str
    """The words after it ("phone", "calls a year"); empty when it stands alone."""
    money: bool


@dataclass(frozen=True)
class Evaluated:
    """A formula's value and the numbers it was computed from."""

    value: float
    terms: tuple[Term, ...]


def evaluate_formula(text: str, names: Mapping[str, float] | None = None) -> Evaluated:
    """The value of ``text``; ``names`` are structured inputs the formula may name (``volume``)."""
    names = names or {}
    expression = text.split("=", 1)[0]
    tokens, terms = _tokens(expression, names)
    if not any(kind == "num" for kind, _ in tokens):
        raise FormulaError("it has no numbers to compute with")
    parser = _Parser(tokens)
    value = parser.expression()
    if parser.pos != len(tokens):
        raise FormulaError(f"cannot read it past {parser.describe(parser.pos)}")
    return Evaluated(value=value, terms=tuple(terms))


def _tokens(text: str, names: Mapping[str, float]) -> tuple[list[tuple[str, object]], list[Term]]:
    """Numbers, names of inputs and operators in order; the words between them become labels.

    A number that follows a word rather than an operator belongs to the label ("68% still in force after
    12 months"), and a bracket holding no number is a remark ("(DfT non-work time)"), not arithmetic.
    """
    tokens: list[tuple[str, object]] = []
    terms: list[Term] = []
    pos = 0
    pending: tuple[float, str, bool, int] | None = None  # value, as written, money, where its label starts

    def close_label(at: int) -> None:
        nonlocal pending
        if pending is not None:
            value, written, money, start = pending
            label = " ".join(text[start:at].split()).strip(" ,;:")
            if _PER_NUMBER.search(label):
                raise FormulaError(
                    f"'{written} {label}' has a number inside its label, so whether it divides is unclear; "
                    "write the division with '/' (0.9 complaints / 1,000 calls)"
                )
            terms.append(Term(value, written, label, money))
            pending = None

    def after_operand() -> bool:
        return bool(tokens) and (tokens[-1][0] == "num" or tokens[-1] == ("op", ")"))

    while pos < len(text):
        if text[pos].isspace():
            pos += 1
            continue
        number = _NUMBER.match(text, pos)
        if number and (pos == 0 or not text[pos - 1].isalnum()) and not after_operand():
            value = float(number["digits"].replace(",", ""))
            value *= _SCALES.get((number["scale"] or "").lower(), 1.0)
            if number["pct"]:
                value /= 100
            tokens.append(("num", value))
            pending = (value, number.group(0).strip(), bool(number["sign"]), number.end())
            pos = number.end()
            continue
        if text[pos] == "(" and (close := text.find(")", pos)) > 0 and _is_remark(text[pos + 1 : close], names):
            pos = close + 1
            continue
        operator = _OPERATOR.match(text, pos)
        if operator:
            close_label(pos)
            symbol = operator.group(0)
            symbol = {"×": "*", "x": "*", "X": "*", "÷": "/", "−": "-", "–": "-"}.get(symbol, symbol)
            tokens.append(("op", symbol))
            pos = operator.end()
            continue
        word = _WORD.match(text, pos)
        if word and (pos == 0 or not text[pos - 1].isalnum()):
            name = word.group(0)
            if name in names and not after_operand():
                tokens.append(("num", float(names[name])))
                terms.append(Term(float(names[name]), name, name, False))
            elif name in ("x", "X") and after_operand():
                close_label(pos)
                tokens.append(("op", "*"))
            elif tokens and not after_operand():
                # Words where a number should stand ("x points of shortfall") are a quantity the formula
                # does not give: reading on to the next number would compute something else.
                phrase = text[pos:].split("(")[0].split(")")[0]
                phrase = " ".join(_WORD.findall(" ".join(phrase.split()[:4])))
                raise FormulaError(f"'{phrase}' stands where a number is expected")
            pos = word.end()
            continue
        pos += 1
    close_label(len(text))
    return tokens, terms


def _is_remark(inside: str, names: Mapping[str, float]) -> bool:
    """A bracket of words only: no number, no input name, no nested bracket."""
    if "(" in inside or any(ch.isdigit() for ch in inside):
        return False
    return not any(word in names for word in _WORD.findall(inside))


class _Parser:
    """expression := term (('+'|'-') term)*; term := factor (('*'|'/') factor)*; factor := num | (expr)."""

    def __init__(self, tokens: list[tuple[str, object]]):
        self.tokens = tokens
        self.pos = 0

    def describe(self, pos: int) -> str:
        if pos >= len(self.tokens):
            return "the end"
        kind, value = self.tokens[pos]
        if kind == "num":
            return f"the number {value:g}, which follows another number with no operator between them"
        return f"{value!r}"

    def peek(self) -> tuple[str, object] | None:
        return self.tokens[self.pos] if self.pos < len(self.tokens) else None

    def expression(self) -> float:
        value = self.term()
        while (token := self.peek()) and token in (("op", "+"), ("op", "-")):
            self.pos += 1
            right = self.term()
            value = value + right if token[1] == "+" else value - right
        return value

    def term(self) -> float:
        value = self.factor()
        while (token := self.peek()) and token in (("op", "*"), ("op", "/")):
            self.pos += 1
            right = self.factor()
            if token[1] == "/":
                if right == 0:
                    raise FormulaError("it divides by zero")
                value /= right
            else:
                value *= right
        return value

    def factor(self) -> float:
        token = self.peek()
        if token is None:
            raise FormulaError("it ends where a number is expected")
        self.pos += 1
        if token[0] == "num":
            return float(token[1])
        if token == ("op", "("):
            value = self.expression()
            if self.peek() != ("op", ")"):
                raise FormulaError("a bracket is opened and not closed")
            self.pos += 1
            return value
        raise FormulaError(f"{token[1]!r} stands where a number is expected")
