"""The quality gate's memory: verdicts of slow checks kept by content, in this process and on disk.

A verdict is what a check found in some bytes (a list of findings, often empty), stored under a key that
names everything it depends on: the bytes' digest, the check and the version of the library that made
it. Building the same template every month, or a thousand packs on one template, asks the same questions
again; the answers are read back instead of recomputed.

The folder is ``$NARRATOR_CACHE_DIR/check-<namespace>``, else under ``$XDG_CACHE_HOME/narrator`` or
``~/.cache/narrator``. A folder that cannot be created, read or written only costs the time of checking
again: a damaged or unreadable entry is a miss, a failed write is ignored, and deleting the folder is
always safe.
"""

from __future__ import annotations

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

    def __init__(self, namespace: str, folder: Path | None = None):
        self.namespace = namespace
        self._folder = folder
        self._memory: dict[str, tuple[Finding, ...]] = {}
        self._unwritable: set[Path] = set()

    @property
    def folder(self) -> Path:
        # Resolved at each use, not at import: callers (and tests) may set NARRATOR_CACHE_DIR later.
        return self._folder or cache_root() / f"check-{self.namespace}"

    def get(self, key: str) -> tuple[Finding, ...] | None:
        found = self._memory.get(key)
        if found is not None:
            return found
        try:
            text = (self.folder / key[:2] / f"{key[2:]}.json").read_text(encoding="utf-8")
            found = tuple(tuple(item) for item in json.loads(text))
        except (OSError, ValueError, TypeError):
            return None  # never stored, unreadable or damaged: check again
        self._memory[key] = found
        return found

    def put(self, key: str, findings) -> None:
        findings = tuple(tuple(item) for item in findings)
        self._memory[key] = findings
        root = self.folder
        if root in self._unwritable:
            return
        folder = root / key[:2]
        try:
            folder.mkdir(parents=True, exist_ok=True)
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
            # A read-only or full disk: keep verdicts in memory only for the rest of this process.
            self._unwritable.add(root)

    def forget_memory(self) -> None:
        """Drop the in-process layer (the folder stays): what a new process would see."""
        self._memory.clear()
