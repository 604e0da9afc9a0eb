"""Shared fixtures: every test runs in its own folder, with its own HOME and no real API keys."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
SAMPLES = REPO / "samples"


@pytest.fixture(autouse=True)
def _isolated(tmp_path_factory, monkeypatch):
    """Isolate cwd, HOME and the environment, so no test reads a developer's key or writes into the repo."""
    home = tmp_path_factory.mktemp("home")
    work = tmp_path_factory.mktemp("cwd")
    monkeypatch.setenv("HOME", str(home))
    for name in ("OPENAI_API_KEY", "OPENAI_BASE_URL", "OPENAI_ORG_ID", "OPENAI_PROJECT_ID"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.chdir(work)


@pytest.fixture
def sample(tmp_path):
    """Copy a sample pack into a temporary folder so a test may edit its files: sample("private-insurer")."""

    def copy(name: str) -> Path:
        target = tmp_path / name
        shutil.copytree(SAMPLES / name, target)
        return target

    return copy
