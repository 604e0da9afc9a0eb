"""Each document imports only its own Office library: the Word paper's charts need neither python-pptx
(~0.2 s to import) nor XlsxWriter (~0.1 s), and the deck's charts need no XlsxWriter, since narrator writes
chart XML and chart workbooks itself."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
SAMPLES = ("private-insurer", "outsourcer-client", "public-council", "tei-worked-example")

# Renders every sample's paper, then every sample's deck, in a fresh interpreter, noting what is imported.
PROBE = """
import json, sys
from pathlib import Path
from narrator.pipeline import prepare
from narrator.render import render_docx, render_pptx

WATCHED = ("pptx", "xlsxwriter")
def loaded():
    return [name for name in WATCHED if name in sys.modules]

import narrator.render.docx_paper
seen = {"import": loaded()}
stories = [prepare(Path(config)).story for config in sys.argv[1:]]
papers = [render_docx(story) for story in stories]
seen["papers"] = loaded()
decks = [render_pptx(story) for story in stories]
seen["decks"] = loaded()
assert all(papers) and all(decks)
print("SEEN " + json.dumps(seen))
"""


def test_papers_import_no_python_pptx_or_xlsxwriter_and_decks_no_xlsxwriter():
    configs = [str(REPO / "samples" / name / "report.yaml") for name in SAMPLES]
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    done = subprocess.run([sys.executable, "-c", PROBE, *configs], capture_output=True, text=True, env=env, timeout=300)
    last = done.stdout.rstrip().splitlines()[-1] if done.stdout.strip() else ""
    assert last.startswith("SEEN "), done.stderr
    seen = json.loads(last.removeprefix("SEEN "))
    assert seen["import"] == []
    assert seen["papers"] == []
    assert seen["decks"] == ["pptx"]  # the deck is python-pptx's to write; its charts' workbooks are not
