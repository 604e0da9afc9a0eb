"""Loads and validates the polish prompt: a versioned YAML data file, user copy first, built-in last."""

from __future__ import annotations

import hashlib
from pathlib import Path

import yaml
from jinja2 import StrictUndefined, TemplateSyntaxError, meta
from jinja2.sandbox import SandboxedEnvironment
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from narrator.errors import ConfigError, pydantic_problems
from narrator.limits import DOCUMENT, read_bytes
from narrator.resources import prompts_dir
from narrator.yamlio import load_yaml

PROMPT_FILE = "polish.yaml"
VARIABLES = ("english", "locale", "segments")

_ENV = SandboxedEnvironment(undefined=StrictUndefined, keep_trailing_newline=True, autoescape=False)


class PromptFile(BaseModel):
    """What a prompt file must hold."""

    model_config = ConfigDict(extra="forbid")

    name: str = Field(min_length=1)
    """Identifies the prompt in the run record and the cache key."""
    version: int | str
    """Bumped by hand when the intent changes; goes into the cache key with a hash of the content."""
    description: str = ""
    """What the prompt is for."""
    system: str = Field(min_length=1)
    """The system message (Jinja2)."""
    user: str = Field(min_length=1)
    """The user message (Jinja2); must include {{ segments }}."""


class Prompt(BaseModel):
    """A validated prompt, ready to render."""

    model_config = ConfigDict(frozen=True)

    name: str
    version: str
    system: str
    user: str
    path: Path
    content_hash: str  # sha256 of the file: an edit without a version bump still misses the cache

    def messages(self, *, locale: str, segments: str) -> list[dict[str, str]]:
        values = {"english": english_for(locale), "locale": locale, "segments": segments}
        return [
            {"role": "system", "content": _ENV.from_string(self.system).render(values).strip()},
            {"role": "user", "content": _ENV.from_string(self.user).render(values).strip()},
        ]


def english_for(locale: str) -> str:
    region = locale.replace("_", "-").split("-")[-1].upper()
    return "American English" if region in ("US", "PH", "PR", "UM") else "British English"


def find_prompt(config_dir: Path) -> Path:
    """The prompt file a pack uses: ``prompts/polish.yaml`` beside its config, else the built-in one."""
    own = Path(config_dir) / "prompts" / PROMPT_FILE
    return own if own.is_file() else prompts_dir() / PROMPT_FILE


def load_prompt(path: Path) -> Prompt:
    """Read and check a prompt file; every problem becomes one ConfigError naming the file and field."""
    if not path.is_file():
        raise ConfigError(f"{path}: prompt file not found; restore it from narrator's prompts/ folder")
    raw_bytes = read_bytes(path, str(path), DOCUMENT, ConfigError)
    try:
        raw = load_yaml(raw_bytes.decode("utf-8-sig"))
    except (yaml.YAMLError, UnicodeDecodeError) as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f", line {mark.line + 1}" if mark else ""
        raise ConfigError(f"{path}{where}: not a valid UTF-8 YAML prompt file ({exc})") from None
    if not isinstance(raw, dict):
        raise ConfigError(f"{path}: expected a mapping with name, version, system and user")
    try:
        data = PromptFile.model_validate(raw)
    except ValidationError as exc:
        raise ConfigError(pydantic_problems(exc, str(path))) from None
    problems = [
        p for field in ("system", "user") for p in _template_problems(path, field, getattr(data, field))
    ]
    if not problems and "segments" not in meta.find_undeclared_variables(_ENV.parse(data.user)):
        problems.append(f"{path}: user: must include {{{{ segments }}}}, or the model never sees the text")
    if problems:
        raise ConfigError(problems)
    prompt = Prompt(
        name=data.name,
        version=str(data.version),
        system=data.system,
        user=data.user,
        path=path,
        content_hash=hashlib.sha256(raw_bytes).hexdigest(),
    )
    try:  # a template can parse yet fail to render (a bad filter call); find out now, not mid-run
        prompt.messages(locale="en-GB", segments='{"segments": []}')
    except Exception as exc:
        raise ConfigError(f"{path}: the prompt does not render: {exc}") from None
    return prompt


def _template_problems(path: Path, field: str, source: str) -> list[str]:
    try:
        used = meta.find_undeclared_variables(_ENV.parse(source))
    except TemplateSyntaxError as exc:
        return [f"{path}: {field}, template line {exc.lineno}: {exc.message}"]
    unknown = sorted(used - set(VARIABLES))
    if unknown:
        return [f"{path}: {field}: unknown variable {', '.join(unknown)}; available: {', '.join(VARIABLES)}"]
    return []
