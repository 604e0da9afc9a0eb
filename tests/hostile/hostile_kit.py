"""Helpers for the hostile suite: an editable sample pack, a CLI runner and the user-error contract."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import yaml
from click.testing import CliRunner

from narrator.cli import cli


@dataclass
class Outcome:
    exit_code: int
    stdout: str
    stderr: str


def run(*args: str) -> Outcome:
    """The CLI in this process, as a user runs it (no --debug: a bug shows as exit 1, not a traceback)."""
    result = CliRunner().invoke(cli, [str(a) for a in args], catch_exceptions=True)
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        raise result.exception  # escaped the CLI's own handler: a traceback a user would see
    return Outcome(result.exit_code, result.stdout, result.stderr)


def assert_user_error(outcome: Outcome, *fragments: str) -> None:
    """Exit 2, one "error:" line per problem, no traceback, and each fragment in the message."""
    assert outcome.exit_code == 2, f"exit {outcome.exit_code}: {outcome.stderr or outcome.stdout}"
    assert "Traceback" not in outcome.stderr, outcome.stderr
    assert "internal error" not in outcome.stderr, outcome.stderr
    lines = [line for line in outcome.stderr.splitlines() if line.strip()]
    assert lines, "no message"
    assert all(line.startswith(("error: ", "warning: ")) for line in lines), outcome.stderr
    for fragment in fragments:
        assert fragment in outcome.stderr, f"{fragment!r} not in {outcome.stderr!r}"


def snapshot(folder: Path) -> dict[str, bytes]:
    """Every file in ``folder`` (hidden ones included) and its bytes."""
    if not folder.exists():
        return {}
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir()) if p.is_file()}


class Pack:
    """A copy of a sample pack whose config and files a test may change."""

    def __init__(self, folder: Path):
        self.folder = folder
        self.config = folder / "report.yaml"

    def data(self) -> dict:
        return yaml.safe_load(self.config.read_text(encoding="utf-8"))

    def set(self, **changes) -> Pack:
        data = self.data()
        data.update(changes)
        self.config.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
        return self

    def replace(self, name: str, old: str, new: str, count: int = 1) -> Pack:
        path = self.folder / name
        text = path.read_text(encoding="utf-8-sig")
        assert old in text, f"{old!r} not in {name}"
        path.write_text(text.replace(old, new, count), encoding="utf-8")
        return self

    def replace_first(self, name: str, pattern: str, new: str) -> Pack:
        """The first match of the regular expression ``pattern`` in ``name`` replaced by ``new``."""
        import re

        path = self.folder / name
        text = path.read_text(encoding="utf-8-sig")
        assert re.search(pattern, text, re.M), f"{pattern!r} not in {name}"
        path.write_text(re.sub(pattern, new, text, count=1, flags=re.M), encoding="utf-8")
        return self

    def template(self, name: str, text: str) -> Pack:
        """A user template folder holding ``sections/<name>`` (overriding the built-in one)."""
        folder = self.folder / "my-templates" / "sections"
        folder.mkdir(parents=True, exist_ok=True)
        (folder / name).write_text(text, encoding="utf-8")
        return self.set(templates=["my-templates"])

    def build(self, out: Path, *extra: str) -> Outcome:
        return run("build", self.config, "-o", out, *extra)


class Faulty:
    """Stands in for a module (os, shutil, tempfile) inside narrator.files: the ``at``-th call of any of
    ``names`` runs ``fault`` first (kill -9 the process, or raise an OSError such as a full disk)."""

    def __init__(self, module, names: tuple[str, ...], at: int, fault, counter: list[int]):
        self._module, self._names, self._at, self._fault, self._counter = module, names, at, fault, counter

    def __getattr__(self, name):
        real = getattr(self._module, name)
        if name not in self._names:
            return real

        def counted(*args, **kwargs):
            self._counter[0] += 1
            if self._counter[0] == self._at:
                self._fault()
            return real(*args, **kwargs)

        return counted


FILE_STEPS = {
    "os": ("open", "write", "fsync", "replace", "close"),
    "shutil": ("rmtree",),
    "tempfile": ("mkdtemp",),
}


def inject(at: int, fault) -> list[int]:
    """Make the ``at``-th file step of narrator.files run ``fault``; returns the step counter."""
    import os as os_module
    import shutil
    import tempfile

    import narrator.files as files

    counter = [0]
    modules = {"os": os_module, "shutil": shutil, "tempfile": tempfile}
    for name, steps in FILE_STEPS.items():
        setattr(files, name, Faulty(modules[name], steps, at, fault, counter))
    return counter


def uninject() -> None:
    import os as os_module
    import shutil
    import tempfile

    import narrator.files as files

    files.os, files.shutil, files.tempfile = os_module, shutil, tempfile


def kill_self() -> None:
    import os
    import signal

    os.kill(os.getpid(), signal.SIGKILL)


@dataclass
class Bounded:
    """A CLI run in a child process under an address-space limit, with what it took."""

    exit_code: int
    stderr: str
    max_rss_mb: float
    seconds: float


def run_bounded(*args: str, limit_mb: int = 1024, env: dict[str, str] | None = None, cwd=None) -> Bounded:
    """``python -m narrator ARGS`` under ``ulimit -v LIMIT_MB``: a case that reads without bound dies of
    MemoryError (exit 1) or is killed, instead of passing by luck on a machine with memory to spare."""
    import os
    import resource
    import subprocess
    import sys
    import tempfile
    import time

    def limit() -> None:
        resource.setrlimit(resource.RLIMIT_AS, (limit_mb << 20, limit_mb << 20))

    child_env = {**os.environ, "PYTHONPATH": os.pathsep.join(p for p in sys.path if p), **(env or {})}
    with tempfile.TemporaryFile() as err:
        started = time.perf_counter()
        child = subprocess.Popen(
            [sys.executable, "-m", "narrator", *map(str, args)],
            stdout=subprocess.DEVNULL,
            stderr=err,
            env=child_env,
            cwd=cwd,
            preexec_fn=limit,
        )
        _, status, usage = os.wait4(child.pid, 0)
        child.returncode = os.waitstatus_to_exitcode(status)
        seconds = time.perf_counter() - started
        err.seek(0)
        stderr = err.read().decode("utf-8", "replace")
    figures = Bounded(child.returncode, stderr, usage.ru_maxrss / 1024, seconds)
    log = os.environ.get("NARRATOR_HOSTILE_LOG")
    if log:  # the figures for the report: the largest memory and time any bounded case took
        with open(log, "a", encoding="utf-8") as handle:
            handle.write(f"{figures.max_rss_mb:.0f} MB {figures.seconds:.1f} s {' '.join(map(str, args))[:120]}\n")
    return figures
