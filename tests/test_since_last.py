"""Month over month: given last month's run record, the pack says what changed since the last report."""

import yaml

from narrator.pipeline import build, prepare


def set_period(config, period):
    data = yaml.safe_load(config.read_text())
    data["period"] = period
    config.write_text(yaml.safe_dump(data))


def lift_december_csat(pack):
    """December's customer satisfaction rises above its 85% target on every channel."""
    path = pack / "kpis.csv"
    lines = path.read_text(encoding="utf-8-sig").splitlines()
    path.write_text(
        "\n".join(line.replace(",CSAT,8", ",CSAT,9", 1) if line.startswith("Dec 2025,") else line for line in lines)
        + "\n"
    )


def test_a_kpi_that_crossed_its_target_and_moved_value_are_reported(sample, tmp_path):
    pack = sample("private-insurer")
    config = pack / "report.yaml"
    set_period(config, "2025-11")
    build(config, tmp_path / "out", check="off")
    set_period(config, "latest")
    lift_december_csat(pack)
    values = pack / "values.yaml"
    # 10,000 extra chats a month instead of 9,000: 120,000 x (£5.55 - £3.45) x 2.14 = £539,280.
    values.write_text(
        values.read_text().replace("amount: 485352", "amount: 539280").replace("9,000 extra chat", "10,000 extra chat")
    )

    story = prepare(config, history=tmp_path / "out").story
    since = next(s for s in story.sections if s.id == "since_last")
    assert since.title.plain() == "Since November 2025, customer satisfaction reached target"
    bullets = [b.plain() for b in since.bullets]
    assert bullets[0].startswith("Customer satisfaction is now on target: 9")
    assert "Value delivered rose by £54k a year, from £1,021,152 to £1,075,080." in bullets
    source = since.title.values()[0]
    assert source.fact_id == "since.previous_period"
    assert [s.id for s in story.sections][:2] == ["summary", "since_last"]


def test_without_a_previous_record_there_is_no_such_section(sample, tmp_path):
    story = prepare(sample("private-insurer") / "report.yaml", history=tmp_path / "empty").story
    assert "since_last" not in [s.id for s in story.sections]


def test_an_explicit_record_that_is_not_one_is_a_clear_error(sample, tmp_path):
    import pytest

    from narrator.errors import InputError

    bogus = tmp_path / "last.run.json"
    bogus.write_text("{}")
    with pytest.raises(InputError, match="not a run record"):
        prepare(sample("private-insurer") / "report.yaml", previous=bogus)


def test_the_previous_record_is_found_among_many_packs_without_reading_theirs(tmp_path, monkeypatch):
    """A monthly output folder holds every site's records for every month: finding one pack's last record
    must not read all of them (a thousand sites made that quadratic)."""
    import json

    from narrator.diff import find_previous_record

    def record(pack: str, period: str) -> None:
        body = {"pack": f"{pack}-{period}", "period": period, "facts": []}
        (tmp_path / f"{pack}-{period}.run.json").write_text(json.dumps(body), encoding="utf-8")

    for site in range(200):
        for period in ("2025-10", "2025-11"):
            record(f"acme-site-{site:03d}", period)
    record("acme-north", "2025-10")
    record("acme-north", "2025-11")
    record("acme-north-east", "2025-11")  # another pack whose name starts the same way
    import narrator.diff

    reads: list[str] = []
    original = narrator.diff.read_text  # records are read through the size-bounded reader
    monkeypatch.setattr(
        narrator.diff, "read_text", lambda path, *a, **k: reads.append(path.name) or original(path, *a, **k)
    )

    found = find_previous_record(None, tmp_path, "acme-north-2025-12", "2025-12")

    assert found is not None
    assert found[1] == "acme-north-2025-11.run.json"
    assert sorted(reads) == [
        "acme-north-2025-10.run.json",
        "acme-north-2025-11.run.json",
        "acme-north-east-2025-11.run.json",
    ]


def test_last_month_can_be_rebuilt_and_this_month_diffs_against_it(sample, tmp_path):
    """The monthly workflow from the command line: last month's pack (--period), this month's (the latest
    in the data), and the changes between their run records."""
    from click.testing import CliRunner

    from narrator.cli import cli

    config = sample("private-insurer") / "report.yaml"
    out = tmp_path / "out"
    runner = CliRunner()
    last = runner.invoke(cli, ["build", str(config), "-o", str(out), "--period", "2025-11", "--no-check", "-q"])
    assert last.exit_code == 0, last.output
    this = runner.invoke(cli, ["build", str(config), "-o", str(out), "--no-check", "-q"])
    assert this.exit_code == 0, this.output
    assert sorted(p.name for p in out.glob("*.pptx")) == [
        "meridian-home-insurance-2025-11.pptx",
        "meridian-home-insurance-2025-12.pptx",
    ]
    diff = runner.invoke(
        cli,
        [
            "diff",
            str(out / "meridian-home-insurance-2025-11.run.json"),
            str(out / "meridian-home-insurance-2025-12.run.json"),
        ],
    )
    assert diff.output.startswith("period: 2025-11 -> 2025-12\n")
    assert "changed kpi.service_level.latest" in diff.output

    missing = runner.invoke(cli, ["build", str(config), "-o", str(out), "--period", "2031-01"])
    assert missing.exit_code == 2
    assert "the data has no values for 2031-01" in missing.output


def test_a_total_defined_differently_last_month_is_not_compared(sample, tmp_path):
    """Last month's record added non-cash value into its total; this month's headline does not. Comparing
    the two would report a fall in value that never happened."""
    import json

    pack = sample("private-insurer")
    config = pack / "report.yaml"
    set_period(config, "2025-11")
    first = build(config, tmp_path / "out", check="off")
    record = first.outputs["record"]
    data = json.loads(record.read_text())
    for fact in data["facts"]:
        if fact["id"] == "value.total.realised":
            fact["label"], fact["value"] = "value delivered per year", fact["value"] + 1_150_000
    record.write_text(json.dumps(data))
    set_period(config, "latest")
    lift_december_csat(pack)

    story = prepare(config, history=tmp_path / "out").story
    since = next(s for s in story.sections if s.id == "since_last")
    assert not any("Value delivered" in b.plain() for b in since.bullets)
