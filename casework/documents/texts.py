"""The wording the office starts from: the 导语 and 三、工作要求 of each 通报 (edited before a
quarterly notice is issued; a monthly one uses them as they are, or the office's template
says otherwise), and the split of a paragraph into its lead ("一是…。", "（一）…。") and text."""

from __future__ import annotations

import re
from datetime import date

LEAD = re.compile(r"^((?:[一二三四五六七八九十]+是|（[一二三四五六七八九十]+）|[一二三四五六七八九十]+、)[^。]{0,40}。)(.*)$", re.S)


def paragraph(text: str, lead: str = "") -> dict:
    return {"lead": lead, "text": text}


def paragraphs(text: str) -> list[dict]:
    """One paragraph per line; a leading "一是加强监管力度。" becomes the bold lead. Never
    empty (the templates keep the last paragraph with the signature)."""
    out = []
    for line in (text or "").splitlines():
        line = line.strip()
        if not line:
            continue
        match = LEAD.match(line)
        out.append(paragraph(match[2], match[1]) if match else paragraph(line))
    return out or [paragraph("")]


def round_label(name: str) -> str:
    """"2020年一季度检查" → "2020年一季度": the notice says 检查 itself."""
    return re.sub(r"\s*(检查|检查复查)$", "", name.strip()).replace(" ", "")


def quarterly_intro(office: str, round_name: str) -> str:
    return (f"{office}根据《国务院办公厅秘书局关于印发政府网站与政务新媒体检查指标、监管工作年度考核指标的通知》"
            f"要求，组织开展了{round_label(round_name)}全市政府网站和政务新媒体检查、复查工作。现将有关情况通报如下：")


def quarterly_requirements(rectify_by: date) -> str:
    return "\n".join((
        f"一是加强监管力度。各县区、各部门要认真落实政府网站和政务新媒体主管主办责任，对照检查发现的问题逐项整改，"
        f"于{rectify_by.month}月{rectify_by.day}日前完成整改。复查不合格的网站主管单位，要安排专人限期整改到位。"
        "无力保障更新的政府网站和政务新媒体要及时按程序注销关停。",
        "二是规范公开内容。落实政策解读与政策文件同步组织、同步审签、同步部署机制，政策文件正式印发3个工作日内"
        "在本单位和同级政府门户网站公开解读材料，及时更新信息公开指南、年报和制度。",
        "三是提升互动交流服务质量。对简单常见咨询留言在5个工作日内答复，杜绝答非所问、推诿敷衍、生硬冷漠等问题，"
        "按要求公开留言受理情况统计数据。",
    ))


def monthly_intro(period_text: str) -> str:
    return f"为进一步做好市长信箱来信办理工作，现将{period_text}全市市长信箱来信办理情况通报如下："


MONTHLY_REQUIREMENTS = "\n".join((
    "一是严格办理时限。各单位要在规定时限内答复来信，对超期来信逐件说明原因并限期办结。",
    "二是提升答复质量。答复要针对来信反映的问题，不得答非所问、推诿敷衍、生硬冷漠；被退回重办的来信要在3个工作日内"
    "重新答复。",
    "三是保护个人信息。答复和公开的内容不得泄露来信人的个人信息。",
))
