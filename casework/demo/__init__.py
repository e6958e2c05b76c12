"""Demo data, created through the same services the users call, with history replayed
at past timestamps so that every state, timeline and deadline is real."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from workflows.case_flow import answered
from workflows.clock import local_date
from workflows.vocabulary import ADMIN, DISPATCHER, REVIEWER, UNIT_HANDLER, UNIT_LEADER

from .. import calendar, clock
from ..extensions import db
from ..models import Finding, Unit, User, Website
from ..permissions import SYSTEM_ACTOR
from ..services import (
    accounts,
    case_actions,
    inspections,
    intake,
    policy,
    publication,
    registry,
    round_members,
)
from ..services.tx import transaction
from .content import (
    EXTRA_UNITS,
    LETTERS,
    MEDIA_UNITS,
    PARENTS,
    packaged,
    short_name,
    site_rows,
    unit_kind,
)

DEMO_PASSWORD = "demo1234"
# The public site's footer in the demo (production sets PORTAL_* in its environment).
DEMO_PORTAL = {"PORTAL_CITY": "安康市", "PORTAL_SPONSOR": "安康市人民政府办公室（演示）",
               "PORTAL_SITE_CODE": "6109000000", "PORTAL_ICP": "陕ICP备00000000号（演示）",
               "PORTAL_CONTACT": "12345 政务服务便民热线"}
OFFICE = (("admin", "系统管理员", ADMIN), ("shenhe", "审核员 李敏", REVIEWER),
          ("paidan", "派单员 王芳", DISPATCHER))
LEADERS = ("zyx", "gaj", "hanbin")
APPROVAL_UNITS = ("gaj",)  # 三审三校 switched on, to show leader approval


@dataclass
class Step:
    hours: float
    who: str  # dispatcher | reviewer | handler | leader
    event: str
    fields: dict[str, Any] = field(default_factory=dict)


def _good_reply(subject: str) -> str:
    return (f"您好！您反映的“{subject}”问题已收悉。经我单位核实，已安排专人现场处理，"
            "相关情况已于近日整改到位。如仍有问题，请拨打 12345 便民热线反映。感谢您对我们工作的监督！")


BUCK_PASSING = "您反映的问题已转交相关部门，请耐心等待。"


def _letter_script(fate: str, subject: str, unit: str) -> list[Step]:
    co = "jyj" if unit != "jyj" else "zyx"  # a co-unit other than the lead
    assign = Step(2, "dispatcher", "assign", {"unit_code": unit})
    ack = Step(20, "handler", "acknowledge")
    reply = Step(50, "handler", "reply", {"body": _good_reply(subject)})
    accept = Step(75, "reviewer", "accept")
    close = Step(76, "reviewer", "close")
    scripts = {
        "new": [],
        "dismissed": [Step(3, "dispatcher", "dismiss",
                           {"reason": "out_of_scope", "comment": "属于法院诉讼程序，已告知来信人依法起诉。"})],
        "rejected": [assign, Step(30, "handler", "reject_assignment",
                                  {"reason": "该事项不属于本单位职责范围，建议改派属地政府。"})],
        "assigned": [assign],
        "acknowledged": [assign, ack],
        "replied": [assign, ack, reply],
        "returned": [assign, ack, Step(50, "handler", "reply", {"body": BUCK_PASSING}),
                     Step(74, "reviewer", "return_reply",
                          {"reason": "buck_passing", "comment": "未说明转交何部门、何时办结，请核实后具体答复。"})],
        "reviewed": [assign, ack, reply, accept],
        "closed": [assign, ack, reply, accept, close],
        "closed_after_return": [assign, ack, Step(50, "handler", "reply", {"body": BUCK_PASSING}),
                                Step(74, "reviewer", "return_reply", {"reason": "buck_passing"}),
                                Step(120, "handler", "reply", {"body": _good_reply(subject)}),
                                Step(140, "reviewer", "accept"), Step(141, "reviewer", "close")],
        "late_closed": [assign, Step(220, "handler", "reply", {"body": _good_reply(subject)}),
                        Step(230, "reviewer", "accept"), Step(231, "reviewer", "close")],
        "suspended": [assign, ack, Step(30, "handler", "suspend",
                                        {"reason": "已电话联系来信人补充具体地址和照片，待补充材料。"})],
        "extension": [assign, ack, Step(40, "handler", "request_extension",
                                        {"days": 5, "reason": "需协调住建、城管等部门现场勘查，5 个工作日内难以办结。"})],
        # 主办/协办: a co-unit gives its input, the lead replies for both.
        "co_handled": [Step(2, "dispatcher", "assign", {"unit_code": unit, "co_unit_codes": [co]}), ack,
                       Step(26, f"handler@{co}", "co_opinion",
                            {"opinion": "经核查，我单位职责范围内的部分已安排专人配合处理，请主办单位一并答复。"}),
                       reply],
        # 回访 by the 12345 centre after closure: one satisfied, one that comes back to the office.
        "called_back": [assign, ack, reply, accept, close,
                        Step(96, "dispatcher", "call_back",
                             {"reached": "reached", "resolved": "resolved", "satisfaction": "satisfied"})],
        "called_back_poor": [assign, ack, reply, accept, close,
                             Step(96, "dispatcher", "call_back",
                                  {"reached": "reached", "resolved": "unresolved", "satisfaction": "unsatisfied",
                                   "comment": "来信人表示问题仍未解决，希望再次核查。"})],
    }
    return scripts[fate]


# (fate, age in days) for each demo letter, in order; templates are cycled.
LETTER_FATES = (
    ("new", 0.2), ("new", 0.5), ("assigned", 1), ("acknowledged", 2), ("replied", 4),
    ("returned", 5), ("reviewed", 6), ("closed", 20), ("closed_after_return", 25),
    ("late_closed", 30), ("suspended", 3), ("extension", 3), ("co_handled", 12),
    ("closed", 40), ("rejected", 2), ("dismissed", 4),
    ("new", 0.5), ("replied", 3), ("called_back", 15), ("called_back_poor", 33), ("returned", 6),
    ("acknowledged", 9), ("closed_after_return", 18), ("new", 1), ("closed", 10),
    ("reviewed", 5), ("acknowledged", 1), ("late_closed", 45), ("replied", 5), ("closed", 8),
    ("assigned", 7), ("new", 0.3),
)


class _Seeder:
    def __init__(self) -> None:
        self.users: dict[str, User] = {}
        self.now = clock.now()

    def actor(self, who: str, unit: str) -> User:
        if "@" in who:  # another unit's member: "handler@jyj"
            who, unit = who.split("@")
        key = {"dispatcher": "paidan", "reviewer": "shenhe", "handler": f"{unit}_cbr",
               "leader": f"{unit}_ld"}[who]
        return self.users[key]

    def units_and_sites(self) -> list[tuple[Any, Unit]]:
        rows = site_rows()
        with transaction():
            units = {}
            for row in rows:
                units[row.unit_code] = Unit(code=row.unit_code, name=row.name, kind=unit_kind(row.name),
                                            short_name=short_name(row.name),
                                            requires_leader_approval=row.unit_code in APPROVAL_UNITS)
            for code, name, kind in EXTRA_UNITS:
                units[code] = Unit(code=code, name=name, kind=kind, short_name=short_name(name))
            for code, name, short, parent in MEDIA_UNITS:
                units[code] = Unit(code=code, name=name, kind="department", short_name=short or name,
                                   parent=units[parent] if parent else None)
            for child, parent in PARENTS.items():
                units[child].parent = units[parent]
            db.session.add_all(units.values())
            for row in rows:
                # Row 24's 标识码 has 11 digits: the registry keeps no malformed code.
                code = row.site_code if re.fullmatch(r"\d{10}", row.site_code) else None
                db.session.add(Website(name=row.name, address=row.address, site_code=code,
                                       unit=units[row.unit_code]))
        return [(row, units[row.unit_code]) for row in rows]

    def accounts(self) -> None:
        for username, name, role in OFFICE:
            self.users[username] = accounts.create_user(SYSTEM_ACTOR, username, role, DEMO_PASSWORD, name)
        for unit in db.session.scalars(db.select(Unit).order_by(Unit.id)):
            label = unit.short_name or unit.name
            self.users[f"{unit.code}_cbr"] = accounts.create_user(
                SYSTEM_ACTOR, f"{unit.code}_cbr", UNIT_HANDLER, DEMO_PASSWORD, f"{label}承办人",
                unit.code)
            if unit.code in LEADERS:
                self.users[f"{unit.code}_ld"] = accounts.create_user(
                    SYSTEM_ACTOR, f"{unit.code}_ld", UNIT_LEADER, DEMO_PASSWORD, f"{label}分管领导",
                    unit.code)

    def run(self, number: str, start: datetime, unit: str, steps: list[Step]) -> None:
        for step in steps:
            event, fields = step.event, dict(step.fields)
            if event == "reply" and unit in APPROVAL_UNITS:
                # The handler's draft goes to the leader first (三审三校).
                with clock.travel(start + timedelta(hours=step.hours)):
                    case_actions.perform(self.actor("handler", unit), number, "submit_reply", fields)
                event, fields, step = "approve_reply", {}, Step(step.hours + 2, "leader", "")
            with clock.travel(start + timedelta(hours=step.hours)):
                case_actions.perform(self.actor(step.who, unit), number, event, fields)

    def letters(self) -> None:
        open_by_subject: dict[str, str] = {}
        for i, (fate, age) in enumerate(LETTER_FATES):
            t = LETTERS[i % len(LETTERS)]
            received = self.now - timedelta(days=age)
            with clock.travel(received + timedelta(minutes=10)):
                case = intake.register_letter(self.users["paidan"], {
                    "subject": t.subject, "body": t.body, "category": t.category,
                    "channel": t.channel, "citizen_name": t.citizen,
                    "citizen_phone": f"1390915{i:04d}", "received_at": received})
            if fate == "new" and t.subject in open_by_subject:
                # The same citizen wrote twice: the second letter is merged into the first.
                steps = [Step(3, "dispatcher", "merge",
                              {"primary_number": open_by_subject[t.subject]})]
            else:
                steps = _letter_script(fate, t.subject, t.unit)
            self.run(case.number, received, t.unit, steps)
            if fate not in ("closed", "closed_after_return", "late_closed", "dismissed", "called_back",
                            "called_back_poor"):
                open_by_subject.setdefault(t.subject, case.number)

    def _import_round(self, found: datetime, tables: tuple[str, ...]):
        day = local_date(found)
        rectify_by = calendar.add_working_days(day, 5)
        name = f"{day.year}年{'一二三四'[(day.month - 1) // 3]}季度"
        office = self.users["shenhe"]
        with clock.travel(found):
            for table in tables:
                rnd, _ = inspections.commit(office, packaged(table), table, name, rectify_by, day)
            round_members.add_all_registered(office, rnd.id)
        return rnd, db.session.scalars(db.select(Finding).where(Finding.round_id == rnd.id)
                                       .order_by(Finding.id)).all()

    def past_round(self) -> None:
        """Last quarter's round, finished: the same real table (附件 1), every site's
        rectification reported and re-inspected (复查). The sites the table records as
        不合格 fail their 复查 and are sent back; the others pass and are closed. Its notice
        is published, so a newcomer sees a whole round from import to 通报."""
        found = self.now - timedelta(days=95)
        rnd, findings = self._import_round(found, ("ankang_2020q1_websites.csv",))
        report = {"body": "已完成整改：更新栏目内容，修复错误链接，补充领导信息，完善政府信息公开指南。"}
        for finding in findings:
            unit = finding.case.unit.code
            steps = [Step(4, "handler", "acknowledge"), Step(30, "handler", "reply", report)]
            if finding.source_verdict == "fail":
                steps.append(Step(60, "reviewer", "fail_reinspection",
                                  {"open_items": ["仍有栏目长期未更新", "空栏目未清理"]}))
            else:
                steps.append(Step(60, "reviewer", "pass_reinspection", {"comment": "复查合格。"}))
            self.run(finding.case.number, found, unit, steps)
        with clock.travel(found + timedelta(days=10)):
            from ..services import round_publication

            round_publication.publish(self.users["shenhe"], rnd.id)

    def findings(self) -> None:
        """This quarter's round from the real 2020 Q1 tables (附件 1 and 2), imported as an
        office does, with every registered site and account checked: 31 sites, 4 不合格 as
        recorded → 87%. Rectification is under way; only the recorded 不合格 sites fail their
        re-inspection in the app, so the figures stay those of the notice."""
        found = self.now - timedelta(days=6)
        with clock.travel(found):
            # Accounts kept up to date: one 政务微信 for each county and city department.
            media_units = {code for code, *_ in MEDIA_UNITS}
            for unit in db.session.scalars(db.select(Unit).where(Unit.kind.in_(("county", "department")))
                                           .order_by(Unit.id)):
                if unit.code not in media_units:
                    registry.add_account(SYSTEM_ACTOR, "wechat", f"{unit.short_name}发布", unit.code, local_date(found))
        rnd, findings = self._import_round(found, ("ankang_2020q1_websites.csv", "ankang_2020q1_new_media.csv"))
        report = {"body": "已逐项完成整改：更新相关栏目内容，修复错误链接，补充领导信息和政府信息公开指南。"}
        for i, finding in enumerate(findings):
            unit, fate = finding.case.unit.code, i % 5
            steps = [Step(4, "handler", "acknowledge")] if fate else []
            if finding.source_verdict == "fail" and finding.website_id:
                steps += [Step(48, "handler", "reply", report),
                          Step(72, "reviewer", "fail_reinspection", {"open_items": ["仍有栏目长期未更新"]})]
            elif fate >= 2 and finding.website_id:
                steps.append(Step(48, "handler", "reply", report))
                if fate == 4:
                    steps.append(Step(72, "reviewer", "pass_reinspection"))
            self.run(finding.case.number, found, unit, steps)
        self.round_id = rnd.id


def seed_demo() -> bool:
    """Create the demo data in an empty database; False if there are users already."""
    if db.session.scalar(db.select(db.func.count()).select_from(User)):
        return False
    policy.ensure_defaults()
    seeder = _Seeder()
    seeder.units_and_sites()
    seeder.accounts()
    _catalogue(seeder.users["admin"])
    seeder.letters()
    seeder.past_round()
    seeder.findings()
    _publish_answers(seeder.users["shenhe"])
    _publish_last_month(seeder.now)
    from ..services import round_publication

    round_publication.publish(seeder.users["shenhe"], seeder.round_id)
    return True


DEMO_MATTERS = (
    {"name": "居民身份证补办", "category": "公安户政", "keywords": "身份证、户籍、补办", "unit_code": "gaj",
     "basis_kind": "sanding", "basis": "《安康市公安局职能配置、内设机构和人员编制规定》", "city_level": "1"},
    {"name": "城区供水停水", "category": "城乡建设", "keywords": "停水、供水、自来水", "area": "紫阳县",
     "unit_code": "zyx", "basis_kind": "document", "basis": "县域供水由县政府负责（市政府办公室文件）"},
)


def _catalogue(admin: User) -> None:
    from ..services import catalogue

    for matter in DEMO_MATTERS:
        catalogue.save(admin, matter)


def _publish_answers(reviewer: User) -> None:
    """Two of three answered letters had the writer's consent: publish them, as the
    reviewer would from the case page, and let some writers rate theirs."""
    from ..models import Case
    from ..permissions import Citizen
    from ..queries.publication_preview import preview
    from ..services import case_actions

    letters = db.session.scalars(db.select(Case).where(answered(Case), Case.type == "letter")
                                 .order_by(Case.id)).all()
    for i, case in enumerate(letters):
        if i % 3 == 2:
            continue
        with transaction():
            case.consent_publish = True
        texts = preview(case)
        with clock.travel(case.closed_at + timedelta(hours=2)):
            case_actions.perform(reviewer, case.number, "publish_answer",
                                 {k: texts[k] for k in ("subject", "body", "reply")})
            if i % 2 == 0:
                case_actions.perform(Citizen(frozenset({case.number})), case.number, "rate",
                                     {"rating": "satisfied" if i % 4 == 0 else "basically_satisfied"})


def _publish_last_month(now: datetime) -> None:
    publication.publish(SYSTEM_ACTOR, publication.previous_month(local_date(now)))


def demo_accounts() -> list[tuple[str, str, str]]:
    """(username, role, unit) of the accounts worth trying, for printing."""
    wanted = ["admin", "shenhe", "paidan", "zyx_cbr", "zyx_ld", "gaj_cbr", "gaj_ld", "rsj_cbr"]
    users = {u.username: u for u in db.session.scalars(db.select(User).where(User.username.in_(wanted)))}
    return [(u.username, u.role_label, u.unit.name if u.unit else "电子政务办公室")
            for name in wanted if (u := users.get(name))]
