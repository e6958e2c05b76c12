"""The 派单目录 from a spreadsheet: the template the office downloads, and an import that
checks every row first and writes all rows (as one catalogue version) or none, with the
errors of each row reported by its line."""

from __future__ import annotations

from workflows.errors import DomainError, Invalid
from workflows.vocabulary import BASIS_KINDS

from .. import importing
from ..documents.sheets import Column, Table, xlsx
from ..importing import ImportRow
from . import catalogue, lookup

COLUMNS = {  # header text -> field
    "事项名称": "name", "事项": "name", "事项类别": "category", "类别": "category",
    "关键词": "keywords", "县区/街道": "area", "县区街道": "area", "地区": "area",
    "责任单位": "unit", "承办单位": "unit", "依据类型": "basis_kind", "依据": "basis",
    "职责依据": "basis", "市级部门事项": "city_level", "市级事项": "city_level",
}
HEADER = ("事项名称", "事项类别", "关键词", "县区/街道", "责任单位", "依据类型", "依据", "市级部门事项")
EXAMPLE = ("城市供水停水问题", "城乡建设", "停水、自来水、供水", "", "安康市住房和城乡建设局", "三定",
           "《安康市住房和城乡建设局职能配置、内设机构和人员编制规定》", "是")
YES = {"是": True, "Y": True, "y": True, "1": True, "否": False, "N": False, "n": False, "0": False, "": False}
KINDS = {label: key for key, label in BASIS_KINDS.items()} | {"三定": "sanding", "文件": "document"}
MAX_ROWS = 5000
MISSING_HEADER = "找不到表头：表格应包含“事项名称”“关键词”“责任单位”“依据类型”“依据”等列（请使用导入模板）。"


def template() -> bytes:
    columns = [Column(h, width=30 if h in ("关键词", "依据") else None) for h in HEADER]
    # The help goes above the header: a note below the rows would be read as a row.
    help_text = ("每行一个事项。关键词用顿号分隔；县区/街道留空表示全市；依据类型填“三定”或“文件”；"
                 "市级部门事项填“是”的，派单时不得派给县区或乡镇（街道）。")
    return xlsx([Table("派单目录", "派单目录导入模板", help_text, columns, [list(EXAMPLE)])])


def preview(content: bytes, filename: str) -> list[ImportRow]:
    units = lookup.unit_codes_by_name()
    rows = []
    for line, raw in importing.mapped_rows(content, filename, COLUMNS, ("name", "unit"), MISSING_HEADER):
        cells = {name: importing.clean(value) for name, value in raw.items()}
        row = ImportRow(line, {k: cells.get(k, "") for k in ("name", "category", "keywords", "area", "basis")})
        unit = cells.get("unit", "").replace(" ", "")
        row.values["unit_code"] = units.get(unit, unit)
        row.values["basis_kind"] = KINDS.get(cells.get("basis_kind", ""), cells.get("basis_kind", ""))
        flag = cells.get("city_level", "")
        if flag not in YES:
            row.errors.append(f"市级部门事项应填“是”或“否”，不是“{flag}”。")
        row.values["city_level"] = "1" if YES.get(flag) else "0"
        if unit and unit not in units:
            row.errors.append(f"找不到责任单位“{unit}”。")
        elif not row.errors:
            try:
                catalogue.clean(row.values)
            except Invalid as exc:
                row.errors += list(exc.fields.values())
        rows.append(row)
    if not rows:
        raise Invalid({"file": "表格中没有事项。"})
    if len(rows) > MAX_ROWS:
        raise Invalid({"file": f"一次最多导入 {MAX_ROWS} 个事项。"})
    seen: dict[tuple[str, str], int] = {}
    for row in rows:
        key = (row.values["name"], row.values["area"])
        if key in seen:
            row.errors.append(f"与第 {seen[key]} 行的事项名称和县区/街道重复。")
        seen.setdefault(key, row.line)
    return rows


def commit(actor, content: bytes, filename: str) -> tuple[int, int]:
    """Import every row as one catalogue version, or nothing if any row has an error
    (Invalid carries the rows' errors: {"第 N 行": message})."""
    catalogue.require_admin(actor)
    rows = preview(content, filename)
    bad = [r for r in rows if r.errors]
    if bad:
        raise Invalid({f"第 {r.line} 行": "；".join(r.errors) for r in bad},
                      f"{len(bad)} 行有误，未导入任何事项。")
    try:
        return catalogue.import_rows(actor, [catalogue.clean(r.values) for r in rows], filename)
    except DomainError as exc:  # a rule the preview could not see (a unit deactivated meanwhile)
        raise Invalid({"file": f"导入失败，未导入任何事项：{exc.message}"}) from exc
