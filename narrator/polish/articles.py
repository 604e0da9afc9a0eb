"""Fixes "a"/"an" before a restored value, by how the value is spoken ("an 8.2% rise", "a £1.2m saving").

The model wrote its article in front of an opaque token, so it could not know the value. English chooses
the article by sound, not spelling: "8" is "eight", "11" "eleven", "18" "eighteen", "80" "eighty", "800"
"eight hundred", "8,000" "eight thousand"; a currency symbol is read after the number ("£8m" is "eight
million pounds", hence "an £8m"); an initialism is read letter by letter ("an NHS trust", "a UK site").
When the spoken form is unclear the article is left as the model wrote it.
"""

from __future__ import annotations

import re

from narrator.tell.story import Segment, ValuePart

_ARTICLE = re.compile(r"(?:(?<=\W)|^)(a|an|A|An|AN)(\s+)$")
_NUMBER = re.compile(r"\d[\d,  ]*")
_CURRENCY_PREFIX = re.compile(r"^(?:[£$€¥₹₩₽]|[A-Z]{1,3}\$)\s*(?=\d)")
# Letters whose English names start with a vowel sound: "an F", "an M", "an S", "an X".
_VOWEL_SOUND_LETTERS = set("AEFHILMNORSX")
# Words that start with a vowel letter but a consonant sound, and the reverse.
_CONSONANT_SOUND = re.compile(r"^(?:uni(?!nf|nt|nd|ns)|use|usu|uti|ura|uro|eu|ewe|one|once|ubiq|ufo)", re.I)
_VOWEL_SOUND = re.compile(r"^(?:hour|honest|honou?r|heir)", re.I)


def fix_articles(segment: Segment) -> Segment:
    """A copy of ``segment`` whose "a"/"an" directly before each value matches the value's sound."""
    parts = list(segment.parts)
    changed = False
    for i in range(1, len(parts)):
        value, before = parts[i], parts[i - 1]
        if not isinstance(value, ValuePart) or not isinstance(before, str):
            continue
        match = _ARTICLE.search(before)
        wanted = article_for(value.text)
        if match is None or wanted is None or match.group(1).lower() == wanted:
            continue
        written = match.group(1)
        article = wanted.capitalize() if written[0].isupper() else wanted
        parts[i - 1] = before[: match.start(1)] + article + match.group(2)
        changed = True
    return Segment(id=segment.id, parts=tuple(parts)) if changed else segment


def article_for(text: str) -> str | None:
    """ "a" or "an" for a value as a reader would say it, or None when that is unclear."""
    text = _CURRENCY_PREFIX.sub("", text.strip().lstrip("\"'“‘(["))
    if not text:
        return None
    if text[0].isdigit():
        return _article_for_number(_NUMBER.match(text).group())
    word = re.match(r"[^\W\d_]+", text)
    if word is None:
        return None
    return _article_for_word(word.group())


def _article_for_number(number: str) -> str:
    digits = re.sub(r"\D", "", number)
    digits = digits.lstrip("0") or "0"
    # Read the leading group of up to three digits: "18,500" is "eighteen thousand ...".
    lead = digits[: len(digits) % 3 or 3]
    if len(lead) == 3:
        return "an" if lead[0] == "8" else "a"
    if len(lead) == 2:
        return "an" if lead in ("11", "18") or lead[0] == "8" else "a"
    return "an" if lead == "8" else "a"


def _article_for_word(word: str) -> str:
    if len(word) == 1 or word.isupper():  # read letter by letter: "an n/a", "an NHS trust"
        return "an" if word[0].upper() in _VOWEL_SOUND_LETTERS else "a"
    if _VOWEL_SOUND.match(word):
        return "an"
    if _CONSONANT_SOUND.match(word):
        return "a"
    return "an" if word[0].lower() in "aeiou" else "a"
