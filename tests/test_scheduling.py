"""The scheduling examples work as documented. The CI workflow's own steps and the cron set-up's own commands,
read from docs/ (not copied here), run in a project made by `narrator init`: they install this project's wheel
and build two months a month apart, and the second month's pack says what changed since the first."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import sysconfig
from datetime import datetime
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner

from narrator.cli import cli

REPO = Path(__file__).resolve().parent.parent
EXAMPLES = REPO / "docs" / "examples"
SCHEDULING = (REPO / "docs" / "scheduling.md").read_text(encoding="utf-8")
# The private-insurer sample (the project `narrator init` makes) has agent attrition off its target in
# September 2025 and on it in October: the month in which the pack has something to say since the last one.
FIRST_MONTH, NEXT_MONTH = "2025-09", "2025-10"
PACK = "meridian-home-insurance"


@pytest.fixture(scope="module")
def template_cache(tmp_path_factory) -> Path:
    """One compiled-template cache for every scheduled run here, as a server keeps its own between runs."""
    return tmp_path_factory.mktemp("template-cache")


def kpis_up_to(text: str, last: str) -> str:
    """The sample's KPI export as it stood when ``last`` (YYYY-MM) was the latest month in it."""
    header, *rows = text.splitlines(keepends=True)
    def month(row: str) -> str:
        return datetime.strptime(row.split(",", 1)[0], "%b %Y").strftime("%Y-%m")

    return header + "".join(row for row in rows if row.strip() and month(row) <= last)


@pytest.fixture
def project(tmp_path) -> tuple[Path, str]:
    """A project as `narrator init` makes it, with the data of FIRST_MONTH; also the full export."""
    folder = tmp_path / "project"
    result = CliRunner().invoke(cli, ["init", str(folder)], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    full = (folder / "kpis.csv").read_text(encoding="utf-8")
    (folder / "kpis.csv").write_text(kpis_up_to(full, FIRST_MONTH), encoding="utf-8")
    return folder, full


def offline_pip(env: dict[str, str]) -> dict[str, str]:
    """The documented `pip install` commands, run as written, but with the dependencies taken from this
    environment rather than downloaded (tests never reach the network)."""
    return {**env, "PIP_NO_INDEX": "1", "PIP_NO_DEPS": "1", "PIP_DISABLE_PIP_VERSION_CHECK": "1"}


def clean_env(cache: Path, *bin_dirs: Path) -> dict[str, str]:
    # No PYTHONPATH from the test run: the commands must work with what the documented steps installed.
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "VIRTUAL_ENV")}
    env["PATH"] = os.pathsep.join([*map(str, bin_dirs), str(Path(sys.executable).parent), os.environ["PATH"]])
    env["NARRATOR_CACHE_DIR"] = str(cache)
    return env


def run_shell(command: str, cwd: Path, env: dict[str, str], shell: tuple[str, ...]) -> subprocess.CompletedProcess:
    result = subprocess.run([*shell, command], cwd=cwd, env=env, capture_output=True, text=True,
                            stdin=subprocess.DEVNULL, timeout=600)
    assert result.returncode == 0, f"{command}\n{result.stdout}\n{result.stderr}"
    return result


def assert_second_month_says_what_changed(out: Path, document_text) -> None:
    changes = (out / "changes.txt").read_text(encoding="utf-8")
    assert changes.startswith(f"period: {FIRST_MONTH} -> {NEXT_MONTH}\n")
    # kpis.csv: "Sep 2025,,Agent attrition,31.4%,30%,35%" and "Oct 2025,,Agent attrition,30.0%,30%,35%"
    assert "changed kpi.agent_attrition.latest (agent attrition, 2025-09 -> 2025-10): 31.4% -> 30%\n" in changes
    deck = document_text(out / f"{PACK}-{NEXT_MONTH}.pptx")
    paper = document_text(out / f"{PACK}-{NEXT_MONTH}.docx")
    for text in (deck, paper):
        assert "Since September 2025, agent attrition reached target" in text
    # Each segment's pack compared with its own pack of last month: e-mail's abandonment went off target
    # (above its ceiling: never "below target" for a measure where lower is better).
    email = out / "segments" / f"{PACK}-email-{NEXT_MONTH}"
    paper = document_text(f"{email}.docx")
    assert "Since September 2025, abandonment rate has gone off target" in paper
    assert "below target" not in paper
    record = json.loads(Path(f"{email}.run.json").read_text(encoding="utf-8"))
    (since,) = [f for f in record["facts"] if f["id"] == "since.previous_period"]
    assert since["sources"] == [f"{PACK}-email-{FIRST_MONTH}.run.json, facts"]


# --- CI: the workflow's steps, with GitHub's artefact store played by a folder -----------------------------

FAKE_GH = '''#!{python}
"""The GitHub CLI calls of the workflow, answered from a folder of kept artefacts: STORE/<run id>/<name>/."""
import os, shutil, sys
from pathlib import Path

store = Path(os.environ["FAKE_GH_STORE"])
args = sys.argv[1:]
if args[:2] == ["run", "list"] and "--status" in args and args[args.index("--status") + 1] == "success":
    runs = sorted(int(p.name) for p in store.iterdir())  # only runs that succeeded kept artefacts
    print(runs[-1] if runs else "")  # what --jq '.[0].databaseId // empty' prints
elif args[:2] == ["run", "download"]:
    source = store / args[2] / args[args.index("--name") + 1]
    if not source.is_dir():
        sys.exit("no valid artifacts found to download")
    shutil.copytree(source, Path(args[args.index("--dir") + 1]), dirs_exist_ok=True)
else:
    sys.exit(f"unexpected gh call: {{args}}")
'''


def upload_artifact(checkout: Path, spec: dict, store: Path) -> None:
    """actions/upload-artifact@v4: the files matching ``path``, stored relative to the part of the path
    before its first wildcard (GitHub keeps the hierarchy after it)."""
    pattern = spec["path"].rstrip("/")
    parts = Path(pattern).parts
    fixed = next((i for i, part in enumerate(parts) if any(c in part for c in "*?[")), len(parts))
    root = checkout.joinpath(*parts[:fixed])
    files = [p for p in checkout.glob(pattern) if p.is_file()] if fixed < len(parts) else [
        p for p in root.rglob("*") if p.is_file()
    ]
    if not files and spec.get("if-no-files-found") == "error":
        raise AssertionError(f"upload-artifact {spec['name']}: no files match {spec['path']}")
    for path in files:
        target = store / spec["name"] / path.relative_to(root)
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(path, target)


def run_workflow(project: Path, run_id: int, tmp_path: Path, fake_bin: Path, store: Path, cache: Path) -> Path:
    """One scheduled run: a fresh checkout of the project, then the workflow's steps in order."""
    workflow = yaml.safe_load((project / ".github" / "workflows" / "monthly-pack.yml").read_text())
    checkout = tmp_path / f"run-{run_id}"
    shutil.copytree(project, checkout)  # actions/checkout: the repository as committed, no out/ folder
    site = tmp_path / f"runner-{run_id}"  # each run gets a fresh machine
    env = clean_env(cache, site / "bin", fake_bin)
    env |= {"FAKE_GH_STORE": str(store), "PYTHONPATH": str(site), "PIP_TARGET": str(site)}
    kept = tmp_path / "kept" / str(run_id)
    for step in workflow["jobs"]["pack"]["steps"]:
        uses = step.get("uses", "")
        if "run" in step:
            # GitHub runs a step's script with `bash -e`; the step's env (unexpanded expressions) is harmless.
            bash = ("bash", "--noprofile", "--norc", "-e", "-c")
            run_shell(step["run"], checkout, offline_pip(env | step.get("env", {})), bash)
        elif uses.startswith("actions/upload-artifact@"):
            upload_artifact(checkout, step["with"], kept)
        else:
            assert uses.startswith(("actions/checkout@", "actions/setup-python@")), uses  # done above
    assert (site / "bin" / "narrator").is_file()
    imported = run_shell("python -c 'import narrator; print(narrator.__file__)'", checkout, env, ("bash", "-c"))
    assert imported.stdout.startswith(str(site)), "the run used a narrator other than the wheel it installed"
    kept.rename(store / str(run_id))  # the run succeeded: its artefacts can be listed and downloaded
    return checkout / "out"


def test_the_ci_workflow_second_month_says_what_changed(project, wheel, tmp_path, template_cache, document_text):
    folder, full_export = project
    (folder / "wheels").mkdir()
    shutil.copy2(wheel, folder / "wheels")
    fake_bin = tmp_path / "fake-bin"
    fake_bin.mkdir()
    (fake_bin / "gh").write_text(FAKE_GH.format(python=sys.executable))
    (fake_bin / "gh").chmod(0o755)
    store = tmp_path / "artefacts"
    store.mkdir()

    first = run_workflow(folder, 1, tmp_path, fake_bin, store, template_cache)
    assert (first / f"{PACK}-{FIRST_MONTH}.docx").is_file()
    assert not (first / "changes.txt").exists()  # nothing to compare with yet
    assert sorted(p.name for p in (store / "1" / "run-records").rglob("*.run.json")) == sorted(
        [f"{PACK}-{FIRST_MONTH}.run.json", "batch.run.json"]
        + [f"{PACK}-{c}-{FIRST_MONTH}.run.json" for c in ("email", "phone", "web-chat")]
    )

    # A month later the project's export has October in it, and the next run starts from a fresh checkout.
    (folder / "kpis.csv").write_text(kpis_up_to(full_export, NEXT_MONTH), encoding="utf-8")
    second = run_workflow(folder, 2, tmp_path, fake_bin, store, template_cache)
    assert_second_month_says_what_changed(second, document_text)


def test_the_ci_workflow_stops_with_the_fix_when_the_project_has_no_wheel(project, tmp_path):
    folder, _ = project
    workflow = yaml.safe_load((folder / ".github" / "workflows" / "monthly-pack.yml").read_text())
    install = next(s["run"] for s in workflow["jobs"]["pack"]["steps"] if "pip install" in s.get("run", ""))
    result = subprocess.run(["bash", "-e", "-c", install], cwd=folder, capture_output=True, text=True,
                            env=offline_pip(clean_env(tmp_path / "cache")), timeout=60)
    assert result.returncode == 2
    assert "::error::no narrator wheel in wheels/: in a clone of narrator run 'pip wheel --no-deps" in result.stdout


def install_arguments(document: Path):
    """(line, arguments) of every `pip install` a reader would run: code blocks of a Markdown file, every
    line of an example, comments left out."""
    text = document.read_text(encoding="utf-8")
    if document.suffix == ".md":
        text = "\n".join(re.findall(r"```\w*\n(.*?)```", text, re.DOTALL))
    for line in text.splitlines():
        code = "" if line.lstrip().startswith("#") else line.split(" # ")[0]
        for match in re.finditer(r"pip install ([^&|;\n]*)", code):
            yield line, [a.strip("\"'") for a in match.group(1).split() if not a.startswith("-")]


def test_every_example_installs_this_project_from_a_path_never_by_a_bare_name():
    # "narrator" on the package index is an unrelated project, and no release of narrator-boardpack is
    # published yet: any install by name would run someone else's code (or fail).
    documents = [REPO / "README.md", REPO / "docs" / "scheduling.md", *sorted(EXAMPLES.iterdir())]
    commands = [(d.name, line, args) for d in documents for line, args in install_arguments(d)]
    assert len(commands) >= 5  # the quick start, the test extras, scheduling.md's three, the workflow's
    for name, line, arguments in commands:
        assert arguments, f"{name}: {line}"
        for argument in arguments:
            assert argument.startswith((".", "/", "$", "wheels/")), f"{name}: installs by name: {line}"


# --- cron: the documented set-up and crontab line, run in the same persistent folder twice -----------------


def documented_block(language: str, after: str) -> str:
    """The first ```language block of docs/scheduling.md after the line ``after``."""
    rest = SCHEDULING[SCHEDULING.index(after):]
    return re.search(rf"```{language}\n(.*?)```", rest, re.DOTALL).group(1)


def test_the_cron_setup_second_month_says_what_changed(project, wheel, tmp_path, template_cache, document_text):
    folder, full_export = project
    setup = documented_block("bash", "## cron")
    (crontab,) = [line for line in documented_block("cron", "## cron").splitlines() if not line.startswith("#")]
    command = re.split(r"\s+", crontab.strip(), maxsplit=5)[5]  # after the five schedule fields
    server_folder = re.search(r"cd (\S+)", setup).group(1)
    setup = re.sub(r"\S*narrator_boardpack-\S+\.whl", str(wheel), setup.replace(server_folder, str(folder)))
    command = command.replace(server_folder, str(folder))
    env = clean_env(template_cache)

    run_shell(setup, folder, offline_pip(env), ("bash", "-e", "-c"))
    # The venv got narrator from the wheel; its dependencies come from this environment (no network here).
    venv_site = next((folder / ".venv" / "lib").glob("python3*/site-packages"))
    (venv_site / "test-dependencies.pth").write_text(sysconfig.get_paths()["purelib"] + "\n")

    run_shell(command, folder, env, ("sh", "-c"))  # cron runs the line with /bin/sh
    assert not (folder / "out" / "changes.txt").exists()
    assert "nothing to compare this month's pack with" in (folder / "logs" / "monthly.log").read_text()

    (folder / "kpis.csv").write_text(kpis_up_to(full_export, NEXT_MONTH), encoding="utf-8")
    run_shell(command, folder, env, ("sh", "-c"))
    assert_second_month_says_what_changed(folder / "out", document_text)
    installed = run_shell(". .venv/bin/activate && python -c 'import narrator; print(narrator.__file__)'", folder,
                          env, ("sh", "-c"))
    assert installed.stdout.startswith(str(venv_site))


# --- real material: the change list of a real call-level export's next month ---------------------------------

PWC = Path("/work/shared/data/pwc-call-centre-2021q1.xlsx")


@pytest.mark.skipif(not PWC.is_file(), reason="the PwC export is not on this machine")
def test_a_real_exports_change_list_says_which_month_each_figure_is(tmp_path):
    import openpyxl

    from narrator.pipeline import build

    shutil.copy2(PWC, tmp_path / "calls.xlsx")
    config = tmp_path / "report.yaml"
    config.write_text("organisation: PhoneNow\ninputs:\n  kpis: {path: calls.xlsx, layout: calls}\n")
    build(config, tmp_path / "out", period="2021-02", check="off")  # last month's pack, as built then
    build(config, tmp_path / "out", check="off")  # this month's: the latest month in the export
    result = CliRunner().invoke(cli, ["diff", *map(str, sorted((tmp_path / "out").glob("*.run.json")))])
    assert result.exit_code == 0, result.output
    # Counted from the raw export, independently of narrator: one row per call, dated YYYY-MM-DD.
    workbook = openpyxl.load_workbook(PWC, read_only=True)
    months = [str(row[2])[:7] for row in workbook.active.iter_rows(min_row=2, values_only=True)]
    workbook.close()
    offered = {month: f"{months.count(month):,}" for month in ("2021-01", "2021-02", "2021-03")}
    lines = result.stdout.splitlines()
    assert lines[0] == "period: 2021-02 -> 2021-03"
    assert (
        f"changed kpi.contacts_offered.latest (contacts offered, 2021-02 -> 2021-03): "
        f"{offered['2021-02']} -> {offered['2021-03']}"
    ) in lines
    assert (
        f"changed kpi.contacts_offered.prior (contacts offered, 2021-01 -> 2021-02): "
        f"{offered['2021-01']} -> {offered['2021-02']}"
    ) in lines


# --- the script on its own ----------------------------------------------------------------------------------


def test_script_fails_loudly_on_bad_input(sample, tmp_path):
    pack = sample("private-insurer")
    (pack / "kpis.csv").write_text("")
    env = {**os.environ, "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}"}
    result = subprocess.run(
        ["bash", str(EXAMPLES / "monthly-pack.sh"), str(pack), str(tmp_path / "out")],
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
    workflow = yaml.safe_load((EXAMPLES / "monthly-pack.yml").read_text())
    assert workflow[True]["schedule"][0]["cron"] == "0 6 3 * *"  # YAML reads the key "on" as True
    steps = workflow["jobs"]["pack"]["steps"]
    assert any(step.get("run", "").startswith("bash monthly-pack.sh . out") for step in steps)
    assert "bash monthly-pack.sh . out" in SCHEDULING
