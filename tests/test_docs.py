"""Everything a user can set or use is documented: config keys in the README, template variables in
docs/templates.md, CLI commands in the README."""

import dataclasses
import re
from pathlib import Path

import pytest

from narrator.cli import cli
from narrator.config import (
    CustomKpi,
    Inputs,
    KpiInput,
    LlmSettings,
    ReferenceTemplates,
    ReportConfig,
    Thresholds,
)
from narrator.tell.context import AskView, KpiView, TemplateContext, ValueItemView, ValueView

REPO = Path(__file__).resolve().parent.parent
README = (REPO / "README.md").read_text(encoding="utf-8")
TEMPLATE_DOC = (REPO / "docs" / "templates.md").read_text(encoding="utf-8")

CONFIG_MODELS = [
    (ReportConfig, ""),
    (Inputs, "inputs."),
    (KpiInput, "inputs.kpis."),
    (CustomKpi, "kpis.<id>."),
    (Thresholds, "thresholds."),
    (ReferenceTemplates, "reference."),
    (LlmSettings, "llm."),
]


@pytest.mark.parametrize(
    "key", [prefix + name for model, prefix in CONFIG_MODELS for name in model.model_fields]
)
def test_every_config_key_is_in_the_readme_reference(key):
    assert f"`{key}`" in README, f"document the config key {key} in README.md's config reference"


@pytest.mark.parametrize(
    "model", [ReportConfig, Inputs, KpiInput, CustomKpi, Thresholds, ReferenceTemplates, LlmSettings]
)
def test_every_config_field_carries_a_docstring(model):
    # Read from the source (the models do not ask pydantic to: it costs every command ~20 ms at start-up).
    undocumented = [name for name in model.model_fields if name not in _attribute_docstrings(model)]
    assert not undocumented


def _attribute_docstrings(model) -> set[str]:
    """The fields of a model and of its bases that have a docstring on the line after them."""
    import ast
    import inspect
    import textwrap

    documented: set[str] = set()
    for cls in model.__mro__:
        if not cls.__module__.startswith("narrator."):
            continue
        body = ast.parse(textwrap.dedent(inspect.getsource(cls))).body[0].body
        for node, following in zip(body, body[1:], strict=False):
            if (isinstance(node, ast.AnnAssign) and isinstance(node.target, ast.Name)
                    and isinstance(following, ast.Expr) and isinstance(following.value, ast.Constant)
                    and isinstance(following.value.value, str)):
                documented.add(node.target.id)
    return documented


@pytest.mark.parametrize("name", [f.name for f in dataclasses.fields(TemplateContext)])
def test_every_template_variable_is_documented(name):
    assert re.search(rf"^\| `{name}` \|", TEMPLATE_DOC, re.MULTILINE), f"document {name} in docs/templates.md"


@pytest.mark.parametrize(
    "name",
    sorted(
        {f.name for view in (KpiView, ValueView, AskView) for f in dataclasses.fields(view)}
        | {"on_target", "has_data", "repaid", "positive"}
    ),
)
def test_every_attribute_of_kpis_value_and_ask_is_documented(name):
    assert f"`{name}`" in TEMPLATE_DOC, f"document the attribute {name} in docs/templates.md"


@pytest.mark.parametrize("name", [f.name for f in dataclasses.fields(ValueItemView)])
def test_every_value_item_attribute_is_documented(name):
    assert f"`{name}`" in TEMPLATE_DOC


def test_every_cli_command_is_in_the_readme():
    for name in cli.commands:
        assert f"narrator {name}" in README, f"document `narrator {name}` in README.md"
