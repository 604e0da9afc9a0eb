"""Benchmark: median time to build one board pack, in process and through the CLI.

    python bench/bench_build.py [--repeat N] [--sample NAME]

Reports, per sample: the in-process stages (prepare = load + compute + tell; render = docx + pptx) and
the whole `narrator build` command in a fresh process (start-up and imports included). Numbers are
medians over N runs after one warm-up; the machine's cores and Python version are printed so figures
can be compared across runs.
"""

from __future__ import annotations

import argparse
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from narrator.pipeline import build, prepare, render_documents  # noqa: E402


def timed(fn, repeat: int) -> tuple[float, list[float]]:
    fn()  # warm-up: imports, font and template caches
    runs = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        runs.append(time.perf_counter() - start)
    return statistics.median(runs), runs


def bench_sample(config: Path, repeat: int) -> dict[str, float]:
    prepared = prepare(config)
    results = {}
    results["prepare"], _ = timed(lambda: prepare(config), repeat)
    results["render"], _ = timed(lambda: render_documents(prepared.story, prepared.loaded), repeat)
    with tempfile.TemporaryDirectory() as out:
        results["build (in process)"], _ = timed(lambda: build(config, out), repeat)
        cli = [sys.executable, "-m", "narrator", "build", str(config), "-o", out, "-q"]
        env = {**os.environ, "PYTHONPATH": str(REPO)}
        runs = max(3, repeat // 3)
        results["narrator build (CLI)"], _ = timed(lambda: subprocess.run(cli, check=True, env=env), runs)
    return results


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--repeat", type=int, default=15)
    parser.add_argument("--sample", action="append", help="sample folder name (default: all)")
    args = parser.parse_args()
    names = args.sample or sorted(p.name for p in (REPO / "samples").iterdir() if (p / "report.yaml").exists())
    print(f"narrator build benchmark: Python {platform.python_version()}, {os.cpu_count()} cores, "
          f"median of {args.repeat} runs")
    for name in names:
        results = bench_sample(REPO / "samples" / name / "report.yaml", args.repeat)
        print(f"\n{name}")
        for stage, seconds in results.items():
            print(f"  {stage:22} {seconds * 1000:8.1f} ms")


if __name__ == "__main__":
    main()
