"""Shared fixtures: every test runs in its own folder, with its own HOME and no real API keys."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from hypothesis import HealthCheck, settings

# A property holds or not whatever the machine's speed. On a loaded 2-core runner hypothesis's per-example
# deadline and its "input generation is slow" health check fail tests for the clock, not for the code.
settings.register_profile("narrator", deadline=None, suppress_health_check=[HealthCheck.too_slow])
settings.load_profile("narrator")

REPO = Path(__file__).resolve().parent.parent
SAMPLES = REPO / "samples"


@pytest.fixture(scope="session")
def wheel(tmp_path_factory) -> Path:
    """The wheel built from this checkout, as a release would be (hatchling, the build backend)."""
    import subprocess
    import sys

    out = tmp_path_factory.mktemp("dist")
    subprocess.run([sys.executable, "-m", "hatchling", "build", "-t", "wheel", "-d", str(out)], cwd=REPO,
                   check=True, capture_output=True, timeout=300)
    return next(out.glob("*.whl"))


@pytest.fixture(autouse=True)
def _isolated(tmp_path_factory, monkeypatch):
    """Isolate cwd, HOME and the environment, so no test reads a developer's key or writes into the repo."""
    home = tmp_path_factory.mktemp("home")
    work = tmp_path_factory.mktemp("cwd")
    monkeypatch.setenv("HOME", str(home))
    for name in ("OPENAI_API_KEY", "OPENAI_BASE_URL", "OPENAI_ORG_ID", "OPENAI_PROJECT_ID"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.chdir(work)


@pytest.fixture
def sample(tmp_path):
    """Copy a sample pack into a temporary folder so a test may edit its files: sample("private-insurer")."""

    def copy(name: str) -> Path:
        target = tmp_path / name
        shutil.copytree(SAMPLES / name, target)
        return target

    return copy


def _docx_text(path: Path) -> list[str]:
    """Every piece of visible text in a .docx: body paragraphs, tables, and footnotes."""
    import docx

    document = docx.Document(str(path))
    texts = [p.text for p in document.paragraphs]
    for table in document.tables:
        for row in table.rows:
            texts.extend(cell.text for cell in row.cells)
    footnotes = [part for part in document.part.package.parts if part.partname.endswith("/footnotes.xml")]
    for part in footnotes:
        from lxml import etree

        root = etree.fromstring(part.blob)
        namespace = {"w": "http://schemas.openxmlformats.org/wordprocessingml/2006/main"}
        for note in root.findall("w:footnote", namespace):
            texts.append("".join(t.text or "" for t in note.iter(f"{{{namespace['w']}}}t")))
    return [t for t in texts if t.strip()]


def _pptx_text(path: Path) -> list[str]:
    """Every piece of visible text in a .pptx: shapes, tables and speaker notes (fields excluded)."""
    from pptx import Presentation

    texts = []
    for slide in Presentation(str(path)).slides:
        for shape in slide.shapes:
            if shape.has_text_frame:
                for paragraph in shape.text_frame.paragraphs:
                    # A slide-number field is furniture, not a stated figure.
                    if paragraph._p.find(".//{*}fld") is not None:
                        continue
                    texts.append(paragraph.text)
            if shape.has_table:
                texts.extend(cell.text for row in shape.table.rows for cell in row.cells)
        if slide.has_notes_slide:
            texts.append(slide.notes_slide.notes_text_frame.text)
    return [t for t in texts if t.strip()]


@pytest.fixture
def document_text():
    """document_text(path) -> the visible text pieces of a built .docx or .pptx."""
    return lambda path: _docx_text(path) if Path(path).suffix == ".docx" else _pptx_text(path)
