"""Reading a table file (.csv, .xlsx, .json, .parquet) into raw cells indexed by the row a user sees."""

from __future__ import annotations

import csv
import io
import json
import warnings
from dataclasses import dataclass
from pathlib import Path

from narrator.errors import InputError
from narrator.limits import DATA, MAX_TEXT, check_file, check_zip, read_bytes, read_text
from narrator.provenance import Source

SUPPORTED = (".csv", ".txt", ".tsv", ".xlsx", ".xlsm", ".json", ".parquet")
_DELIMITERS = (",", ";", "\t")


@dataclass(frozen=True)
class Table:
    """Raw cells of one file, column by column. Rows are numbered as the user finds them in the file.

    Plain Python lists, not a DataFrame: the loaders read each column once, and importing pandas for a
    container would add half a second to every command (``narrator preview --text`` included)."""

    name: str  # the file name as the config gives it, used in every message
    columns: tuple[str, ...]
    row_numbers: tuple[int, ...]  # the file row (CSV/Excel, header = row 1) or record number of each row
    data: tuple[tuple, ...]  # one tuple of cells per column: str, int, float, datetime, time or None
    row_word: str = "row"  # "row" for CSV/Excel (header = row 1); "record" for JSON/Parquet (first = 1)

    def rows(self):
        """(row number, {header: cell}) for every data row, in file order."""
        headers = self.columns
        return ((row, dict(zip(headers, cells, strict=True))) for row, cells in self.cells(*headers))

    def cells(self, *headers: str | None):
        """(row number, (cell, ...)) for every data row, in file order: one cell per header, None for a
        header that is None (an optional column the file does not have)."""
        absent = (None,) * len(self.row_numbers)
        columns = [absent if header is None else self.column(header) for header in headers]
        return zip(self.row_numbers, zip(*columns, strict=True), strict=True)

    def column(self, header: str) -> tuple:
        return self.data[self.columns.index(header)]

    def cell(self, row: int, header: str) -> object:
        """The cell in file row (or record) ``row`` under ``header``."""
        return self.column(header)[self.row_numbers.index(row)]

    def all_cells(self):
        """Every cell, column by column."""
        for column in self.data:
            yield from column

    def where(self, row: int | None = None, column: str | None = None) -> str:
        parts = [self.name]
        if row is not None:
            parts.append(f"{self.row_word} {row}")
        if column is not None:
            parts.append(f'column "{column}"')
        return ", ".join(parts)

    def source(self, row: int | None, column: str | None) -> Source:
        # Source.row is documented as a spreadsheet row; JSON/Parquet records go in ``key`` instead.
        if self.row_word == "row":
            return Source(file=self.name, row=row, column=column)
        return Source(file=self.name, column=column, key=None if row is None else f"record {row}")


def read_table(
    path: Path, name: str, sheet: str | None = None, config_key: str = "inputs.kpis.path"
) -> Table:
    """Read ``path`` (shown to the user as ``name``); InputError for a missing, empty or unreadable file.

    ``config_key`` is the config setting that names the file, so a wrong path can be corrected there.
    """
    if not path.exists():
        raise InputError(f"{name}: file not found ({path}); check {config_key} in the config")
    if path.is_dir():
        raise InputError(f"{name}: is a folder; give the data file inside it")
    suffix = path.suffix.lower()
    if suffix == ".xls":
        raise InputError(f"{name}: old Excel .xls files cannot be read; save it as .xlsx (Excel workbook)")
    if suffix not in SUPPORTED:
        raise InputError(
            f'{name}: cannot read "{suffix or "no extension"}" files; '
            "save it as .csv, .xlsx, .json or .parquet"
        )
    if sheet is not None and suffix not in {".xlsx", ".xlsm"}:
        raise InputError(
            f'{name}: a sheet ("{sheet}") is set but the file is not an Excel workbook; remove sheet'
        )
    if check_file(path, name, DATA, InputError) == 0:  # a FIFO or /dev/zero must never be opened
        raise InputError(f"{name}: the file is empty; export the data again")
    if suffix in {".xlsx", ".xlsm"}:
        header, rows, word = _excel_rows(path, name, sheet)
    elif suffix == ".json":
        header, rows, word = _json_rows(path, name)
    elif suffix == ".parquet":
        header, rows, word = _parquet_rows(path, name)
    else:
        header, rows, word = _csv_rows(path, name)
    return _table(name, header, rows, word)


def _table(name: str, header: tuple[int, list], rows: list[tuple[int, list]], word: str) -> Table:
    header_row, cells = header
    rows = [(n, row) for n, row in rows if _has_data(row)]
    headers = [_header_text(cell) for cell in cells]
    problems = []
    keep = []  # columns to keep: a blank header over blank cells is a trailing separator, not data
    for i, title in enumerate(headers):
        if title:
            keep.append(i)
        elif any(i < len(r) and not _empty(r[i]) for _, r in rows):
            problems.append(f"{name}, {word} {header_row}: column {i + 1} has data but no header; name it")
    seen: dict[str, int] = {}
    for i in keep:
        if headers[i] in seen:
            problems.append(
                f'{name}, {word} {header_row}: column "{headers[i]}" appears twice; rename or remove one'
            )
        seen.setdefault(headers[i], i)
    width = len(headers)
    for number, row in rows:
        long = next((i for i, cell in enumerate(row) if isinstance(cell, str) and len(cell) > MAX_TEXT), None)
        if long is not None and len(problems) < 20:
            problems.append(
                f"{name}, {word} {number}, column {long + 1}: a cell of {len(row[long]):,} characters is over "
                f"the limit of {MAX_TEXT:,}; check the delimiter and quoting, or shorten it"
            )
        if len(row) > width and _has_data(row[width:]):
            problems.append(
                f"{name}, {word} {number}: {len(row)} cells but only {width} headers; "
                "check the delimiter and quoting in this row"
            )
    if problems:
        raise InputError(problems)
    every = keep == list(range(width))
    # A row as wide as the header, keeping every column, is taken as it is; others are cut and padded.
    data = [row if every and len(row) == width else [row[i] if i < len(row) else None for i in keep] for _, row in rows]
    if not data:
        raise InputError(f"{name}: has a header but no data rows; export the data again")
    columns = tuple(zip(*data, strict=True))
    return Table(
        name=name,
        columns=tuple(headers[i] for i in keep),
        row_numbers=tuple(n for n, _ in rows),
        data=columns,
        row_word=word,
    )


def _header_text(cell: object) -> str:
    return "" if _empty(cell) else str(cell).strip()


def _has_data(row) -> bool:
    """False for a row of empty cells; ``all`` stops at the first filled cell, usually the first."""
    return not all(map(_empty, row))


def _empty(cell: object) -> bool:
    # Only truly empty cells: "-" or "n/a" are values the parsers judge, not absent cells.
    if cell is None:
        return True
    if isinstance(cell, float) and cell != cell:
        return True
    return isinstance(cell, str) and not cell.strip()


def _split(numbered: list[tuple[int, list]], name: str) -> tuple[tuple[int, list], list[tuple[int, list]]]:
    """The first non-blank row is the header; fully blank rows after it are skipped, keeping numbers."""
    filled = [(n, row) for n, row in numbered if _has_data(row)]
    if not filled:
        raise InputError(f"{name}: the file is empty (no rows); export the data again")
    return filled[0], filled[1:]


def _csv_rows(path: Path, name: str):
    raw = read_bytes(path, name, DATA, InputError)
    if b"\x00" in raw[:4096]:
        raise InputError(
            f"{name}: not a text CSV file; if it is an Excel workbook, save it with the .xlsx extension"
        )
    try:
        text = raw.decode("utf-8-sig")  # utf-8-sig drops the BOM Excel writes at the start
    except UnicodeDecodeError:
        # Excel on Windows saves "CSV" in the ANSI code page; cp1252 reads its £ and accents.
        text = raw.decode("cp1252", errors="replace")
    if not text.strip():
        raise InputError(f"{name}: the file is empty (no rows); export the data again")
    delimiter = _sniff(text, path.suffix.lower())
    try:
        records = list(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter))
    except csv.Error as exc:
        raise InputError(f"{name}: cannot be read as CSV ({exc}); check quotes are balanced") from None
    header, rows = _split(list(enumerate(records, start=1)), name)
    return header, rows, "row"


def _sniff(text: str, suffix: str) -> str:
    """Pick the delimiter that splits the header widest and the first rows consistently."""
    if suffix == ".tsv":
        return "\t"
    lines = [line for line in text.splitlines() if line.strip()][:20]
    best, best_score = ",", (0.0, 0)
    for delimiter in _DELIMITERS:
        try:
            counts = [len(row) for row in csv.reader(lines, delimiter=delimiter)]
        except csv.Error:  # a field past the csv module's limit: the reader below says so for the file
            continue
        if not counts or counts[0] < 2:
            continue
        score = (sum(c == counts[0] for c in counts) / len(counts), counts[0])
        if score > best_score:
            best, best_score = delimiter, score
    return best


def _excel_rows(path: Path, name: str, sheet: str | None):
    import openpyxl

    check_zip(path, name, InputError)
    # The file is opened here and closed on the way out: openpyxl's read-only workbook leaves the file
    # it opened itself to the garbage collector, which warns (an error under the test suite) at a random time.
    stream = path.open("rb")
    try:
        with warnings.catch_warnings():
            # openpyxl warns about styles and extensions it does not keep; irrelevant when reading values.
            warnings.simplefilter("ignore")
            book = openpyxl.load_workbook(stream, read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises zip, XML and key errors for a damaged file
        stream.close()
        raise InputError(
            f"{name}: cannot be read as an Excel workbook ({type(exc).__name__}); "
            "open it in Excel and save it again as .xlsx"
        ) from None
    try:
        if sheet is not None and sheet not in book.sheetnames:
            available = ", ".join(f'"{s}"' for s in book.sheetnames)
            raise InputError(
                f'{name}: no sheet named "{sheet}"; the sheets are {available}; set inputs.kpis.sheet to one'
            )
        ws = book[sheet] if sheet is not None else book.worksheets[0]
        if not hasattr(ws, "reset_dimensions"):
            raise InputError(f'{name}: sheet "{ws.title}" is a chart, not a table; set inputs.kpis.sheet')
        # Some tools write a wrong sheet size; forgetting it makes openpyxl read every row there is.
        ws.reset_dimensions()
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            numbered = [(n, list(row)) for n, row in enumerate(ws.iter_rows(min_row=1, values_only=True), 1)]
    finally:
        book.close()
        stream.close()
    header, rows = _split(numbered, name)
    return header, rows, "row"


def _json_rows(path: Path, name: str):
    try:
        data = json.loads(read_text(path, name, DATA, InputError))
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        where = f", line {exc.lineno}" if isinstance(exc, json.JSONDecodeError) else ""
        raise InputError(
            f"{name}{where}: not valid JSON; check the file (a JSON validator shows where)"
        ) from None
    records = data.get("rows") if isinstance(data, dict) else data
    if not isinstance(records, list):
        raise InputError(
            f'{name}: expected a list of records, or {{"rows": [...]}}; see samples/ for an example'
        )
    if not records:
        raise InputError(f"{name}: has no records; export the data again")
    bad = [i for i, r in enumerate(records, 1) if not isinstance(r, dict)]
    if bad:
        raise InputError([f'{name}, record {i}: expected an object like {{"period": ..., ...}}' for i in bad])
    headers = list(dict.fromkeys(key for record in records for key in record))
    rows = [(i, [record.get(h) for h in headers]) for i, record in enumerate(records, 1)]
    return (0, headers), rows, "record"


def _parquet_rows(path: Path, name: str):
    import pandas as pd

    try:
        frame = pd.read_parquet(path)
    except Exception as exc:  # pyarrow raises its own error types for damaged or non-Parquet files
        raise InputError(
            f"{name}: cannot be read as Parquet ({type(exc).__name__}); export the data again"
        ) from None
    if frame.empty:
        raise InputError(f"{name}: has no records; export the data again")
    # object dtype turns numpy scalars into Python values, so the parsers see floats, str and Timestamps
    frame = frame.astype(object).where(frame.notna(), None)
    headers = [str(c) for c in frame.columns]
    rows = [(i, list(values)) for i, values in enumerate(frame.itertuples(index=False, name=None), 1)]
    return (0, headers), rows, "record"
