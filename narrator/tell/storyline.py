"""Storylines: the ordered list of sections a pack tells, each with its template and exhibits (YAML)."""

from __future__ import annotations

from pathlib import Path
from typing import Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from narrator.errors import ConfigError, pydantic_problems
from narrator.limits import DOCUMENT, read_text
from narrator.resources import templates_dir
from narrator.yamlio import load_yaml


class ExhibitSpec(BaseModel):
    """A chart or table the section shows; `type` names a builder in narrator/tell/exhibits.py."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    type: str
    kpi: str | None = None
    """For KPI exhibits: the KPI id; default: the first headline KPI with data."""
    scope: Literal["realised", "potential", "all"] = "all"
    """For value exhibits: value delivered this year, value the ask would unlock, or both."""


Requirement = Literal["ask", "value", "realised", "potential", "kpis", "history", "previous", "caveats"]


class SectionSpec(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    id: str = Field(pattern=r"^[a-z][a-z0-9_]*$")
    """Section id, unique in the storyline; also the segment id prefix."""
    template: str
    """Template name without extension: the file sections/<template>.j2, or a more specific variant
    sections/<template>-<audience>.j2, sections/<template>-<sector>.j2 when one exists."""
    heading: str | None = None
    """Short heading for the paper and the deck's navigation; default: the section id's entry in
    headings.yaml (user template folders first), shared by every storyline. Appendices are lettered in
    the order the pack shows them."""
    kind: Literal["summary", "content", "ask", "appendix"] = "content"
    requires: list[Requirement] = Field(default_factory=list)
    """Inputs the section needs; without them it is left out. value: any value lever; realised: value
    delivered this year; potential: value the ask would unlock; history: an earlier period to compare with;
    caveats: something the reader must know."""
    chart: ExhibitSpec | None = None
    table: ExhibitSpec | None = None
    in_deck: bool = True
    in_paper: bool = True


class Storyline(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    name: str
    description: str = ""
    sections: list[SectionSpec]


DEFAULT = "board"


def pick_storyline(name: str, audience: str, sector: str, user_dirs: list[Path]) -> str:
    """The default storyline's most specific variant: board-<audience>-<sector>, board-<audience>,
    board-<sector>, then board. A storyline the config names is used as named."""
    if name != DEFAULT:
        return name
    folders = [*user_dirs, templates_dir()]
    for candidate in (f"{name}-{audience}-{sector}", f"{name}-{audience}", f"{name}-{sector}"):
        if any((folder / "storylines" / f"{candidate}.yaml").exists() for folder in folders):
            return candidate
    return name


def load_storyline(name_or_path: str, config_dir: Path, user_dirs: list[Path]) -> Storyline:
    """A storyline by name (searched in user template folders, then the built-ins) or by file path."""
    candidates = []
    if name_or_path.endswith((".yaml", ".yml")):
        path = Path(name_or_path)
        candidates.append(path if path.is_absolute() else config_dir / path)
    else:
        candidates += [d / "storylines" / f"{name_or_path}.yaml" for d in user_dirs]
        candidates.append(templates_dir() / "storylines" / f"{name_or_path}.yaml")
    path = next((c for c in candidates if c.exists()), None)
    if path is None:
        raise ConfigError(
            f"storyline {name_or_path!r} not found; looked in " + ", ".join(str(c) for c in candidates)
        )
    try:
        raw = load_yaml(read_text(path, str(path), DOCUMENT, ConfigError, encoding="utf-8"))
        storyline = Storyline.model_validate(raw)
    except yaml.YAMLError as exc:
        raise ConfigError(f"{path}: not valid YAML ({exc})") from None
    except UnicodeDecodeError:
        raise ConfigError(f"{path}: not a UTF-8 text file; save it as UTF-8") from None
    except ValidationError as exc:
        raise ConfigError(pydantic_problems(exc, str(path))) from None
    ids = [s.id for s in storyline.sections]
    duplicates = sorted({i for i in ids if ids.count(i) > 1})
    if duplicates:
        raise ConfigError(f"{path}: section ids must be unique; repeated: {', '.join(duplicates)}")
    return _with_headings(storyline, path, user_dirs)


def load_headings(user_dirs: list[Path]) -> dict[str, str]:
    """Section headings by id: the built-in headings.yaml, overridden entry by entry by the user's own."""
    headings: dict[str, str] = {}
    for folder in [templates_dir(), *reversed(user_dirs)]:
        path = folder / "headings.yaml"
        if not path.exists():
            continue
        try:
            data = load_yaml(path.read_text(encoding="utf-8")) or {}
        except yaml.YAMLError as exc:
            raise ConfigError(f"{path}: not valid YAML ({exc})") from None
        if not isinstance(data, dict) or not all(isinstance(v, str) for v in data.values()):
            raise ConfigError(f"{path}: expected one line per section, id: Heading (e.g. problem: The cost of "
                              "doing nothing)")
        headings.update({str(k): v for k, v in data.items()})
    return headings


def _with_headings(storyline: Storyline, path: Path, user_dirs: list[Path]) -> Storyline:
    if all(s.heading for s in storyline.sections):
        return storyline
    headings = load_headings(user_dirs)
    missing = [s.id for s in storyline.sections if not s.heading and s.id not in headings]
    if missing:
        raise ConfigError(
            f"{path}: no heading for section {', '.join(missing)}; give it a heading: in the storyline or a line "
            f"in headings.yaml ({missing[0]}: Your heading)"
        )
    return storyline.model_copy(update={"sections": [
        s if s.heading else s.model_copy(update={"heading": headings[s.id]}) for s in storyline.sections]})


def lettered(headings: list[tuple[str, str]]) -> list[str]:
    """Appendix headings lettered in the order shown: [("appendix", "KPI scorecard")] -> "Appendix A: ..."
    (a heading that already names its appendix is left as it is)."""
    out, letter = [], 0
    for kind, heading in headings:
        if kind == "appendix" and not heading.lower().startswith("appendix"):
            out.append(f"Appendix {chr(ord('A') + letter)}: {heading}")
            letter += 1
        else:
            out.append(heading)
    return out
