"""The public statistics' charts in a real browser, on a phone (390 px) and a desktop
(1366 px): every text at least 12 px, the charts inside the page's width, a value on each
bar. Screenshots: tests/e2e/screenshots/stats-390.png and stats-1366.png."""

import pytest

from casework import clock
from casework.permissions import SYSTEM_ACTOR
from casework.services import publication
from tests.e2e.conftest import SCREENSHOTS
from tests.factories import local
from tests.web.helpers import new_letter

pytestmark = pytest.mark.e2e

SMALLEST_TEXT = """() => Math.min(...[...document.querySelectorAll('.chart *')]
  .filter(el => [...el.childNodes].some(n => n.nodeType === 3 && n.textContent.trim()))
  .map(el => parseFloat(getComputedStyle(el).fontSize) * (el.getScreenCTM ? el.getScreenCTM().a : 1)))"""


@pytest.mark.parametrize("width", [390, 1366])
def test_charts_are_readable_at_every_width(live_app, chromium, width):
    for day in (5, 6, 7):
        with clock.travel(local(2026, 10, 12 + day, 9)):
            new_letter(live_app, assign_to="zyx", steps=[("zyx_handler", "reply", {"body": "答复"}),
                                                          ("reviewer", "return_reply", {"reason": "buck_passing"})])
    with live_app.app_context(), clock.travel(local(2026, 11, 2, 9)):
        publication.publish(SYSTEM_ACTOR, "2026-10")
    context = chromium.new_context(viewport={"width": width, "height": 900}, locale="zh-CN")
    page = context.new_page()
    page.goto(f"{live_app.config['LIVE_URL']}/stats")
    assert page.evaluate(SMALLEST_TEXT) >= 12
    for figure in page.locator("figure.chart").all():
        box = figure.bounding_box()
        assert box["x"] >= 0 and box["x"] + box["width"] <= width + 0.5
    assert page.locator("#chart-problems + * + table").get_by_text("退回 3").count() == 1
    SCREENSHOTS.mkdir(exist_ok=True)
    page.locator(".charts").screenshot(path=str(SCREENSHOTS / f"stats-{width}.png"))
    context.close()
