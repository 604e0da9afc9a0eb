"""Reading table files: delimiters, BOMs, blank rows, row numbers as the user sees them, and bad files."""

from __future__ import annotations

import datetime as dt
import json

import openpyxl
import pandas as pd
import pytest

from narrator.errors import InputError
from narrator.load.tables import read_table


def write(tmp_path, name, content):
    path = tmp_path / name
    (path.write_bytes if isinstance(content, bytes) else path.write_text)(content)
    return path


def test_semicolon_csv_with_bom_and_blank_rows_keeps_spreadsheet_row_numbers(tmp_path):
    text = "\ufeffPeriod;KPI;Value\r\n2025-01;SL;84,2%\r\n;;\r\n\r\n2025-02;SL;85,0%\r\n"
    table = read_table(write(tmp_path, "kpis.csv", text.encode("utf-8")), "kpis.csv")
    assert list(table.columns) == ["Period", "KPI", "Value"]  # BOM gone from the first header
    assert list(table.row_numbers) == [2, 5]  # header is row 1; blank rows 3 and 4 skipped, not renumbered
    assert table.cell(5, "Value") == "85,0%"
    assert table.where(5, "Value") == 'kpis.csv, row 5, column "Value"'


@pytest.mark.parametrize(("delimiter", "name"), [(",", "kpis.csv"), ("\t", "kpis.tsv"), ("\t", "kpis.txt")])
def test_csv_delimiter_is_sniffed(tmp_path, delimiter, name):
    text = delimiter.join(["period", "kpi", "value"]) + "\n" + delimiter.join(["2025-01", "AHT", '"1,234"']) + "\n"
    table = read_table(write(tmp_path, name, text), name)
    assert list(table.columns) == ["period", "kpi", "value"]
    assert table.cell(2, "value") == "1,234"


def test_windows_ansi_csv_is_read(tmp_path):
    text = "period,kpi,value\n2025-01,cost per contact,£4.20\n".encode("cp1252")
    table = read_table(write(tmp_path, "kpis.csv", text), "kpis.csv")
    assert table.cell(2, "value") == "£4.20"


def test_xlsx_reads_the_named_sheet_with_raw_cell_values(tmp_path):
    book = openpyxl.Workbook()
    book.active.title = "Notes"
    sheet = book.create_sheet("KPIs")
    sheet.append(["Period", "KPI", "Value"])
    sheet.append([dt.datetime(2025, 1, 1), "AHT", dt.time(0, 5, 12)])
    sheet.append([None, None, None])
    sheet.append(["2025-02", "AHT", 300])
    book.save(tmp_path / "kpis.xlsx")
    table = read_table(tmp_path / "kpis.xlsx", "kpis.xlsx", sheet="KPIs")
    assert list(table.row_numbers) == [2, 4]
    assert table.cell(2, "Value") == dt.time(0, 5, 12)
    assert table.cell(4, "Value") == 300


def test_xlsx_missing_sheet_lists_the_sheets_there(tmp_path):
    book = openpyxl.Workbook()
    book.active.title = "Data"
    book.active.append(["period"])
    book.save(tmp_path / "kpis.xlsx")
    with pytest.raises(InputError) as caught:
        read_table(tmp_path / "kpis.xlsx", "kpis.xlsx", sheet="KPIs")
    assert caught.value.problems == [
        'kpis.xlsx: no sheet named "KPIs"; the sheets are "Data"; set inputs.kpis.sheet to one'
    ]


@pytest.mark.parametrize("wrapped", [False, True])
def test_json_records_or_rows_object(tmp_path, wrapped):
    records = [
        {"period": "2025-01", "kpi": "SL", "value": 0.8},
        {"period": "2025-02", "kpi": "SL", "value": 0.82},
    ]
    payload = {"rows": records} if wrapped else records
    table = read_table(write(tmp_path, "kpis.json", json.dumps(payload)), "kpis.json")
    assert list(table.row_numbers) == [1, 2]
    assert table.where(2, "value") == 'kpis.json, record 2, column "value"'
    assert table.source(2, "value").describe() == 'kpis.json, column "value", record 2'


def test_parquet(tmp_path):
    frame = pd.DataFrame({"period": ["2025-01", "2025-02"], "kpi": ["SL", "SL"], "value": [0.8, None]})
    frame.to_parquet(tmp_path / "kpis.parquet")
    table = read_table(tmp_path / "kpis.parquet", "kpis.parquet")
    assert table.cell(1, "value") == 0.8
    assert table.cell(2, "value") is None


@pytest.mark.parametrize(
    ("name", "content", "problem"),
    [
        ("kpis.csv", "", "kpis.csv: the file is empty; export the data again"),
        ("kpis.csv", "\n\n ;\n", "kpis.csv: the file is empty (no rows); export the data again"),
        (
            "kpis.csv",
            "period,kpi,value\n\n",
            "kpis.csv: has a header but no data rows; export the data again",
        ),
        ("kpis.json", "[]", "kpis.json: has no records; export the data again"),
        (
            "kpis.json",
            "{oops",
            "kpis.json, line 1: not valid JSON; check the file (a JSON validator shows where)",
        ),
        (
            "kpis.json",
            '{"data": []}',
            'kpis.json: expected a list of records, or {"rows": [...]}; see samples/ for an example',
        ),
        (
            "kpis.xlsx",
            b"PK\x03\x04 not really a zip",
            "kpis.xlsx: cannot be read as an Excel workbook (BadZipFile); open it in Excel and save it again as .xlsx",
        ),
        (
            "kpis.parquet",
            b"not parquet at all",
            "kpis.parquet: cannot be read as Parquet (ArrowInvalid); export the data again",
        ),
        (
            "kpis.csv",
            b"PK\x03\x04\x00\x00binary",
            "kpis.csv: not a text CSV file; if it is an Excel workbook, save it with the .xlsx extension",
        ),
        (
            "kpis.xls",
            b"old",
            "kpis.xls: old Excel .xls files cannot be read; save it as .xlsx (Excel workbook)",
        ),
        ("kpis.ods", b"x", 'kpis.ods: cannot read ".ods" files; save it as .csv, .xlsx, .json or .parquet'),
    ],
)
def test_bad_files_say_what_to_do(tmp_path, name, content, problem):
    with pytest.raises(InputError) as caught:
        read_table(write(tmp_path, name, content), name)
    assert caught.value.problems == [problem]


def test_missing_file_names_the_config_key(tmp_path):
    with pytest.raises(InputError) as caught:
        read_table(tmp_path / "nope.csv", "nope.csv")
    assert caught.value.problems == [
        f"nope.csv: file not found ({tmp_path / 'nope.csv'}); check inputs.kpis.path in the config"
    ]


def test_header_problems(tmp_path):
    text = "period,kpi,kpi,,value\n2025-01,SL,x,oops,1\n2025-02,SL,y,,1,extra\n"
    with pytest.raises(InputError) as caught:
        read_table(write(tmp_path, "kpis.csv", text), "kpis.csv")
    assert caught.value.problems == [
        "kpis.csv, row 1: column 4 has data but no header; name it",
        'kpis.csv, row 1: column "kpi" appears twice; rename or remove one',
        "kpis.csv, row 3: 6 cells but only 5 headers; check the delimiter and quoting in this row",
    ]


def test_trailing_separators_are_not_columns(tmp_path):
    table = read_table(write(tmp_path, "kpis.csv", "period,kpi,value,,\n2025-01,SL,80%,,\n"), "kpis.csv")
    assert list(table.columns) == ["period", "kpi", "value"]
