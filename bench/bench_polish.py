"""Benchmark: how long the LLM polish adds to a build, against a local server with a fixed latency.

    python bench/bench_polish.py [--latency 1.0] [--sample private-insurer]

Starts the test suite's scriptable chat-completions server on 127.0.0.1 (never the network), answering
every request faithfully after --latency seconds, and reports: the build without polish, the build with
polish (cold cache), the number of requests and the polish time in request latencies (concurrent
requests should make a whole pack cost about two latencies, not one per segment), then a second build
that must be served from the cache with no request.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(REPO / "tests" / "polish"))

from fake_llm import FakeLLM, Reply, faithful, rewriting  # noqa: E402

from narrator.pipeline import build  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--latency", type=float, default=1.0)
    parser.add_argument("--sample", default="private-insurer")
    args = parser.parse_args()
    answer = rewriting(faithful)

    def slow(request, number):
        reply: Reply = answer(request, number)
        reply.delay = args.latency
        return reply

    config = REPO / "samples" / args.sample / "report.yaml"
    with tempfile.TemporaryDirectory() as work:
        pack = Path(work) / "pack"
        pack.mkdir()
        for path in config.parent.iterdir():
            (pack / path.name).write_bytes(path.read_bytes())
        build(pack / "report.yaml", Path(work) / "warm")  # imports, fonts, templates
        start = time.perf_counter()
        build(pack / "report.yaml", Path(work) / "plain")
        plain = time.perf_counter() - start

        server = FakeLLM(slow).start()
        os.environ.update(OPENAI_BASE_URL=server.url, OPENAI_API_KEY="bench-key")
        try:
            start = time.perf_counter()
            cold = build(pack / "report.yaml", Path(work) / "cold", polish=True)
            cold_seconds = time.perf_counter() - start
            cold_requests = len(server.received)
            start = time.perf_counter()
            build(pack / "report.yaml", Path(work) / "warm-cache", polish=True)
            cached_seconds = time.perf_counter() - start
            cached_requests = len(server.received) - cold_requests
        finally:
            server.stop()

    polish_time = cold.polish.elapsed  # the polish stage alone, as the run record's report measures it
    counts = cold.polish.counts()
    print(f"polish benchmark: sample {args.sample}, server latency {args.latency:.1f} s per request")
    print(f"  build without polish        {plain:6.2f} s")
    print(f"  build with polish (cold)    {cold_seconds:6.2f} s  ({cold_requests} requests, "
          f"{counts.get('polished', 0)} segments polished, {counts.get('fallback', 0)} fell back)")
    print(f"  polish time                 {polish_time:6.2f} s  = {polish_time / args.latency:.1f} request latencies")
    print(f"  build with polish (cached)  {cached_seconds:6.2f} s  ({cached_requests} requests)")


if __name__ == "__main__":
    main()
