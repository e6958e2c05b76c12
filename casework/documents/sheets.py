"""Tables for people, as xlsx and csv: a title row (what, period, version, published at),
a frozen header with filters, widths that fit the text, rates stored as numbers formatted
as percent (so they sort) beside their numerator and denominator, a 合计 row, and no
cell a spreadsheet would run as a formula."""

from __future__ import annotations

import csv
import io
import unicodedata
from dataclasses import dataclass, field
from decimal import Decimal

from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def neutralise(value):
    """Text a spreadsheet would evaluate (=, +, -, @, tab, CR first) is prefixed with an
    apostrophe in csv; xlsx cells are written as text instead (see _put)."""
    if isinstance(value, str) and value.startswith(FORMULA_START):
        return "'" + value
    return value


@dataclass
class Column:
    header: str
    kind: str = "text"      # text | int | num | pct
    xlsx_only: bool = False  # e.g. the published text of a rate, which csv already shows
    width: float | None = None


@dataclass
class Table:
    sheet: str
    title: str
    subtitle: str
    columns: list[Column]
    rows: list[list]
    total: list | None = None
    notes: list[str] = field(default_factory=list)
    decimals: int = 0
    freeze_columns: int = 0


def _display_width(value) -> int:
    text = "" if value is None else str(value)
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def _percent_text(value: Decimal | None, decimals: int) -> str:
    if value is None:
        return "—"
    return f"{value * 100:.{decimals}f}%"


def _put(cell, value, column: Column, decimals: int) -> None:
    if value is None:
        cell.value = "—" if column.kind == "pct" else None
        return
    cell.value = float(value) if isinstance(value, Decimal) else value
    if isinstance(value, str):
        cell.data_type = "s"  # never a formula, whatever the text starts with
    elif column.kind == "pct":
        cell.number_format = "0%" if decimals == 0 else "0." + "0" * decimals + "%"
    elif column.kind == "num":
        cell.number_format = "0.0"


THIN = Side(style="thin", color="808080")
HEAD_FILL = PatternFill("solid", fgColor="E8EDF5")


def _sheet(book: Workbook, table: Table) -> None:
    ws = book.create_sheet(table.sheet[:31])
    n = len(table.columns)
    last = get_column_letter(n)
    for row, (text, font) in enumerate(((table.title, Font(bold=True, size=14)),
                                        (table.subtitle, Font(size=10, color="555555"))), 1):
        ws.cell(row, 1, text).font = font
        ws.merge_cells(f"A{row}:{last}{row}")
    for col, column in enumerate(table.columns, 1):
        cell = ws.cell(3, col, column.header)
        cell.font, cell.fill = Font(bold=True), HEAD_FILL
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
        cell.border = Border(top=THIN, bottom=THIN, left=THIN, right=THIN)
    at = 4
    for values in table.rows:
        for col, (value, column) in enumerate(zip(values, table.columns, strict=True), 1):
            _put(ws.cell(at, col), value, column, table.decimals)
        at += 1
    if table.rows:
        ws.auto_filter.ref = f"A3:{last}{at - 1}"  # the 合计 row stays out of sorting
    if table.total:
        for col, (value, column) in enumerate(zip(table.total, table.columns, strict=True), 1):
            cell = ws.cell(at, col)
            _put(cell, value, column, table.decimals)
            cell.font, cell.border = Font(bold=True), Border(top=Side(style="medium"))
        at += 1
    for note in table.notes:
        at += 1
        ws.cell(at, 1, note).data_type = "s"
        ws.merge_cells(f"A{at}:{last}{at}")
        ws.cell(at, 1).alignment = Alignment(wrap_text=True, vertical="top")
        ws.row_dimensions[at].height = 15 * (1 + _display_width(note) // 120)
    for col, column in enumerate(table.columns, 1):
        widest = max([_display_width(column.header) if column.kind == "text" else 8] +
                     [_display_width(r[col - 1]) for r in table.rows + ([table.total] if table.total else [])])
        ws.column_dimensions[get_column_letter(col)].width = column.width or min(max(widest + 2, 7), 60)
    ws.freeze_panes = ws.cell(4, 1 + table.freeze_columns)
    ws.print_title_rows = "3:3"
    ws.page_setup.orientation = "landscape"
    ws.page_setup.fitToWidth, ws.page_setup.fitToHeight = 1, 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True


def xlsx(tables: list[Table]) -> bytes:
    book = Workbook()
    book.remove(book.active)
    for table in tables:
        _sheet(book, table)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def csv_bytes(table: Table) -> bytes:
    """One table: header, rows, 合计 (UTF-8 with BOM, which Excel on office PCs needs)."""
    keep = [i for i, c in enumerate(table.columns) if not c.xlsx_only]
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow([table.columns[i].header for i in keep])
    for values in table.rows + ([table.total] if table.total else []):
        writer.writerow([neutralise(_percent_text(values[i], table.decimals) if table.columns[i].kind == "pct"
                                    else "" if values[i] is None else values[i]) for i in keep])
    return buffer.getvalue().encode("utf-8-sig")


def stream_xlsx(path, sheet: str, title: str, subtitle: str, headers: list[str], rows) -> int:
    """Write `rows` (any iterable, consumed once) to an xlsx file at `path` without holding
    them: openpyxl's write-only mode spools each row to disk. Text is stored as text, never
    as a formula. Returns the number of rows written."""
    book = Workbook(write_only=True)
    ws = book.create_sheet(sheet[:31])
    widths = [min(max(_display_width(h) + 2, 8), 60) for h in headers]
    for col, w in enumerate(widths, 1):
        ws.column_dimensions[get_column_letter(col)].width = w
    ws.freeze_panes = "A4"
    ws.append([_text_cell(ws, title, Font(bold=True, size=14))])
    ws.append([_text_cell(ws, subtitle, Font(size=10, color="555555"))])
    ws.append([_text_cell(ws, h, Font(bold=True), HEAD_FILL) for h in headers])
    count = 0
    for values in rows:
        ws.append([_text_cell(ws, v) if isinstance(v, str) else v for v in values])
        count += 1
    if count:
        ws.auto_filter.ref = f"A3:{get_column_letter(len(headers))}{count + 3}"
    book.save(path)
    return count


def _text_cell(ws, value: str, font=None, fill=None):
    from openpyxl.cell import WriteOnlyCell

    cell = WriteOnlyCell(ws, value=value)
    cell.data_type = "s"  # never a formula, whatever the text starts with
    if font:
        cell.font = font
    if fill:
        cell.fill = fill
    return cell
