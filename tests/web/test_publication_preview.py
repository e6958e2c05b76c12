"""The reviewer's preview lists exactly what was masked, by kind; what the reviewer
restores stays as the reviewer left it (also after a withdrawal and a new publication),
while anything new is still masked; the office's allow list keeps public names."""

import html
import re

from casework.queries import masking
from casework.services import redaction_policy
from tests.web.test_redaction_corpus import publication_form, run_letter

LETTER = {"citizen_name": "陈晓燕", "citizen_phone": "13991501234", "subject": "楼上漏水",
          "body": "我叫陈晓燕，住兴安路12号华府小区3栋2单元1502室，联系人是我爱人何志勇。",
          "reply": "经协调已维修。如有问题请拨打街道办电话0915-4321234，联系人周科长。"}


def _case_page(people, number):
    return people["reviewer"].get(f"/cases/{number}").get_data(as_text=True)


def test_the_preview_lists_exactly_what_is_masked(app, people):
    number, _ = run_letter(app, people, LETTER, publish=False)
    page = html.unescape(_case_page(people, number))
    listed = re.findall(r"<li><b>(.+?)</b>（(\d+) 处）：(.*?)</li>", page)
    assert {label: int(n) for label, n, _ in listed} == {"来信人姓名": 1, "详细住址": 2, "他人姓名": 1, "固定电话": 1}
    items = " ".join(i for _, _, i in listed)
    assert "来信“3栋2单元1502室”→“*栋*单元****室”" in items and "答复“0915-4321234”→“0915-*****34”" in items
    assert "已自动遮盖 5 处个人信息" in page


def test_what_the_reviewer_restores_stays_and_new_data_is_masked(app, people):
    number, _ = run_letter(app, people, LETTER)
    reviewer = people["reviewer"]
    reviewer.post(f"/cases/{number}/events/unpublish_answer")
    form = publication_form(_case_page(people, number))
    assert "0915-*****34" in form["reply"]
    form["reply"] = form["reply"].replace("0915-*****34", "0915-4321234") + "另请联系13709150707。"
    assert reviewer.post(f"/cases/{number}/events/publish_answer", form).status_code == 303
    public = people["anonymous"].get(f"/letters/{number}").get_data(as_text=True)
    assert "0915-4321234" in public  # restored on purpose: the office's own number
    assert "13709150707" not in public and "137****0707" in public  # typed in: still masked
    assert "陈晓燕" not in public and "何志勇" not in public and "3栋2单元1502室" not in public
    # Withdrawn and published again without touching the preview: the restore holds.
    reviewer.post(f"/cases/{number}/events/unpublish_answer")
    again = publication_form(_case_page(people, number))
    assert "0915-4321234" in again["reply"]
    reviewer.post(f"/cases/{number}/events/publish_answer", again)
    assert "0915-4321234" in people["anonymous"].get(f"/letters/{number}").get_data(as_text=True)


def test_the_allow_list_keeps_public_names(app, people):
    with app.app_context():
        redaction_policy.allow("何志勇")
    number, _ = run_letter(app, people, LETTER)
    public = people["anonymous"].get(f"/letters/{number}").get_data(as_text=True)
    assert "何志勇" in public and "陈晓燕" not in public
    runner = app.test_cli_runner()
    assert "何志勇" in runner.invoke(args=["redaction", "list"]).output
    assert runner.invoke(args=["redaction", "disallow", "何志勇"]).exit_code == 0
    assert runner.invoke(args=["redaction", "allow", "王建华"]).exit_code == 0
    with app.app_context():
        assert masking.public_names() == ["王建华"]


def test_a_refused_publication_keeps_the_reviewers_edits_and_says_why(app, people):
    number, _ = run_letter(app, people, LETTER, publish=False)
    form = publication_form(_case_page(people, number))
    edited = {**form, "body": "楼上漏水，已反映多次（审核员改写）", "reply": "  "}
    refused = people["reviewer"].post(f"/cases/{number}/events/publish_answer", edited)
    page = html.unescape(refused.get_data(as_text=True))
    assert refused.status_code == 400 and "请填写公开答复。" in page
    assert "楼上漏水，已反映多次（审核员改写）" in page  # nothing typed is lost
    assert people["anonymous"].get(f"/letters/{number}").status_code == 404
