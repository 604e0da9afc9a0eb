"""The quality gate's memory: verdicts of slow checks kept by content, in this process and on disk.

A verdict is what a check found in some bytes (a list of findings, often empty), stored under a key that
names everything it depends on: the bytes' digest, the check and the version of the library that made
it. Building the same template every month, or a thousand packs on one template, asks the same questions
again; the answers are read back instead of recomputed.

The folder is ``$NARRATOR_CACHE_DIR/check-<namespace>``, else under ``$XDG_CACHE_HOME/narrator`` or
``~/.cache/narrator``. A folder that cannot be created, read or written only costs the time of checking
again: a damaged or unreadable entry is a miss, a failed write is ignored, and deleting the folder is
always safe.

Both layers are bounded, since a batch worker may check tens of thousands of packs and a monthly batch
adds thousands of documents a month: the dict keeps the most recent ``MEMORY_ENTRIES`` verdicts, and each
of a namespace's 256 sub-folders keeps about ``DISK_ENTRIES / 256``; past that the entries least recently
written or read from disk go first (a template's parts, read every month, stay).
"""

from __future__ import annotations

import contextlib
import itertools
import json
import os
import tempfile
from pathlib import Path

Finding = tuple  # a verdict's findings are tuples of JSON scalars (strings, numbers, None)


def cache_root() -> Path:
    root = os.environ.get("NARRATOR_CACHE_DIR") or os.path.join(
        os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache"), "narrator"
    )
    return Path(root)


class VerdictStore:
    """Verdicts under one namespace (a check and its library's version): a dict in front of a folder."""

    MEMORY_ENTRIES = 20_000
    DISK_ENTRIES = 100_000
    PRUNE_EVERY = 64  # writes between looks at a sub-folder's size

    def __init__(self, namespace: str, folder: Path | None = None):
        self.namespace = namespace
        self._folder = folder
        self._memory: dict[str, tuple[Finding, ...]] = {}
        self._unwritable: set[Path] = set()
        self._writes = 0
        self._made: set[Path] = set()  # sub-folders known to exist (at most 256 a namespace)

    @property
    def folder(self) -> Path:
        # Resolved at each use, not at import: callers (and tests) may set NARRATOR_CACHE_DIR later.
        return self._folder or cache_root() / f"check-{self.namespace}"

    def get(self, key: str) -> tuple[Finding, ...] | None:
        found = self._memory.get(key)
        if found is not None:
            return found
        path = self.folder / key[:2] / f"{key[2:]}.json"
        try:
            text = path.read_text(encoding="utf-8")
            found = tuple(tuple(item) for item in json.loads(text))
        except (OSError, ValueError, TypeError):
            return None  # never stored, unreadable or damaged: check again
        with contextlib.suppress(OSError):
            os.utime(path)  # read again: the last to be pruned
        self._remember(key, found)
        return found

    def _remember(self, key: str, findings: tuple[Finding, ...]) -> None:
        memory = self._memory
        memory.pop(key, None)
        memory[key] = findings
        if len(memory) > self.MEMORY_ENTRIES:
            for old in list(itertools.islice(memory, len(memory) - self.MEMORY_ENTRIES * 3 // 4)):
                del memory[old]

    def put(self, key: str, findings) -> None:
        findings = tuple(tuple(item) for item in findings)
        self._remember(key, findings)
        root = self.folder
        if root in self._unwritable:
            return
        folder = root / key[:2]
        try:
            if folder not in self._made:  # once per process: a batch worker writes thousands of verdicts
                folder.mkdir(parents=True, exist_ok=True)
                self._made.add(folder)
            # Written whole, then renamed: a reader (another batch worker) never sees half an entry.
            handle, temporary = tempfile.mkstemp(dir=folder, prefix=".tmp-", suffix=".json")
            try:
                with os.fdopen(handle, "w", encoding="utf-8") as out:
                    json.dump([list(item) for item in findings], out, separators=(",", ":"))
                os.replace(temporary, folder / f"{key[2:]}.json")
            except BaseException:
                os.unlink(temporary)
                raise
        except OSError:
            if folder in self._made:  # the folder was deleted under us (always allowed): make it again
                self._made.discard(folder)
                return self.put(key, findings)
            # A read-only or full disk: keep verdicts in memory only for the rest of this process.
            self._unwritable.add(root)
            return
        self._writes += 1
        if self._writes % self.PRUNE_EVERY == 0:
            self._prune(folder)

    def _prune(self, folder: Path) -> None:
        """Keep one sub-folder within its share of DISK_ENTRIES, dropping the least recently used."""
        limit = max(1, self.DISK_ENTRIES // 256)
        try:
            entries = [entry for entry in os.scandir(folder) if entry.name.endswith(".json")]
            if len(entries) <= limit:
                return
            by_age = sorted(entries, key=lambda entry: entry.stat().st_mtime_ns)
        except OSError:
            return
        for entry in by_age[: len(by_age) - limit * 3 // 4]:
            with contextlib.suppress(OSError):
                os.unlink(entry.path)  # another worker may have pruned it first

    def forget_memory(self) -> None:
        """Drop the in-process layer (the folder stays): what a new process would see."""
        self._memory.clear()
