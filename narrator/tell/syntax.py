"""Template syntax errors in plain words, on the line the editor has to change.

Jinja reports an unclosed ``{% if %}`` at the end of the file and a missing ``%}`` as "unexpected '}'";
a communications lead needs "this {% if %} (line 12) is not closed: add {% endif %}" on line 12.
"""

from __future__ import annotations

import re

import jinja2

OPENERS = {"if": "endif", "for": "endfor", "block": "endblock", "macro": "endmacro", "filter": "endfilter",
           "call": "endcall", "with": "endwith", "raw": "endraw"}
TAG = re.compile(r"\{%-?\s*(\w+)")


def plain_syntax_error(exc: jinja2.TemplateSyntaxError, source: str | None = None) -> tuple[int | None, str]:
    """(line, message) for a syntax error, in words an editor can act on."""
    source = source if source is not None else (exc.source or "")
    lines = source.splitlines()
    for number, line in enumerate(lines, 1):
        unclosed = _unclosed_on_line(line)
        if unclosed:
            return number, unclosed
    if any(words in exc.message for words in ("end of template", "looking for the following tags",
                                               "needs to be closed")):
        opened = _unmatched_opener(source)
        if opened is not None:
            number, tag = opened
            return number, (f"this {{% {tag} %}} is not closed: add {{% {OPENERS[tag]} %}} where the "
                            f"{'repeated part' if tag == 'for' else 'conditional part' if tag == 'if' else tag} ends")
    match = re.search(r"Encountered unknown tag '(\w+)'", exc.message)
    if match and match.group(1).startswith("end"):
        return exc.lineno, (f"{{% {match.group(1)} %}} closes nothing: remove it, or open its "
                            f"{{% {match.group(1)[3:]} %}} above")
    if match:
        return exc.lineno, f"{{% {match.group(1)} %}} is not a template tag; check the spelling (if, for, block, set)"
    return exc.lineno, f"template syntax error: {exc.message}"


def _unclosed_on_line(line: str) -> str | None:
    """A tag or print opened on this line and not closed on it (templates keep each tag on one line)."""
    for opener, closer, what in (("{%", "%}", "{% ... %} tag"), ("{{", "}}", "{{ ... }}")):
        start = line.find(opener)
        while start != -1:
            end = line.find(closer, start + 2)
            nxt = line.find(opener, start + 2)
            if end == -1 or (nxt != -1 and nxt < end):
                return f"this `{what}` is not closed: add `{closer}`"
            start = line.find(opener, end + 2)
    return None


def _unmatched_opener(source: str) -> tuple[int, str] | None:
    stack: list[tuple[int, str]] = []
    for number, line in enumerate(source.splitlines(), 1):
        for match in TAG.finditer(line):
            word = match.group(1)
            if word in OPENERS:
                stack.append((number, word))
            elif word.startswith("end") and stack and OPENERS.get(stack[-1][1]) == word:
                stack.pop()
    return stack[-1] if stack else None
