"""Mutation check: put deliberate bugs into narrator one at a time and see whether the tests notice.

    python tools/mutate.py [--only NAME ...] [--list]

Each mutation replaces one exact piece of source (which must occur exactly once) with a plausible bug:
a write in place instead of the staged commit, a missing XML escape, a flipped direction word, the wrong
volume for weighting, a percent read as points, a polish check switched off. For each, the tests named
with it run (``pytest -x``: the first failure is enough); a mutation the tests do not catch "survives"
and is a gap in the suite. The file is restored after each run, also when interrupted. Prints one line
per mutation and exits 1 when any survives. Run it from the repository root, on a clean tree.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
TIMEOUT = 300  # seconds one mutation's tests may take


@dataclass(frozen=True)
class Mutation:
    name: str
    file: str
    old: str
    new: str
    tests: tuple[str, ...]


H = "tests/hostile/"
MUTATIONS = [
    # -- atomic write --------------------------------------------------------------------------------
    Mutation(
        "write in place instead of a staged commit",
        "narrator/files.py",
        "            _roll_forward(_stage(folder, changed))",
        "            [target.write_bytes(data) for target, data in changed.items()]",
        (H + "test_atomic_packs.py",),
    ),
    Mutation(
        "uncommitted stage of a killed run left in place",
        "narrator/files.py",
        "                shutil.rmtree(path, ignore_errors=True)  # never committed: the previous pack stands",
        "                continue",
        (H + "test_atomic_packs.py",),
    ),
    Mutation(
        "no lock on the output folder",
        "narrator/files.py",
        "                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)",
        "                pass",
        (H + "test_atomic_packs.py",),
    ),
    Mutation(
        "a folder where the run record belongs is not checked first",
        "narrator/files.py",
        "            if target.is_symlink() or (target.exists() and not target.is_file())",
        "            if False",
        (H + "test_atomic_packs.py", H + "test_confinement.py"),
    ),
    Mutation(
        "slug used as given",
        "narrator/tell/__init__.py",
        "return slugify(config.slug) if config.slug else",
        "return config.slug if config.slug else",
        (H + "test_confinement.py",),
    ),
    # -- escaping ------------------------------------------------------------------------------------
    Mutation(
        "Word runs and table cells unescaped",
        "narrator/render/wordml.py",
        'out.append(f"<w:t{space}>{escape(piece)}</w:t>")',
        'out.append(f"<w:t{space}>{piece}</w:t>")',
        (H + "test_text_roundtrip.py",),
    ),
    Mutation(
        "Word footnotes unescaped",
        "narrator/render/wordml.py",
        "f'<w:t xml:space=\"preserve\"> {escape(text)}</w:t></w:r></w:p></w:footnote>'",
        "f'<w:t xml:space=\"preserve\"> {text}</w:t></w:r></w:p></w:footnote>'",
        (H + "test_text_roundtrip.py",),
    ),
    Mutation(
        "PowerPoint table cells unescaped",
        "narrator/render/deck_text.py",
        'f"<a:t>{escape(_CTRL.sub(_ctrl_escape, text))}</a:t></a:r></a:p></a:txBody>"',
        'f"<a:t>{_CTRL.sub(_ctrl_escape, text)}</a:t></a:r></a:p></a:txBody>"',
        (H + "test_text_roundtrip.py",),
    ),
    Mutation(
        "chart workbook text may be a formula",
        "narrator/render/charts.py",
        '"strings_to_formulas": False',
        '"strings_to_formulas": True',
        (H + "test_formulas.py",),
    ),
    Mutation(
        "control characters kept in the Story",
        "narrator/cleaning.py",
        "    if isinstance(text, str) and _NOT_XML.search(text):",
        "    if False:",
        (H + "test_user_mistakes.py", H + "test_text_roundtrip.py"),
    ),
    # -- direction logic -----------------------------------------------------------------------------
    Mutation(
        "since the last report never says a KPI fell off target",
        "narrator/compute/since_last.py",
        "        elif was and not is_on:",
        "        elif False:",
        (H + "test_deliberate_bugs.py", "tests/test_since_last.py"),
    ),
    Mutation(
        "'better' filter flipped",
        "narrator/tell/environment.py",
        '{True: "improved", False: "worsened", None: "held steady"}',
        '{True: "worsened", False: "improved", None: "held steady"}',
        (H + "test_deliberate_bugs.py", "tests/tell"),
    ),
    Mutation(
        "'moved' filter flipped",
        "narrator/tell/environment.py",
        '{"up": "rose", "down": "fell", "flat": "held steady"}',
        '{"up": "fell", "down": "rose", "flat": "held steady"}',
        (H + "test_deliberate_bugs.py", "tests/tell"),
    ),
    # -- weighting -----------------------------------------------------------------------------------
    Mutation(
        "rates weighted by handled before the KPI's own volume",
        "narrator/compute/kpi_facts.py",
        'weight_ids = [w for w in (kpi.weight, "contacts_handled", "contacts_offered") if w and w in by_kpi]',
        'weight_ids = [w for w in ("contacts_handled", kpi.weight, "contacts_offered") if w and w in by_kpi]',
        (H + "test_deliberate_bugs.py", "tests/compute"),
    ),
    Mutation(
        "rates averaged naively",
        "narrator/compute/kpi_facts.py",
        "            value = sum(o.value * w for o, w in zip(parts, weights, strict=True)) / total_weight",
        "            value = sum(o.value for o in parts) / len(parts)",
        (H + "test_deliberate_bugs.py", "tests/compute"),
    ),
    # -- percent parsing -----------------------------------------------------------------------------
    Mutation(
        "a bare number over 1 read as a fraction",
        "narrator/load/parse.py",
        "        elif value is not None and 1 < value <= 100:",
        "        elif value is not None and 1 < value <= 1:",
        (H + "test_deliberate_bugs.py", "tests/load/test_parse.py"),
    ),
    Mutation(
        "a percent sign ignored",
        "narrator/load/parse.py",
        "        value = None if value is None else value / 100",
        "        value = None if value is None else value",
        (H + "test_deliberate_bugs.py", "tests/load/test_parse.py"),
    ),
    # -- polish validation ---------------------------------------------------------------------------
    Mutation(
        "polish: added sentences and clauses allowed",
        "narrator/polish/validate.py",
        "        or _structure(original, rewrite)\n",
        "",
        (H + "test_polish_guard.py",),
    ),
    Mutation(
        "polish: instructions allowed",
        "narrator/polish/validate.py",
        "        or _instructions(original, rewrite)\n",
        "",
        (H + "test_polish_guard.py",),
    ),
    Mutation(
        "polish: words of the prompt allowed",
        "narrator/polish/validate.py",
        "        or _system_words(original, rewrite, instruction_words)\n",
        "",
        (H + "test_polish_guard.py",),
    ),
    Mutation(
        "polish: claim words not compared",
        "narrator/polish/validate.py",
        "    for check in (_tokens, _numbers, _claims):",
        "    for check in (_tokens, _numbers):",
        ("tests/polish/test_polish_validate.py",),
    ),
    Mutation(
        "polish: an echoed secret accepted",
        "narrator/polish/__init__.py",
        "    if checks.leaks(rewrite):",
        "    if False:",
        (H + "test_polish_guard.py",),
    ),
    # -- bounds --------------------------------------------------------------------------------------
    Mutation(
        "any file kind read",
        "narrator/limits.py",
        "    if not stat.S_ISREG(info.st_mode):",
        "    if False:",
        (H + "test_bounds.py",),
    ),
    Mutation(
        "zip ratio not checked",
        "narrator/limits.py",
        "        if member.file_size > RATIO_FLOOR and member.file_size > MAX_RATIO * max(member.compress_size, 1):",
        "        if False:",
        (H + "test_bounds.py",),
    ),
    Mutation(
        "template loops unbounded",
        "narrator/tell/environment.py",
        "        if self.iterations > self.loops:",
        "        if False:",
        (H + "test_bounds.py",),
    ),
]


def run(mutation: Mutation) -> str:
    path = REPO / mutation.file
    original = path.read_text(encoding="utf-8")
    if original.count(mutation.old) != 1:
        return f"n/a ({mutation.file}: the source to mutate occurs {original.count(mutation.old)} times)"
    try:
        path.write_text(original.replace(mutation.old, mutation.new), encoding="utf-8")
        command = [sys.executable, "-m", "pytest", "-x", "-q", "-p", "no:randomly", "-p", "no:cacheprovider",
                   *mutation.tests]  # fmt: skip
        env = {**os.environ, "PYTHONPATH": str(REPO), "PYTHONDONTWRITEBYTECODE": "1"}
        try:
            result = subprocess.run(
                command, cwd=REPO, env=env, capture_output=True, text=True, check=False, timeout=TIMEOUT
            )
        except subprocess.TimeoutExpired:
            # A test that hangs on the bug (a FIFO read because the file-kind check is gone) never
            # passes either; in CI it would be stopped by the job's own timeout.
            return f"caught (the tests hung for {TIMEOUT} s)"
    finally:
        path.write_text(original, encoding="utf-8")
    if result.returncode == 1:
        failed = next((line for line in result.stdout.splitlines() if line.startswith("FAILED")), "a test failed")
        return f"caught ({failed.removeprefix('FAILED ').split(' - ')[0]})"
    if result.returncode == 0:
        return "SURVIVED"
    return f"error (pytest exit {result.returncode})"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--only", nargs="*", help="run only mutations whose name contains one of these words")
    parser.add_argument("--list", action="store_true", help="list the mutations and exit")
    args = parser.parse_args()
    chosen = [m for m in MUTATIONS if not args.only or any(word in m.name for word in args.only)]
    if args.list:
        for mutation in chosen:
            print(f"{mutation.name}  [{mutation.file}]")
        return 0
    survived = 0
    for mutation in chosen:
        started = time.perf_counter()
        verdict = run(mutation)
        survived += verdict == "SURVIVED"
        print(f"{mutation.name:60} {verdict}  ({time.perf_counter() - started:.0f} s)", flush=True)
    print(f"{len(chosen) - survived} of {len(chosen)} mutations caught")
    return 1 if survived else 0


if __name__ == "__main__":
    sys.exit(main())
