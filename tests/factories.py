"""Building blocks for tests: a small world of units and users, and letters in it.
Everything goes through the services, as in production."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from casework.extensions import db
from casework.models import Case, Unit, User
from casework.permissions import SYSTEM_ACTOR
from casework.services import accounts, case_actions, intake
from workflows.clock import TZ

PASSWORD = "secret-pass-1"


@dataclass
class World:
    zyx: Unit
    gaj: Unit
    admin: User
    reviewer: User
    dispatcher: User
    zyx_handler: User
    zyx_leader: User
    gaj_handler: User
    gaj_leader: User


def build_world() -> World:
    zyx = accounts.create_unit(SYSTEM_ACTOR, "zyx", "紫阳县人民政府", "county", "紫阳县")
    gaj = accounts.create_unit(SYSTEM_ACTOR, "gaj", "安康市公安局", "department", "公安局")
    users = {}
    for username, role, unit in [
        ("admin", "admin", None), ("reviewer", "reviewer", None), ("dispatcher", "dispatcher", None),
        ("zyx_handler", "unit_handler", "zyx"), ("zyx_leader", "unit_leader", "zyx"),
        ("gaj_handler", "unit_handler", "gaj"), ("gaj_leader", "unit_leader", "gaj"),
    ]:
        users[username] = accounts.create_user(SYSTEM_ACTOR, username, role, PASSWORD,
                                               unit_code=unit)
    return World(zyx=zyx, gaj=gaj, **users)


def with_third_unit(world: World) -> World:
    """The world and a third department with its handler (world.hbj, world.hbj_handler):
    for a co-unit beside the lead, or a unit to reassign to."""
    world.hbj = accounts.create_unit(SYSTEM_ACTOR, "hbj", "安康市生态环境局", "department", "环境局")
    world.hbj_handler = accounts.create_user(SYSTEM_ACTOR, "hbj_handler", "unit_handler", PASSWORD,
                                             unit_code="hbj")
    return world


def local(*args) -> datetime:
    """An aware Beijing-time datetime: local(2025, 9, 26, 10) is 10:00 on 26 Sep 2025."""
    return datetime(*args, tzinfo=TZ)


def letter(actor: User, **fields: Any) -> Case:
    data = {"subject": "城关镇自来水频繁停水", "body": "近一个月停水四次，没有提前通知。",
            "channel": "web", "category": "consultation", "citizen_name": "王先生",
            "citizen_phone": "13909150001"}
    data.update(fields)
    return intake.register_letter(actor, data)


def act(actor: User, case: Case, event: str, **fields: Any) -> Case:
    return case_actions.perform(actor, case.number, event, fields)


def reload(case: Case) -> Case:
    db.session.expire_all()
    return db.session.get(Case, case.id)
