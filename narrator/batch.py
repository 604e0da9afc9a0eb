"""Batch runs: one pack per segment of the data, or per config in a folder, built in parallel processes.

A failing pack never stops the others. Each pack is written atomically and only when its bytes change,
so re-running a batch on unchanged inputs rewrites nothing. ``--shard i/n`` splits the same job list
across machines or scheduler tasks: shard i takes every n-th pack starting at the i-th.
"""

from __future__ import annotations

import gc
import json
import os
import re
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor, as_completed
from dataclasses import asdict, dataclass, field
from pathlib import Path

from narrator.errors import NarratorError, UserError
from narrator.files import check_output_folder, commit_pack


def record_name(shard: tuple[int, int] | None) -> str:
    """Each shard keeps its own record, so shards sharing an output folder do not overwrite each other."""
    return "batch.run.json" if shard is None else f"batch-{shard[0]}of{shard[1]}.run.json"


@dataclass(frozen=True)
class PackJob:
    name: str  # shown in progress and summary: the segment, or the config's file name
    config: Path
    segment: str | None = None
    period: str | None = None  # every segment pack of a batch reports the same period


@dataclass
class PackOutcome:
    name: str
    status: str  # "written", "unchanged" or "failed"
    outputs: list[str] = field(default_factory=list)
    slug: str = ""
    problems: list[str] = field(default_factory=list)
    exit_code: int = 0
    seconds: float = 0.0


@dataclass
class BatchResult:
    outcomes: list[PackOutcome]

    @property
    def failed(self) -> list[PackOutcome]:
        return [o for o in self.outcomes if o.status == "failed"]

    @property
    def exit_code(self) -> int:
        return max((o.exit_code for o in self.outcomes), default=0)


def parse_shard(spec: str | None) -> tuple[int, int] | None:
    """ "2/4" -> (2, 4): the second of four shards."""
    if spec is None:
        return None
    match = re.fullmatch(r"\s*(\d+)\s*/\s*(\d+)\s*", spec)
    if not match or not 1 <= int(match[1]) <= int(match[2]):
        raise UserError(f"--shard {spec!r}: expected i/n with 1 <= i <= n, e.g. --shard 1/4")
    return int(match[1]), int(match[2])


def plan_jobs(target: Path) -> list[PackJob]:
    """A folder: one pack per .yaml config in it. A config: one pack per segment found in its data."""
    if target.is_dir():
        configs = sorted(p for p in target.iterdir() if p.suffix in (".yaml", ".yml") and p.is_file())
        if not configs:
            raise UserError(f"{target}: no report configs (.yaml) in this folder")
        return [PackJob(name=p.stem, config=p) for p in configs]
    from narrator.catalogue import Catalogue
    from narrator.compute import resolve_period
    from narrator.config import load_config
    from narrator.load.cache import load_dataset_once

    loaded = load_config(target)
    # Kept for the packs: worker processes forked after this start with the dataset already parsed.
    dataset = load_dataset_once(loaded, Catalogue.build(loaded.config.kpis, str(loaded.path)))
    if not dataset.segments:
        raise UserError(
            f"{target}: the KPI data has no segments (no segment column); build it with narrator build"
        )
    period = resolve_period(loaded.config.period, dataset, str(loaded.path)).key()
    return [PackJob(name=s, config=target, segment=s, period=period) for s in dataset.segments]


def select_shard(jobs: list[PackJob], shard: tuple[int, int] | None) -> list[PackJob]:
    if shard is None:
        return jobs
    index, count = shard
    return jobs[index - 1 :: count]


def build_one(job: PackJob, out_dir: str, check: str = "full") -> PackOutcome:
    """Build one pack; every failure becomes an outcome, never an exception (runs in a worker process)."""
    import time

    from narrator.pipeline import build

    started = time.perf_counter()
    try:
        result = build(job.config, out_dir, segment=job.segment, period=job.period, polish=None, check=check)
    except NarratorError as exc:
        return PackOutcome(
            job.name,
            "failed",
            problems=exc.problems,
            exit_code=exc.exit_code,
            seconds=time.perf_counter() - started,
        )
    except Exception as exc:  # noqa: BLE001 - one broken pack must not sink the batch
        return PackOutcome(
            job.name,
            "failed",
            problems=[f"internal error: {type(exc).__name__}: {exc}"],
            exit_code=1,
            seconds=time.perf_counter() - started,
        )
    return PackOutcome(
        job.name,
        "written" if result.written else "unchanged",
        outputs=sorted(p.name for p in result.outputs.values()),
        slug=result.story.slug,
        seconds=time.perf_counter() - started,
    )


def run_batch(
    jobs: list[PackJob],
    out_dir: Path,
    *,
    workers: int | None = None,
    shard: tuple[int, int] | None = None,
    check: str = "full",
    on_done: Callable[[PackOutcome], None] | None = None,
) -> BatchResult:
    """Build every job, in parallel processes when there is more than one worker and job."""
    check_output_folder(out_dir)
    workers = max(1, min(workers or os.cpu_count() or 1, len(jobs) or 1))
    outcomes: dict[str, PackOutcome] = {}
    if workers == 1:
        for job in jobs:
            outcomes[job.name] = build_one(job, str(out_dir), check)
            if on_done:
                on_done(outcomes[job.name])
    else:
        # The dataset parsed in this process is inherited by the forked workers. Frozen, the collector in
        # each worker leaves those objects alone instead of walking (and so copying) them again and again.
        gc.freeze()
        try:
            with ProcessPoolExecutor(max_workers=workers) as pool:
                futures = {pool.submit(build_one, job, str(out_dir), check): job for job in jobs}
                for future in as_completed(futures):
                    outcome = future.result()
                    outcomes[futures[future].name] = outcome
                    if on_done:
                        on_done(outcome)
        finally:
            gc.unfreeze()
    result = BatchResult([outcomes[job.name] for job in jobs])
    _write_record(out_dir / record_name(shard), result)
    return result


def _record_status(status: str) -> str:
    return "failed" if status == "failed" else "built"


def _write_record(target: Path, result: BatchResult) -> None:
    """The batch's machine-readable record; timings are left out so an unchanged re-run rewrites nothing."""
    record = {
        # "built" rather than written/unchanged: the record describes the packs, not this run, so an
        # unchanged rerun leaves it (and every pack) untouched.
        "packs": [
            {k: v for k, v in asdict(o).items() if k != "seconds"} | {"status": _record_status(o.status)}
            for o in result.outcomes
        ],
        "succeeded": sum(o.status != "failed" for o in result.outcomes),
        "failed": len(result.failed),
    }
    data = (json.dumps(record, indent=2, ensure_ascii=False) + "\n").encode("utf-8")
    commit_pack(target.parent, {target.name: data})
