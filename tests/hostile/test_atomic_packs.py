"""2. Atomic packs: a pack is committed whole or not at all, whatever kills or fails the run, and one
writer at a time; what a killed run leaves is cleaned (or finished) by the next."""

from __future__ import annotations

import errno
import json
import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
from hostile_kit import assert_user_error, inject, kill_self, snapshot, uninject

import narrator.files as files
from narrator.errors import OutputError
from narrator.files import COMMIT_MANIFEST, STAGE_PREFIX, STAGING, commit_pack, folder_lock, recover_folder

OLD = {"p.docx": b"old paper " * 50, "p.pptx": b"old deck " * 70, "p.run.json": b'{"old": true}\n'}
NEW = {"p.docx": b"new paper " * 60, "p.pptx": b"new deck " * 40, "p.run.json": b'{"new": true}\n'}


def _pack(folder: Path) -> dict[str, bytes]:
    return {name: data for name, data in snapshot(folder).items() if name in OLD}


def _steps_of_a_commit(tmp_path: Path) -> int:
    folder = tmp_path / "count"
    commit_pack(folder, OLD)
    counter = inject(10**9, lambda: None)
    try:
        commit_pack(folder, NEW)
    finally:
        uninject()
    return counter[0]


def _killed_commit(folder: Path, at: int) -> bool:
    """Commit NEW over OLD in a forked child killed with SIGKILL at file step ``at``; True if killed."""
    pid = os.fork()
    if pid == 0:  # the child: never returns into pytest
        try:
            inject(at, kill_self)
            commit_pack(folder, NEW)
        finally:
            os._exit(0)
    _, status = os.waitpid(pid, 0)
    return os.WIFSIGNALED(status) and os.WTERMSIG(status) == signal.SIGKILL


STEPS = 30  # file steps of one commit of three files (asserted below, so a change to files.py shows here)


def test_a_commit_takes_the_steps_the_kill_tests_cover(tmp_path):
    assert _steps_of_a_commit(tmp_path) == STEPS


@pytest.mark.parametrize("at", range(1, STEPS + 2))
def test_kill_9_at_any_step_leaves_the_old_pack_or_after_recovery_the_new_one_never_a_mix(tmp_path, at):
    out = tmp_path / "out"
    commit_pack(out, OLD)
    killed = _killed_commit(out, at)
    assert killed == (at <= STEPS)
    stages = list((out / STAGING).iterdir()) if (out / STAGING).exists() else []
    committed = any((s / COMMIT_MANIFEST).exists() for s in stages)
    if not committed and _pack(out) != NEW:
        assert _pack(out) == OLD  # killed before the commit point: last month's pack byte-identical
    recover_folder(out)
    assert _pack(out) in (OLD, NEW)
    assert sorted(snapshot(out)) == sorted(OLD)  # no staging folder or temporary file survives
    assert not [p for p in out.iterdir() if p.is_dir()]
    if committed:
        assert _pack(out) == NEW


@pytest.mark.parametrize("at", [4, 5, 8, 12, 16])  # the writes and an fsync
def test_a_full_disk_on_any_write_removes_the_partial_files_and_keeps_the_old_pack(tmp_path, at):
    out = tmp_path / "out"
    commit_pack(out, OLD)

    def disk_full():
        raise OSError(errno.ENOSPC, "No space left on device")

    inject(at, disk_full)
    try:
        with pytest.raises(
            OutputError, match=r"cannot write the outputs \(No space left on device\); nothing was replaced"
        ):
            commit_pack(out, NEW)
    finally:
        uninject()
    assert snapshot(out) == OLD
    assert sorted(p.name for p in out.iterdir()) == sorted(OLD)  # no staging folder, no partial file


def test_a_failed_second_write_leaves_the_previous_pack_byte_identical(tmp_path):
    out = tmp_path / "out"
    commit_pack(out, OLD)
    calls = [0]
    real_write = os.write

    def second_write_fails(fd, data):
        calls[0] += 1
        if calls[0] == 2:
            raise OSError(errno.EIO, "Input/output error")
        return real_write(fd, data)

    import narrator.files as files

    class _Os:
        def __getattr__(self, name):
            return second_write_fails if name == "write" else getattr(os, name)

    files.os = _Os()
    try:
        with pytest.raises(OutputError):
            commit_pack(out, NEW)
    finally:
        files.os = os
    assert snapshot(out) == OLD


def test_stale_temporary_files_and_uncommitted_stages_of_a_killed_run_are_removed(tmp_path):
    out = tmp_path / "out"
    commit_pack(out, OLD)
    (out / ".p.docx.k2j4h5g6.tmp").write_bytes(b"half a file")  # the temp file of narrator before stages
    stage = out / STAGING / "abc123"
    stage.mkdir(parents=True)
    (stage / "p.docx").write_bytes(b"partial")
    files._LOOKED.clear()  # the next run is a new process, which has not looked at this folder yet
    commit_pack(out, NEW)
    assert snapshot(out) == NEW


def test_a_committed_stage_left_by_a_killed_run_is_finished_by_the_next(tmp_path):
    out = tmp_path / "out"
    commit_pack(out, OLD)
    stage = out / STAGING / "xyz"
    stage.mkdir(parents=True)
    for name, data in NEW.items():
        (stage / name).write_bytes(data)
    (stage / COMMIT_MANIFEST).write_text(json.dumps({"files": sorted(NEW)}))
    os.replace(stage / "p.docx", out / "p.docx")  # killed after the first rename
    recover_folder(out)
    assert snapshot(out) == NEW


def test_a_stage_of_the_first_layout_directly_in_the_folder_is_finished_too(tmp_path):
    out = tmp_path / "out"
    commit_pack(out, OLD)
    stage = out / f"{STAGE_PREFIX}old"
    stage.mkdir()
    for name, data in NEW.items():
        (stage / name).write_bytes(data)
    (stage / COMMIT_MANIFEST).write_text(json.dumps({"files": sorted(NEW)}))
    files._LOOKED.clear()  # the next run is a new process
    recover_folder(out)
    assert snapshot(out) == NEW
    assert not stage.exists()


def test_an_idle_folder_holds_no_staging_folder(tmp_path):
    commit_pack(tmp_path / "out", OLD)
    commit_pack(tmp_path / "out", NEW)
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == sorted(NEW)


def test_a_damaged_commit_manifest_counts_as_uncommitted(tmp_path):
    out = tmp_path / "out"
    commit_pack(out, OLD)
    stage = out / STAGING / "bad"
    stage.mkdir(parents=True)
    (stage / "p.docx").write_bytes(b"new?")
    (stage / COMMIT_MANIFEST).write_text("{not json")
    recover_folder(out)
    assert snapshot(out) == OLD


def test_a_manifest_naming_a_file_outside_the_folder_is_not_followed(tmp_path):
    out = tmp_path / "out"
    commit_pack(out, OLD)
    stage = out / STAGING / "evil"
    stage.mkdir(parents=True)
    (stage / "x").write_bytes(b"evil")
    (stage / COMMIT_MANIFEST).write_text(json.dumps({"files": ["../x"]}))
    recover_folder(out)
    assert not (tmp_path / "x").exists()
    assert snapshot(out) == OLD


def test_a_second_writer_waits_for_the_lock_then_commits(tmp_path):
    out = tmp_path / "out"
    commit_pack(out, OLD)
    released = threading.Event()

    def hold():
        with folder_lock(out):
            time.sleep(0.3)
        released.set()

    holder = threading.Thread(target=hold)
    holder.start()
    time.sleep(0.05)
    commit_pack(out, NEW)
    holder.join()
    assert released.is_set()
    assert snapshot(out) == NEW


def test_a_lock_held_past_the_timeout_is_a_clear_user_error(tmp_path, monkeypatch, pack):
    out = tmp_path / "out"
    commit_pack(out, OLD)
    monkeypatch.setenv("NARRATOR_LOCK_TIMEOUT", "0.2")
    with folder_lock(out):
        with pytest.raises(OutputError, match="another narrator run is writing into this folder"):
            commit_pack(out, NEW)
        pack.set(outputs=["md"])
        assert_user_error(pack.build(out, "--no-check"), "NARRATOR_LOCK_TIMEOUT")
    assert snapshot(out) == OLD


def test_a_lock_timeout_that_is_not_a_number_is_a_user_error(tmp_path, monkeypatch):
    monkeypatch.setenv("NARRATOR_LOCK_TIMEOUT", "soon")
    with pytest.raises(OutputError, match="expected a number of seconds"):
        commit_pack(tmp_path / "out", OLD)


def test_a_run_record_path_that_is_a_folder_fails_before_any_document_is_replaced(pack, tmp_path):
    out = tmp_path / "out"
    pack.set(outputs=["md"], slug="board")
    assert pack.build(out, "--no-check").exit_code == 0
    before = snapshot(out)
    (out / "board.run.json").unlink()
    (out / "board.run.json").mkdir()
    pack.set(title="A different title")
    assert_user_error(pack.build(out, "--no-check"), "board.run.json: exists and is not a regular file")
    assert snapshot(out) == {k: v for k, v in before.items() if k != "board.run.json"}


def test_a_fifo_where_an_output_belongs_is_refused_without_hanging(pack, tmp_path):
    out = tmp_path / "out"
    out.mkdir()
    os.mkfifo(out / "board.md")
    pack.set(outputs=["md"], slug="board")
    assert_user_error(pack.build(out, "--no-check"), "board.md: exists and is not a regular file")


def test_an_unchanged_rerun_rewrites_nothing(pack, tmp_path):
    out = tmp_path / "out"
    pack.set(outputs=["md"])
    pack.build(out, "--no-check")
    stamps = {p.name: p.stat().st_mtime_ns for p in out.iterdir()}
    second = pack.build(out, "--no-check")
    assert "(unchanged)" in second.stdout
    assert "(written)" not in second.stdout
    assert {p.name: p.stat().st_mtime_ns for p in out.iterdir()} == stamps


# --- whole builds, killed in a separate process -----------------------------------------------------

_KILLED_BUILD = """
import sys
sys.path[:0] = [{kit!r}]
from hostile_kit import inject, kill_self
inject({at}, kill_self)
from narrator.cli import cli
cli(["build", {config!r}, "-o", {out!r}, "--no-check"])
"""


# A build's file steps: 1-2 the recovery's lock, 3 the commit's lock, 4 the staging folder, 5-20 the
# three documents and the manifest, 21 the commit rename, 25-27 the renames into place, 31 the clean-up.
@pytest.mark.parametrize("at", [4, 10, 21, 22, 26, 27, 31])
def test_a_build_killed_while_writing_leaves_the_old_pack_or_the_whole_new_one(pack, tmp_path, at):
    out, fresh = tmp_path / "out", tmp_path / "fresh"
    pack.set(slug="board")
    assert pack.build(out, "--no-check").exit_code == 0
    old = snapshot(out)
    pack.set(title="Next month's title")
    assert pack.build(fresh, "--no-check").exit_code == 0
    new = snapshot(fresh)
    script = _KILLED_BUILD.format(kit=str(Path(__file__).parent), at=at, config=str(pack.config), out=str(out))
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(sys.path)}
    child = subprocess.run([sys.executable, "-c", script], env=env, capture_output=True, check=False)
    assert child.returncode == -signal.SIGKILL, child.stderr.decode()[-2000:]
    recover_folder(out)
    assert snapshot(out) in (old, new)
