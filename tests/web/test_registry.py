from casework.extensions import db
from casework.models import AccountStatusChange, NewMediaAccount, Website, WebsiteStatusChange


def test_registry_websites_and_account_lifecycle(app, world, browser):
    b = browser("reviewer")
    assert b.get("/registry").status_code == 200
    b.post("/registry/websites", {"name": "紫阳县人民政府", "address": "http://www.zyx.gov.cn/",
                                  "site_code": "6109240032", "unit_code": "zyx"})
    bad = b.post("/registry/websites", {"name": "x", "address": "www.x.gov.cn", "site_code": "61090000112",
                                        "unit_code": "zyx"}, follow_redirects=True)
    assert "网站标识码应为 10 位数字" in bad.get_data(as_text=True)
    with app.app_context():
        site = db.session.query(Website).one()
        assert (site.address, site.site_code) == ("www.zyx.gov.cn", "6109240032")
        site_id = site.id
    no_reason = b.post(f"/registry/websites/{site_id}/status", {"status": "closed"}, follow_redirects=True)
    assert "须填写关停原因" in no_reason.get_data(as_text=True)
    closed = b.post(f"/registry/websites/{site_id}/status", {"status": "closed", "reason": "已整合至市政府门户"},
                    follow_redirects=True).get_data(as_text=True)
    assert "网站“紫阳县人民政府”（www.zyx.gov.cn）已关停。" in closed and 'role="status"' in closed
    assert "已整合至市政府门户" in closed
    again = b.post(f"/registry/websites/{site_id}/status", {"status": "closed", "reason": "再点一次"},
                   follow_redirects=True).get_data(as_text=True)
    assert "已是“已关停”状态，未作更改" in again and 'class="flash flash-error" role="alert"' in again
    b.post("/registry/accounts", {"platform": "weibo", "name": "紫阳发布", "unit_code": "zyx", "last_update": "2020-02-13"})
    with app.app_context():
        account_id = db.session.query(NewMediaAccount).one().id
    no_notice = b.post(f"/registry/accounts/{account_id}/status", {"status": "stopped", "filed": "1"},
                       follow_redirects=True)
    assert "停更须发布停更公告" in no_notice.get_data(as_text=True)
    no_reason = b.post(f"/registry/accounts/{account_id}/status", {"status": "deregistering", "filed": "1"},
                       follow_redirects=True)
    assert "注销“紫阳发布”须说明原因" in no_reason.get_data(as_text=True)
    for status, filed, note in (("stopped", "1", "已发布停更公告"), ("deregistering", "1", "并入紫阳县政务微博"),
                                ("deregistered", "", "")):
        b.post(f"/registry/accounts/{account_id}/status", {"status": status, "filed": filed, "note": note})
    skip = b.post(f"/registry/accounts/{account_id}/status", {"status": "running"}, follow_redirects=True)
    assert "不能改为" in skip.get_data(as_text=True)
    with app.app_context():
        changes = db.session.query(AccountStatusChange).order_by(AccountStatusChange.id).all()
        assert [(c.to_status, c.filed) for c in changes] == [("stopped", True), ("deregistering", True),
                                                            ("deregistered", False)]
        assert db.session.get(Website, site_id).status == "closed"
        change = db.session.query(WebsiteStatusChange).one()  # the second click wrote nothing
        assert (change.from_status, change.to_status, change.reason) == ("open", "closed", "已整合至市政府门户")
    page = b.get("/registry").get_data(as_text=True)
    assert "已注销" in page and "未报备" in page
    assert browser("zyx_handler").get("/registry").status_code == 403
