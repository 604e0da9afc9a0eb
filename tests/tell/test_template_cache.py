"""Compiled templates are kept on disk between runs, and an edited template is never served stale."""

from __future__ import annotations

from narrator.tell import environment
from narrator.tell.environment import NarrativeEnvironment
from narrator.tell.formatting import Formatter


def test_an_edited_template_is_recompiled_by_the_next_run(tmp_path, monkeypatch):
    monkeypatch.setenv("NARRATOR_CACHE_DIR", str(tmp_path / "cache"))
    environment._bytecode_cache.cache_clear()
    user = tmp_path / "templates"
    user.mkdir()
    (user / "note.j2").write_text("Service held up this month.", encoding="utf-8")

    def fresh_run() -> str:  # a new environment reads the disk cache as a new process would
        env = NarrativeEnvironment([user], tmp_path / "defaults", Formatter("en-GB", "GBP"))
        return env.env.get_template("note.j2").render()

    try:
        assert fresh_run() == "Service held up this month."
        assert list((tmp_path / "cache").rglob("*.cache")), "the compiled template was not kept"
        (user / "note.j2").write_text("Service slipped this month.", encoding="utf-8")
        assert fresh_run() == "Service slipped this month."
    finally:
        environment._bytecode_cache.cache_clear()


def test_an_unwritable_cache_folder_means_no_cache_not_an_error(tmp_path, monkeypatch):
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("", encoding="utf-8")
    monkeypatch.setenv("NARRATOR_CACHE_DIR", str(blocker))
    environment._bytecode_cache.cache_clear()
    try:
        assert environment._bytecode_cache() is None
    finally:
        environment._bytecode_cache.cache_clear()


def test_a_cache_folder_removed_during_a_run_costs_a_recompile_not_the_build(tmp_path, monkeypatch):
    import shutil

    monkeypatch.setenv("NARRATOR_CACHE_DIR", str(tmp_path / "cache"))
    environment._bytecode_cache.cache_clear()
    user = tmp_path / "templates"
    user.mkdir()
    (user / "note.j2").write_text("Service held up this month.", encoding="utf-8")
    try:
        env = NarrativeEnvironment([user], tmp_path / "defaults", Formatter("en-GB", "GBP"))
        shutil.rmtree(tmp_path / "cache")  # cleaned out by someone else while the run goes on
        assert env.env.get_template("note.j2").render() == "Service held up this month."
    finally:
        environment._bytecode_cache.cache_clear()
