"""Monthly packs at scale: one per segment or per config, in parallel, failures isolated, reruns idempotent."""

import json

import yaml
from click.testing import CliRunner

from narrator.cli import cli


def run(*args: str):
    return CliRunner().invoke(cli, list(args), catch_exceptions=False)


def test_one_pack_per_segment_and_a_rerun_rewrites_nothing(sample, tmp_path):
    config = sample("private-insurer") / "report.yaml"
    out = tmp_path / "out"
    first = run("batch", str(config), "-o", str(out), "--jobs", "2")
    assert first.exit_code == 0, first.output
    assert first.stdout.splitlines()[-1] == f"3 of 3 packs built; record: {out / 'batch.run.json'}"
    record = json.loads((out / "batch.run.json").read_text())
    assert [(p["name"], p["status"]) for p in record["packs"]] == [
        ("Email", "built"),
        ("Phone", "built"),
        ("Web chat", "built"),
    ]
    files = sorted(p.name for p in out.iterdir())
    assert "meridian-home-insurance-web-chat-2025-12.pptx" in files
    stamps = {p.name: p.stat().st_mtime_ns for p in out.iterdir()}

    second = run("batch", str(config), "-o", str(out))
    assert second.exit_code == 0
    assert all(" unchanged " in line for line in second.stdout.splitlines()[1:4]), second.stdout
    assert {p.name: p.stat().st_mtime_ns for p in out.iterdir()} == stamps, (
        "an unchanged rerun touches no file"
    )


def test_shards_split_the_packs_and_keep_their_own_records(sample, tmp_path):
    config = sample("private-insurer") / "report.yaml"
    out = tmp_path / "out"
    result = run("batch", str(config), "-o", str(out), "--shard", "2/3")
    assert result.exit_code == 0
    record = json.loads((out / "batch-2of3.run.json").read_text())
    assert [p["name"] for p in record["packs"]] == ["Phone"]
    assert not (out / "batch.run.json").exists()


def test_bad_shard_spec():
    result = run("batch", ".", "--shard", "3/2")
    assert result.exit_code == 2
    assert result.stderr == "error: --shard '3/2': expected i/n with 1 <= i <= n, e.g. --shard 1/4\n"


def test_one_failing_pack_does_not_stop_the_others(sample, tmp_path):
    folder = tmp_path / "configs"
    folder.mkdir()
    for name in ("private-insurer", "public-council"):
        data = sample(name)
        config = yaml.safe_load((data / "report.yaml").read_text())
        inputs = config["inputs"]
        inputs["kpis"]["path"] = str(data / inputs["kpis"]["path"])
        inputs["values"] = str(data / inputs["values"])
        inputs["investment"] = str(data / inputs["investment"])
        (folder / f"{name}.yaml").write_text(yaml.safe_dump(config))
    values = tmp_path / "private-insurer" / "values.yaml"
    values.write_text(values.read_text().replace("low: 410000", "low: 920000"))

    result = run("batch", str(folder), "-o", str(tmp_path / "out"))

    assert result.exit_code == 2
    outcome = {p["name"]: p for p in json.loads((tmp_path / "out" / "batch.run.json").read_text())["packs"]}
    assert outcome["public-council"]["status"] == "built"
    assert outcome["private-insurer"]["status"] == "failed"
    assert outcome["private-insurer"]["problems"][0] == (
        f'{values}, item 1 ("chat_deflection"): low (920,000) is above amount (485,352); swap or correct them'
    )
    assert "1 of 2 packs built, 1 failed" in result.stdout


def test_data_without_segments_is_a_clear_error(sample):
    config = sample("tei-worked-example") / "report.yaml"
    result = run("batch", str(config))
    assert result.exit_code == 2
    assert result.stderr == (
        f"error: {config}: the KPI data has no segments (no segment column); build it with narrator build\n"
    )


def test_every_pack_passes_the_full_gate_unless_asked_for_the_fast_one(sample, tmp_path, monkeypatch):
    """The default gate is `narrator build`'s, schema validation included; --check fast skips only that."""
    from narrator.check import schema

    config = sample("private-insurer") / "report.yaml"
    finding = ("schema", "/ppt/slides/slide1.xml", "Unexpected element 'bogus' found")
    monkeypatch.setattr(
        schema, "validate_package", lambda data, suffix, members=None: [finding] if suffix == "pptx" else []
    )
    full = run("batch", str(config), "-o", str(tmp_path / "full"), "--jobs", "1")
    assert full.exit_code == 3, full.output
    assert "0 of 3 packs built, 3 failed" in full.stdout
    record = json.loads((tmp_path / "full" / "batch.run.json").read_text())
    assert all("[schema] Unexpected element 'bogus' found" in pack["problems"][0] for pack in record["packs"])
    fast = run("batch", str(config), "-o", str(tmp_path / "fast"), "--jobs", "1", "--check", "fast")
    assert fast.exit_code == 0, fast.output


def test_batch_run_by_another_program_keeps_its_collector_setting(tmp_path):
    # main() turns the cycle collector off for one-pack commands and batch turns it back on; a program that
    # runs the batch command itself (here click's runner) had its own gc.disable() undone.
    import gc

    from click.testing import CliRunner

    from narrator.cli import cli

    was = gc.isenabled()
    gc.disable()
    try:
        CliRunner().invoke(cli, ["batch", str(tmp_path), "-o", str(tmp_path / "out")])
        assert not gc.isenabled()
    finally:
        if was:
            gc.enable()
