import io
import re
from datetime import date
from pathlib import Path

from docx import Document

from casework.demo import _Seeder

TABLE = Path("casework/data/ankang_2020q1_websites.csv").read_bytes()


def test_upload_preview_confirm_override_export(app, browser):
    with app.app_context():
        _Seeder().units_and_sites()
        from casework.permissions import SYSTEM_ACTOR
        from casework.services import accounts
        accounts.create_user(SYSTEM_ACTOR, "reviewer", "reviewer", "secret-pass-1")
        accounts.create_user(SYSTEM_ACTOR, "zyx_cbr", "unit_handler", "secret-pass-1", unit_code="zyx")
    b = browser("reviewer")
    b.get("/inspections")
    form = {"round": "2020 年一季度检查", "deadline": "2020-03-09", "inspected_on": "2020-03-03",
            "file": (io.BytesIO(TABLE), "results.csv")}
    preview = b.post("/inspections/preview", form, content_type="multipart/form-data")
    page = preview.get_data(as_text=True)
    assert preview.status_code == 200 and "31 条" in page and "全部可以导入" in page
    assert "61090000112" in page  # row 24's warning is shown
    with app.app_context():
        from casework.extensions import db
        from casework.models import Finding
        assert db.session.query(Finding).count() == 0  # a preview writes nothing
    content = re.search(r'name="content" value="([^"]+)"', page).group(1)
    queued = b.post("/inspections/commit", {"content": content, "filename": "results.csv",
                                            "round": "2020 年一季度检查", "deadline": "2020-03-09"})
    assert queued.status_code == 303 and "/inspections/jobs/" in queued.location
    waiting = b.get(queued.location, headers={"HX-Request": "true"}).get_data(as_text=True)
    assert "排队中" in waiting and 'hx-trigger="every 1s"' in waiting and "<html" not in waiting
    from casework.jobs.worker import CaseworkSimpleWorker, make_worker
    make_worker(app, CaseworkSimpleWorker).work(burst=True)  # the app's in-process queue
    finished = b.get(queued.location).get_data(as_text=True)
    assert "已导入 31 条检查发现" in finished and "every 1s" not in finished
    link = re.search(r'href="(/inspections/\d+)"', finished).group(1)
    done = type("R", (), {"location": link})
    round_page = b.get(done.location).get_data(as_text=True)
    assert "紫阳县人民政府" in round_page and "不合格" in round_page
    round_id = int(done.location.rsplit("/", 1)[1])
    website_id = re.search(r'name="website_id" value="(\d+)"', round_page).group(1)
    b.post(f"/inspections/{round_id}/override", {"website_id": website_id, "verdict": "fail", "reason": "约谈"})
    assert "依据：改判（约谈）" in b.get(done.location).get_data(as_text=True)
    export = b.get(f"/inspections/{round_id}/results.xlsx")
    assert export.status_code == 200 and export.data[:2] == b"PK"
    assert "filename*=UTF-8''" in export.headers["Content-Disposition"]
    assert browser("zyx_cbr").get(f"/inspections/{round_id}").status_code == 403
    bad = b.post("/inspections/preview", {**form, "file": (io.BytesIO(b"not a table"), "x.csv")},
                 content_type="multipart/form-data")
    assert bad.status_code == 303
    assert "找不到表头" in b.get("/inspections").get_data(as_text=True)


def test_scope_draft_and_publication_from_the_round_page(app, browser):
    with app.app_context():
        _Seeder().units_and_sites()
        from casework.permissions import SYSTEM_ACTOR
        from casework.services import accounts, inspections, registry
        accounts.create_user(SYSTEM_ACTOR, "reviewer", "reviewer", "secret-pass-1")
        registry.add_website(SYSTEM_ACTOR, "汉阴县人民政府", "www.hanyin.gov.cn", "", "hanyin")
        registry.add_website(SYSTEM_ACTOR, "平利县人民政府", "www.pingli.gov.cn", "", "pingli")
        rnd, _ = inspections.commit(SYSTEM_ACTOR, TABLE, "t.csv", "2020年一季度", date(2020, 3, 9))
        round_id = rnd.id
    b = browser("reviewer")
    page = b.get(f"/inspections/{round_id}").get_data(as_text=True)
    assert "对全市31家政府网站进行了检查、复查，检查率93%，政府网站合格率87%。" in page  # 31 of 33 registered
    listed = io.BytesIO("网站名称,网址\n汉阴县人民政府,www.hanyin.gov.cn\n".encode())
    b.post(f"/inspections/{round_id}/members/list", {"file": (listed, "checked.csv")}, content_type="multipart/form-data")
    assert "新列入 1 个检查对象" in b.get(f"/inspections/{round_id}").get_data(as_text=True)
    b.post(f"/inspections/{round_id}/members/all", {})
    page = b.get(f"/inspections/{round_id}").get_data(as_text=True)
    assert "对全市33家政府网站进行了检查、复查，检查率100%，政府网站合格率87%。" in page
    assert "平利县人民政府（www.pingli.gov.cn）" in page  # removable: no findings
    form = {"number": "安政办函〔2020〕21号", "issued_on": "2020-03-04", "intro": "现将有关情况通报如下：",
            "requirements": "一是加强监管力度。3月9日前完成整改。"}
    draft = b.post(f"/inspections/{round_id}/notice", {**form, "action": "draft"})
    assert draft.status_code == 200 and draft.data[:2] == b"PK"
    assert "安政办函〔2020〕21号" in "".join(p.text for p in Document(io.BytesIO(draft.data)).paragraphs)
    assert b.get(f"/stats/inspections/{round_id}/v1.docx").status_code == 404  # a draft publishes nothing
    bad = b.post(f"/inspections/{round_id}/notice", {**form, "number": "第21号", "action": "publish"})
    assert "文号格式" in b.get(bad.location).get_data(as_text=True)
    b.post(f"/inspections/{round_id}/notice", {**form, "action": "publish"})
    public = browser().get("/stats").get_data(as_text=True)
    assert "网站与政务新媒体检查（2020年一季度）" in public and "政府网站合格率87%" in public
    doc = Document(io.BytesIO(browser().get(f"/stats/inspections/{round_id}/v1.docx").data))
    assert any(r.text == "一是加强监管力度。" for p in doc.paragraphs for r in p.runs)
