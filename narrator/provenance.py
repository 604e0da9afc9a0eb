"""Where a value came from: the file, row and column of an input, or the facts it was derived from."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict


class Source(BaseModel):
    """One place in an input file. Rows are numbered as a spreadsheet user sees them (header is row 1)."""

    model_config = ConfigDict(frozen=True)

    file: str
    row: int | None = None
    column: str | None = None
    key: str | None = None  # for YAML/JSON inputs: the dotted key path

    def describe(self) -> str:
        where = [self.file]
        if self.row is not None:
            where.append(f"row {self.row}")
        if self.column is not None:
            where.append(f'column "{self.column}"')
        if self.key is not None:
            where.append(self.key)
        return ", ".join(where)
