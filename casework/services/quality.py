"""Reply quality hints for the reviewer: they flag, they never bounce a reply.

- 泄露个人隐私: personal data (see redaction.py) in the reply;
- 推诿敷衍: a very short reply, or one made of stock phrases only;
- 雷人雷语: a phrase from the office's list;
- 答非所问: a reply that shares almost none of the question's words (jieba).
"""

from __future__ import annotations

import re

import sqlalchemy as sa

from ..extensions import db
from ..models import ImproperPhrase
from ..redaction import redact
from ..reference import cached, mark_changed
from ..search.dictionary import tokenizer
from .tx import transaction

MIN_LENGTH = 20
# Phrases that say nothing about the matter: a reply that is only these (and punctuation)
# answers nothing, however polite (您好，您反映的问题已收到，我们会尽快处理。).
STOCK_PHRASES = tuple(sorted((
    "已转交", "转交相关部门", "请咨询相关部门", "请联系相关部门", "请耐心等待", "已收悉", "已收到",
    "感谢您的来信", "感谢您的关注", "感谢您的支持", "感谢您对我们工作的支持", "正在处理中", "正在办理中",
    "您好", "你好", "谢谢", "您反映的问题", "你反映的问题", "您反映的情况", "您的来信", "我们会尽快处理",
    "我们将尽快处理", "会尽快处理", "尽快处理", "尽快办理", "尽快答复", "高度重视", "认真研究", "及时处理",
    "特此答复", "我们会", "我们将"), key=len, reverse=True))
DEFAULT_IMPROPER = ("无可奉告", "爱找谁找谁", "你去告吧", "不归我们管", "与我们无关", "自己想办法",
                    "别再打了", "刁民", "你有病", "少管闲事")
STOPWORDS = frozenset(["您好", "你好", "我们", "你们", "您的", "相关", "问题", "情况", "进行", "已经", "一个", "关于", "反映", "来信", "请问", "是否", "如何", "什么", "怎么", "可以", "需要", "希望", "部门", "单位", "工作", "有关", "感谢", "谢谢"])
MIN_SHARED = 0.15  # share of the question's words found in the reply, below which it is flagged


def keywords(text: str) -> set[str]:
    words = tokenizer().cut_for_search(text)
    return {w for w in words if len(w) >= 2 and w not in STOPWORDS and re.search(r"[\u4e00-\u9fff]", w)}


def improper_phrases() -> list[str]:
    return list(cached("improper_phrases", lambda: tuple(
        db.session.scalars(sa.select(ImproperPhrase.phrase).order_by(ImproperPhrase.phrase)))))


def ensure_default_phrases() -> None:
    if db.session.scalar(sa.select(sa.func.count(ImproperPhrase.id))):
        return
    with transaction():
        db.session.add_all(ImproperPhrase(phrase=p) for p in DEFAULT_IMPROPER)


def flags(question: str, reply: str, names: tuple[str, ...] = (), phones: tuple[str, ...] = (),
          phrases: list[str] | None = None) -> list[dict[str, str]]:
    out = []
    _, found = redact(reply, names, phones)
    if found:
        kinds = "、".join(sorted({f.label for f in found}))
        out.append({"kind": "privacy_leak", "reason": f"答复中含有{kinds}，公开前须删除或遮盖（泄露个人隐私风险）。"})
    bare = re.sub(r"[\s，。！？、；：,.!?;:]", "", reply)
    for phrase in STOCK_PHRASES:
        bare = bare.replace(phrase, "")
    if len(reply.strip()) < MIN_LENGTH or len(bare) < 10:
        out.append({"kind": "buck_passing", "reason": "答复过短或只有“已收到/尽快处理/已转交相关部门”等套话，没有说明办理结果（推诿敷衍风险）。"})
    hits = [p for p in (improper_phrases() if phrases is None else phrases) if p in reply]
    if hits:
        out.append({"kind": "offensive", "reason": f"答复含有不当用语：{'、'.join(hits)}（雷人雷语风险）。"})
    asked = keywords(question)
    if asked and len(reply.strip()) >= MIN_LENGTH:
        shared = sum(1 for w in asked if w in reply) / len(asked)
        if shared < MIN_SHARED:
            out.append({"kind": "off_topic",
                        "reason": f"答复与来信内容几乎没有共同词语（{shared:.0%}），请核对是否答非所问。"})
    return out


def add_phrase(phrase: str) -> None:
    phrase = phrase.strip()
    if phrase and not db.session.scalar(sa.select(ImproperPhrase.id).where(ImproperPhrase.phrase == phrase)):
        with transaction():
            db.session.add(ImproperPhrase(phrase=phrase))


def remove_phrase(phrase: str) -> bool:
    with transaction():
        mark_changed()
        return db.session.execute(sa.delete(ImproperPhrase).where(ImproperPhrase.phrase == phrase.strip())).rowcount > 0
