"""3. Bounds, measured: the cases that once read or built gigabytes run under ``ulimit -v`` 1 GB and end
in a clear exit 2 with a small resident size, in seconds."""

from __future__ import annotations

import os
import shutil
import zipfile
from pathlib import Path

import pytest
from hostile_kit import run_bounded

SAMPLES = Path(__file__).resolve().parents[2] / "samples"
LIMIT_MB = 1024
MOST_RSS_MB = 400  # a whole build with the gate stays under 100 MB; anything near the limit read too much


def _check(result, *fragments):
    assert result.exit_code == 2, result.stderr[-3000:]
    assert "Traceback" not in result.stderr
    for fragment in fragments:
        assert fragment in result.stderr
    assert result.max_rss_mb < MOST_RSS_MB, f"{result.max_rss_mb:.0f} MB"


def test_a_whole_build_with_the_gate_fits_in_the_limit(pack, tmp_path):
    result = run_bounded("build", pack.config, "-o", tmp_path / "out", limit_mb=LIMIT_MB)
    assert result.exit_code == 0, result.stderr[-3000:]
    assert result.max_rss_mb < MOST_RSS_MB


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ("{{ 'a' * 10**9 }}", "NARRATOR_TEMPLATE_MAX_CHARS"),
        (
            "{% set ns = namespace(s='ab') %}{% for i in range(60) %}{% set ns.s = ns.s ~ ns.s %}{% endfor %}",
            "NARRATOR_TEMPLATE_MAX_CHARS",
        ),
        ("{{ ([1] * 10**9)|length is number }}", "NARRATOR_TEMPLATE_MAX_CHARS"),
        ("{% for i in range(99999) %}{% for j in range(99999) %}{% endfor %}{% endfor %}", "MAX_LOOPS"),
    ],
)
def test_a_template_that_would_build_gigabytes_stops_within_the_limit(pack, source, expected):
    pack.template("outcome.j2", source)
    _check(run_bounded("validate", pack.config, limit_mb=LIMIT_MB), expected)


def test_dev_zero_as_the_previous_record_is_not_read(pack, tmp_path):
    _check(run_bounded("build", pack.config, "-o", tmp_path / "o", "--previous", "/dev/zero"), "is a device")


def test_dev_zero_as_the_investment_file_is_not_read(pack):
    (pack.folder / "investment.yaml").unlink()
    (pack.folder / "investment.yaml").symlink_to("/dev/zero")
    _check(run_bounded("validate", pack.config, limit_mb=LIMIT_MB), "is a device")


def test_a_fifo_as_the_values_file_does_not_hang(pack):
    (pack.folder / "values.yaml").unlink()
    os.mkfifo(pack.folder / "values.yaml")
    result = run_bounded("validate", pack.config, limit_mb=LIMIT_MB)
    _check(result, "named pipe (FIFO)")
    assert result.seconds < 120


def _bomb(path: Path, member: str, megabytes: int) -> Path:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        chunk = b"\0" * (1 << 20)
        with archive.open(member, "w", force_zip64=True) as part:
            for _ in range(megabytes):
                part.write(chunk)
    return path


def test_a_two_gigabyte_zip_bomb_as_the_kpi_workbook_is_not_unzipped(sample):
    council = sample("public-council")
    _bomb(council / "kpis.xlsx", "xl/worksheets/sheet1.xml", 2048)
    _check(run_bounded("validate", council / "report.yaml", limit_mb=LIMIT_MB), "as a zip bomb does")


def test_a_two_gigabyte_zip_bomb_given_to_narrator_check_is_not_unzipped(tmp_path):
    bomb = _bomb(tmp_path / "deck.pptx", "ppt/slides/slide1.xml", 2048)
    _check(run_bounded("check", bomb, limit_mb=LIMIT_MB), "as a zip bomb does")


def test_a_kpi_file_over_the_data_limit_is_refused_before_it_is_read(pack):
    with (pack.folder / "kpis.csv").open("a") as handle:
        handle.write(("Dec 2025,Phone,CSAT,84.6%,85%,85%\n" * 40_000) * 4)  # about 5 MB
    result = run_bounded("validate", pack.config, limit_mb=LIMIT_MB, env={"NARRATOR_MAX_DATA_MB": "2"})
    _check(result, "NARRATOR_MAX_DATA_MB")


def test_a_previous_record_that_is_a_deeply_nested_json_is_refused(pack, tmp_path):
    record = tmp_path / "deep.run.json"
    record.write_text("[" * 200_000 + "]" * 200_000)
    _check(run_bounded("build", pack.config, "-o", tmp_path / "o", "--previous", record), "not a run record")


def test_a_batch_of_every_sample_fits_in_the_limit(tmp_path):
    folder = tmp_path / "configs"
    for name in ("private-insurer", "outsourcer-client"):
        shutil.copytree(SAMPLES / name, tmp_path / name)
    folder.mkdir()
    for name in ("private-insurer", "outsourcer-client"):
        text = (tmp_path / name / "report.yaml").read_text(encoding="utf-8")
        (folder / f"{name}.yaml").write_text(text.replace("path: ", f"path: ../{name}/").replace(
            "values: ", f"values: ../{name}/").replace("investment: ", f"investment: ../{name}/"), encoding="utf-8")
    result = run_bounded("batch", folder, "-o", tmp_path / "out", "--jobs", "1", limit_mb=LIMIT_MB)
    assert result.exit_code == 0, result.stderr[-3000:]
