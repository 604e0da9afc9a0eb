"""The built wheel has narrator's own name on the package index, carries the templates, prompts, samples and
scheduling examples, and works from any folder."""

import subprocess
import sys
import zipfile
from pathlib import Path

from narrator import __version__

REPO = Path(__file__).resolve().parent.parent


def test_wheel_has_a_distribution_name_of_its_own_and_the_narrator_command(wheel):
    # "narrator" on the package index is an unrelated project; "narrator-boardpack" was free when chosen.
    assert wheel.name.startswith(f"narrator_boardpack-{__version__}-")
    archive = zipfile.ZipFile(wheel)
    metadata = archive.read(f"narrator_boardpack-{__version__}.dist-info/METADATA").decode()
    assert "\nName: narrator-boardpack\n" in metadata
    entry_points = archive.read(f"narrator_boardpack-{__version__}.dist-info/entry_points.txt").decode()
    assert entry_points.split("[console_scripts]\n")[1].strip() == "narrator = narrator.cli:main"
    assert "narrator/__main__.py" in archive.namelist()  # python -m narrator


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
        "narrator/_bundled/examples/monthly-pack.sh",
        "narrator/_bundled/examples/monthly-pack.yml",
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


def test_init_from_the_installed_wheel_adds_the_scheduling_examples(wheel, tmp_path):
    site = tmp_path / "site"
    zipfile.ZipFile(wheel).extractall(site)
    code = (
        "import sys; sys.path.insert(0, sys.argv[1]); import narrator.cli as c;"
        "sys.argv = ['narrator', 'init', 'acme']; c.main()"
    )
    result = subprocess.run([sys.executable, "-I", "-c", code, str(site)], cwd=tmp_path, capture_output=True,
                            text=True, timeout=300)
    assert result.returncode == 0, result.stderr
    project = tmp_path / "acme"
    assert (project / "monthly-pack.sh").read_bytes() == (REPO / "docs/examples/monthly-pack.sh").read_bytes()
    workflow = project / ".github" / "workflows" / "monthly-pack.yml"
    assert workflow.read_bytes() == (REPO / "docs/examples/monthly-pack.yml").read_bytes()
