"""Finds the built-in templates, prompts, samples and scheduling examples, in a wheel install and in a source
checkout alike."""

from __future__ import annotations

from pathlib import Path

_PACKAGE = Path(__file__).resolve().parent


def _bundled(name: str, in_checkout: str | None = None) -> Path:
    # A wheel carries the repository's folders inside the package (pyproject force-include); a source
    # checkout or editable install reads them from the repository root beside the package.
    inside = _PACKAGE / "_bundled" / name
    return inside if inside.is_dir() else _PACKAGE.parent / (in_checkout or name)


def templates_dir() -> Path:
    return _bundled("templates")


def prompts_dir() -> Path:
    return _bundled("prompts")


def samples_dir() -> Path:
    return _bundled("samples")


def examples_dir() -> Path:
    """The scheduling examples (docs/examples in the repository): the monthly script and CI workflow."""
    return _bundled("examples", in_checkout="docs/examples")


def reference_template(kind: str) -> Path:
    """The default reference document for "pptx" or "docx"."""
    return templates_dir() / "reference" / f"default.{kind}"
