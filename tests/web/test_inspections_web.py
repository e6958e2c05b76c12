import io
import re
from pathlib import Path

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
    assert "改判：约谈" in b.get(done.location).get_data(as_text=True)
    export = b.get(f"/inspections/{round_id}/results.xlsx")
    assert export.status_code == 200 and export.data[:2] == b"PK"
    assert browser("zyx_cbr").get(f"/inspections/{round_id}").status_code == 403
    bad = b.post("/inspections/preview", {**form, "file": (io.BytesIO(b"not a table"), "x.csv")},
                 content_type="multipart/form-data")
    assert bad.status_code == 303
    assert "找不到表头" in b.get("/inspections").get_data(as_text=True)
