"""Template lint: catches a broken narrative edit before the monthly run does.

Checks every template on the search path for syntax errors, variables the template context does not
have, numbers typed into the text, and then renders each section template against the samples and
edge cases (no prior period, no targets, a KPI that got worse, no value or investment data).
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Callable, Iterator
from pathlib import Path

import jinja2
from jinja2 import meta, nodes

from narrator.compute import compute_facts
from narrator.config import LoadedConfig
from narrator.dataset import Dataset
from narrator.errors import NarratorError
from narrator.resources import samples_dir, templates_dir
from narrator.tell import PACK_BLOCKS, SECTION_BLOCKS, _render_blocks, available_data
from narrator.tell.context import TemplateContext, build_context
from narrator.tell.environment import NarrativeEnvironment
from narrator.tell.formatting import Formatter
from narrator.tell.inventory import template_files
from narrator.tell.segments import SegmentFactory
from narrator.tell.syntax import plain_syntax_error

DOCUMENTED = {f.name for f in dataclasses.fields(TemplateContext)} | {"section"}
_DIGIT = re.compile(r"\d")


@dataclasses.dataclass(frozen=True)
class LintProblem:
    file: Path
    line: int | None
    message: str

    def __str__(self) -> str:
        where = f"{self.file}, line {self.line}" if self.line else str(self.file)
        return f"{where}: {self.message}"


def lint_templates(
    user_dirs: list[Path], scenarios: list[tuple[str, LoadedConfig, Dataset]]
) -> list[LintProblem]:
    """Every problem found in the templates a pack with these user folders would use."""
    problems: list[LintProblem] = []
    env = NarrativeEnvironment(user_dirs, templates_dir(), Formatter("en-GB", "GBP"))
    files = template_files(user_dirs)
    for name, path in files.items():
        problems.extend(_static_problems(env.env, name, path))
    if any(p.message.startswith("template syntax error") for p in problems):
        return problems  # rendering would only repeat the syntax errors
    for label, loaded, dataset, *previous in scenarios:
        problems.extend(_render_problems(env, files, label, loaded, dataset, previous[0] if previous else None))
    return _unique(problems)


def _static_problems(env: jinja2.Environment, name: str, path: Path) -> Iterator[LintProblem]:
    source = path.read_text(encoding="utf-8")
    try:
        tree = env.parse(source, name=name, filename=str(path))
    except jinja2.TemplateSyntaxError as exc:
        line, message = plain_syntax_error(exc, source)
        yield LintProblem(path, line, message if message.startswith("template syntax error") else
                          f"template syntax error: {message}")
        return
    # Names a template defines itself (macros, {% set %}, {% import %}) are its own, not the context's;
    # jinja2.meta does not see top-level assignments of a child template from inside its blocks.
    own = {n.name for n in tree.find_all(nodes.Macro)}
    own |= {
        t.name
        for a in tree.find_all(nodes.Assign)
        for t in (a.target, *a.target.find_all(nodes.Name))
        if isinstance(t, nodes.Name)
    }
    own |= {n.target for n in tree.find_all(nodes.Import)}
    own |= {
        name if isinstance(name, str) else name[-1]
        for n in tree.find_all(nodes.FromImport)
        for name in n.names
    }
    for variable in sorted(meta.find_undeclared_variables(tree) - DOCUMENTED - own):
        line = next((n.lineno for n in tree.find_all(nodes.Name) if n.name == variable), None)
        yield LintProblem(
            path,
            line,
            f"unknown variable '{variable}'; the variables a template can use are listed in docs/templates.md",
        )
    yield from _never_true(path, tree)
    for data in tree.find_all(nodes.TemplateData):
        for offset, text in enumerate(data.data.split("\n")):
            if _DIGIT.search(_strip_block_lines(text)):
                yield LintProblem(
                    path,
                    data.lineno + offset,
                    f"a number is typed into the text (\u201c{text.strip()[:60]}\u201d); numbers must come from "
                    "facts, e.g. {{ kpi.service_level.latest }}",
                )
    for output in tree.find_all(nodes.Output):
        for const in output.find_all(nodes.Const):
            if isinstance(const.value, str) and _DIGIT.search(const.value):
                yield LintProblem(
                    path,
                    const.lineno,
                    f"a number is typed into a string (\u201c{const.value[:60]}\u201d); numbers must come from facts",
                )


YES_NO = {
    "on_target", "meets_target", "misses_target", "has_data", "is_demand", "notable_vs_prior",
    "notable_vs_year_ago", "notable_vs_trend_start", "repaid", "positive", "zero_cost", "anything",
    "year_on_year", "has_targets", "indicative", "realised", "computed", "cash", "favourable", "is_line",
}
"""Attributes that are yes/no (true/false/none): compared with a word such as "no", they never match."""


def _never_true(path: Path, tree) -> Iterator[LintProblem]:
    """``k.on_target == "no"`` passes Jinja and never fires: a yes/no is not the text "no"."""
    for compare in tree.find_all(nodes.Compare):
        sides = [compare.expr, *(op.expr for op in compare.ops)]
        flags = [s for s in sides if isinstance(s, nodes.Getattr) and s.attr in YES_NO]
        words = [s for s in sides if isinstance(s, nodes.Const) and isinstance(s.value, str)]
        if flags and words:
            attr, word = flags[0].attr, words[0].value
            hint = f"{{% if not ... .{attr} %}}" if word.lower() in ("no", "false", "n") else f"{{% if ... .{attr} %}}"
            if attr == "on_target" and word.lower() in ("no", "false", "n"):
                hint = "{% if k.misses_target %}"
            yield LintProblem(path, compare.lineno,
                              f"this comparison can never be true: {attr} is yes/no, not the text \u201c{word}\u201d; "
                              f"write {hint}")


def _strip_block_lines(text: str) -> str:
    # "@@@ title" lines are structure, not text; they hold no digits anyway, but stay explicit.
    return "" if text.startswith("@@@ ") else text


def _render_problems(
    env, files: dict[str, Path], label: str, loaded: LoadedConfig, dataset: Dataset, previous=None
):
    try:
        computed = compute_facts(dataset, loaded.config, str(loaded.path), previous)
        context = build_context(computed, loaded.config)
    except NarratorError as exc:
        yield LintProblem(loaded.path, None, f"scenario {label!r} could not be prepared: {exc.problems[0]}")
        return
    segments = SegmentFactory(Formatter(loaded.config.locale, loaded.config.currency))
    available = available_data(context) | {"previous": context.since_last is not None}
    requires = _requirements_by_template(loaded)
    from narrator.tell.claims import claim_checker

    checker = claim_checker(computed)
    for name, path in files.items():
        if Path(name).name.startswith("_") or not name.endswith(".j2"):
            continue
        base = Path(name).stem.split("-")[0]
        if not all(available[r] for r in requires.get(base, ())):
            continue  # the storyline leaves this section out when its data is missing
        blocks = PACK_BLOCKS if name == "pack.j2" else SECTION_BLOCKS
        variables = context.as_dict() | {"section": {"id": "lint", "heading": "Lint"}}
        try:
            rendered = _render_blocks(env, [name], variables, blocks, segments, "lint")
        except NarratorError as exc:
            for problem in exc.problems:
                yield LintProblem(path, _line_of(problem), f"with {label}: {_without_place(problem)}")
            continue
        # The claim check on each block: a sentence whose words contradict its figures in this scenario.
        for block in blocks:
            for segment in rendered.get(block, ()):
                for message in checker.segment(segment):
                    yield LintProblem(path, None, f"with {label}: block {block}, segment {segment.id}: {message}")


def _requirements_by_template(loaded: LoadedConfig) -> dict[str, set[str]]:
    """What data each section template needs, from every storyline on the search path."""
    import yaml

    requires: dict[str, set[str]] = {}
    folders = [loaded.resolve(p) for p in loaded.config.templates] + [templates_dir()]
    for folder in folders:
        for path in sorted((folder / "storylines").glob("*.yaml")):
            try:
                data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
            except yaml.YAMLError:
                continue
            for section in data.get("sections", []):
                requires.setdefault(section.get("template", ""), set()).update(section.get("requires", []))
    return requires


def _line_of(message: str) -> int | None:
    match = re.search(r", line (\d+):", message)
    return int(match.group(1)) if match else None


def _without_place(message: str) -> str:
    return re.sub(r"^.*?(, line \d+|, block \w+): ", "", message, count=1)


def _unique(problems: list[LintProblem]) -> list[LintProblem]:
    seen, out = set(), []
    for p in problems:
        key = (p.file, p.line, re.sub(r"^with [^:]+: ", "", p.message))
        if key not in seen:
            seen.add(key)
            out.append(p)
    return out


# --- scenarios: the samples and the edge cases every template must survive ---------------------------


def default_scenarios(
    load: Callable[[Path], tuple[LoadedConfig, Dataset]],
) -> list[tuple[str, LoadedConfig, Dataset]]:
    """The bundled samples plus edge cases derived from the first: no prior period, no targets or
    benchmarks, a KPI that got worse, and no value items or investment ask."""
    scenarios = []
    for config in sorted(samples_dir().glob("*/report.yaml")):
        loaded, dataset = load(config)
        scenarios.append((f"sample {config.parent.name}", loaded, dataset))
    if not scenarios:
        return scenarios
    _, loaded, base = scenarios[0]
    latest = max(o.period for o in base.observations)
    scenarios += [
        ("no prior period", loaded, _replace(base, [o for o in base.observations if o.period == latest])),
        (
            "no targets or benchmarks",
            loaded,
            _replace(
                base, [o.model_copy(update={"target": None, "benchmark": None}) for o in base.observations]
            ),
        ),
        (
            "a KPI that got worse",
            loaded,
            _replace(base, [_worse(o, latest, base) for o in base.observations]),
        ),
        (
            "no value items or investment",
            loaded,
            base.model_copy(update={"value_items": (), "investment": None}),
        ),
        ("a previous report to compare with", loaded, base, _previous_record(base, latest)),
    ]
    return scenarios


def _previous_record(dataset: Dataset, latest) -> tuple[dict, str]:
    """A last report in which every KPI was off target, value was lower and no risk was known, so the
    'since the last report' template renders every branch it has."""
    record = {
        "period": latest.prior().key(),
        "facts": [{"id": "value.total.realised", "value": 1.0, "unit": "money"}],
        "kpis": {kpi: {"on_target": False} for kpi in dataset.kpis},
    }
    return record, "previous.run.json"


def _replace(dataset: Dataset, observations) -> Dataset:
    return dataset.model_copy(update={"observations": tuple(observations)})


def _worse(obs, latest, dataset: Dataset):
    if obs.period != latest or obs.value is None:
        return obs
    kpi = dataset.catalogue.get(obs.kpi)
    factor = 0.8 if kpi.direction == "up" else 1.25
    value = obs.value * factor
    return obs.model_copy(update={"value": min(value, 1.0) if kpi.unit == "percent" else value})
