"""The scheduling examples in docs/ work as written: the script runs unattended and the workflow runs it."""

import os
import shutil
import subprocess
import sys
from pathlib import Path

import yaml

REPO = Path(__file__).resolve().parent.parent
SCRIPT = REPO / "docs" / "examples" / "monthly-pack.sh"


def test_monthly_script_builds_every_pack_and_the_change_list(sample, tmp_path):
    pack = sample("private-insurer")
    out = tmp_path / "out"
    env = {**os.environ, "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}"}
    if shutil.which("narrator", path=env["PATH"]) is None:
        import pytest

        pytest.skip("the narrator command is not installed in this environment")
    first = subprocess.run(
        ["bash", str(SCRIPT), str(pack), str(out)],
        capture_output=True,
        text=True,
        env=env,
        stdin=subprocess.DEVNULL,
        timeout=600,
    )
    assert first.returncode == 0, first.stderr
    assert (out / "meridian-home-insurance-2025-12.pptx").is_file()
    assert len(list((out / "segments").glob("*.pptx"))) == 3
    # Next month: the data grows by a month (here: an older record is planted), and the script diffs.
    (out / "meridian-home-insurance-2025-11.run.json").write_text(
        (out / "meridian-home-insurance-2025-12.run.json")
        .read_text()
        .replace('"period": "2025-12"', '"period": "2025-11"')
    )
    second = subprocess.run(
        ["bash", str(SCRIPT), str(pack), str(out)],
        capture_output=True,
        text=True,
        env=env,
        stdin=subprocess.DEVNULL,
        timeout=600,
    )
    assert second.returncode == 0, second.stderr
    assert (out / "changes.txt").read_text().startswith("period: 2025-11 -> 2025-12")


def test_script_fails_loudly_on_bad_input(sample, tmp_path):
    pack = sample("private-insurer")
    (pack / "kpis.csv").write_text("")
    env = {**os.environ, "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}"}
    result = subprocess.run(
        ["bash", str(SCRIPT), str(pack), str(tmp_path / "out")],
        capture_output=True,
        text=True,
        env=env,
        stdin=subprocess.DEVNULL,
        timeout=600,
    )
    assert result.returncode == 2
    assert "error: kpis.csv: the file is empty; export the data again" in result.stderr
    assert not (tmp_path / "out").exists()


def test_workflow_runs_the_script_on_a_monthly_schedule():
    workflow = yaml.safe_load((REPO / "docs" / "examples" / "monthly-pack.yml").read_text())
    assert workflow[True]["schedule"][0]["cron"] == "0 6 3 * *"  # YAML reads the key "on" as True
    steps = workflow["jobs"]["pack"]["steps"]
    assert any(step.get("run", "").startswith("bash docs/examples/monthly-pack.sh ") for step in steps)
    scheduling = (REPO / "docs" / "scheduling.md").read_text()
    assert "bash docs/examples/monthly-pack.sh" in scheduling
