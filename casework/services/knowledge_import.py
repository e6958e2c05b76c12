"""Entries from a spreadsheet (xlsx or csv) as offices keep them: a header row with
问题 and 答复口径 (or 答复) somewhere in the first rows, optional columns for the category,
responsible unit, policy basis and validity. Every row is checked before anything is
written; the import is all rows or none."""

from __future__ import annotations

from workflows.errors import DomainError, Invalid

from .. import importing
from ..importing import ImportRow
from . import knowledge, lookup
from .tx import transaction

COLUMNS = {  # header text -> field
    "问题": "question", "常见问题": "question", "问": "question",
    "答复口径": "answer", "答复": "answer", "答": "answer", "回复": "answer",
    "类别": "category", "分类": "category",
    "责任单位": "unit", "单位": "unit", "主管单位": "unit",
    "政策依据": "basis_title", "依据文件": "basis_title", "文件名称": "basis_title",
    "文号": "basis_number", "链接": "basis_url", "文件链接": "basis_url",
    "有效期起": "valid_from", "生效日期": "valid_from", "有效期至": "valid_until", "失效日期": "valid_until",
}
MAX_ROWS = 5000


def preview(content: bytes, filename: str) -> list[ImportRow]:
    units = lookup.unit_codes_by_name()
    rows = []
    for offset, cells in importing.mapped_rows(content, filename, COLUMNS, ("question", "answer"),
                                               "找不到表头：表格应包含“问题”和“答复口径”两列。"):
        row = ImportRow(offset, {})
        for key in ("question", "answer", "basis_title", "basis_number", "basis_url"):
            row.values[key] = cells.get(key, "")
        row.values["category"] = importing.clean(cells.get("category", "")) or None
        unit = importing.clean(cells.get("unit", "")).replace(" ", "")
        if unit:
            row.values["unit_code"] = units.get(unit)
            if row.values["unit_code"] is None:
                row.errors.append(f"找不到责任单位“{unit}”。")
        for key in ("valid_from", "valid_until"):
            raw = importing.clean(cells.get(key, ""))
            try:
                row.values[key] = importing.parse_date(raw).isoformat() if raw else None
            except ValueError:
                row.errors.append(f"日期“{raw}”无法识别（应如 2026-01-31 或 2026.1.31）。")
        if row.values["category"] and row.values["category"] not in knowledge.CATEGORIES:
            row.errors.append(f"类别“{row.values['category']}”不在目录中（{'、'.join(knowledge.CATEGORIES)}）。")
        if not row.errors:
            try:
                knowledge.clean(row.values)
            except Invalid as exc:
                row.errors += list(exc.fields.values())
        rows.append(row)
    if not rows:
        raise Invalid({"file": "表格中没有条目。"})
    if len(rows) > MAX_ROWS:
        raise Invalid({"file": f"一次最多导入 {MAX_ROWS} 条。"})
    return rows


def commit(actor, content: bytes, filename: str, publish: bool = False) -> int:
    """Import every row in one transaction, or none if any row has an error."""
    knowledge.require_write(actor)
    rows = preview(content, filename)
    bad = [r for r in rows if r.errors]
    if bad:
        raise Invalid({"file": f"第 {bad[0].line} 行：{bad[0].errors[0]}（共 {len(bad)} 行有误，未导入任何条目）"})
    try:
        with transaction():
            for row in rows:
                knowledge.create(actor, row.values, publish=publish)
    except DomainError as exc:  # a rule the preview could not see (e.g. a unit deactivated meanwhile)
        raise Invalid({"file": f"导入失败，未导入任何条目：{exc.message}"}) from exc
    return len(rows)
