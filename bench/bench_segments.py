"""Benchmark: how the time of a batch grows with the number of segments, up to 10,000 sites.

    python bench/bench_segments.py [--sizes 1000,2000,4000,10000] [--packs 20]

For each size, generates a national centre's data (bench_batch's generator: N sites, 13 months, seven
KPIs) and measures, in this process:

1. load: reading and parsing the KPI file;
2. whole centre: compute and tell for the whole-centre pack (combining every site's rows into centre
   values, the step whose volume lookups used to scan every site for every site: quadratic);
3. per pack: prepare + render (no gate, nothing written) of ``--packs`` site packs from the loaded data,
   in ms per pack. A batch is linear in segments when this figure stays flat as N grows.

Then prints the projected batch time (load + N x per pack) and ms per segment for each size. Wall-clock
on whatever the machine is doing; run it alone for figures worth comparing.
"""

from __future__ import annotations

import argparse
import resource
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(REPO / "bench"))

from bench_batch import make_pack_folder  # noqa: E402

from narrator.catalogue import Catalogue  # noqa: E402
from narrator.compute import compute_facts, resolve_period  # noqa: E402
from narrator.config import load_config  # noqa: E402
from narrator.load import load_dataset  # noqa: E402
from narrator.pipeline import prepare, render_documents  # noqa: E402
from narrator.tell import tell_story  # noqa: E402


def measure(segments: int, packs: int) -> dict[str, float]:
    with tempfile.TemporaryDirectory() as tmp:
        config = make_pack_folder(Path(tmp), segments)
        loaded = load_config(config)
        started = time.perf_counter()
        dataset = load_dataset(loaded, Catalogue.build(loaded.config.kpis, str(loaded.path)))
        load_s = time.perf_counter() - started

        started = time.perf_counter()
        resolve_period(loaded.config.period, dataset, str(loaded.path))
        computed = compute_facts(dataset, loaded.config, str(loaded.path), None)
        tell_story(computed, loaded)
        whole_s = time.perf_counter() - started

        sites = list(dataset.segments)[:: max(1, len(dataset.segments) // packs)][:packs]
        prepare(config, segment=sites[0])  # warm-up: template compile, the process's dataset cache
        started = time.perf_counter()
        for site in sites:
            prepared = prepare(config, segment=site)
            render_documents(prepared.story, prepared.loaded)
        per_pack_s = (time.perf_counter() - started) / len(sites)
    return {"load": load_s, "whole": whole_s, "per_pack": per_pack_s}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", default="1000,2000,4000,10000")
    parser.add_argument("--packs", type=int, default=20)
    args = parser.parse_args()
    print(f"{'segments':>9} {'load s':>8} {'whole-centre s':>15} {'ms per pack':>12} {'batch s (proj.)':>16}"
          f" {'ms per segment':>15}")  # fmt: skip
    for size in (int(s) for s in args.sizes.split(",")):
        figures = measure(size, args.packs)
        batch = figures["load"] + size * figures["per_pack"]
        print(
            f"{size:>9} {figures['load']:>8.2f} {figures['whole']:>15.2f} {figures['per_pack'] * 1000:>12.0f}"
            f" {batch:>16.0f} {batch / size * 1000:>15.1f}",
            flush=True,
        )
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"peak RSS {peak:.0f} MB")


if __name__ == "__main__":
    main()
