"""Every public and staff page in chromium on the demo data: no critical or serious
axe-core violation, public pages no wider than a 320 px or 390 px phone with tap targets of
44 × 44 px, and a screenshot of each public page at 390 px (standard and 长辈版) in
tests/e2e/screenshots/."""

from __future__ import annotations

import threading
from datetime import date
from pathlib import Path

import pytest
from werkzeug.serving import make_server

from casework.extensions import db
from tests.conftest import make_app
from tests.e2e.accessibility import axe_violations, overflow, small_targets
from tests.e2e.conftest import shoot

pytestmark = pytest.mark.e2e
TABLE = Path(__file__).parents[2] / "casework" / "data" / "ankang_2020q1_websites.csv"


@pytest.fixture(scope="module")
def demo(tmp_path_factory, request):
    """The demo data behind a live server: every kind of page has something to show."""
    from casework.demo import DEMO_PASSWORD, DEMO_PORTAL, seed_demo
    from casework.models import Case, CasePublication
    from casework.permissions import SYSTEM_ACTOR
    from casework.services import inspections

    app = make_app("sqlite", tmp_path_factory.mktemp("demo"), request, RATELIMIT_ENABLED=False, **DEMO_PORTAL)
    with app.app_context():
        seed_demo()
        rnd, _ = inspections.commit(SYSTEM_ACTOR, TABLE.read_bytes(), TABLE.name, "2020 年一季度检查", date(2020, 3, 9))
        published = db.session.scalar(db.select(Case.number).join(CasePublication).where(CasePublication.published_at.is_not(None)).limit(1))
        case = db.session.scalar(db.select(Case).where(Case.type == "letter", Case.state == "replied").limit(1))
        facts = {"published": published, "replied": case.number, "replied_unit": case.unit.code,
                 "round": rnd.id, "password": DEMO_PASSWORD}
    server = make_server("127.0.0.1", 0, app, threaded=True)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    facts["base"] = f"http://127.0.0.1:{server.server_port}"
    yield facts
    server.shutdown()
    with app.app_context():
        db.engine.dispose()


def new_page(chromium, width):
    context = chromium.new_context(viewport={"width": width, "height": 800}, locale="zh-CN")
    page = context.new_page()
    page.set_default_timeout(15_000)
    return page


def public_pages(page, base, number) -> list[tuple[str, str]]:
    """(name, url) of every public page, writing a letter on the way so the browser holds
    a confirmation and a progress page of its own."""
    page.goto(base + "/letters/new")
    page.get_by_label("咨询").check()
    page.get_by_label("标题").fill("老年人办理社保卡需要带什么材料")
    page.get_by_label("内容").fill("请问七十岁以上老人补办社保卡需要带哪些材料，能否由子女代办？")
    page.get_by_label("姓名").fill("李秀英")
    page.locator("#letter-citizen_phone").fill("13909158888")
    page.get_by_role("button", name="提交来信").click()
    page.wait_for_url("**/letters/submitted")
    mine = page.locator("#letter-number").inner_text()
    return [("home", "/"), ("write", "/letters/new"), ("submitted", "/letters/submitted"),
            ("query", "/letters/query"), ("progress", f"/letters/progress/{mine}"),
            ("letters", "/letters"), ("letters_search", "/letters?q=" + "交通"),
            ("letter", f"/letters/{number}"), ("stats", "/stats"), ("knowledge", "/knowledge?q=" + "工资拖欠"),
            ("not_found", "/letters/XJ-1999-000001")]


def test_public_pages_fit_a_phone_pass_axe_and_are_photographed(demo, chromium):
    base = demo["base"]
    failures = []
    for width in (390, 320):
        page = new_page(chromium, width)
        for name, url in public_pages(page, base, demo["published"]):
            for large in (False, True):
                page.goto(f"{base}/display/{'large' if large else 'standard'}?next={url}")
                wider = overflow(page)
                if wider > 0:
                    failures.append(f"{url} at {width} px{' 长辈版' if large else ''}: {wider} px too wide")
                if width == 390:
                    shoot(page, f"public_{name}{'_large' if large else ''}_390")
                    if not large and (found := axe_violations(page)):
                        failures.append(f"{url}: {found}")
                    if small := small_targets(page):
                        failures.append(f"{url}: targets under 44 px: {small}")
        page.context.close()
    assert failures == []


def login(page, base, username, password):
    page.goto(base + "/login")
    page.fill("#username", username)
    page.fill("#password", password)
    page.click("button.btn-primary")
    page.wait_for_load_state()


def test_staff_pages_pass_axe(demo, chromium):
    base, number = demo["base"], demo["replied"]
    pages = {
        None: ["/login"],
        f"{demo['replied_unit']}_cbr": ["/inbox", "/inbox?tab=returned", f"/cases/{number}", "/notifications"],
        "shenhe": ["/review", f"/cases/{number}", f"/cases/{demo['published']}", "/inspections",
                   f"/inspections/{demo['round']}", "/registry"],
        "paidan": ["/dispatch", "/dispatch?tab=rejected", "/dispatch/new", "/callbacks", "/catalogue"],
        "admin": ["/overview", "/overview/overdue", "/stats", "/api/v1/docs", "/callbacks?tab=decide", "/catalogue/new",
                  "/catalogue/history"],
    }
    failures = []
    for username, urls in pages.items():
        page = new_page(chromium, 1360)
        if username:
            login(page, base, username, demo["password"])
        for url in urls:
            response = page.goto(base + url)
            assert response.status == 200, url
            page.wait_for_load_state("networkidle")
            if found := axe_violations(page):
                failures.append(f"{username} {url}: {found}")
        page.context.close()
    assert failures == []


def test_public_pages_fit_a_phone_with_the_browsers_font_at_200_percent(demo, chromium, tmp_path):
    """The browser's own font setting (an elderly reader's), which, unlike 长辈版, also
    moves the width at which the pages switch to their phone layout."""
    import json

    from tests.e2e.conftest import ARGS, CHROMIUM

    (tmp_path / "Default").mkdir()
    (tmp_path / "Default" / "Preferences").write_text(json.dumps(
        {"webkit": {"webprefs": {"default_font_size": 32, "default_fixed_font_size": 26}}}))
    base, failures = demo["base"], []
    # A profile of its own (the setting lives there), from the suite's one Playwright.
    context = chromium.browser_type.launch_persistent_context(
        str(tmp_path), executable_path=CHROMIUM, args=ARGS, viewport={"width": 320, "height": 720},
        locale="zh-CN", has_touch=True, is_mobile=True)
    page = context.new_page()
    page.goto(base + "/")
    assert page.evaluate("getComputedStyle(document.documentElement).fontSize") == "32px"
    for _, url in public_pages(page, base, demo["published"]):
        page.goto(base + url)
        # A phone widens its layout viewport to fit what overflows: measure against 320.
        if (wider := page.evaluate("document.documentElement.scrollWidth") - 320) > 0:
            failures.append(f"{url}: {wider} px too wide")
    page.goto(base + "/letters")
    shoot(page, "public_letters_font200_320")
    context.close()
    assert failures == []
