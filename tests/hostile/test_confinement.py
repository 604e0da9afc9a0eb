"""1. Output confinement: whatever the slug or segment name says, every file lands inside -o."""

from __future__ import annotations

from pathlib import Path

import pytest
from hostile_kit import assert_user_error, snapshot

import narrator
from narrator.errors import OutputError
from narrator.files import commit_pack, confined


@pytest.mark.parametrize(
    ("slug", "stem"),
    [
        ("../../escaped", "escaped"),
        ("/tmp/absolute-pack", "tmp-absolute-pack"),
        ("a/b", "a-b"),
        (".", "board-pack"),
        ("..", "board-pack"),
        ("..\\..\\windows", "windows"),
        ("~/home-pack", "home-pack"),
        ("Ünïcode / Pack", "unicode-pack"),
    ],
)
def test_a_hostile_slug_is_slugified_and_stays_inside_the_output_folder(pack, tmp_path, slug, stem):
    root = tmp_path / "root"
    out = root / "deep" / "out"
    pack.set(slug=slug, outputs=["md"])
    result = pack.build(out, "--no-check")
    assert result.exit_code == 0, result.stderr
    assert sorted(snapshot(out)) == [f"{stem}.md", f"{stem}.run.json"]
    # nothing anywhere else under the root, and nothing at the absolute path the slug named
    assert [p for p in root.rglob("*") if p.is_file() and p.parent != out] == []
    assert not Path("/tmp/absolute-pack.md").exists()


def test_a_slug_cannot_overwrite_an_unrelated_markdown_file_beside_the_output_folder(pack, tmp_path):
    notes = tmp_path / "notes.md"
    notes.write_text("my own notes\n")
    pack.set(slug="../notes", outputs=["md"])
    assert pack.build(tmp_path / "out", "--no-check").exit_code == 0
    assert notes.read_text() == "my own notes\n"
    assert (tmp_path / "out" / "notes.md").exists()


def test_a_segment_named_like_a_path_builds_inside_the_output_folder(pack, tmp_path):
    pack.replace("kpis.csv", "Phone", "../../Phone", count=-1).set(outputs=["md"])
    result = narrator.build(pack.config, tmp_path / "out", segment="../../Phone", check="off")
    assert all(p.parent == tmp_path / "out" and p.exists() for p in result.outputs.values())
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out", "private-insurer"]
    assert not (tmp_path.parent / "Phone").exists()


@pytest.mark.parametrize("name", ["../x.docx", "a/b.docx", ".", "..", "", "x\0.docx", ".narrator-stage-x", "/etc/x"])
def test_a_file_name_leaving_the_folder_is_refused_before_anything_is_written(tmp_path, name):
    with pytest.raises(OutputError, match="must stay inside the output folder"):
        confined(tmp_path / "out", name)
    with pytest.raises(OutputError):
        commit_pack(tmp_path / "out", {"fine.md": b"x", name: b"y"})
    assert not (tmp_path / "out" / "fine.md").exists()


def test_a_link_where_an_output_belongs_is_refused_and_its_target_is_untouched(pack, tmp_path):
    outside = tmp_path / "precious.txt"
    outside.write_text("keep me")
    out = tmp_path / "out"
    out.mkdir()
    pack.set(slug="linked", outputs=["md"])
    (out / "linked.md").symlink_to(outside)
    result = pack.build(out, "--no-check")
    assert_user_error(result, "linked.md: exists and is not a regular file")
    assert outside.read_text() == "keep me"
    assert sorted(snapshot(out)) == ["linked.md"]  # the link itself, nothing written beside it
