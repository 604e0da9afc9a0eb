"""Reading a YAML or JSON document (value items, investment ask) with errors that name the file and line."""

from __future__ import annotations

import json
from pathlib import Path

import yaml

from narrator.errors import InputError
from narrator.limits import DOCUMENT, check_document_tree, read_text
from narrator.yamlio import load_yaml


def read_document(path: Path, name: str, config_key: str) -> object:
    """The parsed content of a .yaml/.yml/.json file; InputError when it is missing, empty or malformed."""
    if not path.exists():
        raise InputError(f"{name}: file not found ({path}); check {config_key} in the config")
    try:
        text = read_text(path, name, DOCUMENT, InputError)
    except UnicodeDecodeError:
        raise InputError(f"{name}: not a UTF-8 text file; save it as UTF-8") from None
    if not text.strip():
        raise InputError(f"{name}: the file is empty; see samples/ for a complete example")
    if path.suffix.lower() == ".json":
        try:
            data = json.loads(text)
        except (json.JSONDecodeError, RecursionError) as exc:
            line = f", line {exc.lineno}" if isinstance(exc, json.JSONDecodeError) else ""
            raise InputError(f"{name}{line}: not valid JSON ({getattr(exc, 'msg', 'nested too deeply')})") from None
    else:
        try:
            data = load_yaml(text)
        except yaml.YAMLError as exc:
            mark = getattr(exc, "problem_mark", None)
            where = f", line {mark.line + 1}" if mark else ""
            raise InputError(f"{name}{where}: not valid YAML ({getattr(exc, 'problem', exc)})") from None
    check_document_tree(data, name, InputError)
    return data
