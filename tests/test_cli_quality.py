"""The board-ready gate from the command line: check, templates inspect, preview, and diff of run records."""

import shutil

import pytest
import yaml
from click.testing import CliRunner
from pptx import Presentation

from narrator.cli import cli


def run(*args: str):
    return CliRunner().invoke(cli, list(args), catch_exceptions=False)


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    from pathlib import Path

    out = tmp_path_factory.mktemp("built")
    config = Path(__file__).resolve().parent.parent / "samples" / "private-insurer" / "report.yaml"
    result = CliRunner().invoke(cli, ["build", str(config), "-o", str(out)], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return out


def test_built_documents_pass_the_gate(built):
    files = sorted(str(p) for p in built.iterdir() if p.suffix in (".docx", ".pptx"))
    result = run("check", *files)
    assert result.exit_code == 0, result.output
    assert result.stdout == "ok: 2 files pass the board-ready checks\n"


def test_library_default_deck_fails_with_slide_and_shape(tmp_path):
    deck = Presentation()
    slide = deck.slides.add_slide(deck.slide_layouts[1])
    slide.shapes.title.text = "Quarterly review"
    slide.placeholders[1].text = "Click to edit Master text styles"
    path = tmp_path / "raw.pptx"
    deck.save(str(path))
    result = run("check", str(path))
    assert result.exit_code == 3
    assert f"{path}: slide 1, paragraph 2: leftover template text 'Click to edit'" in result.stdout
    assert "Click to edit" in result.stdout
    assert "python-pptx" in result.stdout or "Steve Canny" in result.stdout  # stale metadata is named
    assert result.stderr.endswith("problems in 1 file\n")


def test_markup_office_never_writes_is_reported_not_a_crash(built, tmp_path):
    # A table row whose height is a word, not a number: the reading checks once raised ValueError out
    # of narrator check ("internal error ... this is a bug").
    import re
    import zipfile

    deck = next(p for p in built.iterdir() if p.suffix == ".pptx")
    damaged = tmp_path / "damaged.pptx"
    with zipfile.ZipFile(deck) as source, zipfile.ZipFile(damaged, "w", zipfile.ZIP_DEFLATED) as target:
        done = False
        for info in source.infolist():
            data = source.read(info.filename)
            if not done and info.filename.startswith("ppt/slides/slide") and b'<a:tr h="' in data:
                data, done = re.sub(rb'<a:tr h="[0-9]+"', b'<a:tr h="tall"', data, count=1), True
            target.writestr(info, data)
    assert done
    result = CliRunner().invoke(cli, ["check", str(damaged)])
    assert result.exit_code == 3, result.output
    assert "internal error" not in result.output
    assert "Invalid integer value: 'tall'" in result.stdout  # the schema names the part
    assert "cannot read the document's layout" in result.stdout
    assert result.stderr.endswith("problems in 1 file\n")


def test_inspect_shows_which_layouts_narrator_uses():
    from narrator.resources import reference_template

    result = run("templates", "inspect", str(reference_template("pptx")))
    assert result.exit_code == 0
    assert '"Title and Content" (master 1): title, text  <- content and exhibit' in result.stdout
    assert "16:9" in result.stdout


def test_a_reference_that_is_not_an_office_file_stops_the_build(sample, tmp_path):
    pack = sample("private-insurer")
    (pack / "brand.pptx").write_text("this is not a presentation")
    config = pack / "report.yaml"
    data = yaml.safe_load(config.read_text())
    data["reference"] = {"pptx": "brand.pptx"}
    config.write_text(yaml.safe_dump(data))
    result = run("build", str(config), "-o", str(tmp_path / "out"))
    assert result.exit_code == 2
    assert result.stderr.startswith(f"error: {pack / 'brand.pptx'}")
    assert not (tmp_path / "out").exists()


def test_diff_says_what_changed_since_last_month(sample, tmp_path):
    pack = sample("private-insurer")
    config = pack / "report.yaml"
    data = yaml.safe_load(config.read_text())
    data["period"] = "2025-11"
    config.write_text(yaml.safe_dump(data))
    assert run("build", str(config), "-o", str(tmp_path / "nov"), "--no-check").exit_code == 0
    data["period"] = "latest"
    config.write_text(yaml.safe_dump(data))
    assert run("build", str(config), "-o", str(tmp_path / "dec"), "--no-check").exit_code == 0
    before = next((tmp_path / "nov").glob("*.run.json"))
    after = next((tmp_path / "dec").glob("*.run.json"))
    result = run("diff", str(before), str(after))
    assert result.exit_code == 0
    lines = result.stdout.splitlines()
    assert lines[0] == "period: 2025-11 -> 2025-12"
    assert "changed kpi.service_level.latest (service level, 2025-11 -> 2025-12): 82.8% -> 83.7%" in lines
    # The same fact id names last month's figure in one record and the month before in the other: the line
    # says which month each figure is, rather than seem to revise November's figure.
    assert "changed kpi.service_level.prior (service level, 2025-10 -> 2025-11): 82.9% -> 82.8%" in lines


def test_diff_of_something_that_is_not_a_record(tmp_path):
    bad = tmp_path / "notes.json"
    bad.write_text("[1, 2]")
    result = run("diff", str(bad), str(bad))
    assert result.exit_code == 2
    assert (
        result.stderr
        == f"error: {bad}: not a run record (no period or facts); give the <slug>.run.json of a build\n"
    )


@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice is not installed")
def test_preview_renders_contact_sheets(sample, tmp_path):
    result = run("preview", str(sample("tei-worked-example") / "report.yaml"), "-o", str(tmp_path / "pv"))
    assert result.exit_code == 0, result.output
    sheets = sorted(p.name for p in (tmp_path / "pv").glob("*.png"))
    assert len(sheets) == 2
    assert all(name.endswith((".pptx.png", ".docx.png")) for name in sheets)


def test_diff_leaves_out_moves_too_small_to_show_in_the_documents():
    """A handle time of 425.2 s and 425.4 s both read "7 min 05 s": no stated figure changed."""
    from narrator.diff import diff_records

    def record(period: str, aht: float, level: float) -> dict:
        return {
            "period": period,
            "facts": [
                {"id": "kpi.aht.latest", "label": "average handle time", "value": aht, "unit": "seconds"},
                {"id": "kpi.sl.latest", "label": "service level", "value": level, "unit": "percent"},
            ],
        }

    found = diff_records(record("2025-11", 425.2, 0.828), record("2025-12", 425.4, 0.837))
    assert [(c.id, c.before, c.after) for c in found.changed] == [("kpi.sl.latest", "82.8%", "83.7%")]
