"""Personal data out of text that will be public (pure functions, no Flask, no SQL).

Masked, in any grouping (spaces, dashes, full-width digits):
- resident IDs: 18 characters with a valid check digit, and any 15–18 digit number after
  身份证/证件/公民身份号码 even when the check digit is wrong (a mistyped ID is still one);
- bank cards: 16–19 digits passing Luhn, and any 12–25 digit number after 卡号/银行卡/账号;
- mobiles (with +86 / 0086), landlines with an area code (or 7–8 digits after 电话/座机);
- e-mail, licence plates, WeChat and QQ ids after their keywords;
- addresses below street level (号/栋/单元/室/组 …): the 县区, 街道, 路 and 小区 stay, so the
  answer still says where;
- names of people: the writer's, and others' (redaction_names: jieba person names plus
  cue words such as 联系人, 父亲, 老板), except the allowed public names (units, the
  office's list).
Masked text stays readable: 王**, 6124**********0011, 139****5678, 兴安路**号.

`keep` holds values a reviewer restored on purpose: they are left as written; anything
else is masked even in a text the reviewer edited.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from .redaction_names import find_names, mask_name

KINDS = {"id_card": "身份证号", "bank_card": "银行卡号/账号", "mobile": "手机号", "landline": "固定电话",
         "email": "电子邮箱", "plate": "车牌号", "wechat": "微信号", "qq": "QQ号", "address": "详细住址",
         "name": "来信人姓名", "person": "他人姓名"}

_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_CHECK = "10X98765432"
_D = "[0-9０-９]"
# A run of digits with single spaces or dashes between groups (and an ID's final X).
_RUN = re.compile(rf"(?<![0-9０-９A-Za-z])(?:[+＋])?{_D}(?:[ \u3000\-－]?{_D}){{4,}}(?:[ \u3000]?[XxＸｘ])?(?![0-9０-９A-Za-z])")
_ID_KEY = re.compile(r"(?:身份证|证件|公民身份号码|身份号码|身份证号码?)[号码]*[^0-9０-９\n]{0,6}$")
_CARD_KEY = re.compile(r"(?:卡号|卡|账号|帐号|账户|帐户)[号码]*[^0-9０-９\n]{0,6}$")
_PHONE_KEY = re.compile(r"(?:电话|座机|手机|联系方式|tel|Tel|TEL)[号码]*[^0-9０-９\n]{0,4}$")
_QQ_KEY = re.compile(r"(?:QQ|qq|Qq|扣扣)号?[^0-9０-９\n]{0,4}$")
_PAREN_LANDLINE = re.compile(rf"[(（]0{_D}{{2,3}}[)）][ \-]?{_D}{{7,8}}(?!{_D})")
_EMAIL = re.compile(r"[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}")
_PLATE = re.compile(r"[京津沪渝冀豫云辽黑湘皖鲁新苏浙赣鄂桂甘晋蒙陕吉闽贵粤青藏川宁琼][ ·•.]?[A-HJ-NP-Z]"
                    r"[ ·•.]?[A-HJ-NP-Z0-9]{4,5}[A-HJ-NP-Z0-9挂学警港澳]")
_WECHAT = re.compile(r"(?:微信号?|VX|vx|Vx|WX|wx|weixin|WeChat|wechat)\s*[：:是为]?\s*([A-Za-z][A-Za-z0-9_-]{5,19})")
_NUM = "[0-9０-９一二三四五六七八九十百零〇两A-Za-z]{1,6}"
_PART = rf"{_NUM}(?:号楼|号院|号房|号|栋|幢|座|单元|楼|层|室|户|组|排)"
_ADDRESS = re.compile(rf"(?:{_PART}[-—]?)+(?:{_D}{{2,5}}(?![0-9０-９]))?|{_D}{{1,3}}[-—]{_D}{{1,3}}[-—]{_D}{{2,5}}室?")
_PLACE = re.compile(r"(?:路|街|巷|弄|道|村|社区|小区|苑|园|庄|城|大院|院|大厦|公寓|家园|花园|广场|里|新村|公馆|府)"
                    r"[^，。；\n]{0,12}$")
_NOT_ADDRESS = re.compile(r"[〔\[【第]$")


@dataclass(frozen=True)
class Finding:
    kind: str
    original: str
    masked: str = ""

    @property
    def label(self) -> str:
        return KINDS[self.kind]


def normal(value: str) -> str:
    """How a value is compared (a restored value matches however it is grouped)."""
    value = unicodedata.normalize("NFKC", value).strip()
    digits = re.sub(r"[\s\-+()（）]", "", value)
    return digits.upper() if re.fullmatch(r"\d+[Xx]?", digits) else value


def valid_resident_id(number: str) -> bool:
    if not re.fullmatch(r"\d{17}[\dXx]", number):
        return False
    total = sum(int(d) * w for d, w in zip(number[:17], _WEIGHTS, strict=True))
    if _CHECK[total % 11] != number[17].upper():
        return False
    try:
        born = date(int(number[6:10]), int(number[10:12]), int(number[12:14]))
    except ValueError:
        return False
    return date(1900, 1, 1) <= born <= date.today()


def luhn(number: str) -> bool:
    digits = [int(d) for d in number if d.isdigit()]
    total = 0
    for i, d in enumerate(reversed(digits)):
        if i % 2:
            d = d * 2 - 9 if d > 4 else d * 2
        total += d
    return total % 10 == 0


def _keep_ends(value: str, head: int, tail: int) -> str:
    """Mask the digits (and letters) of `value` except the first `head` and last `tail`,
    keeping separators, so the masked text reads like the original."""
    positions = [i for i, c in enumerate(value) if c.isalnum()]
    hidden = set(positions[head:len(positions) - tail] if tail else positions[head:])
    return "".join("*" if i in hidden else c for i, c in enumerate(value))


def _classify(text: str, start: int, run: str) -> str | None:
    digits = normal(run)
    before = text[max(0, start - 12):start]
    n = len(digits)
    if _ID_KEY.search(before) and 14 <= n <= 19:
        return "id_card"
    if n == 18 and valid_resident_id(digits):
        return "id_card"
    if _QQ_KEY.search(before) and 5 <= n <= 11:
        return "qq"
    if _CARD_KEY.search(before) and 12 <= n <= 25:
        return "bank_card"
    if re.fullmatch(r"(?:0086|86)?1[3-9]\d{9}", digits):
        return "mobile"
    if 16 <= n <= 19 and (luhn(digits) or re.fullmatch(r"\d{4}(?:[ \-]\d{4}){3}[ \-]\d{1,3}|\d{4}(?:[ \-]\d{4}){3}",
                                                     unicodedata.normalize("NFKC", run))):
        return "bank_card"  # Luhn, or written in groups of four as cards are
    if re.fullmatch(r"0\d{9,11}", digits) or (_PHONE_KEY.search(before) and 7 <= n <= 8):
        return "landline"
    return None


def _mask(kind: str, value: str) -> str:
    digits = normal(value)
    if kind in ("id_card", "bank_card"):
        return _keep_ends(value, 4, 4)
    if kind == "mobile":
        return _keep_ends(value, 3 + (len(digits) - 11), 4)
    if kind == "landline":
        area = 3 if digits[:2] in ("01", "02") else 4 if digits.startswith("0") else 0
        return _keep_ends(value, area, 2)
    if kind == "qq":
        return _keep_ends(value, 2, 2)
    if kind == "wechat":
        return value[:2] + "*" * max(len(value) - 2, 4)
    if kind == "email":
        return value[0] + "***@" + value.split("@", 1)[1]
    if kind == "plate":
        return value[:2] + "*****"
    if kind == "address":
        return re.sub(r"[0-9０-９一二三四五六七八九十百零〇两A-Za-z]", "*", value)
    return mask_name(value)


def _candidates(text: str, names: Iterable[str], phones: Iterable[str],
                others: Iterable[str] = ()) -> list[tuple[int, int, str]]:
    """(start, end, kind) of everything that looks personal, strongest detector first."""
    out = []
    for phone in phones:
        for m in re.finditer(re.escape(phone), text) if len(normal(phone)) >= 5 else ():
            out.append((m.start(), m.end(), "mobile" if normal(phone).startswith("1") else "landline"))
    for name in names:
        for m in re.finditer(re.escape(name), text) if len(name) >= 2 else ():
            out.append((m.start(), m.end(), "name"))
    out += [(m.start(1), m.end(1), "wechat") for m in _WECHAT.finditer(text)]
    out += [(m.start(), m.end(), "email") for m in _EMAIL.finditer(text)]
    out += [(m.start(), m.end(), "landline") for m in _PAREN_LANDLINE.finditer(text)]
    for m in _RUN.finditer(text):
        out += _runs(text, m.start(), m.group(0))
    out += [(m.start(), m.end(), "plate") for m in _PLATE.finditer(text)]
    for m in _ADDRESS.finditer(text):
        parts = len(re.findall(_PART, m.group(0)))
        before = text[max(0, m.start() - 14):m.start()]
        if not _NOT_ADDRESS.search(before) and (parts >= 2 or _PLACE.search(before)):
            out.append((m.start(), m.end(), "address"))
    people = dict.fromkeys(others) | {text[s:e]: None for s, e in find_names(text)}
    # A name found once is masked wherever it appears, even where no cue precedes it.
    out += [(m.start(), m.end(), "person") for p in people for m in re.finditer(re.escape(p), text)]
    return out


def _runs(text: str, start: int, run: str) -> list[tuple[int, int, str]]:
    """A digit run as one number, or else as the numbers its spaces (then dashes) separate:
    "0915-3212345 13912345678" is two phone numbers, not one 22-digit number."""
    kind = _classify(text, start, run)
    if kind:
        return [(start, start + len(run), kind)]
    for piece in (r"[^ \u3000]+", r"[^\-－ \u3000]+"):
        pieces = list(re.finditer(piece, run))
        if len(pieces) > 1:
            return [hit for m in pieces for hit in _runs(text, start + m.start(), m.group(0))]
    return []


def redact(text: str, names: tuple[str, ...] = (), phones: tuple[str, ...] = (), *,
           allowed: Iterable[str] = (), keep: Iterable[str] = (),
           others: Iterable[str] = ()) -> tuple[str, list[Finding]]:
    """The text with personal data masked, and exactly what was masked (for the reviewer).
    `names`, `phones`: the writer's; `others`: other people's names known to be in it.
    `allowed`: public names never masked as people (units, the office's list);
    `keep`: values the reviewer restored (compared with `normal`)."""
    names = tuple(n.strip() for n in names if n and n.strip())
    phones = tuple(p.strip() for p in phones if p and p.strip())
    kept = {normal(k) for k in keep}
    protected = [(m.start(), m.end()) for a in allowed if len(a) >= 2 for m in re.finditer(re.escape(a), text)]
    chosen: list[tuple[int, int, str]] = []
    others = tuple(o for o in others if o and len(o) >= 2)
    for start, end, kind in _candidates(text, names, phones, others):
        value = text[start:end]
        if normal(value) in kept or any(s < end and start < e for s, e, _ in chosen):
            continue
        if kind == "person" and any(s <= start and end <= e for s, e in protected):
            continue
        chosen.append((start, end, kind))
    found, out, last = [], [], 0
    for start, end, kind in sorted(chosen):
        value = text[start:end]
        masked = _mask(kind, value)
        found.append(Finding(kind, value, masked))
        out += [text[last:start], masked]
        last = end
    out.append(text[last:])
    return "".join(out), found
