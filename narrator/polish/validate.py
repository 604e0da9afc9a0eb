"""Deterministic checks a masked rewrite must pass before any value is put back into it.

The rewrite is accepted only if it keeps the segment's *skeleton*: the value tokens, every number and
every claim word (words.CLAIM_WORDS), in the same order, with the tokens in the same sentences. The model
may change every other word. On top of that:

- each token keeps the words that introduced it: at least half of the content words between the previous
  token (or the sentence start) and the token in the original still stand before the token, in the same
  sentence, in the rewrite. This is what stops "service level reached ⟦V1⟧ and abandonment ⟦V2⟧" becoming
  "abandonment reached ⟦V1⟧ and service level ⟦V2⟧": same tokens, same order, same claim words, but each
  value now belongs to the other metric. Words are compared by a crude stem so "level"/"levels" match;
- no link, HTML or markdown the original did not have; no token glued to a word;
- the length stays within 0.5x..1.6x of the original, with a little absolute slack for short segments;
- the structure holds: no sentence added, no clause added (a clause word or mark such as "and", "which",
  ";" beyond the original's, except to join sentences the rewrite merged), no sentence much longer than
  the original's longest, and no more new content words than the original had words of its own;
- nothing the reader would take as an instruction: no instruction word ("must", "disregard", "sign",
  "today" ...) beyond the original's, and no sentence opened by an imperative verb unless the original
  opened one so;
- no word of the request's instructions that the original did not have (``instruction_words``: the system
  text's words that the pack itself never uses, see ``instruction_vocabulary``): a model that echoes its
  instructions ("placeholder", "sub-editor", "segment") into the paper has stopped editing.

``check_rewrite`` returns the first failed check as a reason ("validation: ...") or None.
"""

from __future__ import annotations

import math
import re
import unicodedata
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass

from narrator.polish.words import (
    CLAIM_WORDS,
    CLAUSE_WORDS,
    IMPERATIVE_VERBS,
    INSTRUCTION_WORDS,
    NUMBER_WORDS,
    STOP_WORDS,
)
from narrator.tell.story import TOKEN_CLOSE, TOKEN_OPEN, TOKEN_PATTERN

_ITEM = re.compile(
    r"(?P<token>⟦V\d+⟧)"
    r"|(?P<digits>\d+)"
    r"|(?P<word>[^\W\d_]+(?:'[^\W\d_]+)*)"
    r"|(?P<stop>[.!?]+(?=[\s\"')\]]|$)|\n)"
)
_LINK = re.compile(r"https?://|www\.|\b[\w-]+\.(?:com|org|net|io|co|uk|gov|ai|info|biz)\b|@\w", re.I)
_HTML = re.compile(r"</?[a-zA-Z][^>]*>|&[a-zA-Z]+;|&#\d+;")
_MARKDOWN_CHARS = "*_`#[]|~<>\\"
# Contractions that hide a claim word ("won't" is "will not").
_CONTRACTIONS = {"won't": ("will", "not"), "can't": ("not",), "cannot": ("not",), "shan't": ("not",)}


@dataclass(frozen=True)
class _Item:
    kind: str  # token, number, claim, content, other
    text: str
    sentence: int


def check_rewrite(original: str, rewrite: str, instruction_words: frozenset[str] = frozenset()) -> str | None:
    """Why ``rewrite`` may not replace the masked ``original``, or None when it may."""
    if rewrite.count(TOKEN_OPEN) + rewrite.count(TOKEN_CLOSE) != 2 * len(TOKEN_PATTERN.findall(rewrite)):
        return "validation: malformed token"
    before, after = _items(original), _items(rewrite)
    for check in (_tokens, _numbers, _claims):
        reason = check(before, after)
        if reason:
            return reason
    reason = _markup(original, rewrite)
    if reason:
        return reason
    if _skeleton(before) != _skeleton(after):
        return "validation: values or claim words reordered"
    if _token_sentences(before) != _token_sentences(after):
        return "validation: a value moved to another sentence"
    reason = _anchors(before, after) or _glued(original, rewrite) or _length(original, rewrite)
    return (
        reason
        or _structure(original, rewrite)
        or _instructions(original, rewrite)
        or _system_words(original, rewrite, instruction_words)
        or _new_content(before, after)
    )


_SENTENCE_END = re.compile(r"[.!?]+(?=[\s\"')\]]|$)|\n")
_CLAUSE_MARKS = ";:"
_WORD = re.compile(r"[^\W\d_]+(?:'[^\W\d_]+)*")


def _sentences(text: str) -> list[list[str]]:
    """The words of each sentence of ``text``, lowercased (tokens and digits are not words)."""
    pieces = _SENTENCE_END.split(TOKEN_PATTERN.sub(" ", text.replace("’", "'")))
    return [words for words in ([w.lower() for w in _WORD.findall(p)] for p in pieces) if words]


def _structure(original: str, rewrite: str) -> str | None:
    before, after = _sentences(original), _sentences(rewrite)
    if len(after) > max(len(before), 1):
        return "validation: sentence added"
    merged = max(len(before) - len(after), 0)
    clause_words = [w for s in after for w in s if w in CLAUSE_WORDS]
    want = Counter(w for s in before for w in s if w in CLAUSE_WORDS)
    added = sum((Counter(clause_words) - want).values())
    marks = sum(rewrite.count(m) for m in _CLAUSE_MARKS) - sum(original.count(m) for m in _CLAUSE_MARKS)
    if added + max(marks, 0) > merged:
        return "validation: clause added"
    longest = max((len(s) for s in before), default=0)
    for sentence in after:
        if len(sentence) > 1.5 * longest + 6:
            return f"validation: a sentence of {len(sentence)} words (the original's longest has {longest})"
    return None


def _instructions(original: str, rewrite: str) -> str | None:
    before, after = _sentences(original), _sentences(rewrite)
    had = Counter(w for s in before for w in s if w in INSTRUCTION_WORDS)
    for word, count in Counter(w for s in after for w in s if w in INSTRUCTION_WORDS).items():
        if count > had[word]:
            return f"validation: instruction word '{word}' added"
    openers = {s[0] for s in before}
    for sentence in after:
        if sentence[0] in IMPERATIVE_VERBS and sentence[0] not in openers:
            return f"validation: a sentence now opens with the imperative '{sentence[0]}'"
    return None


def instruction_vocabulary(system: str, pack_texts: Iterable[str]) -> frozenset[str]:
    """The word stems of a request's system text that the pack's own text never uses: the words a
    rewrite can only have taken from its instructions. Domain words the pack uses too ("contact",
    "board", "target") stay free to use."""
    used = {_plain_word(w) for text in pack_texts for s in _sentences(text) for w in s}
    return frozenset(
        _plain_word(w)
        for s in _sentences(system)
        for w in s
        if len(w) >= 4 and w not in STOP_WORDS and w not in CLAIM_WORDS and _plain_word(w) not in used
    )


def _system_words(original: str, rewrite: str, instruction_words: frozenset[str]) -> str | None:
    if not instruction_words:
        return None
    own = {_plain_word(w) for s in _sentences(original) for w in s}
    for sentence in _sentences(rewrite):
        for word in sentence:
            if len(word) >= 4 and _plain_word(word) in instruction_words and _plain_word(word) not in own:
                return f"validation: '{word}' comes from the request's instructions, not the original"
    return None


def _plain_word(word: str) -> str:
    # Finer than _stem: "lengthen" must not match the instructions' "length".
    return word[:-1] if len(word) > 3 and word.endswith("s") else word


def _new_content(before: list[_Item], after: list[_Item]) -> str | None:
    own = {_stem(i.text) for i in before if i.kind == "content"}
    new = {_stem(i.text) for i in after if i.kind == "content"} - own
    if len(new) > max(len(own), 4):
        return f"validation: {len(new)} new content words for {len(own)} of the original's"
    return None


def _items(text: str) -> list[_Item]:
    items: list[_Item] = []
    sentence = 0
    for match in _ITEM.finditer(text.replace("’", "'").replace("‘", "'")):
        kind = match.lastgroup
        value = match.group()
        if kind == "stop":
            sentence += 1
        elif kind == "token":
            items.append(_Item("token", value, sentence))
        elif kind == "digits":
            items.append(_Item("number", value, sentence))
        else:
            items.extend(_Item(_word_kind(w), w, sentence) for w in _words(value.lower()))
    return items


def _words(word: str) -> tuple[str, ...]:
    if word in _CONTRACTIONS:
        return _CONTRACTIONS[word]
    if word.endswith("n't"):
        return (word[:-3], "not")
    if word.endswith("'ll"):
        return (word[:-3], "will")
    if word.endswith("'s"):
        return (word[:-2],)
    return (word,)


def _word_kind(word: str) -> str:
    if word in NUMBER_WORDS or any(unicodedata.numeric(ch, None) is not None for ch in word):
        return "number"
    if word in CLAIM_WORDS:
        return "claim"
    if len(word) >= 3 and word not in STOP_WORDS:
        return "content"
    return "other"


def _tokens(before: list[_Item], after: list[_Item]) -> str | None:
    want = Counter(i.text for i in before if i.kind == "token")
    got = Counter(i.text for i in after if i.kind == "token")
    for token in want:
        if got[token] == 0:
            return f"validation: token {token} dropped"
    for token, n in got.items():
        if token not in want:
            return f"validation: token {token} invented"
        if n > want[token]:
            return f"validation: token {token} duplicated"
    return None


def _numbers(before: list[_Item], after: list[_Item]) -> str | None:
    return _compare_words(before, after, "number")


def _claims(before: list[_Item], after: list[_Item]) -> str | None:
    return _compare_words(before, after, "claim")


def _compare_words(before: list[_Item], after: list[_Item], kind: str) -> str | None:
    want = Counter(i.text for i in before if i.kind == kind)
    got = Counter(i.text for i in after if i.kind == kind)
    label = {"claim": "claim word", "number": "number"}[kind]
    for item in after:
        if item.kind == kind and got[item.text] > want[item.text]:
            noun = "number word" if kind == "number" and not item.text.isdigit() else label
            return f"validation: {noun} '{item.text}' added"
    for item in before:
        if item.kind == kind and want[item.text] > got[item.text]:
            noun = "number word" if kind == "number" and not item.text.isdigit() else label
            return f"validation: {noun} '{item.text}' removed"
    return None


def _markup(original: str, rewrite: str) -> str | None:
    if len(_LINK.findall(rewrite)) > len(_LINK.findall(original)):
        return "validation: link added"
    if len(_HTML.findall(rewrite)) > len(_HTML.findall(original)):
        return "validation: HTML added"
    if any(rewrite.count(ch) > original.count(ch) for ch in _MARKDOWN_CHARS):
        return "validation: markdown added"
    if rewrite.strip().count("\n") > original.strip().count("\n"):
        return "validation: line break added"
    return None


def _skeleton(items: list[_Item]) -> list[str]:
    return [i.text for i in items if i.kind in ("token", "number", "claim")]


def _token_sentences(items: list[_Item]) -> list[list[str]]:
    by_sentence: dict[int, list[str]] = {}
    for item in items:
        if item.kind == "token":
            by_sentence.setdefault(item.sentence, []).append(item.text)
    return list(by_sentence.values())


def _anchors(before: list[_Item], after: list[_Item]) -> str | None:
    window: list[str] = []
    sentence = -1
    seen: Counter[str] = Counter()
    for item in before:
        if item.sentence != sentence:
            window, sentence = [], item.sentence
        if item.kind == "content":
            window.append(item.text)
        elif item.kind == "token":
            seen[item.text] += 1
            needed = {_stem(w) for w in window}
            found = needed & _stems_before(after, item.text, seen[item.text])
            if len(found) < math.ceil(len(needed) / 2):
                words = ", ".join(f"'{w}'" for w in dict.fromkeys(window))
                return f"validation: token {item.text} lost the words that introduced it ({words})"
            window = []
    return None


def _stems_before(items: list[_Item], token: str, occurrence: int) -> set[str]:
    stems: set[str] = set()
    sentence = -1
    for item in items:
        if item.sentence != sentence:
            stems, sentence = set(), item.sentence
        if item.kind == "content":
            stems.add(_stem(item.text))
        elif item.text == token:
            occurrence -= 1
            if occurrence == 0:
                return stems
    return set()


def _stem(word: str) -> str:
    # Crude on purpose: it only has to match "level"/"levels" and "answer"/"answered", and a false match
    # can only let through a rewrite that already kept every number and claim word in place.
    if len(word) > 3 and word.endswith("s"):
        word = word[:-1]
    return word[:5]


def _glued(original: str, rewrite: str) -> str | None:
    def glued(text: str) -> Counter[str]:
        found: Counter[str] = Counter()
        for match in TOKEN_PATTERN.finditer(text):
            left = text[match.start() - 1] if match.start() else " "
            right = text[match.end()] if match.end() < len(text) else " "
            if left.isalnum() or right.isalnum():
                found[match.group()] += 1
        return found

    extra = glued(rewrite) - glued(original)
    if extra:
        return f"validation: token {next(iter(extra))} glued to a word"
    return None


def _length(original: str, rewrite: str) -> str | None:
    size, new = len(original.strip()), len(rewrite.strip())
    # Short segments ("Recommendation") need absolute slack: one extra word is already +50%.
    if 0.5 * size - 10 <= new <= 1.6 * size + 20:
        return None
    return f"validation: length {new / max(size, 1):.1f}x the original"
