"""The flask commands, run as an operator would."""

from datetime import date

import pytest
import sqlalchemy as sa

from casework import clock
from casework.extensions import db
from casework.models import Case, Unit, User, Website
from tests.factories import act, build_world, letter, local, reload


@pytest.fixture
def runner(app):
    return app.test_cli_runner()


def test_users_create(app, runner):
    with app.app_context():
        build_world()
    result = runner.invoke(args=["users", "create", "li", "--role", "unit_handler", "--unit", "gaj",
                                 "--password", "long-enough-1", "--name", "李承办"])
    assert result.exit_code == 0, result.output
    with app.app_context():
        user = db.session.scalar(sa.select(User).where(User.username == "li"))
        assert (user.role, user.unit.code, user.display_name) == ("unit_handler", "gaj", "李承办")
        assert user.check_password("long-enough-1") and "long-enough-1" not in user.password_hash
    bad = runner.invoke(args=["users", "create", "wang", "--role", "unit_handler", "--password", "short"])
    assert bad.exit_code == 1
    assert "密码至少" in bad.output and "单位角色" in bad.output


def test_calendar_import_show_and_recompute(app, runner, tmp_path):
    with app.app_context():
        w = build_world()
        with clock.travel(local(2026, 12, 28, 10)):
            c = letter(w.dispatcher)
            act(w.dispatcher, c, "assign", unit_code="zyx")
        number = c.number
    shown = runner.invoke(args=["calendar", "show", "2027"])
    assert "provisional" in shown.output and "2027-01-01" in shown.output

    csv = tmp_path / "2027.csv"
    csv.write_text("date,status,note\n2027-01-01,off,元旦\n2027-01-04,off,调休\n", encoding="utf-8")
    result = runner.invoke(args=["calendar", "import", str(csv), "--source", "国办发明电"])
    assert result.exit_code == 0, result.output
    assert "imported 2 days for 2027" in result.output
    result = runner.invoke(args=["deadlines", "recompute"])
    assert f"{number}: 2027-01-05 -> 2027-01-06" in result.output
    assert "1 case(s) changed" in result.output
    with app.app_context():
        assert reload(db.session.scalar(sa.select(Case).where(Case.number == number))).due_date == date(2027, 1, 6)

    broken = tmp_path / "broken.csv"
    broken.write_text("date,status\nnot-a-date,off\n", encoding="utf-8")
    result = runner.invoke(args=["calendar", "import", str(broken)])
    assert result.exit_code == 1 and "第 2 行" in result.output


def test_deadline_rules_listed_and_changed(app, runner):
    listed = runner.invoke(args=["deadlines", "rules"])
    assert "5 working days" in listed.output and "fixed date" in listed.output
    with app.app_context():
        from casework.models import DeadlineRule
        rule_id = db.session.scalar(sa.select(DeadlineRule.id).where(
            DeadlineRule.case_type == "letter", DeadlineRule.stage == "first",
            DeadlineRule.category.is_(None), DeadlineRule.channel.is_(None)))
    result = runner.invoke(args=["deadlines", "set-rule", str(rule_id), "7"])
    assert result.exit_code == 0, result.output
    assert "7 working days" in runner.invoke(args=["deadlines", "rules"]).output
    again = runner.invoke(args=["deadlines", "set-rule", str(rule_id), "6"])
    assert again.exit_code == 1  # superseded rules stay history


def test_seed_demo(app, runner):
    result = runner.invoke(args=["seed-demo"])
    assert result.exit_code == 0, result.output
    assert "paidan" in result.output and "demo1234" in result.output
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count(Website.id))) == 31
        # Row 24's 11-digit 标识码 is not stored as if it were valid.
        row24 = db.session.scalar(sa.select(Website).where(Website.address == "gsj.ankang.gov.cn"))
        assert row24.site_code is None
        hjj = db.session.scalar(sa.select(Unit).where(Unit.code == "hjj"))
        assert hjj.parent.code == "gaj"
        states = dict(db.session.execute(sa.select(Case.state, sa.func.count()).group_by(Case.state)).all())
        assert set(states) >= {"opened", "assigned", "approving", "replied", "returned", "reviewed",
                               "closed", "suspended"} - {"approving"}
        types = dict(db.session.execute(sa.select(Case.type, sa.func.count()).group_by(Case.type)).all())
        # 附件 1 and 2 of 2020 Q1 this quarter, and 附件 1 again as last quarter's finished round.
        assert types["finding"] == 31 + 14 + 31 and types["letter"] >= 30
        from casework.models import CasePublication, Finding, InspectionRound, RoundPublication
        past = db.session.scalar(sa.select(InspectionRound).order_by(InspectionRound.id))
        findings = db.session.scalars(sa.select(Finding).where(Finding.round_id == past.id)).all()
        # Every site's rectification was re-inspected: the recorded 不合格 failed (sent back), the rest passed.
        assert {(f.source_verdict == "fail", f.case.state) for f in findings} == {(True, "returned"), (False, "closed")}
        assert db.session.scalar(sa.select(sa.func.count()).where(RoundPublication.round_id == past.id)) == 1
        # /letters starts with answers the writers agreed to publish.
        published = db.session.scalars(sa.select(Case).join(CasePublication)
                                       .where(CasePublication.published_at.is_not(None))).all()
        assert len(published) >= 5 and all(c.consent_publish for c in published)
        from casework.queries import public_stats
        line = public_stats.latest_round().data["summary"]["line"]
        assert line.startswith("对全市31家政府网站和") and "检查率100%，政府网站合格率87%" in line
        assert db.session.scalar(sa.select(sa.func.count()).where(Case.close_reason == "merged")) >= 1
        # A co-handled letter with its 协办意见, and 回访 calls: one satisfied, one back to the office.
        from casework.models import Callback, CoUnit
        assert db.session.scalar(sa.select(sa.func.count()).where(CoUnit.opinion.is_not(None))) >= 1
        calls = db.session.scalars(sa.select(Callback).where(Callback.status == "done")).all()
        assert {c.satisfaction for c in calls} >= {"satisfied", "unsatisfied"}
    assert runner.invoke(args=["seed-demo"]).exit_code == 1  # never twice


def test_demo_migrates_seeds_and_serves_the_real_app(tmp_path, monkeypatch):
    from flask import Flask

    import casework.cli.demo as demo_cli
    from casework import create_app
    from tests.conftest import BASE_CONFIG

    served = {}
    monkeypatch.setattr(demo_cli, "run_simple",
                        lambda host, port, app, **kw: served.update(host=host, port=port, app=app))
    app = create_app({**BASE_CONFIG, "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'demo.sqlite3'}"})
    result = app.test_cli_runner().invoke(args=["demo", "--port", "5099"])
    assert result.exit_code == 0, result.output
    assert "demo data created" in result.output and "zyx_cbr" in result.output
    assert served["host"] == "127.0.0.1" and served["port"] == 5099
    assert isinstance(served["app"], Flask) and served["app"] is app
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count(Case.id))) > 50
    again = app.test_cli_runner().invoke(args=["demo", "--port", "5099"])
    assert again.exit_code == 0 and "demo data created" not in again.output  # seeds once
