"""3. Bounds: file kinds, sizes, zip archives and template render budgets, each a clear exit 2 that
names the limit and how to raise it, checked before the work that would hang or fill memory."""

from __future__ import annotations

import io
import os
import shutil
import zipfile
from pathlib import Path

import pytest
from hostile_kit import assert_user_error, run, snapshot

from narrator.errors import UserError
from narrator.limits import check_zip

SAMPLES = Path(__file__).resolve().parents[2] / "samples"


def _fifo(path: Path) -> Path:
    path.unlink(missing_ok=True)
    os.mkfifo(path)
    return path


def _bomb(path: Path, member: str = "xl/worksheets/sheet1.xml", megabytes: int = 8) -> Path:
    """A zip whose one part unzips to ``megabytes`` of zeros from a few kilobytes."""
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr(member, b"\0" * (megabytes << 20))
    return path


# --- file kinds: a folder, a FIFO or a device where a file belongs --------------------------------------


@pytest.mark.parametrize(
    ("where", "key"),
    [
        ("investment", "investment.yaml"),
        ("values", "values.yaml"),
        ("kpis", "kpis.csv"),
    ],
)
@pytest.mark.parametrize("kind", ["fifo", "folder", "dev-zero"])
def test_an_input_that_is_not_a_regular_file_is_refused_without_reading_it(pack, tmp_path, where, key, kind):
    target = pack.folder / key
    if kind == "fifo":
        _fifo(target)
        expected = "is a named pipe (FIFO), not a regular file"
    elif kind == "folder":
        target.unlink()
        target.mkdir()
        expected = "folder"
    else:
        target.unlink()
        target.symlink_to("/dev/zero")
        expected = "is a device, not a regular file"
    assert_user_error(run("validate", pack.config), expected)


def test_a_fifo_as_the_config_is_refused(tmp_path):
    assert_user_error(run("validate", _fifo(tmp_path / "report.yaml")), "named pipe (FIFO)")


def test_dev_zero_as_the_previous_record_is_refused(pack, tmp_path):
    out = tmp_path / "out"
    assert_user_error(pack.build(out, "--previous", "/dev/zero", "--no-check"), "/dev/zero is a device")
    assert not out.exists()


def test_a_folder_as_the_previous_record_is_refused(pack, tmp_path):
    assert_user_error(pack.build(tmp_path / "out", "--previous", tmp_path, "--no-check"), "is a folder")


def test_a_fifo_as_a_template_is_refused(pack, tmp_path):
    pack.template("outcome.j2", "x")
    _fifo(pack.folder / "my-templates" / "sections" / "outcome.j2")
    assert_user_error(run("validate", pack.config), "named pipe (FIFO)")


def test_a_fifo_as_the_storyline_is_refused(pack):
    _fifo(pack.folder / "story.yaml")
    pack.set(storyline="story.yaml")
    assert_user_error(run("validate", pack.config), "named pipe (FIFO)")


def test_a_fifo_as_the_reference_deck_is_refused(pack, tmp_path):
    _fifo(pack.folder / "brand.pptx")
    pack.set(reference={"pptx": "brand.pptx"}, outputs=["pptx"])
    assert_user_error(pack.build(tmp_path / "out", "--no-check"), "named pipe (FIFO)")


# --- sizes ------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("variable", "megabytes", "what"),
    [
        ("NARRATOR_MAX_DATA_MB", "0.001", "kpis.csv"),
        ("NARRATOR_MAX_DOCUMENT_MB", "0.0001", "report.yaml"),
    ],
)
def test_a_file_over_its_size_limit_names_the_limit_and_how_to_raise_it(pack, monkeypatch, variable, megabytes, what):
    monkeypatch.setenv(variable, megabytes)
    assert_user_error(run("validate", pack.config), what, "KB limit", f"raise the limit with {variable}=")


def test_a_values_file_over_the_document_limit_is_refused(pack, monkeypatch):
    (pack.folder / "values.yaml").write_text((pack.folder / "values.yaml").read_text() + "#" * 40_000 + "\n")
    monkeypatch.setenv("NARRATOR_MAX_DOCUMENT_MB", "0.03")
    assert_user_error(run("validate", pack.config), "values.yaml", "NARRATOR_MAX_DOCUMENT_MB")


def test_a_template_over_its_size_limit_is_refused(pack, monkeypatch):
    pack.template("outcome.j2", "Words. " * 200_000)
    assert_user_error(run("validate", pack.config), "outcome.j2", "NARRATOR_MAX_TEMPLATE_MB")


def test_a_previous_record_over_its_limit_is_refused(pack, tmp_path, monkeypatch):
    record = tmp_path / "old.run.json"
    record.write_text('{"period": "2025-11", "facts": [], "pad": "' + "x" * 200_000 + '"}')
    monkeypatch.setenv("NARRATOR_MAX_RECORD_MB", "0.1")
    assert_user_error(pack.build(tmp_path / "out", "--previous", record, "--no-check"), "NARRATOR_MAX_RECORD_MB")


def test_a_limit_that_is_not_a_number_is_a_user_error(pack, monkeypatch):
    monkeypatch.setenv("NARRATOR_MAX_DATA_MB", "lots")
    assert_user_error(run("validate", pack.config), "NARRATOR_MAX_DATA_MB='lots': expected a size in megabytes")


# --- zip archives -----------------------------------------------------------------------------------------


def test_a_zip_bomb_posing_as_the_kpi_workbook_is_refused(sample, tmp_path):
    council = sample("public-council")
    _bomb(council / "kpis.xlsx")
    assert_user_error(run("validate", council / "report.yaml"), "kpis.xlsx", "as a zip bomb does")


def test_a_workbook_that_unzips_past_the_total_limit_is_refused(sample, monkeypatch):
    council = sample("public-council")
    monkeypatch.setenv("NARRATOR_MAX_UNZIPPED_MB", "0.01")
    assert_user_error(run("validate", council / "report.yaml"), "kpis.xlsx", "NARRATOR_MAX_UNZIPPED_MB")


def test_a_package_with_too_many_parts_is_refused():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_STORED) as archive:
        for number in range(10_001):
            archive.writestr(f"p/{number}", b"")
    with pytest.raises(UserError, match="10001 parts in one Office file"):
        check_zip(buffer.getvalue(), "many.xlsx")


def test_a_zip_bomb_as_the_reference_deck_is_refused(pack, tmp_path):
    _bomb(pack.folder / "brand.pptx", "ppt/slides/slide1.xml")
    pack.set(reference={"pptx": "brand.pptx"}, outputs=["pptx"])
    assert_user_error(pack.build(tmp_path / "out", "--no-check"), "brand.pptx", "as a zip bomb does")


def test_a_zip_bomb_given_to_narrator_check_is_refused(tmp_path):
    assert_user_error(run("check", _bomb(tmp_path / "paper.docx", "word/document.xml")), "as a zip bomb does")


def test_a_real_workbook_and_the_built_documents_pass_the_zip_checks(tmp_path):
    check_zip(SAMPLES / "public-council" / "kpis.xlsx", "kpis.xlsx")
    for name in (SAMPLES / ".." / "templates" / "reference").resolve().glob("*.*x"):
        check_zip(name, name.name)
    shared = Path("/work/shared/data/templates")
    for name in sorted(shared.glob("*.pptx")) + sorted(shared.glob("*.docx")) if shared.exists() else []:
        check_zip(name, name.name)


# --- template render budgets ------------------------------------------------------------------------------

BUDGET_CASES = {
    "string repeat": ("{{ 'a' * 10**9 }}", "NARRATOR_TEMPLATE_MAX_CHARS"),
    "huge range": ("{% for i in range(10**9) %}x{% endfor %}", "passed 1,000,000,000 to a filter or function"),
    "nested loops": (
        "{% for i in range(100000) %}{% for j in range(100000) %}{% endfor %}{% endfor %}",
        "NARRATOR_TEMPLATE_MAX_LOOPS",
    ),
    "recursive macro": ("{% macro m(n) %}{{ m(n) }}{% endmacro %}{{ m(1) }}", "NARRATOR_TEMPLATE_MAX_DEPTH"),
    "doubling namespace": (
        "{% set ns = namespace(s='ab') %}{% for i in range(60) %}{% set ns.s = ns.s ~ ns.s %}{% endfor %}",
        "NARRATOR_TEMPLATE_MAX_CHARS",
    ),
    "wide center": ("{{ 'a'|center(10**9) }}", "passed 1,000,000,000"),
    "wide percent format": ("{{ '%1000000000s'|format('x') }}", "formatting width over six digits"),
    "wide str.format": ("{{ '{:>1000000000}'.format('x') }}", "formatting width over six digits"),
    "wide ljust": ("{{ 'a'.ljust(10**9) }}", "passed 1,000,000,000"),
    "growing replace": ("{{ 'a'" + "|replace('a', 'aaaaaaaaaa')" * 9 + " }}", "NARRATOR_TEMPLATE_MAX_CHARS"),
    "long output": (
        "{% for i in range(100000) %}{% for j in range(9) %}aaaaaaaaaaaaaaaaaaaaaaaaaaa{% endfor %}{% endfor %}",
        "NARRATOR_TEMPLATE_MAX_CHARS",
    ),
    "huge power": ("{{ (7 ** 100000000) is number }}", "powers above 64"),
    "list repeat": ("{{ ([1] * 10**8)|length is number }}", "NARRATOR_TEMPLATE_MAX_CHARS"),
    "include outside": ("{% include '../../../../etc/passwd' %}", "which is not a template in the template folders"),
    "include absolute": ("{% include '/etc/passwd' %}", "which is not a template in the template folders"),
    "extends missing": ("{% extends 'nowhere.j2' %}", "which is not a template in the template folders"),
    "index out of range": ("{{ [][3] }}", "outcome.j2"),
    "overflow": ("{{ (10.0 ** 400) is number }}", "outcome.j2"),
}


@pytest.mark.parametrize("case", sorted(BUDGET_CASES))
def test_a_template_past_its_render_budget_is_a_template_error_not_a_hang(pack, case):
    source, expected = BUDGET_CASES[case]
    pack.template("outcome.j2", source)
    assert_user_error(run("validate", pack.config), "outcome.j2", expected)


def test_the_render_clock_stops_a_slow_template(pack, monkeypatch):
    # 900,000 iterations stay under the loop limit, so only the clock can stop them; 20 ms is far less
    # than any machine needs for them (a faster CI machine finished them inside a 0.2 s clock).
    monkeypatch.setenv("NARRATOR_TEMPLATE_SECONDS", "0.02")
    loops = "{% for i in range(1000) %}{% for j in range(900) %}{% if j is odd %}{% endif %}{% endfor %}{% endfor %}"
    pack.template("outcome.j2", loops)
    assert_user_error(run("validate", pack.config), "NARRATOR_TEMPLATE_SECONDS")


def test_a_render_budget_that_is_not_a_number_is_a_user_error(pack, monkeypatch):
    monkeypatch.setenv("NARRATOR_TEMPLATE_MAX_LOOPS", "many")
    assert_user_error(run("validate", pack.config), "NARRATOR_TEMPLATE_MAX_LOOPS='many': expected a number")


def test_the_built_in_templates_render_within_the_budget_for_every_sample(tmp_path):
    for name in ("private-insurer", "outsourcer-client", "public-council", "tei-worked-example"):
        folder = tmp_path / name
        shutil.copytree(SAMPLES / name, folder)
        outcome = run("validate", folder / "report.yaml")
        assert outcome.exit_code == 0, outcome.stderr


def test_a_failed_template_writes_nothing_and_keeps_last_months_pack(pack, tmp_path):
    out = tmp_path / "out"
    pack.set(outputs=["md"])
    assert pack.build(out, "--no-check").exit_code == 0
    before = snapshot(out)
    pack.template("outcome.j2", "{{ 'a' * 10**9 }}")
    assert_user_error(pack.build(out, "--no-check"), "NARRATOR_TEMPLATE_MAX_CHARS")
    assert snapshot(out) == before
