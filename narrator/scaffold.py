"""`narrator init`: a project folder with editable copies of the templates, prompts, a sample pack and the
scheduling examples (the monthly script and a CI workflow that runs it)."""

from __future__ import annotations

import shutil
from pathlib import Path

from narrator.errors import OutputError
from narrator.resources import examples_dir, prompts_dir, samples_dir, templates_dir

STARTER_SAMPLE = "private-insurer"
COPIED_TEMPLATE_PARTS = ("pack.j2", "headings.yaml", "sections", "storylines")
# Where each scheduling example goes in the project: the workflow refers to the script and the wheels/
# folder by these paths, relative to the project root, which is the root of the project's repository.
SCHEDULING_FILES = {
    "monthly-pack.sh": Path("monthly-pack.sh"),
    "monthly-pack.yml": Path(".github") / "workflows" / "monthly-pack.yml",
}


def init_project(folder: Path) -> list[Path]:
    """Create ``folder`` with templates/, prompts/, a working report.yaml and the scheduling examples;
    returns what was created."""
    if folder.exists() and (not folder.is_dir() or any(folder.iterdir())):
        raise OutputError(f"{folder}: already exists and is not empty; choose a new folder for the project")
    try:
        folder.mkdir(parents=True, exist_ok=True)
        created = []
        for part in COPIED_TEMPLATE_PARTS:
            source = templates_dir() / part
            target = folder / "templates" / part
            if source.is_dir():
                shutil.copytree(source, target)
            else:
                target.parent.mkdir(parents=True, exist_ok=True)
                shutil.copy2(source, target)
            created.append(target)
        shutil.copytree(prompts_dir(), folder / "prompts")
        created.append(folder / "prompts")
        for path in sorted((samples_dir() / STARTER_SAMPLE).iterdir()):
            if path.is_file():
                shutil.copy2(path, folder / path.name)
                created.append(folder / path.name)
        for name, target in SCHEDULING_FILES.items():
            (folder / target).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(examples_dir() / name, folder / target)  # copy2 keeps the script executable
            created.append(folder / target)
    except OSError as exc:
        raise OutputError(
            f"{folder}: cannot create the project ({exc.strerror}); choose another folder"
        ) from None
    config = folder / "report.yaml"
    config.write_text(
        config.read_text(encoding="utf-8")
        + "\n# Your copies of the narrative templates: edit them, then run narrator templates lint.\n"
        + "templates: [templates]\n",
        encoding="utf-8",
    )
    return created
