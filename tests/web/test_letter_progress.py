"""Following a letter as its writer: the code or the number and phone, states in the
writer's words, the accepted answer itself, and the rating with its reasons."""

from casework.extensions import limiter
from tests.web.helpers import case_row, user
from tests.web.test_letters import LETTER, SECRETS, close_it, code_of, number_of, submit


def follow(browser_, code):
    b = browser_()
    b.get("/letters/query")
    response = b.post("/letters/query", {"by": "code", "code": code})
    assert response.status_code == 303, response.get_data(as_text=True)
    return b, response.headers["Location"]


def act(app, number, *steps):
    from casework.services import case_actions
    with app.app_context():
        for username, event, data in steps:
            case_actions.perform(user(username), number, event, data)


def test_a_browser_sees_only_letters_it_proved_it_may_follow(app, world, browser):
    _, response = submit(browser)
    number = number_of(response)
    stranger = browser()
    page = stranger.get(f"/letters/progress/{number}")
    assert page.status_code == 303 and page.headers["Location"].endswith("/letters/query")
    assert stranger.post(f"/letters/progress/{number}/rate", {"rating": "satisfied"}).status_code == 404
    wrong = stranger.post("/letters/query", {"by": "code", "code": "WRONGCODE234"})
    assert wrong.status_code == 404 and "查询码不正确" in wrong.get_data(as_text=True)
    assert 'aria-invalid="true"' in wrong.get_data(as_text=True)


def test_codes_and_numbers_are_taken_as_people_type_them(app, world, browser):
    _, response = submit(browser)
    code, number = code_of(response), number_of(response)
    full_width = "".join(chr(ord(ch) + 0xFEE0) for ch in code[:6]) + code[6:]  # from a Chinese input method
    for typed in (f"{code[:4]} {code[4:8]} {code[8:]}", f"{code[:4]}-{code[4:8]}-{code[8:]}", full_width,
                  code.lower()):
        follow(browser, typed)
    b = browser()
    b.get("/letters/query")
    for typed in (number.replace("-", ""), f" {number.lower()} ", number.replace("-", " ")):
        ok = b.post("/letters/query", {"by": "number", "number": typed, "phone": "１３９０９１５０００１"})
        assert ok.status_code == 303, typed
    empty = b.post("/letters/query", {"by": "code", "code": "  "})
    assert empty.status_code == 400 and "请输入查询码" in empty.get_data(as_text=True)


def test_lost_code_number_and_phone_open_the_same_page(app, world, browser):
    _, response = submit(browser)
    number = number_of(response)
    b = browser()
    b.get("/letters/query")
    ok = b.post("/letters/query", {"by": "number", "number": number.lower(), "phone": "139 0915 0001"})
    assert ok.status_code == 303 and ok.headers["Location"].endswith(f"/letters/progress/{number}")
    assert number in b.get(f"/letters/progress/{number}").get_data(as_text=True)
    # A wrong phone and an unknown number get the same answer: the form reveals nothing.
    other = browser()
    other.get("/letters/query")
    wrong_phone = other.post("/letters/query", {"by": "number", "number": number, "phone": "13900000000"})
    no_letter = other.post("/letters/query", {"by": "number", "number": "XJ-2020-999999", "phone": "13909150001"})
    assert wrong_phone.status_code == no_letter.status_code == 404
    message = "来信编号与联系电话不匹配"
    assert message in wrong_phone.get_data(as_text=True) and message in no_letter.get_data(as_text=True)
    assert other.get(f"/letters/progress/{number}").status_code == 303


def test_states_and_steps_in_the_writers_words(app, world, browser):
    _, response = submit(browser)
    number, code = number_of(response), code_of(response)
    b, url = follow(browser, code)
    act(app, number, ("dispatcher", "assign", {"unit_code": "zyx"}))
    page = b.get(url).get_data(as_text=True)
    assert "已转办" in page and "紫阳县人民政府" in page and "答复期限" in page and "已转交紫阳县人民政府办理" in page
    act(app, number, ("zyx_handler", "acknowledge", {}),
        ("zyx_handler", "reply", {"body": "请耐心等待。"}),
        ("reviewer", "return_reply", {"reason": "buck_passing", "comment": "未答复具体问题"}))
    page = b.get(url).get_data(as_text=True)
    assert "办理中" in page
    for internal in ("退回重办", "推诿敷衍", "未答复具体问题", "请耐心等待", "待审核", "zyx_handler"):
        assert internal not in page, internal  # the office's quality control stays inside


def test_dismissed_and_merged_letters_say_why(app, world, browser):
    _, first = submit(browser)
    _, second = submit(browser, {**LETTER, "subject": "新桥社区又停水了"})
    _, third = submit(browser, {**LETTER, "subject": "与本市无关"})
    primary, duplicate, dismissed = number_of(first), number_of(second), number_of(third)
    act(app, duplicate, ("dispatcher", "merge", {"primary_number": primary}))
    act(app, dismissed, ("dispatcher", "dismiss", {"reason": "out_of_scope", "comment": "内部备注"}))
    b, url = follow(browser, code_of(second))
    page = b.get(url).get_data(as_text=True)
    assert "已合并" in page and primary in page
    b, url = follow(browser, code_of(third))
    page = b.get(url).get_data(as_text=True)
    assert "不予受理：不属于受理范围" in page and "内部备注" not in page


def test_the_writer_reads_the_accepted_answer_unpublished_and_rates_it(app, world, browser):
    _, response = submit(browser, {**LETTER, "consent": ""})
    number, code = number_of(response), code_of(response)
    b, url = follow(browser, code)
    early = b.post(f"/letters/progress/{number}/rate", {"rating": "satisfied"})
    assert early.status_code == 303 and "办结后才能评价" in b.get(url).get_data(as_text=True)
    reply = "王建国您好，已联系您（13909150001）。新桥社区停水系管网爆管，已更换管道，恢复正常供水。"
    close_it(app, number, reply=reply)
    page = b.get(url).get_data(as_text=True)
    assert "已更换管道，恢复正常供水" in page and "已办结" in page and "当日办结" in page
    assert case_row(app, number).publication is None  # read by its writer, not published
    for secret in SECRETS[:2]:
        assert secret not in page
    assert "提交评价" in page
    # 不满意 asks why.
    bare = b.post(f"/letters/progress/{number}/rate", {"rating": "unsatisfied"})
    assert bare.status_code == 400 and "请至少选择一项" in bare.get_data(as_text=True)
    other = b.post(f"/letters/progress/{number}/rate", {"rating": "unsatisfied", "reasons": "other"})
    assert other.status_code == 400 and "请写下具体原因" in other.get_data(as_text=True)
    assert case_row(app, number).rating is None
    rated = b.post(f"/letters/progress/{number}/rate",
                   {"rating": "unsatisfied", "reasons": ["unsolved", "slow"], "comment": "水压还是很低"})
    assert rated.status_code == 303
    page = b.get(url).get_data(as_text=True)
    assert "感谢您的评价" in page and "问题没有解决、办理时间太长" in page and "提交评价" not in page
    case = case_row(app, number)
    assert (case.rating.grade, case.rating.reasons, case.rating.comment) == ("unsatisfied", ["unsolved", "slow"], "水压还是很低")
    again = b.post(f"/letters/progress/{number}/rate", {"rating": "satisfied"})
    assert again.status_code == 303 and case_row(app, number).rating.grade == "unsatisfied"
    assert number in browser("reviewer").get("/overview").get_data(as_text=True)


def test_a_reason_is_not_kept_for_a_good_rating(app, world, browser):
    _, response = submit(browser)
    number = number_of(response)
    close_it(app, number)
    b, _ = follow(browser, code_of(response))
    assert b.post(f"/letters/progress/{number}/rate", {"rating": "satisfied", "reasons": "slow"}).status_code == 303
    assert case_row(app, number).rating.reasons is None


def test_forgetting_ends_following_in_this_browser(app, world, browser):
    _, response = submit(browser)
    b, url = follow(browser, code_of(response))
    assert b.get(url).status_code == 200
    assert b.post("/letters/forget").status_code == 303
    assert b.get(url).status_code == 303


def test_queries_are_rate_limited_by_code_and_by_phone_alike(tmp_path, request):
    from tests.conftest import make_app
    from tests.web.conftest import Browser

    app = make_app("sqlite", tmp_path, request, RATELIMIT_ENABLED=True)
    limiter.reset()
    b = Browser(app.test_client())
    b.get("/letters/query")
    codes = [b.post("/letters/query", {"by": "code", "code": f"WRONG{i:07d}"}).status_code for i in range(20)]
    codes += [b.post("/letters/query", {"by": "number", "number": "XJ-2026-000001",
                                        "phone": f"139{i:08d}"}).status_code for i in range(11)]
    limiter.reset()
    assert codes == [404] * 30 + [429]
