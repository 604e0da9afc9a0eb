"""Writing outputs safely: a pack lands whole or not at all, only inside its output folder, one writer at a time.

A pack's files are committed together. Under an advisory lock on the output folder, every changed file
is written into a staging folder inside it (``.narrator-staging/<random>``: the same filesystem, so
renames are atomic), flushed to disk, and then a commit manifest is renamed into the staging folder:
that rename is the commit point.
Only then are the staged files renamed over the old ones. A run killed (even with kill -9) before the
commit point leaves the previous pack untouched and a staging folder that the next run deletes; a run
killed after it leaves a committed staging folder that the next run (or any build into that folder)
finishes moving into place. Either way no later reader sees a pack mixed from two runs once a run has
recovered the folder.
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import json
import os
import re
import shutil
import stat
import tempfile
import time
from collections.abc import Iterator, Mapping
from pathlib import Path

from narrator.errors import OutputError

try:  # advisory locks are POSIX; elsewhere one writer per folder is the user's to arrange
    import fcntl
except ImportError:  # pragma: no cover - not on Linux or macOS
    fcntl = None  # type: ignore[assignment]

STAGING = ".narrator-staging"  # in the output folder: one subfolder per commit in progress; gone when idle
STAGE_PREFIX = ".narrator-stage-"  # the first layout's stages, directly in the output folder
COMMIT_MANIFEST = "COMMIT.json"
LOCK_TIMEOUT_ENV = "NARRATOR_LOCK_TIMEOUT"
DEFAULT_LOCK_TIMEOUT = 600.0
# Temporary files of narrator before packs were staged in a folder: ".<name>.<random>.tmp".
_LEGACY_TEMP = re.compile(r"^\..+\.(?:docx|pptx|md|json)\.[A-Za-z0-9_]{6,12}\.tmp$")


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
        raise OutputError(f"{folder}: output folder is not writable; fix its permissions or choose another with -o")


def confined(folder: Path, name: str) -> Path:
    """``folder / name``, refused unless it is a plain file name that stays inside ``folder``: no
    separators, no "." or "..", nothing a link could carry elsewhere."""
    bad = not name or name in (".", "..", STAGING) or any(ch in name for ch in "/\\\0") or name.startswith(STAGE_PREFIX)
    target = folder / name
    if not bad:
        # The name itself is checked, not what a link at that name points to: commit_pack refuses links.
        root = folder.resolve()
        bad = Path(os.path.abspath(root / name)).parent != root
    if bad:
        raise OutputError(
            f"{name!r}: an output file name must stay inside the output folder {folder}; "
            "use a plain slug (letters, digits and hyphens) in the config's slug"
        )
    return target


def commit_pack(folder: Path, files: Mapping[str, bytes]) -> list[Path]:
    """Write ``files`` (file name -> bytes) into ``folder`` as one commit; returns the paths that changed.

    Files whose bytes are already in place are left alone, so a re-run on unchanged inputs rewrites
    nothing. Raises OutputError, with nothing replaced, when a target is not a regular file, the folder
    is locked by another build for longer than the lock timeout, or a write fails (a full disk)."""
    targets = {confined(folder, name): data for name, data in files.items()}
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise OutputError(
            f"{folder}: cannot create the output folder ({exc.strerror}); choose another with -o"
        ) from None
    with folder_lock(folder):
        recover_folder(folder, locked=True)
        problems = [
            f"{target}: exists and is not a regular file; move it away or choose another output folder with -o"
            for target in targets
            if target.is_symlink() or (target.exists() and not target.is_file())
        ]
        if problems:
            raise OutputError([*problems, "nothing was written"])
        changed = {target: data for target, data in targets.items() if not unchanged(target, data)}
        if changed:
            _roll_forward(_stage(folder, changed), folder)
    return sorted(changed)


def _stage(folder: Path, files: Mapping[Path, bytes]) -> Path:
    """Write every file into a new staging folder and commit it; on any failure remove it all."""
    stage: Path | None = None
    try:
        (folder / STAGING).mkdir(exist_ok=True)
        stage = Path(tempfile.mkdtemp(dir=folder / STAGING))
        for target, data in files.items():
            _write_synced(stage / target.name, data)
        manifest = json.dumps({"files": sorted(t.name for t in files)}).encode("utf-8")
        _write_synced(stage / f"{COMMIT_MANIFEST}.tmp", manifest)
        os.replace(stage / f"{COMMIT_MANIFEST}.tmp", stage / COMMIT_MANIFEST)  # the commit point
        _sync_folder(stage)
    except OSError as exc:
        if stage is not None:
            shutil.rmtree(stage, ignore_errors=True)
        _remove_if_empty(folder / STAGING)
        raise OutputError(f"{folder}: cannot write the outputs ({exc.strerror or exc}); nothing was replaced") from None
    return stage


def _write_synced(path: Path, data: bytes) -> None:
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o644)
    try:
        view = memoryview(data)
        while view:
            view = view[os.write(fd, view) :]
        os.fsync(fd)
    finally:
        os.close(fd)


def _sync_folder(folder: Path) -> None:
    with contextlib.suppress(OSError):  # not every filesystem lets a folder be synced
        fd = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


def _roll_forward(stage: Path, folder: Path) -> None:
    """Move a committed stage's files into place (idempotent: what a killed run left is finished)."""
    names = json.loads((stage / COMMIT_MANIFEST).read_text(encoding="utf-8"))["files"]
    for name in names:
        staged = stage / name
        if staged.exists():
            os.replace(staged, confined(folder, name))
    _sync_folder(folder)
    shutil.rmtree(stage, ignore_errors=True)
    _remove_if_empty(stage.parent)


def _remove_if_empty(staging: Path) -> None:
    if staging.name == STAGING:
        with contextlib.suppress(OSError):  # not empty (another stage), or already gone
            staging.rmdir()


# Output folders whose old-style leftovers this process has looked for. Looking means reading the whole
# folder: once per pack, a batch of ten thousand sites would read thirty thousand names per pack.
_LOOKED: set[str] = set()


def recover_folder(folder: Path, *, locked: bool = False) -> None:
    """Finish what a killed run left in ``folder``: a committed stage is moved into place, anything
    uncommitted (a stage without a manifest, an old-style temporary file) is deleted."""
    if not folder.is_dir():
        return
    with contextlib.nullcontext() if locked else folder_lock(folder):
        staging = folder / STAGING
        if staging.is_dir():
            for stage in sorted(staging.iterdir()):
                _finish_or_remove(stage, folder)
            _remove_if_empty(staging)
        key = str(folder.resolve())
        if key in _LOOKED:
            return
        _LOOKED.add(key)
        with os.scandir(folder) as entries:
            hidden = [e for e in entries if e.name.startswith(".")]  # both kinds of leftover are hidden
        for entry in hidden:
            if entry.name.startswith(STAGE_PREFIX) and entry.is_dir(follow_symlinks=False):
                _finish_or_remove(Path(entry.path), folder)
            elif _LEGACY_TEMP.match(entry.name) and not entry.is_dir(follow_symlinks=False):
                Path(entry.path).unlink(missing_ok=True)


def _finish_or_remove(stage: Path, folder: Path) -> None:
    if stage.is_symlink() or not stage.is_dir():
        stage.unlink(missing_ok=True)
        return
    try:
        json.loads((stage / COMMIT_MANIFEST).read_text(encoding="utf-8"))["files"]
    except (OSError, ValueError, KeyError, TypeError):
        shutil.rmtree(stage, ignore_errors=True)  # never committed: the previous pack stands
        return
    try:
        _roll_forward(stage, folder)
    except (OSError, OutputError, ValueError, KeyError, TypeError):
        shutil.rmtree(stage, ignore_errors=True)


@contextlib.contextmanager
def folder_lock(folder: Path) -> Iterator[None]:
    """Hold an exclusive advisory lock on ``folder`` (the folder itself: no lock file to leave behind).
    Waits up to $NARRATOR_LOCK_TIMEOUT seconds (default 600) for another build to finish writing."""
    if fcntl is None:
        yield
        return
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError as exc:
        raise OutputError(f"{folder}: cannot open the output folder ({exc.strerror}); choose another with -o") from None
    try:
        timeout = _lock_timeout()
        waited_until = time.monotonic() + timeout
        while True:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if time.monotonic() >= waited_until:
                    raise OutputError(
                        f"{folder}: another narrator run is writing into this folder and did not finish "
                        f"within {timeout:g} s; wait for it, or raise the wait with {LOCK_TIMEOUT_ENV}=SECONDS"
                    ) from None
                time.sleep(0.05)
        yield
    finally:
        os.close(fd)  # closing the descriptor releases the lock


def _lock_timeout() -> float:
    raw = os.environ.get(LOCK_TIMEOUT_ENV, "")
    try:
        return max(float(raw), 0.0) if raw.strip() else DEFAULT_LOCK_TIMEOUT
    except ValueError:
        raise OutputError(f"{LOCK_TIMEOUT_ENV}={raw!r}: expected a number of seconds") from None


def unchanged(target: Path, data: bytes) -> bool:
    """True when ``target`` is a regular file already holding exactly ``data`` (re-runs leave it alone)."""
    try:
        info = target.stat()
        if not stat.S_ISREG(info.st_mode) or info.st_size != len(data):
            return False
        return target.read_bytes() == data
    except OSError:
        return False


def sha256_file(path: Path) -> str:
    """The file's hash; remembered per process while its size and modification time stay the same, so a
    batch of a thousand segment packs hashes the shared KPI file once, not a thousand times."""
    stat_ = path.stat()
    return _sha256_of(str(path.resolve()), stat_.st_size, stat_.st_mtime_ns, stat_.st_ino)


@functools.lru_cache(maxsize=64)
def _sha256_of(path: str, size: int, mtime_ns: int, inode: int) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 16), b""):
            digest.update(block)
    return digest.hexdigest()


def sha256_bytes(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()
