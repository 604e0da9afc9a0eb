"""Render and check the deck in a second process while this one prepares the pack and writes the paper.

A board pack is two documents that share nothing once the Story is told, and most machines have a
second core. ``narrator build`` forks a helper before it has imported the pipeline: the helper imports
python-pptx, the deck renderer and the quality gate while the parent loads the data and tells the
story; then it renders and checks the deck while the parent renders and checks the paper. Both
documents are returned to the parent, which alone writes files, so what lands on disk (and the
byte-for-byte output) is what a single process makes.

Forking is only safe, and only worth it, in a process we own with a single thread on Linux with two
or more CPUs: the ``narrator`` command's own process, which says so with ``allow_forking()``.
``start()`` returns None anywhere else (a library call or ``CliRunner`` in someone else's program, a
worker of ``narrator batch``, a thread) and the caller renders in process. If the helper dies, the
parent renders the deck itself. ``NARRATOR_DECK_PROCESS=0`` turns it off.
"""

from __future__ import annotations

import os
import signal
import sys
import threading
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class DeckJob:
    """What the helper needs to render and check one deck."""

    story: object  # narrator.tell.story.Story
    reference: Path | None
    layouts: dict[str, str]
    check: str  # "full", "fast" or "off"; the reference template is also the gate's baseline


@dataclass(frozen=True)
class DeckResult:
    data: bytes
    problems: list[str]  # the gate's errors for the deck (pipeline.gate_problems)


_forking_allowed = False


def allow_forking() -> None:
    """Called by the ``narrator`` command's entry point: this process is ours to fork."""
    global _forking_allowed
    _forking_allowed = True


def worth_forking() -> bool:
    """A second process helps, and is safe to fork, here and now."""
    if not _forking_allowed or sys.platform != "linux" or threading.active_count() != 1:
        return False  # fork with other threads running can deadlock the child on a lock they hold
    if os.environ.get("NARRATOR_DECK_PROCESS", "").strip() == "0":
        return False
    return len(os.sched_getaffinity(0)) >= 2


class DeckProcess:
    """The parent's handle on the helper: ``submit`` a job, collect its ``result``, ``close`` always."""

    def __init__(self, pid: int, connection):
        self._pid, self._connection = pid, connection
        self._closed = False

    @classmethod
    def start(cls) -> DeckProcess | None:
        if not worth_forking():
            return None
        from multiprocessing import Pipe

        parent_end, child_end = Pipe()
        pid = os.fork()
        if pid == 0:  # the helper
            parent_end.close()
            try:
                _serve(child_end)
            finally:
                os._exit(0)  # never run the parent's exit handlers or flush its buffers twice
        child_end.close()
        return cls(pid, parent_end)

    def submit(self, job: DeckJob) -> bool:
        """Hand the helper its deck; False when it cannot take it (it died), and the caller renders."""
        try:
            self._connection.send(job)
            return True
        except (OSError, EOFError):
            return False

    def result(self) -> DeckResult | None:
        """The deck and its problems, the helper's error re-raised here, or None if the helper died."""
        try:
            outcome, payload = self._connection.recv()
        except (OSError, EOFError):
            return None
        if outcome == "error":
            raise payload
        return payload

    def close(self) -> None:
        if self._closed:
            return
        self._closed = True
        try:
            self._connection.send(None)  # "nothing to do": a helper still waiting exits
        except (OSError, EOFError):
            pass
        self._connection.close()
        try:
            os.kill(self._pid, signal.SIGTERM)
        except ProcessLookupError:
            pass
        os.waitpid(self._pid, 0)


def _serve(connection) -> None:
    # Ctrl-C reaches the whole process group: the helper stops silently and the parent reports it.
    signal.signal(signal.SIGINT, signal.SIG_DFL)
    import narrator.check.package  # noqa: F401 - the gate, warmed while the parent prepares
    from narrator.pipeline import gate_problems
    from narrator.render import reference_bytes
    from narrator.render.pptx_deck import render_deck

    try:
        job = connection.recv()
    except (OSError, EOFError):
        return
    if job is None:
        return
    try:
        data = render_deck(job.story, job.reference, job.layouts)
        baselines = {"pptx": reference_bytes(job.reference, "pptx")} if job.reference and job.check != "off" else {}
        problems = gate_problems({"pptx": data}, job.story.slug, job.check, job.story, baselines)
        reply = ("ok", DeckResult(data, problems))
    except BaseException as error:  # noqa: BLE001 - every failure goes back to the parent to report
        reply = ("error", error)
    try:
        connection.send(reply)
    except Exception:  # noqa: BLE001 - an error that does not pickle goes back as its words
        connection.send(("error", RuntimeError(f"{type(reply[1]).__name__}: {reply[1]}")))
