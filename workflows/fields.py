"""Input fields of workflow events: declared once, used to validate and to draw forms."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any, Literal

from .clock import TZ
from .errors import Invalid

Kind = Literal["text", "textarea", "choice", "choices", "unit", "units", "case_number", "date", "datetime",
               "int", "bool", "phone", "items"]
_LIST_SEPARATORS = re.compile(r"[\s,，、;；]+")

_MOBILE = re.compile(r"1[3-9]\d{9}")
_LANDLINE = re.compile(r"0\d{9,11}")  # area code (3 or 4 digits with its 0) and 7-8 digits
_PHONE_NOISE = re.compile(r"[\s\-()（）]")


def phone_number(raw: str) -> str | None:
    """The one phone rule: a mainland mobile, or a landline with its area code, as people
    write them (spaces, dashes, brackets, +86 / 0086). Returns it in one form
    (13909150001, 0915-3212345, 010-12345678) so the same number always compares equal,
    or None if it is not a phone number."""
    digits = _PHONE_NOISE.sub("", unicodedata.normalize("NFKC", raw))  # full-width digits from an IME too
    for prefix in ("+86", "0086"):
        if digits.startswith(prefix):
            digits = digits[len(prefix):]
    if _MOBILE.fullmatch(digits):
        return digits
    if _LANDLINE.fullmatch(digits):
        area = 3 if digits[1] in "12" else 4  # 010 and 02x; every other area code has 4 digits
        return f"{digits[:area]}-{digits[area:]}"
    return None


@dataclass(frozen=True)
class Field:
    name: str
    label: str
    kind: Kind = "text"
    required: bool = True
    choices: tuple[tuple[str, str], ...] = ()
    max_length: int = 2000
    minimum: int | None = None
    maximum: int | None = None
    # Rarely needed (an office override, a reference the suggestion button fills in): the
    # form folds it away under 更多选项 unless it holds a value or an error.
    folded: bool = False

    def clean(self, raw: Any) -> Any:
        """The parsed value, None when absent; raises ValueError with a Chinese message."""
        if self.kind == "items":
            return self._items(raw)
        if isinstance(raw, str):
            raw = raw.strip()
        if self.kind == "units":
            return self._clean_codes(raw)
        if self.kind == "choices" and isinstance(raw, str):
            raw = [raw]  # one box ticked, as a form or a JSON string sends it
        if raw is None or raw == "" or raw == []:
            if self.required:
                raise ValueError(f"请选择{self.label}。" if self.kind in ("choice", "choices", "unit") else f"请填写{self.label}。")
            return None
        if self.kind in ("text", "textarea", "unit", "case_number"):
            if not isinstance(raw, str):
                raise ValueError(f"{self.label}应为文本。")
            # A browser sends a line break as CR LF and counts it, as its maxlength does, as one.
            raw = raw.replace("\r\n", "\n").replace("\r", "\n")
            if len(raw) > self.max_length:
                raise ValueError(f"{self.label}不能超过 {self.max_length} 个字。")
            return raw
        if self.kind == "phone":
            number = phone_number(raw) if isinstance(raw, str) else None
            if number is None:
                raise ValueError("请填写正确的手机号或带区号的固定电话。")
            return number
        if self.kind == "choice":
            if not isinstance(raw, str) or raw not in dict(self.choices):
                raise ValueError(f"{self.label}的取值无效。")
            return raw
        if self.kind == "choices":
            if not isinstance(raw, list | tuple) or any(r not in dict(self.choices) for r in raw):
                raise ValueError(f"{self.label}的取值无效。")
            return list(dict.fromkeys(raw))
        if self.kind == "int":
            if isinstance(raw, bool):
                raise ValueError(f"{self.label}应为整数。")
            try:
                value = int(raw)
            except (TypeError, ValueError):
                raise ValueError(f"{self.label}应为整数。") from None
            if self.minimum is not None and value < self.minimum:
                raise ValueError(f"{self.label}不能小于 {self.minimum}。")
            if self.maximum is not None and value > self.maximum:
                raise ValueError(f"{self.label}不能大于 {self.maximum}。")
            return value
        if self.kind == "date":
            if isinstance(raw, date):
                return raw
            try:
                return date.fromisoformat(str(raw))
            except ValueError:
                raise ValueError(f"{self.label}应为 YYYY-MM-DD 格式的日期。") from None
        if self.kind == "datetime":
            if not isinstance(raw, datetime):
                try:
                    raw = datetime.fromisoformat(str(raw))
                except ValueError:
                    raise ValueError(f"{self.label}应为 ISO-8601 格式的时间，如 2026-03-05T09:30:00+08:00。") from None
            # A time typed without a zone is Beijing time: that is what officials read.
            return raw if raw.tzinfo else raw.replace(tzinfo=TZ)
        if self.kind == "bool":
            if isinstance(raw, bool):
                return raw
            if str(raw).lower() in ("1", "true", "yes", "on", "approve"):
                return True
            if str(raw).lower() in ("0", "false", "no", "off", "deny"):
                return False
            raise ValueError(f"{self.label}的取值无效。")
        raise AssertionError(self.kind)

    def _clean_codes(self, raw: Any) -> list[str] | None:
        """Unit codes, from a list (JSON, a multiple select) or one string that separates
        them with commas, 、 or spaces; without repeats, in the order given."""
        if isinstance(raw, str):
            raw = _LIST_SEPARATORS.split(raw)
        if raw is None:
            raw = []
        if not isinstance(raw, list | tuple) or not all(isinstance(c, str) for c in raw):
            raise ValueError(f"{self.label}应为单位代码的列表。")
        codes = list(dict.fromkeys(c.strip() for c in raw if c.strip()))
        if not codes:
            if self.required:
                raise ValueError(f"请选择{self.label}。")
            return None
        if len(codes) > 10 or any(len(c) > 32 for c in codes):
            raise ValueError(f"{self.label}最多 10 个单位。")
        return codes

    def _items(self, raw: Any) -> list[str] | None:
        """A list of short texts: ticked choices and typed lines (one per line) alike, each
        once, in the order given."""
        values = [raw] if isinstance(raw, str) else raw if isinstance(raw, list | tuple) else None
        if values is None and raw is not None:
            raise ValueError(f"{self.label}应为文本列表。")
        items: list[str] = []
        for value in values or ():
            if not isinstance(value, str):
                raise ValueError(f"{self.label}应为文本列表。")
            for line in value.splitlines():
                if (line := line.strip()) and line not in items:
                    if len(line) > self.max_length:
                        raise ValueError(f"{self.label}每条不能超过 {self.max_length} 个字。")
                    items.append(line)
        if not items:
            if self.required:
                raise ValueError(f"请选择或填写{self.label}。")
            return None
        return items


def clean_fields(fields: tuple[Field, ...], raw: Mapping[str, Any]) -> dict[str, Any]:
    cleaned: dict[str, Any] = {}
    errors: dict[str, str] = {}
    for field in fields:
        try:
            cleaned[field.name] = field.clean(raw.get(field.name))
        except ValueError as exc:
            errors[field.name] = str(exc)
    if errors:
        raise Invalid(errors)
    return cleaned
