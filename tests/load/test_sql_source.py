"""The SQL source: KPI rows from a database build the same pack as the same rows in a file.

SQLite runs everywhere; PostgreSQL runs where NARRATOR_TEST_POSTGRES_URL names a server (CI starts one,
see .ci/run), with the password in NARRATOR_TEST_POSTGRES_PASSWORD, as a user would keep it.
"""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

import openpyxl
import pytest
import sqlalchemy as sa
import yaml
from click.testing import CliRunner

from narrator.cli import cli
from narrator.pipeline import build, prepare

SAMPLE = Path(__file__).resolve().parents[2] / "samples" / "public-council"
TABLE = "council_kpis"
PASSWORD_ENV = "NARRATOR_TEST_POSTGRES_PASSWORD"


def load_sample(url: sa.URL | str) -> None:
    """The council's monthly KPI sheet as a typed table: text months and channels, numeric measures."""
    # Closed here: a read-only workbook left to the garbage collector warns of an unclosed file in
    # whichever later test happens to be running, which the suite's warnings-as-errors then fails.
    with (SAMPLE / "kpis.xlsx").open("rb") as stream:
        book = openpyxl.load_workbook(stream, read_only=True, data_only=True)
        rows = [r for r in book["Monthly KPIs"].iter_rows(values_only=True) if any(v is not None for v in r)]
        book.close()
    header, data = rows[0], rows[1:]
    engine = sa.create_engine(url)
    meta = sa.MetaData()
    columns = [sa.Column(h, sa.String(20) if i < 2 else sa.Numeric(12, 2)) for i, h in enumerate(header)]
    table = sa.Table(TABLE, meta, *columns)
    with engine.begin() as connection:
        meta.drop_all(connection)
        meta.create_all(connection)
        connection.execute(table.insert(), [dict(zip(header, row, strict=True)) for row in data])
    engine.dispose()


def database_pack(tmp_path: Path, url: str, **source) -> Path:
    """The council sample with its KPI rows read from ``url`` instead of kpis.xlsx."""
    pack = tmp_path / "pack"
    shutil.copytree(SAMPLE, pack)
    (pack / "kpis.xlsx").unlink()
    config = yaml.safe_load((pack / "report.yaml").read_text())
    kpis = config["inputs"]["kpis"]
    del kpis["path"], kpis["sheet"]
    kpis.update(url=url, **(source or {"table": TABLE}))
    (pack / "report.yaml").write_text(yaml.safe_dump(config))
    return pack / "report.yaml"


def kpi_facts(prepared) -> dict:
    return {f.id: f.value for f in prepared.computed.book if f.id.startswith("kpi.")}


def assert_same_pack_as_the_file(config: Path) -> None:
    from_db, from_file = prepare(config), prepare(SAMPLE / "report.yaml")
    assert kpi_facts(from_db) == pytest.approx(kpi_facts(from_file))
    assert from_db.computed.book.get("kpi.abandonment_rate.latest").value == pytest.approx(0.021, abs=0.0005)


def test_a_sqlite_table_builds_the_same_pack_as_the_file(tmp_path):
    load_sample(f"sqlite:///{tmp_path / 'kpis.db'}")
    config = database_pack(tmp_path, f"sqlite:///{tmp_path / 'kpis.db'}")
    assert_same_pack_as_the_file(config)
    result = build(config, tmp_path / "out", check="off")
    record = json.loads(result.outputs["record"].read_text())
    source = record["inputs"]["kpis"]
    assert (source["kind"], source["table"], source["rows"]) == ("sql", TABLE, 36)
    assert len(source["sha256"]) == 64
    stated = {fact["id"]: fact["value"] for fact in record["facts"]}
    assert stated["source.kpis"] == f"{TABLE} at sqlite:///{tmp_path / 'kpis.db'}"  # the pack names its source


def test_a_query_reads_the_same_layouts(tmp_path):
    load_sample(f"sqlite:///{tmp_path / 'kpis.db'}")
    query = f'SELECT * FROM {TABLE} WHERE "Month" >= \'2024-04\' ORDER BY "Month" DESC'
    assert_same_pack_as_the_file(database_pack(tmp_path, f"sqlite:///{tmp_path / 'kpis.db'}", query=query))


def test_database_problems_are_one_line_each_and_never_show_the_password(tmp_path):
    config = database_pack(tmp_path, "sqlite:///" + str(tmp_path / "kpis.db"), table="missing_table")
    result = CliRunner().invoke(cli, ["validate", str(config)])
    assert result.exit_code == 2
    assert "error: report.yaml: inputs.kpis.table: no table 'missing_table' at sqlite:///" in result.output
    with_password = database_pack(tmp_path / "b", "postgresql+psycopg://analyst:s3cret@localhost:1/cc")
    result = CliRunner().invoke(cli, ["validate", str(with_password)])
    assert result.exit_code == 2
    assert "the URL contains a password; remove it and put the password in an environment variable" in result.output
    assert "s3cret" not in result.output
    unset = database_pack(tmp_path / "c", "postgresql+psycopg://analyst@localhost:1/cc")
    data = yaml.safe_load(unset.read_text())
    data["inputs"]["kpis"]["password_env"] = "NARRATOR_NO_SUCH_VARIABLE"
    unset.write_text(yaml.safe_dump(data))
    result = CliRunner().invoke(cli, ["validate", str(unset)], env={"NARRATOR_NO_SUCH_VARIABLE": ""})
    assert "the environment variable NARRATOR_NO_SUCH_VARIABLE is not set" in result.output


@pytest.mark.skipif(not os.environ.get("NARRATOR_TEST_POSTGRES_URL"), reason="no PostgreSQL server named")
def test_a_postgresql_table_builds_the_same_pack_as_the_file(tmp_path):
    url = os.environ["NARRATOR_TEST_POSTGRES_URL"]
    password = os.environ.get(PASSWORD_ENV)
    load_sample(sa.make_url(url).set(password=password) if password else url)
    config = database_pack(tmp_path, url)
    if password:
        data = yaml.safe_load(config.read_text())
        data["inputs"]["kpis"]["password_env"] = PASSWORD_ENV
        config.write_text(yaml.safe_dump(data))
    assert_same_pack_as_the_file(config)
    result = build(config, tmp_path / "out", check="off")
    text = result.outputs["record"].read_text()
    assert json.loads(text)["inputs"]["kpis"]["url"] == url
    assert not password or password not in text + config.read_text()


def test_a_query_returning_too_many_rows_stops_with_a_message(tmp_path, monkeypatch):
    load_sample(f"sqlite:///{tmp_path / 'kpis.db'}")
    monkeypatch.setenv("NARRATOR_MAX_SQL_ROWS", "10")
    result = CliRunner().invoke(cli, ["validate", str(database_pack(tmp_path, f"sqlite:///{tmp_path / 'kpis.db'}"))])
    assert result.exit_code == 2
    assert "returned more than 10 rows; narrow the query" in result.output
