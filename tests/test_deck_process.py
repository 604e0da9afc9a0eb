"""`narrator build` renders and checks the deck in a second process: the same files, the same errors.

Run as the command itself (a subprocess), since only the ``narrator`` command's own process forks.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

REPO = Path(__file__).resolve().parents[1]
SAMPLES = REPO / "samples"

pytestmark = pytest.mark.skipif(
    sys.platform != "linux" or len(os.sched_getaffinity(0)) < 2, reason="the deck process needs Linux and 2 CPUs"
)


def narrator(*args, deck_process: bool, cwd: Path) -> subprocess.CompletedProcess:
    env = {**os.environ, "PYTHONPATH": str(REPO), "NARRATOR_DECK_PROCESS": "1" if deck_process else "0"}
    return subprocess.run([sys.executable, "-m", "narrator", *map(str, args)], cwd=cwd, env=env,
                          capture_output=True, text=True, timeout=300)


@pytest.mark.parametrize("name", ["private-insurer", "outsourcer-client"])
def test_the_deck_process_writes_the_files_one_process_writes(name, tmp_path):
    pack = tmp_path / name
    shutil.copytree(SAMPLES / name, pack)
    for deck_process, out in ((False, "one"), (True, "two")):
        result = narrator("build", "report.yaml", "-o", out, deck_process=deck_process, cwd=pack)
        assert result.returncode == 0, result.stderr
    one, two = sorted((pack / "one").iterdir()), sorted((pack / "two").iterdir())
    assert [p.name for p in one] == [p.name for p in two]
    for a, b in zip(one, two, strict=True):
        if a.suffix in (".pptx", ".docx"):
            assert a.read_bytes() == b.read_bytes(), a.name


def test_an_error_in_the_deck_process_is_reported_as_in_one_process(tmp_path):
    pack = tmp_path / "pack"
    shutil.copytree(SAMPLES / "private-insurer", pack)
    config = yaml.safe_load((pack / "report.yaml").read_text())
    config.setdefault("reference", {})["layouts"] = {"content": "No Such Layout"}
    (pack / "report.yaml").write_text(yaml.safe_dump(config))
    results = [narrator("build", "report.yaml", "-o", "out", deck_process=flag, cwd=pack) for flag in (False, True)]
    assert results[0].returncode == results[1].returncode == 2
    assert results[0].stderr == results[1].stderr
    assert 'reference.layouts.content names "No Such Layout"' in results[1].stderr
    assert "Traceback" not in results[1].stderr
    assert not (pack / "out").exists() or not any((pack / "out").iterdir())


def test_a_deck_process_that_dies_leaves_the_deck_to_the_parent(tmp_path):
    # The helper killed before it gets its job: the parent renders and checks the deck itself.
    script = f"""
import os, signal, sys
sys.path.insert(0, {str(REPO)!r})
from narrator import deck_process
from narrator.pipeline import prepare, render_and_check, render_documents
deck_process.allow_forking()
helper = deck_process.DeckProcess.start()
assert helper is not None
os.kill(helper._pid, signal.SIGKILL)
prepared = prepare({str(SAMPLES / "private-insurer" / "report.yaml")!r})
documents = render_and_check(prepared.story, prepared.loaded, "full", helper)
helper.close()
alone = render_documents(prepared.story, prepared.loaded)
assert list(documents) == ["docx", "pptx"], list(documents)
assert documents == alone
print("ok")
"""
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=300,
                            env={**os.environ, "NARRATOR_CACHE_DIR": str(tmp_path / "cache")})
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "ok", result.stderr


def test_only_the_narrator_command_forks():
    # In someone else's program (a library call, click's CliRunner) there is no second process.
    from narrator.deck_process import DeckProcess

    assert DeckProcess.start() is None
