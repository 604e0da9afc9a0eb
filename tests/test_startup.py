"""Commands import only what they need: the edit loop and the checks of inputs start without the Office
libraries, the spreadsheet reader or the quality gate (each costs a noticeable part of a second)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
CONFIG = str(REPO / "samples" / "private-insurer" / "report.yaml")  # a CSV export: no spreadsheet reader
HEAVY = ("pptx", "docx", "openpyxl", "pandas", "openxml_audit", "narrator.check", "narrator.render.pptx_deck")
PIPELINE = ("narrator.pipeline", "pydantic", "jinja2", "babel")  # what loading and telling a pack needs

# Runs the CLI in a fresh interpreter and reports which of HEAVY it imported, whatever the command did.
PROBE = """
import json, os, sys
from narrator.cli import cli
code = 0
try:
    cli.main(args=sys.argv[1:], prog_name="narrator")
except SystemExit as exc:
    code = exc.code
heavy = json.loads(os.environ["PROBE_MODULES"])
print("\\nIMPORTED " + json.dumps([name for name in heavy if name in sys.modules]) + " EXIT " + str(code))
"""


def imported_by(*args: str) -> tuple[list[str], str]:
    env = {**os.environ, "PYTHONPATH": str(REPO), "PROBE_MODULES": json.dumps(HEAVY + PIPELINE)}
    done = subprocess.run([sys.executable, "-c", PROBE, *args], capture_output=True, text=True, env=env, timeout=120)
    last = done.stdout.rstrip().splitlines()[-1]
    assert last.startswith("IMPORTED "), done.stderr
    modules, code = last.removeprefix("IMPORTED ").rsplit(" EXIT ", 1)
    return json.loads(modules), code


@pytest.mark.parametrize(
    "args",
    [("--help",), ("validate", CONFIG), ("preview", CONFIG, "--text")],
    ids=["help", "validate", "preview-text"],
)
def test_light_commands_do_not_import_the_office_libraries_or_the_gate(args):
    modules, code = imported_by(*args)
    assert code in ("0", "None")
    assert [name for name in modules if name in HEAVY] == []


def test_help_does_not_load_the_pipeline():
    modules, code = imported_by("--help")
    assert code in ("0", "None")
    assert modules == []


def test_build_still_imports_what_it_needs(tmp_path):
    """The probe sees imports: a build renders (python-pptx, python-docx) and gates (narrator.check)."""
    modules, code = imported_by("build", CONFIG, "-o", str(tmp_path), "-q")
    assert code in ("0", "None")
    assert {"pptx", "docx", "narrator.check"} <= set(modules)


def _command(*args: str, **kwargs) -> subprocess.CompletedProcess:
    """``python -m narrator``: the command's own entry point, which ends without the interpreter's teardown."""
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    return subprocess.run([sys.executable, "-m", "narrator", *args], capture_output=True, text=True, env=env,
                          timeout=120, **kwargs)


def test_the_fast_exit_keeps_every_line_and_the_exit_status(tmp_path):
    # The command skips freeing its modules at exit; its output must still arrive whole and its status
    # still say what happened: a script that runs the monthly pack reads both.
    preview = _command("preview", CONFIG, "--text")
    assert preview.returncode == 0, preview.stderr
    library = subprocess.run([sys.executable, "-c", "from narrator.cli import cli; cli.main(prog_name='narrator')",
                              "preview", CONFIG, "--text"], capture_output=True, text=True, timeout=120,
                             env={**os.environ, "PYTHONPATH": str(REPO)})
    assert preview.stdout == library.stdout
    assert preview.stdout.count("\n") > 50

    missing = _command("build", str(tmp_path / "none.yaml"), "-o", str(tmp_path / "out"))
    assert missing.returncode == 2
    assert missing.stderr.startswith("error: ")
    assert "config file not found" in missing.stderr

    built = _command("build", CONFIG, "-o", str(tmp_path / "out"))
    assert built.returncode == 0, built.stderr
    assert sorted(p.suffix for p in (tmp_path / "out").iterdir() if p.is_file()) == [".docx", ".json", ".pptx"]
