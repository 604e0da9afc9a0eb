"""The datasets this process has loaded, reused while their config and input files are unchanged.

A batch builds one pack per segment from the same inputs; parsing the whole KPI file again for each
pack made its time grow with the square of the number of segments. The cache belongs to the load stage:
the orchestrator asks for a dataset and does not know how often one is parsed.
"""

from __future__ import annotations

import os

from narrator.catalogue import Catalogue
from narrator.config import LoadedConfig
from narrator.dataset import Dataset
from narrator.load import load_dataset

# By config file: (its settings, its input files' stamps, the dataset). Four at most: a batch of
# configs in a folder builds them one after another, and old ones only cost memory.
_DATASETS: dict[str, tuple[str, tuple, Dataset]] = {}


def load_dataset_once(loaded: LoadedConfig, catalogue: Catalogue) -> Dataset:
    """``load_dataset``, or this process's earlier result for the same config and unchanged inputs."""
    key = str(loaded.path.resolve())
    settings = loaded.config.model_dump_json()
    hit = _DATASETS.get(key)
    if hit is not None and hit[0] == settings and hit[1] == _stamps(hit[2]):
        return hit[2]
    dataset = load_dataset(loaded, catalogue)
    if len(_DATASETS) >= 4:
        _DATASETS.clear()
    _DATASETS[key] = (settings, _stamps(dataset), dataset)
    return dataset


def _stamps(dataset: Dataset) -> tuple:
    stamps = []
    for path in sorted(dataset.input_files.values()):
        try:
            stat = os.stat(path)
            stamps.append((path, stat.st_mtime_ns, stat.st_size, stat.st_ino))
        except OSError:
            stamps.append((path, None))
    return tuple(stamps)
