"""The quarterly 政府网站和政务新媒体检查情况通报 in seed 003's structure (一、总体情况,
二、存在问题, 三、工作要求, 附件 1 and 2) and its result tables as xlsx, all made from a round
snapshot (queries/rounds.py): published versions from their frozen data, drafts live."""

from __future__ import annotations

from itertools import groupby

from ..importing import CATEGORIES
from . import texts
from .monthly import date_text
from .render import render, template_path
from .sheets import Column, Table, xlsx

NUMERALS = "一二三四五六七八九十"
PLATFORM_WORDS = {"wechat": "微信", "weibo": "微博"}


def _numbered(items: list[tuple[str, str]]) -> list[dict]:
    return [texts.paragraph(text, f"（{NUMERALS[i] if i < 10 else i + 1}）{lead}")
            for i, (lead, text) in enumerate(items)]


NAMED = 5  # per kind of problem the text names a few, as the seeds do; 附件 1 and 2 list all


def _names(rows: list[dict], key: str = "name", quote: bool = False, limit: int | None = NAMED) -> str:
    """"A、B等30家" when the list is cut, "A、B 2家" when it is complete, "A" for one."""
    shown = rows if limit is None else rows[:limit]
    names = ("" if quote else "、").join(f"“{r[key]}”" if quote else r[key] for r in shown)
    if len(rows) == 1:
        return names
    return f"{names}{'等' if len(shown) < len(rows) else ''}{len(rows)}{'个' if quote else '家'}"


def problems(data: dict) -> list[dict]:
    """二、存在问题: the units named per kind of problem, then the accounts."""
    sites, accounts, labels = data["sites"], data["accounts"], data["category_labels"]
    items = []
    failed = [s for s in sites if s["verdict"] == "fail"]
    if failed:
        # Every site that failed is named: its unit is called in.
        items.append(("复查不合格。", f"{_names(failed, limit=None)}网站复查不合格。"))
    order = list(CATEGORIES) + sorted(set(labels) - set(CATEGORIES))
    for code in order:
        hit = [s for s in sites if code in s["categories"]]
        if hit and code != "other":
            label = labels.get(code, CATEGORIES.get(code, code))
            items.append((f"{label}。", f"{_names(hit)}网站存在{label}问题。"))
    stale = [a for a in accounts if a["stale"]]
    if stale:
        kinds = "、".join(PLATFORM_WORDS[p] for p in PLATFORM_WORDS if any(a["platform"] == p for a in stale))
        text = f"{_names(stale, 'account', quote=True)}政务{kinds}超过1个月未更新。"
        stopped = [a for a in accounts if "not_deregistered" in a["categories"]]
        if stopped:
            text += f"其中{_names(stopped, 'account', quote=True, limit=None)}已停运但未按程序注销。"
        items.append(("政务新媒体长期未更新。", text))
    if not items:
        return [texts.paragraph("本轮检查、复查未发现问题。")]
    return _numbered(items)


def titles(data: dict) -> tuple[str, str]:
    label = texts.round_label(data["round"]["name"])
    return f"{label}政府网站复查结果", f"{label}政务新媒体检查结果"


def notice_context(data: dict, notice_fields: dict, config: dict) -> dict:
    """`notice_fields`: number, issued_on, intro, requirements (the register's, or a draft's)."""
    sites_title, accounts_title = titles(data)
    issuer = config["NOTICE_ISSUER"]
    sites, accounts = data["sites"], data["accounts"]
    failed = sum(s["verdict"] == "fail" for s in sites)
    groups = [{"category": group, "rows": [_account_row(r) for r in rows]}
              for group, rows in groupby(accounts, key=lambda a: a["group"])]
    attachments = [f"1. {sites_title}"] + ([f"2. {accounts_title}"] if accounts else [])
    return {
        "masthead": config.get("NOTICE_MASTHEAD") or issuer,
        "doc_number": notice_fields["number"],
        "title": f"{issuer}关于{texts.round_label(data['round']['name'])}全市政府网站和政务新媒体检查情况的通报",
        "recipients": config["NOTICE_RECIPIENTS"],
        "intro": texts.paragraphs(notice_fields["intro"]),
        "overall": [texts.paragraph(data["summary"]["line"])],
        "problems": problems(data),
        "requirements": texts.paragraphs(notice_fields["requirements"]),
        "attachments": attachments if accounts else [sites_title],
        "signature": issuer,
        "issued_on": date_text(notice_fields["issued_on"]),
        "sites_title": sites_title, "accounts_title": accounts_title,
        "sites": [_site_row(s) for s in sites],
        "sites_total": f"{len(sites)}家网站存在问题", "sites_failed": f"不合格{failed}家",
        "accounts": groups, "accounts_total": f"{len(accounts)}个政务新媒体账号存在问题",
    }


def _site_row(s: dict) -> dict:
    return {"no": s["no"], "name": s["name"], "address": s["address"], "site_code": s["site_code"],
            "problems": s["problems"], "verdict": s["verdict_label"]}


def _account_row(a: dict) -> dict:
    return {"no": a["no"], "unit": a["unit_source"], "wechat": a["account"] if a["platform"] == "wechat" else "",
            "weibo": a["account"] if a["platform"] == "weibo" else "", "last_update": a["last_update"],
            "problems": a["problems"], "verdict": a["verdict_label"]}


def xlsx_bytes(data: dict, subtitle: str) -> bytes:
    """附件 1 and 附件 2 as the notice prints them: the source text, the real verdict."""
    sites_title, accounts_title = titles(data)
    sites = [[r["no"], r["name"], r["address"], r["site_code"], r["problems"], r["verdict"]]
             for r in map(_site_row, data["sites"])]
    failed = sum(s["verdict"] == "fail" for s in data["sites"])
    sheet1 = Table("附件1 政府网站", f"附件1 {sites_title}", subtitle,
                   [Column("序号", "int"), Column("网站名称"), Column("网址"), Column("网站标识码"),
                    Column("主要问题", width=60), Column("复查结果")], sites,
                   total=["合计", f"{len(sites)}家", None, None, None, f"不合格{failed}家"],
                   notes=[data["summary"]["line"]])
    accounts = [[a["no"], a["group"], r["unit"], r["wechat"], r["weibo"], r["last_update"], r["problems"],
                 r["verdict"]] for a, r in ((a, _account_row(a)) for a in data["accounts"])]
    sheet2 = Table("附件2 政务新媒体", f"附件2 {accounts_title}", subtitle,
                   [Column("序号", "int"), Column("类别"), Column("主办单位"), Column("政务微信"), Column("政务微博"),
                    Column("最后更新时间"), Column("问题类别"), Column("检查结论")], accounts,
                   total=["合计", f"{len(accounts)}个", None, None, None, None, None,
                          f"不合格{sum(a['verdict'] == 'fail' for a in data['accounts'])}个"])
    return xlsx([sheet1, sheet2])


def docx_bytes(data: dict, notice_fields: dict, config: dict) -> bytes:
    return render(template_path(config, "quarterly"), notice_context(data, notice_fields, config))
