"""The template search path: which narrative files exist and which one wins for each name."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from narrator.resources import templates_dir

TEMPLATE_SUFFIXES = (".j2",)


@dataclass(frozen=True)
class TemplateEntry:
    name: str  # as templates refer to it: "sections/outcome.j2"
    winner: Path
    shadowed: tuple[Path, ...]  # files with the same name further down the search path

    @property
    def is_default(self) -> bool:
        return self.winner.is_relative_to(templates_dir())


def search_path(user_dirs: list[Path]) -> list[Path]:
    return [*user_dirs, templates_dir()]


def template_entries(user_dirs: list[Path]) -> list[TemplateEntry]:
    """Every template name on the search path, with the file that wins (the first folder that has it)."""
    found: dict[str, list[Path]] = {}
    for folder in search_path(user_dirs):
        if not folder.is_dir():
            continue
        for path in sorted(folder.rglob("*")):
            if path.suffix in TEMPLATE_SUFFIXES and path.is_file():
                found.setdefault(path.relative_to(folder).as_posix(), []).append(path)
    return [TemplateEntry(name, paths[0], tuple(paths[1:])) for name, paths in sorted(found.items())]


def template_files(user_dirs: list[Path]) -> dict[str, Path]:
    """Name -> winning file, for every template on the search path."""
    return {entry.name: entry.winner for entry in template_entries(user_dirs)}
