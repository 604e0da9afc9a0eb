"""The Jinja2 environment for narrative templates: sandboxed, strict, user folders first, values marked.

Every value a template prints goes through one door: a filter (``money``, ``pct``, ``pp`` ...) or the
environment's ``finalize`` hook. Either way the formatted text is registered with the fact it came from
and replaced in the output by a private-use marker. The tell stage later turns each marker into a
``ValuePart``, so the words and the values of a sentence never mix, and a digit found in the words is
proof that someone typed a number into a template.

A template is also code that someone other than narrator's authors wrote, so each render has a budget
(``RenderBudget``): output length, loop iterations, call depth and wall time, checked as it runs, plus
the size of any string or list an operator, filter or call produces. Past any of them the render stops
with a TemplateError naming the limit and the environment variable that raises it.
"""

from __future__ import annotations

import functools
import os
import re
import sys
import time
import traceback
from collections.abc import Callable, Sequence
from pathlib import Path

import jinja2
import jinja2.bccache
from jinja2.sandbox import ImmutableSandboxedEnvironment
from jinja2.utils import Namespace

from narrator.compute.facts import Fact
from narrator.errors import TemplateError, UserError
from narrator.limits import TEMPLATE, read_text
from narrator.tell.formatting import Formatter
from narrator.tell.phrases import Phrase
from narrator.tell.syntax import plain_syntax_error

MARK_OPEN, MARK_CLOSE = "\ue000", "\ue001"
MARK_PATTERN = re.compile(f"{MARK_OPEN}(\\d+){MARK_CLOSE}")
PHRASE_OPEN, PHRASE_CLOSE = "\ue002", "\ue003"
PHRASE_PATTERN = re.compile(f"{PHRASE_OPEN}([^{PHRASE_CLOSE}]*){PHRASE_CLOSE}")
"""Which ready phrase was printed where: the tell stage strips these and keeps the names per segment, so the
text preview can show an editor which wording the data chose."""


class ValueRegistry:
    """The values printed during one render, in order: (text as formatted, fact id)."""

    def __init__(self) -> None:
        self.values: list[tuple[str, str]] = []

    def mark(self, text: str, fact_id: str) -> str:
        self.values.append((text, fact_id))
        return f"{MARK_OPEN}{len(self.values) - 1}{MARK_CLOSE}"


class BudgetExceeded(Exception):
    """A template went past one of its render limits."""


class RenderBudget:
    """The limits of one render, read from the environment when the render starts."""

    LIMITS = {  # name: (environment variable, default, what it bounds)
        "chars": ("NARRATOR_TEMPLATE_MAX_CHARS", 2_000_000, "characters of output or of one value"),
        "loops": ("NARRATOR_TEMPLATE_MAX_LOOPS", 1_000_000, "loop iterations"),
        "depth": ("NARRATOR_TEMPLATE_MAX_DEPTH", 64, "nested macro or function calls"),
        "seconds": ("NARRATOR_TEMPLATE_SECONDS", 10, "seconds"),
    }
    MAX_INT_ARGUMENT = 10**6  # widths, counts and repeats passed to filters and calls

    def __init__(self) -> None:
        values = {}
        for name, (env, default, _) in self.LIMITS.items():
            raw = os.environ.get(env, "").strip()
            try:
                values[name] = float(raw) if raw else default
            except ValueError:
                raise UserError(f"{env}={raw!r}: expected a number") from None
        self.chars, self.loops = int(values["chars"]), int(values["loops"])
        self.depth_limit, self.seconds = int(values["depth"]), values["seconds"]
        self.deadline = time.monotonic() + self.seconds
        self.iterations = self.depth = self.output = 0

    def exceeded(self, name: str, detail: str = "") -> BudgetExceeded:
        env, _, what = self.LIMITS[name]
        limit = {"chars": self.chars, "loops": self.loops, "depth": self.depth_limit, "seconds": self.seconds}
        return BudgetExceeded(
            f"went past the render limit of {limit[name]:g} {what}{detail}; simplify the template, or raise "
            f"the limit with {env}=<number>"
        )

    def tick(self, n: int = 1) -> None:
        self.iterations += n
        if self.iterations > self.loops:
            raise self.exceeded("loops")
        if time.monotonic() > self.deadline:
            raise self.exceeded("seconds")

    def sized(self, value: object) -> object:
        if isinstance(value, str | list | tuple | dict) and len(value) > self.chars:
            raise self.exceeded("chars", f" (a value of {len(value):,} items)")
        return value

    def arguments(self, args: tuple, kwargs: dict) -> None:
        for arg in (*args, *kwargs.values()):
            if isinstance(arg, int) and not isinstance(arg, bool) and abs(arg) > self.MAX_INT_ARGUMENT:
                raise BudgetExceeded(
                    f"passed {arg:,} to a filter or function; a template may pass numbers up to "
                    f"{self.MAX_INT_ARGUMENT:,} (widths, counts, repeats)"
                )
            if isinstance(arg, str) and _HUGE_WIDTH.search(arg):
                raise BudgetExceeded("asked for a formatting width over six digits; use a smaller width")
            self.sized(arg)


_HUGE_WIDTH = re.compile(r"%[-+ #0]*\d{7,}|\{[^{}]*:[^{}]*\d{7,}[^{}]*\}")


class _BudgetedSandbox(ImmutableSandboxedEnvironment):
    """The sandbox, with every operator that can build a large value, every call and every range
    checked against the current render's budget."""

    intercepted_binops = frozenset({"*", "**", "+", "%", "//"})
    budget: RenderBudget | None = None

    def call_binop(self, context, operator, left, right):
        budget = self.budget
        if budget is not None:
            budget.tick()
            if operator == "**" and _is_int(left) and _is_int(right) and abs(left) > 1 and right > 64:
                raise BudgetExceeded(f"raised a number to the power {right:,}; powers above 64 are not allowed")
            if operator == "*" and (_is_int(left) or _is_int(right)):
                size = len(right) if _is_int(left) and hasattr(right, "__len__") else None
                size = len(left) if size is None and hasattr(left, "__len__") else size
                times = left if _is_int(left) else right
                if size is not None and size * max(times, 0) > budget.chars:
                    raise budget.exceeded("chars", f" (a repeat of {size:,} items {times:,} times)")
            if operator == "%" and isinstance(left, str) and _HUGE_WIDTH.search(left):
                raise BudgetExceeded("asked for a formatting width over six digits; use a smaller width")
        return budget.sized(super().call_binop(context, operator, left, right)) if budget else (
            super().call_binop(context, operator, left, right)
        )

    def call(__self, __context, __obj, *args, **kwargs):  # noqa: N805 - Jinja's own signature
        budget = __self.budget
        if budget is None:
            return super().call(__context, __obj, *args, **kwargs)
        budget.arguments(args, kwargs)
        bound = getattr(getattr(__obj, "__wrapped__", __obj), "__self__", None)  # str.format, sandbox-wrapped
        if isinstance(bound, str) and _HUGE_WIDTH.search(bound):
            raise BudgetExceeded("asked for a formatting width over six digits; use a smaller width")
        budget.tick()
        budget.depth += 1
        try:
            if budget.depth > budget.depth_limit:
                raise budget.exceeded("depth", " (a macro calling itself without end?)")
            return budget.sized(super().call(__context, __obj, *args, **kwargs))
        finally:
            budget.depth -= 1

    def budgeted_range(self, *args):
        budget = self.budget
        numbers = jinja2.sandbox.safe_range(*args)
        if budget is None:
            return numbers
        return _CountedRange(numbers, budget)


def _is_int(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


class _CountedRange:
    """A range whose iteration counts against the render's loop budget (nested loops over ranges are
    the cheapest way to make a render run for ever)."""

    def __init__(self, numbers: range, budget: RenderBudget):
        self._numbers, self._budget = numbers, budget  # private: a template cannot reach them

    def __len__(self) -> int:
        return len(self._numbers)

    def __getitem__(self, index):
        return self._numbers[index]

    def __iter__(self):
        for number in self._numbers:
            self._budget.tick()
            yield number

    def __reversed__(self):
        return iter(_CountedRange(self._numbers[::-1], self._budget))


class _BudgetedNamespace(Namespace):
    """``namespace()`` whose attributes are size-checked: ``{% set ns.s = ns.s ~ ns.s %}`` in a loop
    doubles a string without any operator or call the sandbox sees."""

    def __init__(self, budget_of, *args, **kwargs):
        object.__setattr__(self, "_budget_of", budget_of)
        super().__init__(*args, **kwargs)

    def __setitem__(self, name, value):
        budget = object.__getattribute__(self, "_budget_of")()
        if budget is not None:
            budget.tick()
            budget.sized(value)
        super().__setitem__(name, value)


def _budgeted_filter(environment: _BudgetedSandbox, function: Callable) -> Callable:
    @functools.wraps(function)  # keeps Jinja's pass_context / pass_environment marks
    def checked(*args, **kwargs):
        budget = environment.budget
        if budget is None:
            # Outside a render is only Jinja folding constants at compile time ("'%9999999s'|format(x)"
            # would be built there, unbounded): refusing makes Jinja leave it to the budgeted render.
            raise _NotAtCompileTime()
        budget.arguments(args, kwargs)
        budget.tick()
        return budget.sized(function(*args, **kwargs))

    return checked


class _NotAtCompileTime(Exception):
    """Raised to stop Jinja's optimizer evaluating a filter before the render (it then leaves it)."""


class _BoundedLoader(jinja2.FileSystemLoader):
    """Jinja's file loader, refusing anything but a regular file within the template size limit (a
    FIFO or /dev/zero named as a template would otherwise hang the run or fill memory)."""

    def get_source(self, environment, template):
        pieces = jinja2.loaders.split_template_path(template)
        for folder in self.searchpath:
            candidate = os.path.join(folder, *pieces)
            if os.path.exists(candidate) and not os.path.isfile(candidate) and not os.path.isdir(candidate):
                # Jinja would pass over it silently and use the next folder's template instead.
                read_text(Path(candidate), candidate, TEMPLATE, TemplateError)
        source, filename, uptodate = super().get_source(environment, template)
        try:
            source = read_text(Path(filename), filename, TEMPLATE, TemplateError, encoding="utf-8")
        except UnicodeDecodeError:
            raise TemplateError(f"{filename}: not a UTF-8 text file; save the template as UTF-8") from None
        return source, filename, uptodate


class NarrativeEnvironment:
    """Loads and renders narrative templates with marked values and user-friendly errors."""

    def __init__(self, user_dirs: Sequence[Path], default_dir: Path, formatter: Formatter):
        self.search_path = [*user_dirs, default_dir]
        self.formatter = formatter
        self.registry = ValueRegistry()
        default_loader = _BoundedLoader(str(default_dir))
        # "default:name" reaches the built-in template even when a user template shadows it, so a
        # user can {% extends "default:outcome.j2" %} and override one block.
        loader = jinja2.ChoiceLoader(
            [
                jinja2.PrefixLoader({"default": default_loader}, delimiter=":"),
                *(_BoundedLoader(str(d)) for d in user_dirs),
                default_loader,
            ]
        )
        self.env = _BudgetedSandbox(
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
        self.env.filters = {name: _budgeted_filter(self.env, f) for name, f in self.env.filters.items()}
        env = self.env
        self.env.globals.update(
            range=env.budgeted_range,
            namespace=lambda *args, **kwargs: _BudgetedNamespace(lambda: env.budget, *args, **kwargs),
        )

    # --- values ---------------------------------------------------------------------------------
    def _finalize(self, value: object) -> object:
        if isinstance(value, Fact):
            return self.registry.mark(self.formatter.default(value), value.id)
        if isinstance(value, Phrase):
            return self._phrase(value)
        if isinstance(value, bool) or isinstance(value, int | float):
            raise _RawNumber(value)
        if value is None:
            raise _NoneValue()
        return value

    def _phrase(self, phrase: Phrase) -> str:
        """A ready phrase: its words as they are, each of its values through the value door."""
        out = []
        for piece in phrase.pieces:
            if isinstance(piece, str):
                out.append(piece)
            else:
                fact, form = piece
                if fact.value is None:
                    raise _NoneValue(fact.id)
                out.append(self.registry.mark(self._forms[form](fact), fact.id))
        name = f"{PHRASE_OPEN}{phrase.name}{PHRASE_CLOSE}" if phrase.name else ""
        return name + "".join(out)

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
        self._forms = numeric | {"midsentence": lambda x: _midsentence(x.value)}
        filters = {name: value_filter(name, render) for name, render in numeric.items()}
        filters["midsentence"] = value_filter("midsentence", lambda x: _midsentence(x.value))
        filters.update(
            capitalize=_capitalize,
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
        budget = RenderBudget()
        self.env.budget = budget
        try:
            chunks = []
            for chunk in template.generate(context):
                budget.output += len(chunk)
                if budget.output > budget.chars:
                    raise budget.exceeded("chars")
                budget.tick(0)  # the clock, at every piece of output
                chunks.append(chunk)
            text = "".join(chunks)
        except BudgetExceeded as exc:
            raise TemplateError(f"{_where(template, exc)}: {exc}") from None
        except RecursionError:
            raise TemplateError(
                f"{_template_file(template)}: calls itself too deeply (a macro or include without an end); "
                "check its recursion stops"
            ) from None
        except MemoryError:
            raise TemplateError(
                f"{_template_file(template)}: ran out of memory while rendering; simplify the template"
            ) from None
        except (jinja2.TemplateNotFound, jinja2.TemplatesNotFound) as exc:
            raise TemplateError(
                f"{_where(template, exc)}: includes or extends {exc.name!r}, which is not a template in the "
                f"template folders ({', '.join(str(p) for p in self.search_path)}); a template may only use "
                "templates from those folders, by a name relative to one of them"
            ) from None
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
        except (OverflowError, IndexError, KeyError) as exc:
            raise TemplateError(f"{_where(template, exc)}: {type(exc).__name__}: {exc}") from None
        except jinja2.TemplateError as exc:
            raise TemplateError(f"{_where(template, exc)}: {exc.message or type(exc).__name__}") from None
        finally:
            self.env.budget = None
        return text, self.registry.values


# Part of the cache folder's name: bump it when the environment's compile options above change, so code
# compiled under the old options is never loaded (Jinja keys its cache by template and source only).
_COMPILE_OPTIONS = "sandbox-immutable-strict-trim-lstrip-finalize-budget-2"


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


def _capitalize(text: object) -> object:
    if isinstance(text, Phrase):
        return text.capitalized()
    return text[:1].upper() + text[1:] if isinstance(text, str) else text


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
    source = None
    if exc.filename and os.path.exists(exc.filename):
        source = Path(exc.filename).read_text(encoding="utf-8")
    line, message = plain_syntax_error(exc, source)
    return f"{exc.filename or exc.name}, line {line}: {message}"
