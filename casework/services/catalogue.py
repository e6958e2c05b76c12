"""Keeping the 派单目录 (国办函〔2025〕66号): matters and their responsible units, each change
a new catalogue version; and the rule a dispatch must keep, that a city department's
matter is not pushed down to a county/township unit without the office's reason."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import sqlalchemy as sa

from workflows.errors import Forbidden, Invalid, NotAllowed, NotFound
from workflows.fields import Field, clean_fields
from workflows.vocabulary import ADMIN, BASIS_KINDS, GRASSROOTS_KINDS

from .. import clock
from ..extensions import db
from ..models import CatalogueEntry, CatalogueVersion, Unit
from ..models.catalogue import split_keywords
from ..permissions import can_administer
from ..queries import catalogue as read
from . import lookup
from .tx import transaction

FIELDS = (
    Field("name", "事项名称", max_length=100),
    Field("category", "事项类别", required=False, max_length=50),
    Field("keywords", "关键词", "textarea", max_length=500),
    Field("area", "县区/街道", required=False, max_length=50),
    Field("unit_code", "责任单位", "unit"),
    Field("basis_kind", "依据类型", "choice", choices=tuple(BASIS_KINDS.items())),
    Field("basis", "依据", max_length=300),
    Field("city_level", "市级部门事项（不得下派基层）", "bool", required=False),
)


def require_admin(actor) -> None:
    if not can_administer(actor):
        raise Forbidden("只有电子政务办公室管理员可以维护派单目录。")


def clean(raw: Mapping[str, Any]) -> tuple[dict[str, Any], Unit]:
    values = clean_fields(FIELDS, raw)
    unit = lookup.active_unit(values["unit_code"])
    values["city_level"] = bool(values["city_level"])
    if values["city_level"] and unit.kind in GRASSROOTS_KINDS:
        raise Invalid({"unit_code": "市级部门事项的责任单位不能是县区或乡镇（街道）。"})
    if not split_keywords(values["keywords"]):
        raise Invalid({"keywords": "请至少填写一个关键词（用顿号分隔）。"})
    return values, unit


def _new_version(actor, summary: str) -> int:
    # Read here, not from the per-process copy: a concurrent change fails on the primary key.
    number = (db.session.scalar(sa.select(sa.func.max(CatalogueVersion.number))) or 0) + 1
    db.session.add(CatalogueVersion(number=number, at=clock.now(), by_id=getattr(actor, "id", None),
                                    summary=summary[:300]))
    db.session.flush()
    return number


def _current(matter_id: int) -> CatalogueEntry:
    row = db.session.scalar(sa.select(CatalogueEntry).where(CatalogueEntry.matter_id == matter_id,
                                                            CatalogueEntry.superseded_in.is_(None)))
    if row is None:
        raise NotFound("该目录事项不存在或已停用。")
    return row


def _write(version: int, values: dict[str, Any], unit: Unit, matter_id: int | None) -> CatalogueEntry:
    row = CatalogueEntry(matter_id=matter_id, version=version, name=values["name"],
                         category=values.get("category"), keywords="、".join(split_keywords(values["keywords"])),
                         area=values.get("area"), unit_id=unit.id, basis_kind=values["basis_kind"],
                         basis=values["basis"], city_level=values["city_level"])
    db.session.add(row)
    db.session.flush()
    if matter_id is None:
        row.matter_id = row.id
    return row


def _same(row: CatalogueEntry, values: dict[str, Any], unit: Unit) -> bool:
    return (row.name, row.category, row.keyword_list, row.area, row.unit_id, row.basis_kind, row.basis,
            row.city_level) == (values["name"], values.get("category"), split_keywords(values["keywords"]),
                                values.get("area"), unit.id, values["basis_kind"], values["basis"],
                                values["city_level"])


def save(actor, raw: Mapping[str, Any], matter_id: int | None = None) -> CatalogueEntry:
    """Add a matter, or change one (its old row stays, closed by the new version)."""
    require_admin(actor)
    values, unit = clean(raw)
    with transaction():
        old = _current(matter_id) if matter_id is not None else None
        if old is not None and _same(old, values, unit):
            return old
        verb = "修改" if old else "新增"
        version = _new_version(actor, f"{verb}事项「{values['name']}」")
        if old is not None:
            old.superseded_in = version
        row = _write(version, values, unit, matter_id)
    read.forget()
    return row


def retire(actor, matter_id: int) -> None:
    require_admin(actor)
    with transaction():
        old = _current(matter_id)
        old.superseded_in = _new_version(actor, f"停用事项「{old.name}」")
    read.forget()


def import_rows(actor, rows: list[tuple[dict[str, Any], Unit]], filename: str) -> tuple[int, int]:
    """Checked rows of an import as one version: a row whose 事项名称 and 县区/街道 match a
    current matter changes it, any other adds one. Returns (added, changed)."""
    require_admin(actor)
    added = changed = 0
    read.forget()
    with transaction():
        current = {(e.name, e.area or ""): e for e in read.current_entries()}
        version = None
        for values, unit in rows:
            old = current.get((values["name"], values.get("area") or ""))
            if old is not None and _same(old, values, unit):
                continue
            if version is None:
                version = _new_version(actor, f"导入 {filename}")
            if old is not None:
                old.superseded_in = version
                changed += 1
            else:
                added += 1
            current[(values["name"], values.get("area") or "")] = _write(
                version, values, unit, old.matter_id if old else None)
        if version is not None:
            db.session.get(CatalogueVersion, version).summary = \
                f"导入 {filename}：新增 {added} 项，修改 {changed} 项"[:300]
    read.forget()
    return added, changed


def check_dispatch(actor, case, unit: Unit, fields: Mapping[str, Any]) -> dict[str, Any]:
    """Inside an assignment: the matter it follows (the entry the dispatcher chose, else
    the catalogue's best match) and the 不得随意派给基层 rule. Returns what the audit
    entry records. The catalogue is for letters: findings and policy tasks skip it."""
    if case.type != "letter":
        return {}
    chosen = fields.get("catalogue_entry")
    if chosen is not None:
        matter = read.entry(chosen)
        if matter is None or matter.superseded_in is not None:
            raise Invalid({"catalogue_entry": "该目录事项已更新或停用，请刷新页面后重新选择。"})
    else:
        found = read.matches(case, limit=1)
        matter = found[0].entry if found else None
    if matter is None:
        return {}
    data = {"catalogue_version": read.current_version(), "catalogue_entry": matter.id,
            "matter": matter.name, "followed": chosen is not None and matter.unit_id == unit.id}
    if matter.city_level and unit.kind in GRASSROOTS_KINDS and unit.id != matter.unit_id:
        basis = f"{'三定规定' if matter.basis_kind == 'sanding' else '文件'}：{matter.basis}"
        refused = (f"“{matter.name}”属市级部门（{matter.unit.name}）职责（{basis}），不得随意派给"
                   f"{unit.name}等基层单位")
        if actor.role != ADMIN:
            raise NotAllowed(refused + "；确需下派的，须由电子政务办公室填写理由后派单。")
        if not fields.get("override_reason"):
            raise NotAllowed(refused + "；确需下派的，请填写下派基层的理由。")
        data["override_reason"] = fields["override_reason"]
    return data
