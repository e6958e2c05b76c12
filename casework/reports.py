"""The published month in the forms the office issues it: the notice paragraph, the
通报 as .docx, and every table as .xlsx and .csv (numerator and denominator always next
to each rate)."""

from __future__ import annotations

import io

import pandas as pd

from .spreadsheets import csv_safe, text_cells
from .stats import LABELS


def paragraph(data: dict) -> str:
    o = data["overall"]
    year, month = data["period"].split("-")
    text = (f"{year}年{int(month)}月，市长信箱共受理来信 {o['received']} 封，办结 {o['closed']} 封，"
            f"办结率达 {o['closed_rate']}，按时办结 {o['on_time']} 封，按时办结率 {o['on_time_rate']}")
    if o["overdue"]:
        text += f"，超期 {o['overdue']} 封"
    if o["returned"]:
        text += f"，因答复不规范退回重办 {o['returned']} 封（退回率 {o['return_rate']}）"
    if o["rated"]:
        text += f"；来信人评价 {o['rated']} 封，满意率 {o['satisfaction_rate']}"
    return text + "。"


UNIT_COLUMNS = ["name", "received", "closed", "closed_rate", "on_time", "on_time_rate", "overdue",
                "returned", "return_rate", "avg_days", "median_days", "rated", "satisfied", "satisfaction_rate"]


def unit_table(data: dict) -> pd.DataFrame:
    table = pd.DataFrame(data["units"])[UNIT_COLUMNS]
    return table.rename(columns={"name": "单位", **LABELS})


def csv_bytes(data: dict) -> bytes:
    # UTF-8 with BOM: Excel on office PCs opens it with the right encoding.
    return csv_safe(unit_table(data)).to_csv(index=False).encode("utf-8-sig")


def xlsx_bytes(data: dict) -> bytes:
    buffer = io.BytesIO()
    with pd.ExcelWriter(buffer, engine="openpyxl") as writer:
        unit_table(data).to_excel(writer, sheet_name="各单位", index=False)
        channels = pd.DataFrame(data["channels"])
        if not channels.empty:
            channels = channels[["label", "received", "closed", "closed_rate", "on_time", "on_time_rate"]]
            channels.rename(columns={"label": "渠道", **LABELS}).to_excel(writer, sheet_name="各渠道", index=False)
        pd.DataFrame([{"说明": data["paragraph"]}]).to_excel(writer, sheet_name="说明", index=False)
        text_cells(writer.book)
    return buffer.getvalue()


def docx_bytes(data: dict, title: str = "市长信箱来信办理情况通报") -> bytes:
    from docx import Document

    year, month = data["period"].split("-")
    document = Document()
    document.add_heading(f"{year}年{int(month)}月{title}", level=1)
    document.add_paragraph(data["paragraph"])
    table_data = unit_table(data)
    shown = ["单位", "受理", "办结", "办结率", "按时办结", "按时办结率", "超期", "退回"]
    table = document.add_table(rows=1, cols=len(shown))
    table.style = "Table Grid"
    for cell, name in zip(table.rows[0].cells, shown, strict=True):
        cell.text = name
    for _, row in table_data[table_data["受理"] > 0].iterrows():
        for cell, name in zip(table.add_row().cells, shown, strict=True):
            cell.text = "" if pd.isna(row[name]) else str(row[name])
    document.add_paragraph(f"统计口径：受理为当月收到的来信（不含不予受理和重复件），办结为截至 {data['cutoff'][:10]} "
                           "审核通过并办结的来信；比率均截尾取整，不四舍五入。")
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()
