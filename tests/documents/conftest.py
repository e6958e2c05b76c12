"""Both 通报 rendered once per session from realistic data: a month of 41 units (the long
names of the demo registry, a unit named with markup characters, letters awaiting
dispatch) and the 2020 Q1 round imported from the real tables."""

from __future__ import annotations

from datetime import UTC, date, datetime
from types import SimpleNamespace

import pytest

from casework import stats
from casework.demo import _Seeder
from casework.demo.content import EXTRA_UNITS, packaged, site_rows
from casework.documents import monthly, quarterly
from casework.extensions import db
from casework.permissions import SYSTEM_ACTOR
from casework.queries import rounds
from casework.services import inspections, round_members
from tests.conftest import make_app

CONFIG = {"NOTICE_ISSUER": "安康市人民政府办公室", "NOTICE_MASTHEAD": None, "NOTICE_CODE": "安政办函",
          "NOTICE_RECIPIENTS": "各县区人民政府，市政府各工作部门、直属机构", "NOTICE_OFFICE": "市电子政务办公室"}
MARKUP_UNIT = "测试<单位>&合作社"


def month_snapshot():
    names = [r.name for r in site_rows()] + [name for _, name, _ in EXTRA_UNITS] + [MARKUP_UNIT]
    units = []
    for i, name in enumerate(names):
        received = 25 - i % 23
        closed = received - i % 4
        units.append(stats.with_rates({"code": f"u{i}", "name": name, "received": received, "closed": closed,
                                       "on_time": closed - i % 3, "overdue": i % 3, "returned": i % 2,
                                       "rated": 0, "satisfied": 0, "avg_days": 3.5, "median_days": 3.0,
                                       "response_due": received, "responded": received - i % 5,
                                       "resolution_rated": closed, "resolved": closed - i % 2,
                                       "excluded": 0}, 0))
    units.append(stats.with_rates({"code": None, "name": "未派单", "received": 3, "closed": 0, "on_time": 0,
                                   "overdue": 0, "returned": 0, "rated": 0, "satisfied": 0, "avg_days": None,
                                   "median_days": None, "response_due": 0, "responded": 0,
                                   "resolution_rated": 0, "resolved": 0, "excluded": 0}, 0))
    overall = {c: sum(u[c] for u in units) for c in stats.COUNTS} | {"avg_days": 3.5, "median_days": 3.0}
    league = [u["code"] for u in sorted((u for u in units if u["code"] and u["received"] >= 10),
                                        key=lambda u: -u["closed"] / u["received"])]
    data = {"period": "2026-11", "start": "2026-10-31T16:00:00+00:00", "end": "2026-11-30T16:00:00+00:00",
            "cutoff": "2026-12-01T00:35:00+00:00", "decimals": 0, "min_cases": 10,
            "overall": stats.with_rates(overall, 0), "units": units, "channels": [], "league": league}
    data["paragraph"] = monthly.paragraph(data)
    snap = SimpleNamespace(data=data, version=1, note=None, published_at=datetime(2026, 12, 1, 0, 35, tzinfo=UTC))
    return snap, SimpleNamespace(number="安政办函〔2026〕12号", issued_on=date(2026, 12, 1))


@pytest.fixture(scope="session")
def round_data(tmp_path_factory, request):
    app = make_app("sqlite", tmp_path_factory.mktemp("round"), request)
    with app.app_context():
        _Seeder().units_and_sites()
        for table in ("ankang_2020q1_websites.csv", "ankang_2020q1_new_media.csv"):
            rnd, _ = inspections.commit(SYSTEM_ACTOR, packaged(table), table, "2020年一季度", date(2020, 3, 9),
                                        date(2020, 3, 3))
        round_members.add_all_registered(SYSTEM_ACTOR, rnd.id)
        data = rounds.snapshot(rnd)
        db.session.remove()
        db.engine.dispose()
    return data


QUARTERLY_FIELDS = {"number": "安政办函〔2020〕21号", "issued_on": date(2020, 3, 4),
                    "intro": "2月10日至3月3日，市电子政务办公室组织开展了2020年第一季度全市政府网站和政务新媒体检查、复查工作。现将有关情况通报如下：",
                    "requirements": "一是加强监管力度。各县区、各部门要于3月9日前完成整改。\n二是提升服务。按要求公开留言受理情况统计数据。"}


@pytest.fixture(scope="session")
def monthly_docx() -> bytes:
    snap, notice = month_snapshot()
    return monthly.docx_bytes(snap, notice, CONFIG)


@pytest.fixture(scope="session")
def quarterly_docx(round_data) -> bytes:
    return quarterly.docx_bytes(round_data, QUARTERLY_FIELDS, CONFIG)
