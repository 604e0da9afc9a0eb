"""The built wheel carries the templates, prompts and samples, and works from any folder."""

import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def wheel(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("dist")
    subprocess.run([sys.executable, "-m", "hatchling", "build", "-t", "wheel", "-d", str(out)], cwd=REPO,
                   check=True, capture_output=True, timeout=300)
    return next(out.glob("narrator-*.whl"))


def test_wheel_carries_templates_prompts_samples_and_reference_files(wheel):
    names = set(zipfile.ZipFile(wheel).namelist())
    for expected in (
        "narrator/_bundled/templates/pack.j2",
        "narrator/_bundled/templates/sections/summary.j2",
        "narrator/_bundled/templates/storylines/board.yaml",
        "narrator/_bundled/templates/reference/default.pptx",
        "narrator/_bundled/templates/reference/default.docx",
        "narrator/_bundled/prompts/polish.yaml",
        "narrator/_bundled/samples/private-insurer/report.yaml",
    ):
        assert expected in names
    entry_points = next(n for n in names if n.endswith("entry_points.txt"))
    assert "narrator = narrator.cli:main" in zipfile.ZipFile(wheel).read(entry_points).decode()


def test_installed_wheel_builds_a_sample_from_another_folder(wheel, tmp_path):
    site = tmp_path / "site"
    zipfile.ZipFile(wheel).extractall(site)
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    config = site / "narrator" / "_bundled" / "samples" / "public-council" / "report.yaml"
    code = (
        "import sys; sys.path.insert(0, sys.argv[1]); import narrator.resources as r, narrator.cli as c;"
        "assert str(r.templates_dir()).startswith(sys.argv[1]), r.templates_dir();"
        "sys.argv = ['narrator', 'build', sys.argv[2], '-o', 'out']; c.main()"
    )
    # -I: isolated mode, so the source checkout is not importable: the wheel alone must suffice.
    result = subprocess.run([sys.executable, "-I", "-c", code, str(site), str(config)], cwd=elsewhere,
                            capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr
    built = sorted(p.suffix for p in (elsewhere / "out").iterdir())
    assert built == [".docx", ".json", ".pptx"]
