"""Spreadsheets the app writes carry text as text. A cell beginning with =, +, -, @, tab
or CR is taken as a formula by Excel (CSV) or by openpyxl itself (xlsx: a string starting
with "=" is written as a formula): an imported 主要问题 or a unit name could otherwise
run =HYPERLINK or DDE in the office's Excel (OWASP "CSV injection")."""

from __future__ import annotations

import pandas as pd

TRIGGERS = ("=", "+", "-", "@", "\t", "\r")


def _risky(value) -> bool:
    return isinstance(value, str) and value.startswith(TRIGGERS)


def text_cells(book) -> None:
    """Make every formula-like string cell of an openpyxl workbook a plain string cell
    (shown exactly as written, never evaluated). Call before the workbook is saved."""
    for sheet in book.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                if _risky(cell.value):
                    cell.data_type = "s"


def csv_safe(frame: pd.DataFrame) -> pd.DataFrame:
    """A copy for CSV, where there are no cell types: formula-like text gets a leading
    apostrophe, which Excel shows as text."""
    return frame.map(lambda v: "'" + v if _risky(v) else v)
