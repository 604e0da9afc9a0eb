"""The Jinja2 environment for narrative templates: sandboxed, strict, user folders first, values marked.

Every value a template prints goes through one door: a filter (``money``, ``pct``, ``pp`` ...) or the
environment's ``finalize`` hook. Either way the formatted text is registered with the fact it came from
and replaced in the output by a private-use marker. The tell stage later turns each marker into a
``ValuePart``, so the words and the values of a sentence never mix, and a digit found in the words is
proof that someone typed a number into a template.
"""

from __future__ import annotations

import functools
import os
import re
import sys
import traceback
from collections.abc import Callable, Sequence
from pathlib import Path

import jinja2
import jinja2.bccache
from jinja2.sandbox import ImmutableSandboxedEnvironment

from narrator.compute.facts import Fact
from narrator.errors import TemplateError
from narrator.tell.formatting import Formatter

MARK_OPEN, MARK_CLOSE = "\ue000", "\ue001"
MARK_PATTERN = re.compile(f"{MARK_OPEN}(\\d+){MARK_CLOSE}")


class ValueRegistry:
    """The values printed during one render, in order: (text as formatted, fact id)."""

    def __init__(self) -> None:
        self.values: list[tuple[str, str]] = []

    def mark(self, text: str, fact_id: str) -> str:
        self.values.append((text, fact_id))
        return f"{MARK_OPEN}{len(self.values) - 1}{MARK_CLOSE}"


class NarrativeEnvironment:
    """Loads and renders narrative templates with marked values and user-friendly errors."""

    def __init__(self, user_dirs: Sequence[Path], default_dir: Path, formatter: Formatter):
        self.search_path = [*user_dirs, default_dir]
        self.formatter = formatter
        self.registry = ValueRegistry()
        default_loader = jinja2.FileSystemLoader(str(default_dir))
        # "default:name" reaches the built-in template even when a user template shadows it, so a
        # user can {% extends "default:outcome.j2" %} and override one block.
        loader = jinja2.ChoiceLoader(
            [
                jinja2.PrefixLoader({"default": default_loader}, delimiter=":"),
                *(jinja2.FileSystemLoader(str(d)) for d in user_dirs),
                default_loader,
            ]
        )
        self.env = ImmutableSandboxedEnvironment(
            loader=loader,
            undefined=jinja2.StrictUndefined,
            autoescape=False,
            trim_blocks=True,
            lstrip_blocks=True,
            keep_trailing_newline=False,
            finalize=self._finalize,
            bytecode_cache=_bytecode_cache(),
        )
        self.env.filters.update(self._filters())

    # --- values ---------------------------------------------------------------------------------
    def _finalize(self, value: object) -> object:
        if isinstance(value, Fact):
            return self.registry.mark(self.formatter.default(value), value.id)
        if isinstance(value, bool) or isinstance(value, int | float):
            raise _RawNumber(value)
        if value is None:
            raise _NoneValue()
        return value

    def _filters(self) -> dict[str, Callable]:
        f = self.formatter

        def value_filter(name: str, render: Callable[[Fact], str]) -> Callable:
            def apply(fact: object, *args) -> str:
                if isinstance(fact, jinja2.Undefined):
                    fact._fail_with_undefined_error()
                if not isinstance(fact, Fact):
                    raise _NotAFact(name, fact)
                if fact.value is None:
                    raise _NoneValue(fact.id)
                return self.registry.mark(render(fact, *args), fact.id)

            return apply

        numeric = {
            "money": lambda x: f.money(abs(x.value), x.currency),
            "money_exact": lambda x: f.money_exact(abs(x.value), x.currency),
            "money_short": lambda x: f.money_short(abs(x.value), x.currency),
            "pct": lambda x, decimals=1: f.percent(abs(x.value), decimals),
            "pp": lambda x: f.points(x.value),
            "duration": lambda x: f.duration(x.value),
            "count": lambda x: f.count(x.value),
            "number": lambda x, decimals=0: f.number(x.value, decimals),
            "score": lambda x: f.score(x.value),
            "months": lambda x: f.months(x.value),
            "years": lambda x: f.years(x.value),
            "signed": f.signed,
            "value": f.default,
        }
        filters = {name: value_filter(name, render) for name, render in numeric.items()}
        filters["midsentence"] = value_filter("midsentence", lambda x: _midsentence(x.value))
        filters.update(
            capitalize=lambda text: text[:1].upper() + text[1:] if isinstance(text, str) else text,
            moved=_word_filter("moved", {"up": "rose", "down": "fell", "flat": "held steady"}),
            increased=_word_filter("increased", {"up": "increased", "down": "decreased", "flat": "was unchanged"}),
            better=_better_filter,
            above=_word_filter("above", {"up": "above", "down": "below", "flat": "on"}),
        )
        return filters

    # --- rendering ------------------------------------------------------------------------------
    def select(self, names: Sequence[str]) -> jinja2.Template:
        """The first template that exists of ``names`` (most specific first)."""
        try:
            return self.env.select_template(list(names))
        except jinja2.TemplatesNotFound:
            raise TemplateError(
                f"no narrative template found among {', '.join(names)}; searched "
                + ", ".join(str(p) for p in self.search_path)
            ) from None
        except jinja2.TemplateSyntaxError as exc:
            raise TemplateError(_syntax_message(exc)) from None

    def render(self, template: jinja2.Template, context: dict) -> tuple[str, list[tuple[str, str]]]:
        """Render to text with value markers; returns the text and the registered values."""
        self.registry = ValueRegistry()
        try:
            text = template.render(context)
        except jinja2.TemplateSyntaxError as exc:
            raise TemplateError(_syntax_message(exc)) from None
        except jinja2.UndefinedError as exc:
            raise TemplateError(
                f"{_where(template, exc)}: {exc.message}; available variables: {', '.join(sorted(context))}"
            ) from None
        except _TemplateUsageError as exc:
            raise TemplateError(f"{_where(template, exc)}: {exc}") from None
        except jinja2.sandbox.SecurityError as exc:
            raise TemplateError(f"{_where(template, exc)}: not allowed in a narrative template ({exc})") from None
        except (TypeError, ValueError, ZeroDivisionError, AttributeError) as exc:
            raise TemplateError(f"{_where(template, exc)}: {exc}") from None
        return text, self.registry.values


# Part of the cache folder's name: bump it when the environment's compile options above change, so code
# compiled under the old options is never loaded (Jinja keys its cache by template and source only).
_COMPILE_OPTIONS = "sandbox-immutable-strict-trim-lstrip-finalize-1"


@functools.lru_cache(maxsize=1)
def _bytecode_cache() -> jinja2.BytecodeCache | None:
    """Compiled templates kept on disk between runs: compiling is most of a preview's time, and an edit
    loop changes one template at a time. Jinja recompiles any template whose source changed.

    The folder is $NARRATOR_CACHE_DIR, else $XDG_CACHE_HOME/narrator or ~/.cache/narrator; when it
    cannot be created or written, templates are compiled on every run as before."""
    root = os.environ.get("NARRATOR_CACHE_DIR") or os.path.join(
        os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache"), "narrator"
    )
    folder = Path(root) / (
        f"templates-jinja{jinja2.__version__}-py{sys.version_info[0]}{sys.version_info[1]}-{_COMPILE_OPTIONS}"
    )
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError:
        return None
    if not os.access(folder, os.W_OK | os.X_OK):
        return None
    return _BestEffortBytecodeCache(str(folder))


class _BestEffortBytecodeCache(jinja2.FileSystemBytecodeCache):
    """Jinja's file cache, where a cache that cannot be read or written is a miss, never a failed build:
    a disk that fills up or a cache folder cleaned out while a batch runs only costs a recompile."""

    def load_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        try:
            super().load_bytecode(bucket)
        except OSError:
            bucket.reset()

    def dump_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        try:
            super().dump_bytecode(bucket)
        except OSError:
            pass


@functools.lru_cache(maxsize=32)
def shared_environment(search_path: tuple[Path, ...], locale: str, currency: str) -> NarrativeEnvironment:
    """One environment per search path and locale, reused across packs: compiling the templates costs
    far more than rendering them, and Jinja re-checks each file's timestamp, so edits are still seen."""
    *user_dirs, default_dir = search_path
    return NarrativeEnvironment(user_dirs, default_dir, Formatter(locale, currency))


class _TemplateUsageError(Exception):
    """A template printed something the way numbers must not enter text."""


class _RawNumber(_TemplateUsageError):
    def __init__(self, value):
        super().__init__(
            f"printed a bare number ({value!r}); numbers must come from facts: print the fact itself "
            "(e.g. {{ kpi.service_level.latest }}) or pass it through a filter such as | pct"
        )


class _NoneValue(_TemplateUsageError):
    def __init__(self, fact_id: str | None = None):
        what = f"fact {fact_id} has no value" if fact_id else "printed an empty value"
        super().__init__(f"{what}; guard the sentence with {{% if ... %}} so it only appears when data exists")


class _NotAFact(_TemplateUsageError):
    def __init__(self, name, value):
        super().__init__(
            f"filter '{name}' needs a fact, got {type(value).__name__} {value!r}; numbers must come from facts"
        )


def _word_filter(name: str, words: dict[str, str]) -> Callable:
    def apply(fact: object) -> str:
        if not isinstance(fact, Fact) or fact.direction is None:
            raise _NotAFact(name, fact)
        return words[fact.direction]

    return apply


def _better_filter(fact: object) -> str:
    if not isinstance(fact, Fact):
        raise _NotAFact("better", fact)
    return {True: "improved", False: "worsened", None: "held steady"}[fact.favourable]


def _midsentence(text: str) -> str:
    """A label as it reads inside a sentence: "Calls contained" -> "calls contained"; "IVR calls" stays."""
    first = text.split(" ", 1)[0]
    if len(first) > 1 and first[1:].lower() != first[1:]:
        return text
    return text[:1].lower() + text[1:]


def _template_file(template: jinja2.Template) -> str:
    return template.filename or template.name or "template"


def _where(template: jinja2.Template, exc: BaseException) -> str:
    """file, line N, from the deepest traceback frame inside a template file."""
    line = None
    filename = _template_file(template)
    for frame in traceback.extract_tb(exc.__traceback__):
        if frame.filename and frame.filename.endswith((".j2", ".jinja", ".md")):
            filename, line = frame.filename, frame.lineno
    return f"{filename}, line {line}" if line else filename


def _syntax_message(exc: jinja2.TemplateSyntaxError) -> str:
    return f"{exc.filename or exc.name}, line {exc.lineno}: template syntax error: {exc.message}"
