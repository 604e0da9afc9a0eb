"""Hostile inputs and faults: shared fixtures. The helpers themselves live in hostile_kit.py."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

# Under --import-mode=importlib no test folder is on sys.path; the modules import hostile_kit.
sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "polish"))  # the fake chat endpoint
from hostile_kit import Pack  # noqa: E402


@pytest.fixture
def pack(sample) -> Pack:
    """An editable copy of the private-insurer sample (three channels, fifteen months)."""
    return Pack(sample("private-insurer"))
