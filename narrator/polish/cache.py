"""On-disk cache of accepted masked rewrites, keyed by everything that shapes the model's answer.

Keys and stored rewrites use tokens renumbered by order of appearance (⟦V7⟧ ⟦V9⟧ -> ⟦V1⟧ ⟦V2⟧), so next
month's pack, whose values and token numbers differ but whose wording is the same, hits the cache and gets
its own fresh values put back.
"""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
from pathlib import Path

from narrator.tell.story import TOKEN_CLOSE, TOKEN_OPEN, TOKEN_PATTERN

CACHE_FORMAT = 1


class PolishCache:
    """Accepted rewrites for one prompt, endpoint, model and set of sampling parameters."""

    def __init__(self, folder: Path, *, context: dict[str, object]):
        self.folder = Path(folder)
        # The context is hashed once; each key adds only the segment's normalised text.
        self._context = json.dumps({"format": CACHE_FORMAT, **context}, sort_keys=True, default=str)

    def key(self, masked: str) -> str:
        return self._key(normalise_tokens(masked)[0])

    def _key(self, normal: str) -> str:
        return hashlib.sha256(f"{self._context}\n{normal}".encode()).hexdigest()

    def get(self, masked: str) -> str | None:
        """The cached rewrite of ``masked``, in this segment's own tokens, or None."""
        normal, mapping = normalise_tokens(masked)
        path = self._path(self._key(normal))
        try:
            stored = json.loads(path.read_text(encoding="utf-8"))["rewrite"]
        except (OSError, ValueError, KeyError, TypeError):
            return None  # a missing or damaged entry is a miss; the model is asked again
        back = {normal: own for own, normal in mapping.items()}
        try:
            return TOKEN_PATTERN.sub(lambda m: f"{TOKEN_OPEN}{back[m.group(1)]}{TOKEN_CLOSE}", stored)
        except KeyError:
            return None

    def put(self, masked: str, rewrite: str) -> None:
        """Store an accepted rewrite; a cache that cannot be written costs money later, never a run."""
        normal, mapping = normalise_tokens(masked)
        stored = TOKEN_PATTERN.sub(lambda m: f"{TOKEN_OPEN}{mapping[m.group(1)]}{TOKEN_CLOSE}", rewrite)
        path = self._path(self._key(normal))
        entry = {"input": normal, "rewrite": stored}
        tmp: str | None = None
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            # Write beside the target and rename: a reader never sees half a file, even mid-crash.
            fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".tmp-", suffix=".json")
            with os.fdopen(fd, "w", encoding="utf-8") as handle:
                json.dump(entry, handle, ensure_ascii=False)
            os.replace(tmp, path)
        except OSError:
            if tmp is not None:
                Path(tmp).unlink(missing_ok=True)

    def _path(self, key: str) -> Path:
        return self.folder / key[:2] / f"{key}.json"


def normalise_tokens(masked: str) -> tuple[str, dict[str, str]]:
    """``masked`` with tokens renumbered V1, V2, ... by first appearance, and the own->normal mapping."""
    mapping: dict[str, str] = {}
    for match in TOKEN_PATTERN.finditer(masked):
        mapping.setdefault(match.group(1), f"V{len(mapping) + 1}")
    normal = TOKEN_PATTERN.sub(lambda m: f"{TOKEN_OPEN}{mapping[m.group(1)]}{TOKEN_CLOSE}", masked)
    return normal, mapping
