"""Benchmark: a fully checked build against a hand-written script, the gate per pack, start-up, the batch.

    python bench/bench_gate.py [--runs 9] [--segments 1000] [--workers N] [--sections 1,2,3,4] [--scale]

All in one run, so the figures share the machine's load (printed at the start and the end):

1. Whole process, interleaved (build, baseline, build, baseline, ...): ``narrator build`` of the
   private-insurer sample with the full quality gate against ``bench/baseline_pack.py``, the same pack
   written by hand with pandas, python-pptx and python-docx and no checks; medians and their ratio, wall
   and CPU (user + system of the child). The first row rebuilds the same month with its caches warm
   (compiled templates, and the gate's verdicts on these very documents): a re-run. The others: the
   deck rendered in the same process (``NARRATOR_DECK_PROCESS=0``); a new month each run (``--period``,
   the analyst's monthly run: its slides and paper are new to the gate, its template is not); the gate's
   verdicts deleted before each run; and ``--no-check``. Every whole process runs as from an installed
   package, with bytecode.
2. The gate per pack in process, on generated site packs (one template, a new site each time): the fast
   gate, the full gate on a pack validated before, on a new pack, and the full gate as it was before
   verdicts were remembered (openxml-audit validating every part of both documents).
3. Start-up: each command as a whole process (``--help``, ``validate``, ``preview --text``, ``check`` on
   the built files, ``build``), interleaved.
4. Batch: ``--segments`` site packs with the full gate, ``--workers`` processes (default one per core).
5. ``--scale``: the batch's time per pack for data of 1,000 and of 10,000 sites (500 packs of each, a
   shard), which stays level when the batch grows linearly with the number of segments. Loading and
   indexing the data happens once, before the first pack, and is shown apart ("loading the data"): ten
   times the rows take about ten times as long to read, once a batch, not once a pack.

Machines differ (this project's VM has run 2.5x slower from one day to the next), so the run starts and
ends with the time of a fixed pure-Python workload ("machine speed"), and every figure can be read
against the baseline script measured in the same run: compare runs on different days by those two,
not by the seconds alone.

Cache folders are temporary; nothing outside them is read or written.
"""

from __future__ import annotations

import argparse
import os
import platform
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(REPO / "bench"))

from bench_batch import REGIONS, make_pack_folder, table  # noqa: E402

SAMPLE = REPO / "samples" / "private-insurer"


def load() -> str:
    return "load average {:.1f} / {:.1f} / {:.1f} (1 / 5 / 15 min)".format(*os.getloadavg())


def machine_speed() -> str:
    """Milliseconds of a fixed pure-Python workload (arithmetic, a dict, string building), best of 5."""

    def work() -> None:
        table: dict[int, str] = {}
        total = 0
        for i in range(300_000):
            total += i * i % 7
            table[i % 1000] = str(total)
        assert table

    best = min(cpu_and_wall(work)[1] for _ in range(5))
    return f"machine speed {best * 1000:.0f} ms CPU for the fixed workload"


def run_process(args: list[str], env: dict[str, str]) -> tuple[float, float]:
    """(wall, CPU) seconds of one whole process; CPU is the child's user + system time."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    # A build's warnings (the monthly row's early months carry some) would bury the tables: shown only
    # when the process fails.
    done = subprocess.run(args, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    if done.returncode:
        raise SystemExit(f"{' '.join(args)} failed ({done.returncode}):\n{done.stderr}")
    wall = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return wall, (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


def interleaved(commands: dict[str, tuple[list[str], dict[str, str], object]], runs: int) -> dict[str, list]:
    """Each command ``runs`` times, taking turns, after one warm-up each; ``(args, env, before)`` where
    ``before`` is called ahead of every run (to empty a cache)."""
    times: dict[str, list] = {name: [] for name in commands}
    for args, env, before in commands.values():
        before()
        run_process(args() if callable(args) else args, env)
    for _ in range(runs):
        for name, (args, env, before) in commands.items():
            before()
            times[name].append(run_process(args() if callable(args) else args, env))
    return times


def each_month(command: list[str]):
    """``command`` with ``--period`` for the next month of the sample's 2025 each time it is called: an
    analyst's monthly run, whose slides and paper carry new figures while the template is the one
    validated last month. Twelve months: a warm-up and up to 11 runs (``--runs``, checked in main)."""
    months = iter([f"2025-{month:02d}" for month in range(1, MONTHS + 1)])
    return lambda: [*command, "--period", next(months)]


MONTHS = 12  # in the sample's 2025: each run of the monthly row must meet a month not built before


def medians(samples: list[tuple[float, float]]) -> tuple[float, float]:
    return statistics.median(w for w, _ in samples), statistics.median(c for _, c in samples)


def forget_verdicts(cache: Path):
    def forget() -> None:
        for folder in cache.glob("check-*"):
            shutil.rmtree(folder, ignore_errors=True)

    return forget


def nothing() -> None:
    return None


# -- 1. whole process: build against the hand-written script ------------------------------------------


def as_installed(env: dict[str, str], folder: Path) -> dict[str, str]:
    """Whole processes run as from an installed package: with compiled bytecode. pip compiles a
    package's modules when it installs them; a checkout run with PYTHONDONTWRITEBYTECODE (set on some
    machines) would recompile narrator's hundred modules on every run (about 0.15 s here) while the
    baseline's libraries load compiled. The bytecode goes to a temporary folder, written by each
    command's warm-up run."""
    env = {**env, "PYTHONPYCACHEPREFIX": str(folder / "pycache")}
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    return env


def bench_build(folder: Path, runs: int) -> dict[str, tuple[float, float]]:
    cache = folder / "cache"
    env = as_installed({**os.environ, "PYTHONPATH": str(REPO), "NARRATOR_CACHE_DIR": str(cache)}, folder)
    one_process = {**env, "NARRATOR_DECK_PROCESS": "0"}
    month_env = {**env, "NARRATOR_CACHE_DIR": str(folder / "month-cache")}  # not emptied by "no verdicts kept"
    config = str(SAMPLE / "report.yaml")
    build = [sys.executable, "-m", "narrator", "build", config, "-q"]
    baseline = [sys.executable, str(REPO / "bench" / "baseline_pack.py"), str(SAMPLE), str(folder / "b")]
    commands = {
        "narrator build (full gate)": ([*build, "-o", str(folder / "full")], env, nothing),
        "baseline script": (baseline, env, nothing),
        "narrator build, deck in the same process": ([*build, "-o", str(folder / "one")], one_process, nothing),
        "narrator build, a new month": (each_month([*build, "-o", str(folder / "month")]), month_env, nothing),
        "narrator build, no verdicts kept": ([*build, "-o", str(folder / "cold")], env, forget_verdicts(cache)),
        "narrator build --no-check": ([*build, "-o", str(folder / "off"), "--no-check"], env, nothing),
    }  # fmt: skip
    return {name: medians(samples) for name, samples in interleaved(commands, runs).items()}


# -- 2. the gate in process ---------------------------------------------------------------------------


def cpu_and_wall(fn, *args, **kwargs) -> tuple[float, float]:
    started, cpu = time.perf_counter(), time.process_time()
    fn(*args, **kwargs)
    return time.perf_counter() - started, time.process_time() - cpu


def bench_gate(folder: Path, packs: int) -> dict[str, tuple[float, float]]:
    from openxml_audit import OpenXmlValidator

    from narrator.check.package import check_reopens
    from narrator.pipeline import gate, prepare, render_documents

    os.environ["NARRATOR_CACHE_DIR"] = str(folder / "gate-cache")
    (folder / "sites").mkdir()
    config = make_pack_folder(folder / "sites", packs + 3)
    documents = []
    for number in range(packs + 3):
        prepared = prepare(config, segment=f"{REGIONS[number % len(REGIONS)]} {number + 1:04d}")
        documents.append((render_documents(prepared.story, prepared.loaded), prepared.story.slug))
    for docs, slug in documents[:3]:  # warm: imports, the validator's schemas and rules, the template's parts
        gate(docs, slug)
    results: dict[str, list] = {"fast": [], "new": [], "known": [], "before": []}
    scratch = folder / "plain"
    scratch.mkdir()

    def as_before(docs: dict[str, bytes], slug: str) -> None:
        gate(docs, slug, schema=False)
        for kind, data in docs.items():
            check_reopens(f"{slug}.{kind}", data, kind)
            path = scratch / f"pack.{kind}"
            path.write_bytes(data)
            OpenXmlValidator().validate(path)

    for docs, slug in documents[3:]:
        results["fast"].append(cpu_and_wall(gate, docs, slug, schema=False))
        results["new"].append(cpu_and_wall(gate, docs, slug))
        results["known"].append(cpu_and_wall(gate, docs, slug))
        results["before"].append(cpu_and_wall(as_before, docs, slug))
    return {name: medians(samples) for name, samples in results.items()}


# -- 3. start-up per command --------------------------------------------------------------------------


def bench_startup(folder: Path, runs: int) -> dict[str, tuple[float, float]]:
    cache = folder / "startup-cache"
    env = as_installed({**os.environ, "PYTHONPATH": str(REPO), "NARRATOR_CACHE_DIR": str(cache)}, folder)
    config = str(SAMPLE / "report.yaml")
    out = folder / "startup-out"
    narrator = [sys.executable, "-m", "narrator"]
    subprocess.run([*narrator, "build", config, "-o", str(out), "-q"], check=True, env=env)
    built = sorted(str(p) for p in out.iterdir() if p.suffix in (".docx", ".pptx"))
    commands = {
        "narrator --help": ([*narrator, "--help"], env, nothing),
        "narrator validate": ([*narrator, "validate", config], env, nothing),
        "narrator preview --text": ([*narrator, "preview", config, "--text"], env, nothing),
        "narrator check (the built pack)": ([*narrator, "check", *built], env, nothing),
        "narrator build": ([*narrator, "build", config, "-o", str(out), "-q"], env, nothing),
    }
    return {name: medians(samples) for name, samples in interleaved(commands, runs).items()}


# -- 4, 5. batch --------------------------------------------------------------------------------------


def bench_batch(folder: Path, segments: int, workers: int, shard: tuple[int, int] | None = None) -> dict:
    from narrator.batch import plan_jobs, run_batch, select_shard

    os.environ["NARRATOR_CACHE_DIR"] = str(folder / "batch-cache")
    (folder / "data").mkdir()
    config = make_pack_folder(folder / "data", segments)
    started, own = time.perf_counter(), time.process_time()
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    jobs = select_shard(plan_jobs(config), shard)
    planned = time.perf_counter()  # the data loaded and indexed once, in this process, before any pack
    result = run_batch(jobs, folder / "out", workers=workers, check="full", shard=shard)
    seconds = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime) + time.process_time() - own
    if result.failed:
        raise SystemExit(
            f"{len(result.failed)} packs failed, e.g. {result.failed[0].name}: {result.failed[0].problems[:2]}"
        )
    return {"packs": len(jobs), "seconds": seconds, "cpu": cpu, "load": planned - started}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=9, help="runs of each whole-process figure (median)")
    parser.add_argument("--packs", type=int, default=20, help="site packs timed in process (median)")
    parser.add_argument("--segments", type=int, default=1000, help="packs in the batch (default 1000)")
    parser.add_argument("--workers", type=int, default=os.cpu_count() or 1, help="default: one per core")
    parser.add_argument("--sections", default="1,2,3,4", help="the parts to run (default 1,2,3,4; 5 is --scale)")
    parser.add_argument("--scale", action="store_true", help="also part 5: data of 1,000 against 10,000 sites")
    parser.add_argument("--scale-packs", type=int, default=500, help="packs built for each data size in part 5")
    args = parser.parse_args()
    sections = {int(part) for part in args.sections.split(",")} | ({5} if args.scale else set())
    if 1 in sections and args.runs > MONTHS - 1:
        parser.error(f"--runs: at most {MONTHS - 1} with part 1, whose monthly row needs a new month each run")
    print(f"narrator gate benchmark: Python {platform.python_version()}, {os.cpu_count()} cores; {load()}")
    print(machine_speed())
    with tempfile.TemporaryDirectory(prefix="narrator-bench-gate-") as tmp:
        folder = Path(tmp)
        if 1 in sections:
            report_build(folder, args.runs)
        if 2 in sections:
            report_gate(folder, args.packs)
        if 3 in sections:
            report_startup(folder, args.runs)
        if 4 in sections:
            (folder / "batch").mkdir()
            batch = bench_batch(folder / "batch", args.segments, args.workers)
            print(f"\n4. Batch, full gate, {args.workers} workers ({load()})")
            print(table([batch_row(f"{args.segments:,} site packs", batch)], BATCH_HEADER))
        if 5 in sections:
            print(f"\n5. Batch time per pack against the number of segments in the data ({load()})")
            rows = []
            for segments in (1000, 10000):
                place = folder / f"scale-{segments}"
                place.mkdir()
                shards = max(1, segments // args.scale_packs)
                rows.append(
                    batch_row(
                        f"{segments:,} sites, shard 1/{shards}", bench_batch(place, segments, args.workers, (1, shards))
                    )
                )
            print(table(rows, BATCH_HEADER))
    print(f"\nend: {load()}; {machine_speed()}")


BATCH_HEADER = ("", "packs", "wall", "packs/s", "CPU, all processes", "CPU per pack", "loading the data",
                "wall per pack after loading")


def batch_row(label: str, figures: dict) -> tuple:
    packs, seconds, cpu, load = figures["packs"], figures["seconds"], figures["cpu"], figures["load"]
    return (label, packs, f"{seconds:.1f} s", f"{packs / seconds:.1f}", f"{cpu:.1f} s", f"{cpu / packs * 1000:.0f} ms",
            f"{load:.1f} s", f"{(seconds - load) / packs * 1000:.0f} ms")


def report_build(folder: Path, runs: int) -> None:
    figures = bench_build(folder, runs)
    base_wall, base_cpu = figures["baseline script"]
    print(f"\n1. Whole process, private-insurer sample, median of {runs} interleaved runs ({load()})")
    rows = [
        (name, f"{wall:.2f} s", f"{wall / base_wall:.2f}x", f"{cpu:.2f} s", f"{cpu / base_cpu:.2f}x")
        for name, (wall, cpu) in figures.items()
    ]
    print(table(rows, ("", "wall", "vs baseline", "CPU", "vs baseline")))


def report_gate(folder: Path, packs: int) -> None:
    gate = bench_gate(folder, packs)
    print(f"\n2. Quality gate per site pack (deck + paper) in process, median of {packs} packs ({load()})")
    labels = {
        "fast": "fast gate (no schema validation)",
        "known": "full gate, pack validated before",
        "new": "full gate, new pack on a known template",
        "before": "full gate as before (openxml-audit on every part)",
    }
    rows = [(labels[key], f"{wall * 1000:.0f} ms", f"{cpu * 1000:.0f} ms") for key, (wall, cpu) in gate.items()]
    print(table(rows, ("", "wall", "CPU")))


def report_startup(folder: Path, runs: int) -> None:
    startup = bench_startup(folder, runs)
    print(f"\n3. Start-up, whole process, median of {runs} interleaved runs ({load()})")
    print(table([(name, f"{w:.2f} s", f"{c:.2f} s") for name, (w, c) in startup.items()], ("", "wall", "CPU")))


if __name__ == "__main__":
    main()
