"""Personal data out of text that will be public (pure functions, no Flask, no SQL).

Masked: 18-digit resident ID numbers whose check digit is right (ISO 7064 MOD 11-2) and
whose birth date exists, mobile numbers, landlines with an area code, e-mail addresses,
bank card numbers that pass the Luhn check, licence plates, and the names and phone
numbers the caller passes (the citizen's own). Numbers that fail a checksum are left
alone: an order or file number is not personal data.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

KINDS = {"id_card": "身份证号", "mobile": "手机号", "landline": "固定电话", "email": "电子邮箱",
         "bank_card": "银行卡号", "plate": "车牌号", "name": "来信人姓名"}

_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_CHECK = "10X98765432"
# Digits that are not part of a longer run of digits (or letters, for IDs ending in X).
_ID = re.compile(r"(?<![0-9A-Za-z])(\d{17}[\dXx])(?![0-9A-Za-z])")
_CARD = re.compile(r"(?<!\d)(\d{4}(?:[ -]?\d{4}){2}[ -]?\d{4,7})(?!\d)")
_MOBILE = re.compile(r"(?<!\d)(?:\+?86[ -]?)?(1[3-9]\d(?:[ -]?\d{4}){2})(?!\d)")
_LANDLINE = re.compile(r"(?<!\d)(\(?0\d{2,3}\)?[ -]?\d{7,8})(?!\d)")
_EMAIL = re.compile(r"[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}")
_PLATE = re.compile(r"[京津沪渝冀豫云辽黑湘皖鲁新苏浙赣鄂桂甘晋蒙陕吉闽贵粤青藏川宁琼]"
                    r"[A-HJ-NP-Z][·•. ]?[A-HJ-NP-Z0-9]{4,5}[A-HJ-NP-Z0-9挂学警港澳]")


@dataclass(frozen=True)
class Finding:
    kind: str
    original: str

    @property
    def label(self) -> str:
        return KINDS[self.kind]


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


def _keep(text: str, head: int, tail: int) -> str:
    chars = [c for c in text if c.isalnum()]
    return "".join(chars[:head]) + "*" * max(len(chars) - head - tail, 4) + "".join(chars[-tail:] if tail else [])


def redact(text: str, names: tuple[str, ...] = (), phones: tuple[str, ...] = ()) -> tuple[str, list[Finding]]:
    """The text with personal data masked, and what was found (for the reviewer)."""
    found: list[Finding] = []

    def sub(pattern, kind, mask, accept=lambda s: True):
        nonlocal text

        def replace(m):
            value = m.group(1) if m.groups() else m.group(0)
            if not accept(value):
                return m.group(0)
            found.append(Finding(kind, value))
            return m.group(0).replace(value, mask(value))
        text = pattern.sub(replace, text)

    for phone in (p for p in phones if p and len(re.sub(r"\D", "", p)) >= 5):
        if phone in text:
            found.append(Finding("mobile" if re.sub(r"\D", "", phone).startswith("1") else "landline", phone))
            text = text.replace(phone, _keep(phone, 3, 2))
    sub(_ID, "id_card", lambda v: _keep(v, 3, 2), valid_resident_id)
    sub(_CARD, "bank_card", lambda v: "*" * 4 + v[-4:], lambda v: luhn(v) and not valid_resident_id(v))
    sub(_MOBILE, "mobile", lambda v: _keep(v, 3, 4))
    sub(_LANDLINE, "landline", lambda v: _keep(v, 4, 2))
    sub(_EMAIL, "email", lambda v: v[0] + "***@" + v.split("@", 1)[1])
    sub(_PLATE, "plate", lambda v: v[:2] + "*****")
    for name in sorted((n.strip() for n in names if n and len(n.strip()) >= 2), key=len, reverse=True):
        if name in text:
            found.append(Finding("name", name))
            text = text.replace(name, name[0] + "某" * (len(name) - 1 if len(name) < 4 else 2))
    return text, found
