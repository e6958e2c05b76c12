"""The citizens' side: the public form, the query code, rating, and published answers
that carry no personal data."""

import re
from datetime import UTC, datetime, timedelta

import pytest

from casework.extensions import limiter
from tests.web.helpers import case_row

VALID_ID = "11010519491231002X"
SECRETS = ("王建国", "13909150001", VALID_ID, "wangjg@example.com")
LETTER = {"citizen_name": "王建国", "citizen_phone": "13909150001", "subject": "新桥社区频繁停水",
          "body": f"我是王建国，身份证{VALID_ID}，邮箱 wangjg@example.com。新桥社区近一个月停水四次，请尽快处理。",
          "category": "help", "consent": "1"}


def submit(browser_, data=LETTER, **kw):
    """Post the public form as a browser would, following the redirect to the
    confirmation page; returns the browser and the confirmation."""
    b = browser_()
    b.get("/letters/new")
    response = b.post("/letters/new", data, **kw)
    if response.status_code == 303:
        assert response.headers["Location"].endswith("/letters/submitted")
        response = b.get("/letters/submitted")
    return b, response


def code_of(response):
    return re.search(r'id="query-code">([A-Z2-9]{12})<', response.get_data(as_text=True)).group(1)


def number_of(response):
    return re.search(r"XJ-\d{4}-\d{6}", response.get_data(as_text=True)).group(0)


def case_count(app):
    from casework.extensions import db
    from casework.models import Case
    with app.app_context():
        return db.session.query(Case).count()


def test_public_form_gives_a_query_code_and_reloading_files_nothing(app, world, browser):
    b, response = submit(browser)
    assert response.status_code == 200 and response.headers["Cache-Control"] == "no-store"
    code, number = code_of(response), number_of(response)
    page = response.get_data(as_text=True)
    assert "派单后 5 个工作日内" in page  # 求助: the limit of the rule in force
    assert 'data-copy="query-code"' in page
    # Reload and Back only GET the confirmation again: still one letter, same code.
    again = b.get("/letters/submitted")
    assert code_of(again) == code and case_count(app) == 1
    case = case_row(app, number)
    assert (case.channel, case.category, case.consent_publish, case.state) == ("web", "help", True, "opened")
    assert case.query_code_hash and code not in case.query_code_hash  # stored hashed
    # A new browser with the code follows the letter (post, then redirect to the page).
    other = browser()
    other.get("/letters/query")
    found = other.post("/letters/query", {"by": "code", "code": code.lower()})
    assert found.status_code == 303 and found.headers["Location"].endswith(f"/letters/progress/{number}")
    progress = other.get(f"/letters/progress/{number}").get_data(as_text=True)
    assert "已受理" in progress and number in progress and "待派单" not in progress
    for secret in SECRETS:
        assert secret not in progress


def test_the_form_explains_itself(app, world, browser):
    page = browser().get("/letters/new").get_data(as_text=True)
    for text in ("留言须知", "110", "119", "人民法院", "信访", "12388", "不会公开",
                 "<b>咨询</b>（5 个工作日内答复）", "<b>投诉</b>（15 个工作日内答复）"):
        assert text in page, text
    assert 'type="tel" name="citizen_phone"' in page and 'inputmode="tel"' in page and 'autocomplete="tel"' in page
    assert 'data-counter="letter-body-count"' in page
    assert not re.search(r'name="category" value="\w+" required checked', page)  # nothing chosen for you


@pytest.mark.parametrize("change, field, field_error", [
    ({"citizen_name": ""}, "citizen_name", "请填写姓名"),
    ({"citizen_phone": "12345"}, "citizen_phone", "请填写正确的手机号"),
    ({"subject": ""}, "subject", "请填写标题"),
    ({"body": "长" * 5001}, "body", "不能超过 5000 个字"),
    ({"category": ""}, "category", "请选择诉求类别"),
])
def test_public_form_refuses_bad_input(app, world, browser, change, field, field_error):
    _, response = submit(browser, {**LETTER, **change})
    page = response.get_data(as_text=True)
    assert response.status_code == 400 and field_error in page
    assert f'id="letter-{field}-error"' in page and f'href="#letter-{field}"' in page  # tied and listed
    if field != "category":
        assert re.search(rf'id="letter-{field}"[^>]*aria-describedby="[^"]*letter-{field}-error"[^>]*aria-invalid="true"', page)
    assert case_count(app) == 0


def test_the_confirmation_is_shown_only_to_the_writer_and_not_for_ever(app, world, browser):
    import time_machine

    assert browser().get("/letters/submitted").status_code == 303  # nothing was submitted here
    b, response = submit(browser)
    with time_machine.travel(datetime.now(UTC) + timedelta(minutes=31)):
        late = b.get("/letters/submitted")
    assert late.status_code == 303 and late.headers["Location"].endswith("/letters/query")


def test_honeypot_and_csrf(app, world, browser):
    _, robot = submit(browser, {**LETTER, "website": "http://spam.example"})
    assert robot.status_code == 400
    b = browser()
    assert b.post("/letters/new", LETTER, csrf=False).status_code == 400
    assert case_count(app) == 0


def test_a_phone_typed_in_full_width_is_a_phone(app, world, browser):
    _, response = submit(browser, {**LETTER, "citizen_phone": "１３９ ０９１５ ０００１"})
    assert response.status_code == 200 and case_row(app, number_of(response)).citizen_phone == "13909150001"


def test_line_breaks_count_once_as_the_form_counts_them(app, world, browser):
    # A browser sends a textarea's line breaks as CR LF and counts each as one character.
    body = "\r\n".join(["长" * 99] * 50)  # 4,950 characters and 49 line breaks: 4,999 as typed
    _, response = submit(browser, {**LETTER, "body": body})
    assert response.status_code == 200, response.get_data(as_text=True)[:500]
    from casework.extensions import db
    from casework.models import Case
    with app.app_context():
        assert db.session.query(Case.body).scalar() == body.replace("\r\n", "\n")


def test_too_many_submissions_from_one_address(tmp_path, request):
    from tests.conftest import make_app
    from tests.web.conftest import Browser

    app = make_app("sqlite", tmp_path, request, RATELIMIT_ENABLED=True)
    limiter.reset()
    b = Browser(app.test_client())
    b.get("/letters/new")
    # A letter the form refused (a mistake, corrected and sent again) is not one filed.
    refused = [b.post("/letters/new", {**LETTER, "citizen_phone": "12345"}).status_code for _ in range(5)]
    codes = [b.post("/letters/new", LETTER).status_code for _ in range(6)]
    limiter.reset()
    assert refused == [400] * 5 and codes == [303] * 5 + [429]


def test_script_in_a_letter_is_escaped_everywhere(app, world, browser):
    evil = {**LETTER, "subject": "<script>alert(1)</script>停水", "body": "<img src=x onerror=alert(2)>停水四次"}
    _, response = submit(browser, evil)
    number = number_of(response)
    for username, url in (("dispatcher", "/dispatch"), ("dispatcher", f"/cases/{number}")):
        page = browser(username).get(url).get_data(as_text=True)
        assert "<script>alert(1)" not in page and "<img src=x" not in page
        assert "&lt;script&gt;" in page


def close_it(app, number, reply="经核实，新桥社区停水系管网爆管，已更换管道，恢复正常供水。"):
    from casework.services import case_actions
    from tests.web.helpers import user
    with app.app_context():
        for username, event, data in [("dispatcher", "assign", {"unit_code": "zyx"}),
                                      ("zyx_handler", "reply", {"body": reply}),
                                      ("reviewer", "accept", {}), ("reviewer", "close", {})]:
            case_actions.perform(user(username), number, event, data)


def test_publication_masks_personal_data_and_needs_consent(app, world, browser):
    _, response = submit(browser)
    number = number_of(response)
    close_it(app, number, reply="王建国您好，已联系您（13909150001），新桥社区停水系管网爆管，现已恢复供水。")
    reviewer = browser("reviewer")
    case_page = reviewer.get(f"/cases/{number}").get_data(as_text=True)
    assert "公开答复" in case_page and "已自动遮盖" in case_page
    preview = case_page[case_page.index('id="pub-subject"'):]
    for secret in SECRETS:
        assert secret not in preview[:preview.index("</form>")]
    # Even if the reviewer puts the writer's name, phone or ID back, they are masked again.
    published = reviewer.post(f"/cases/{number}/events/publish_answer", {
        "subject": "新桥社区频繁停水", "body": "王建国反映新桥社区停水，电话13909150001。",
        "reply": "已恢复供水。联系人王建国，身份证" + VALID_ID})
    assert published.status_code == 303
    for url in ("/", "/letters", f"/letters/{number}", "/letters?q=停水", "/stats"):
        page = browser().get(url).get_data(as_text=True)
        for secret in SECRETS:
            assert secret not in page, (url, secret)
    assert "新桥社区频繁停水" in browser().get("/letters").get_data(as_text=True)
    shown = browser().get(f"/letters/{number}").get_data(as_text=True)
    assert "当日办结" in shown and "0 个工作日" not in shown  # answered the day it came
    reviewer.post(f"/cases/{number}/events/unpublish_answer")
    assert browser().get(f"/letters/{number}").status_code == 404

    _, private = submit(browser, {**LETTER, "consent": ""})
    private_number = number_of(private)
    close_it(app, private_number)
    assert "公开答复" not in reviewer.get(f"/cases/{private_number}").get_data(as_text=True)
    reviewer.post(f"/cases/{private_number}/events/publish_answer", {"subject": "s", "body": "b", "reply": "r"})
    assert case_row(app, private_number).publication is None
    assert browser("zyx_handler").post(f"/cases/{number}/events/publish_answer", {"subject": "s"}).status_code == 403


def test_quality_flags_reach_the_review_queue(app, world, browser):
    from tests.web.helpers import new_letter
    new_letter(app, assign_to="zyx", steps=[("zyx_handler", "reply", {"body": "已转交相关部门，请耐心等待。"})])
    page = browser("reviewer").get("/review").get_data(as_text=True)
    assert "推诿敷衍风险" in page


def test_duplicate_hint_for_the_dispatcher(app, world, browser):
    from tests.web.helpers import new_letter
    first = new_letter(app, subject="新桥社区频繁停水", citizen_phone="13900001111")
    new_letter(app, subject="新桥社区又停水了", citizen_phone="13900001111")
    new_letter(app, subject="路灯不亮", body="小区门口的路灯坏了一个月，晚上出行不便。", citizen_phone="13900001111")
    page = browser("dispatcher").get("/dispatch").get_data(as_text=True)
    # Each of the two similar letters points at the other, whichever came first.
    assert page.count("可能重复") == 2 and first in page


def test_phrase_cli(app):
    runner = app.test_cli_runner()
    assert "无可奉告" in runner.invoke(args=["phrases", "list"]).output
    runner.invoke(args=["phrases", "add", "你自己看着办"])
    assert "你自己看着办" in runner.invoke(args=["phrases", "list"]).output
    assert "removed" in runner.invoke(args=["phrases", "remove", "你自己看着办"]).output
