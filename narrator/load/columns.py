"""Finding the columns a layout needs among a file's headers, by default name or the config's mapping."""

from __future__ import annotations

from narrator.catalogue import normalise_name
from narrator.load.problems import Problems
from narrator.load.tables import Table


def match_header(headers: list[str], wanted: str) -> str | None:
    """The header that names ``wanted``, ignoring case, spaces and punctuation ("Period " = "period")."""
    key = normalise_name(wanted)
    return next((h for h in headers if normalise_name(h) == key), None)


def quoted(names) -> str:
    return ", ".join(f'"{n}"' for n in names)


def find_columns(
    table: Table,
    mapping: dict[str, str],
    defaults: dict[str, tuple[str, ...]],
    required: tuple[str, ...],
    problems: Problems,
    config_name: str,
) -> dict[str, str]:
    """Narrator name -> file header for each column in ``defaults`` the file has.

    A mapped header must exist (the user asked for it); a default one may be absent unless required.
    """
    found: dict[str, str] = {}
    for name, synonyms in defaults.items():
        if name in mapping:
            header = match_header(table.columns, mapping[name])
            if header is None:
                problems.add(
                    f'{config_name}: inputs.kpis.columns.{name}: column "{mapping[name]}" is not in '
                    f"{table.name}; the columns are {quoted(table.columns)}"
                )
            else:
                found[name] = header
            continue
        header = next((h for s in synonyms if (h := match_header(table.columns, s))), None)
        if header is not None:
            found[name] = header
        elif name in required:
            problems.add(
                f'{table.name}: no "{name}" column; the columns are {quoted(table.columns)}; '
                f'rename one to "{name}" or map it in inputs.kpis.columns ({name}: "<header>")'
            )
    return found


def check_mapping_keys(mapping: dict[str, str], allowed, layout: str, problems: Problems, config_name: str):
    """Mapping keys this layout does not read are typos, and silently ignoring them loses the mapping."""
    for key in mapping:
        if key not in allowed:
            problems.add(
                f"{config_name}: inputs.kpis.columns.{key}: not a column of the {layout} layout; "
                f"use one of {', '.join(allowed)}"
            )
