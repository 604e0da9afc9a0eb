"""Helpers for the load tests: a catalogue, and writing a KPI file plus its config into tmp_path."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from narrator.catalogue import Catalogue
from narrator.config import KpiInput, load_config
from narrator.errors import InputError
from narrator.load import load_dataset, load_observations


def values(observations) -> dict:
    """Observations as {(period, kpi, segment): value}, what the load tests compare."""
    return {(o.period.key(), o.kpi, o.segment): o.value for o in observations}


@pytest.fixture
def catalogue() -> Catalogue:
    return Catalogue.build({})


@pytest.fixture
def load_kpis(tmp_path, catalogue):
    """Write ``text`` to ``name`` in tmp_path and load it with the given KpiInput settings."""

    def load(name: str, text: str | bytes, **settings):
        path = tmp_path / name
        if isinstance(text, bytes):
            path.write_bytes(text)
        else:
            path.write_text(text, encoding="utf-8")
        kpi_input = KpiInput(path=Path(name), **settings)
        return load_observations(kpi_input, path, catalogue, "config.yaml")

    return load


@pytest.fixture
def problems_of():
    """The problem lines of the InputError a call raises."""

    def run(call, *args, **kwargs) -> list[str]:
        with pytest.raises(InputError) as caught:
            call(*args, **kwargs)
        return caught.value.problems

    return run


@pytest.fixture
def build_pack(tmp_path):
    """Write a config.yaml (plus files) into tmp_path and load the dataset through the public entry point."""

    def build(config: dict, files: dict[str, str]):
        for name, text in files.items():
            (tmp_path / name).write_text(text, encoding="utf-8")
        (tmp_path / "config.yaml").write_text(yaml.safe_dump(config), encoding="utf-8")
        loaded = load_config(tmp_path / "config.yaml")
        return load_dataset(loaded, Catalogue.build(loaded.config.kpis, str(loaded.path)))

    return build
