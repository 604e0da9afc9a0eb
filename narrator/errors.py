"""The one exception tree narrator raises; the CLI maps it to messages and exit codes.

    NarratorError                    base; never raised itself
    ├── UserError                    bad input the user can fix (CLI exit code 2)
    │   ├── ConfigError              report config: unknown key, wrong type, missing file it names
    │   ├── InputError               KPI data, value translations, investment ask, assumptions
    │   ├── TemplateError            narrative template: syntax, undefined variable, literal number
    │   ├── OfficeTemplateError      reference .pptx/.docx cannot serve (corrupt, missing layout)
    │   └── OutputError              output folder missing or not writable
    ├── QualityError                 the built documents fail the board-ready gate (CLI exit code 3)
    └── InternalError                a bug in narrator (CLI exit code 1)

A ``UserError`` carries one or more ``problems``: each a single line that names the file, the row or
key, what was expected and what to do. Every problem is collected before raising, so a user fixes a
file once rather than once per run.
"""

from __future__ import annotations

from collections.abc import Iterable


class NarratorError(Exception):
    """Base of every error narrator raises on purpose."""

    exit_code = 1

    def __init__(self, problems: str | Iterable[str]):
        self.problems: list[str] = [problems] if isinstance(problems, str) else list(problems)
        if not self.problems:
            self.problems = ["unknown problem"]
        super().__init__("\n".join(self.problems))


class UserError(NarratorError):
    """Input the user can correct; the message says where and how."""

    exit_code = 2


class ConfigError(UserError):
    """The report config is invalid."""


class InputError(UserError):
    """A data file (KPIs, value items, investment ask, assumptions) is invalid."""


class TemplateError(UserError):
    """A narrative template cannot be rendered."""


class OfficeTemplateError(UserError):
    """A reference .pptx/.docx cannot serve as the base of a document."""


class OutputError(UserError):
    """The outputs cannot be written where asked."""


class QualityError(NarratorError):
    """The documents built but fail the quality gate (overflow, missing alt text, invalid package ...);
    nothing was written."""

    exit_code = 3


class InternalError(NarratorError):
    """Something narrator should have handled; please report it."""


def pydantic_problems(error, where: str) -> list[str]:
    """Translate a pydantic ``ValidationError`` into one line per problem, prefixed with ``where``."""
    lines = []
    for item in error.errors():
        loc = ".".join(map(str, item.get("loc", ()))) or "(top level)"
        message = item.get("msg", "invalid value").removeprefix("Value error, ")
        if item.get("type") == "extra_forbidden":
            message = "unknown key; check its spelling against the config reference in the README"
        elif item.get("type") == "missing":
            message = "required key is missing"
        lines.append(f"{where}: {loc}: {message}")
    return lines
