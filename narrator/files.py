"""Writing outputs safely: every file lands whole or not at all, and only after everything is built."""

from __future__ import annotations

import functools
import hashlib
import os
import tempfile
from pathlib import Path

from narrator.errors import OutputError


def check_output_folder(folder: Path) -> None:
    """Fail before any work when the output folder cannot be written. Creates nothing: a run that fails
    later must leave no trace, not even an empty folder."""
    existing = folder
    while not existing.exists():
        if existing.parent == existing:
            break
        existing = existing.parent
    if existing.exists() and not existing.is_dir():
        raise OutputError(f"{existing}: exists and is not a folder; choose another output folder with -o")
    if not os.access(existing, os.W_OK | os.X_OK):
        raise OutputError(
            f"{folder}: output folder is not writable; fix its permissions or choose another with -o"
        )


def write_all_atomically(files: dict[Path, bytes]) -> None:
    """Write each file to a temporary sibling, then rename them all into place. If any write fails, the
    temporaries are removed and no destination is touched; renames within one folder are atomic."""
    staged: list[tuple[Path, Path]] = []
    try:
        for target, data in files.items():
            target.parent.mkdir(parents=True, exist_ok=True)
            handle, temp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
            with os.fdopen(handle, "wb") as out:
                out.write(data)
                out.flush()
                os.fsync(out.fileno())
            os.chmod(temp, 0o644)
            staged.append((Path(temp), target))
    except OSError as exc:
        for temp, _ in staged:
            temp.unlink(missing_ok=True)
        raise OutputError(f"cannot write outputs ({exc}); nothing was written") from None
    for temp, target in staged:
        os.replace(temp, target)


def unchanged(target: Path, data: bytes) -> bool:
    """True when ``target`` already holds exactly ``data`` (re-runs then leave the file alone)."""
    try:
        return target.stat().st_size == len(data) and target.read_bytes() == data
    except OSError:
        return False


def sha256_file(path: Path) -> str:
    """The file's hash; remembered per process while its size and modification time stay the same, so a
    batch of a thousand segment packs hashes the shared KPI file once, not a thousand times."""
    stat = path.stat()
    return _sha256_of(str(path.resolve()), stat.st_size, stat.st_mtime_ns, stat.st_ino)


@functools.lru_cache(maxsize=64)
def _sha256_of(path: str, size: int, mtime_ns: int, inode: int) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 16), b""):
            digest.update(block)
    return digest.hexdigest()


def sha256_bytes(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()
