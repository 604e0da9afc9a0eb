"""Cell readers remember what a text read as; the result must be exactly what reading it afresh gives."""

import pytest

from narrator.catalogue import Catalogue
from narrator.load.cells import Cells
from narrator.load.parse import decimal_comma
from narrator.load.problems import Problems
from narrator.load.tables import Table


def _cells() -> tuple[Cells, Problems]:
    problems = Problems()
    return Cells(Table(name="kpis.csv", columns=("value",), row_numbers=(2,), data=(("x",),)), problems), problems


def test_a_remembered_text_is_read_again_under_the_other_decimal_convention():
    cells, _ = _cells()
    contacts = Catalogue.build({}).get("contacts_offered")
    assert cells.value(2, "value", "56.186", contacts) == 56.186
    token = decimal_comma.set(True)
    try:
        assert cells.value(3, "value", "56.186", contacts) == 56186
    finally:
        decimal_comma.reset(token)
    assert cells.value(4, "value", "56.186", contacts) == 56.186


def test_a_repeated_bad_text_is_reported_on_every_row_it_is_in():
    cells, problems = _cells()
    level = Catalogue.build({}).get("service_level")
    assert cells.value(2, "value", "abc", level) is None
    assert cells.value(5, "value", "abc", level) is None
    assert cells.period(6, "month", "Foo") is None
    assert cells.period(7, "month", "Foo") is None
    assert problems.lines[:2] == [
        'kpis.csv, row 2, column "value": expected a percentage, got "abc"; fix or blank the cell',
        'kpis.csv, row 5, column "value": expected a percentage, got "abc"; fix or blank the cell',
    ]
    assert [line.split(":")[0] for line in problems.lines[2:]] == [
        'kpis.csv, row 6, column "month"',
        'kpis.csv, row 7, column "month"',
    ]


def test_the_same_text_reads_differently_for_kpis_of_different_units():
    cells, _ = _cells()
    catalogue = Catalogue.build({})
    assert cells.value(2, "value", "84.2", catalogue.get("service_level")) == pytest.approx(0.842)
    assert cells.value(3, "value", "84.2", catalogue.get("contacts_offered")) == 84.2


def test_table_cells_and_rows_read_by_column_with_absent_columns_as_none():
    table = Table(
        name="kpis.json", columns=("a", "b"), row_numbers=(2, 3), data=((3, "x"), (0.5, None)), row_word="record"
    )
    assert list(table.cells("a", None, "b")) == [(2, (3, None, 0.5)), (3, ("x", None, None))]
    assert list(table.rows()) == [(2, {"a": 3, "b": 0.5}), (3, {"a": "x", "b": None})]
    assert table.cell(3, "a") == "x"


def test_parquet_cells_are_plain_python_values(tmp_path):
    """Parquet columns come typed (nullable integers, floats, timestamps); the parsers get Python values
    and None for a missing one, never numpy scalars or pandas' NA."""
    import pandas as pd

    from narrator.load.tables import read_table

    frame = pd.DataFrame(
        {
            "count": pd.array([3, None], dtype="Int64"),
            "rate": [0.5, float("nan")],
            "month": pd.to_datetime(["2025-01-01", "2025-02-01"]),
        }
    )
    frame.to_parquet(tmp_path / "kpis.parquet")
    table = read_table(tmp_path / "kpis.parquet", "kpis.parquet")
    assert list(table.cells("count", "rate")) == [(1, (3, 0.5)), (2, (None, None))]
    assert [type(cell) for cell in table.column("count")] == [int, type(None)]
    assert table.cell(1, "month").year == 2025
