"""Reading inspection result tables as offices really make them (pandas).

Two shapes, those of the notices' 附件: websites (序号, 网站名称, 网址, 网站标识码, 主要问题,
复查结果) and new-media accounts (类别, 主办单位, 政务微信, 政务微博, 最后更新时间, 问题类别).
Tables exported from office documents have a title above the header, merged cells
(a blank means "same as above"), full-width punctuation, stray spaces and dates like
`2020. 2. 9`. Nothing here touches the database: rows come out parsed, with warnings and
errors in Chinese, for the service to match and the user to preview.
"""

from __future__ import annotations

import csv
import io
import re
import unicodedata
import zipfile
from dataclasses import asdict, dataclass, field
from datetime import date

import pandas as pd

from workflows.errors import Invalid

# Limits checked before anything is parsed: a few hundred KB of xlsx can expand to a
# million rows. A province's round is a few thousand rows; the benchmark imports 100,000.
MAX_ROWS = 100_000
MAX_UNCOMPRESSED = 64 * 1024 * 1024
_CHUNK = 1024 * 1024

WEBSITE_COLUMNS = ("网站名称", "网址", "主要问题")
MEDIA_COLUMNS = ("主办单位", "问题类别")
MERGED = ("类别", "主办单位", "网站名称", "网址", "网站标识码")  # a blank cell means "same as above"
VERDICTS = {"合格": "pass", "存在问题": "issues", "不合格": "fail"}
# 单项否决 (国办秘函〔2019〕19号): a site whose home page was not updated for two weeks, an
# account not updated (僵尸) or stopped without being cancelled fails whatever its score.
# A table without a 复查结果 records these as 不合格.
VETO = {"stale_homepage": "首页长期不更新", "zombie_account": "僵尸账号", "not_deregistered": "停运未注销"}
# First matching keyword decides the category of an item (the catalogue's codes).
CATEGORY_RULES = (
    ("僵尸", "zombie_account"), ("停运未注销", "not_deregistered"), ("空栏目", "empty_columns"),
    ("栏目为空", "empty_columns"), ("错链接", "broken_links"), ("首页", "stale_homepage"),
    ("更新", "stale_columns"), ("领导", "leaders_info"), ("指南", "disclosure_docs"),
    ("年报", "disclosure_docs"), ("制度", "disclosure_docs"), ("留言", "message_stats"),
    ("标识", "site_identity"), ("域名", "site_identity"), ("ICP", "site_identity"),
)
CATEGORIES = {
    "stale_columns": "栏目更新不及时", "empty_columns": "空栏目", "broken_links": "错链接",
    "stale_homepage": "首页长期不更新", "leaders_info": "领导信息不全",
    "disclosure_docs": "信息公开指南/年报/制度缺失", "message_stats": "未公开留言统计",
    "site_identity": "网站标识不规范", "zombie_account": "僵尸微信/微博", "not_deregistered": "停运未注销",
    "other": "其他",
}


@dataclass
class Row:
    line: int                      # line in the spreadsheet, as the user sees it
    kind: str                      # website | account
    unit_name: str | None = None
    site_name: str | None = None
    address: str | None = None
    site_code: str | None = None
    platform: str | None = None    # wechat | weibo
    account_name: str | None = None
    last_update: date | None = None
    items: list[str] = field(default_factory=list)
    category: str = "other"
    verdict: str | None = None
    source: dict[str, str] = field(default_factory=dict)  # the cells as imported
    warnings: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)

    def to_json(self) -> dict:
        data = asdict(self)
        data["last_update"] = self.last_update.isoformat() if self.last_update else None
        return data


def clean(value) -> str:
    """Half-width punctuation and digits, no stray spaces (but Chinese text unchanged)."""
    if value is None or (isinstance(value, float) and pd.isna(value)):
        return ""
    text = unicodedata.normalize("NFKC", str(value)).replace("\u3000", " ").strip()
    text = re.sub(r"\s+", " ", text)
    # Spaces next to Chinese characters are layout, not content: "5 个栏目" -> "5个栏目".
    return re.sub(r"(?<=[\u4e00-\u9fff\d]) (?=[\u4e00-\u9fff])|(?<=[\u4e00-\u9fff]) (?=\d)", "", text)


def same_name(a: str, b: str) -> bool:
    return clean(a).replace(" ", "") == clean(b).replace(" ", "")


def category_of(items: list[str]) -> str:
    for item in items:
        for keyword, code in CATEGORY_RULES:
            if keyword in item:
                return code
    return "other"


def parse_date(text: str) -> date | None:
    m = re.fullmatch(r"(\d{4})\D{1,3}(\d{1,2})\D{1,3}(\d{1,2})\D?", text.replace(" ", ""))
    if not m:
        raise ValueError(text)
    return date(int(m.group(1)), int(m.group(2)), int(m.group(3)))


def _too_many_rows() -> Invalid:
    return Invalid({"file": f"表格超过 {MAX_ROWS:,} 行，请分批导入。"})


def check_xlsx_size(content: bytes) -> None:
    """Refuse a workbook whose parts expand past MAX_UNCOMPRESSED or whose sheets hold more
    than MAX_ROWS rows, reading the decompressed XML as a stream (never all of it at once)."""
    try:
        package = zipfile.ZipFile(io.BytesIO(content))
    except zipfile.BadZipFile:
        return  # not a zip: the reader below says the file is not a spreadsheet
    with package:
        infos = package.infolist()
        if sum(i.file_size for i in infos) > MAX_UNCOMPRESSED:
            raise Invalid({"file": f"表格解压后超过 {MAX_UNCOMPRESSED // 1024 // 1024} MB，请分批导入。"})
        rows, read = 0, 0
        for info in infos:
            if not (info.filename.startswith("xl/worksheets/") and info.filename.endswith(".xml")):
                continue
            with package.open(info) as part:
                tail = b""
                while chunk := part.read(_CHUNK):
                    read += len(chunk)
                    # Declared sizes can lie: count what really comes out.
                    if read > MAX_UNCOMPRESSED:
                        raise Invalid({"file": f"表格解压后超过 {MAX_UNCOMPRESSED // 1024 // 1024} MB，请分批导入。"})
                    text = tail + chunk
                    rows += text.count(b"<row") - tail.count(b"<row")
                    tail = text[-4:]
                    if rows > MAX_ROWS + 1:  # + the header
                        raise _too_many_rows()


def read_table(content: bytes, filename: str) -> pd.DataFrame:
    """All cells as text, no header yet. Raises Invalid for what is not a spreadsheet or is
    too big to import."""
    name = filename.lower()
    if name.endswith((".xlsx", ".xlsm")):
        check_xlsx_size(content)
    try:
        if name.endswith((".xlsx", ".xlsm")):
            return pd.read_excel(io.BytesIO(content), header=None, dtype=str, engine="openpyxl")
        if name.endswith((".csv", ".txt", ".tsv")):
            for encoding in ("utf-8-sig", "gb18030"):
                try:
                    text = content.decode(encoding)
                    break
                except UnicodeDecodeError:
                    continue
            else:
                raise ValueError("encoding")
            # Title rows above the header make the file ragged: read rows, then pad them.
            delimiter = "\t" if text.count("\t") > text.count(",") else ","
            rows = [r for r in csv.reader(io.StringIO(text), delimiter=delimiter) if any(c.strip() for c in r)]
            if len(rows) > MAX_ROWS + 8:  # + the header and the title lines above it
                raise _too_many_rows()
            width = max((len(r) for r in rows), default=0)
            return pd.DataFrame([r + [""] * (width - len(r)) for r in rows], dtype=str)
    except Invalid:
        raise
    except Exception as exc:  # noqa: BLE001 - whatever the reader says, the answer is the same
        raise Invalid({"file": f"无法读取“{filename}”：文件已损坏或不是 xlsx/csv 表格。"}) from exc
    raise Invalid({"file": f"“{filename}”不是 xlsx 或 csv 文件。"})


@dataclass
class ImportRow:
    """A row of a table imported into a catalogue (knowledge entries, dispatch matters)."""

    line: int
    values: dict
    errors: list[str] = field(default_factory=list)


def mapped_rows(content: bytes, filename: str, columns: dict[str, str], required: tuple[str, ...],
                missing: str) -> list[tuple[int, dict[str, str]]]:
    """(line, {field: stripped text}) of the non-empty rows under the header, found in the
    first rows as the first one naming every `required` field (headers mapped by `columns`)."""
    frame = read_table(content, filename)
    for at in range(min(len(frame), 8)):
        header = [columns.get(clean(c).replace(" ", "")) for c in frame.iloc[at].tolist()]
        if all(r in header for r in required):
            break
    else:
        raise Invalid({"file": missing})
    out = []
    for line, record in enumerate(frame.iloc[at + 1:].itertuples(index=False), start=at + 2):
        cells = {name: ("" if value is None or value != value else str(value).strip())
                 for name, value in zip(header, record, strict=False) if name}
        if any(cells.values()):
            out.append((line, cells))
    return out


def _header(frame: pd.DataFrame) -> tuple[int, list[str]]:
    for index in range(min(len(frame), 8)):
        cells = [clean(c).replace(" ", "") for c in frame.iloc[index].tolist()]
        if "网站名称" in cells or "主办单位" in cells or "网址" in cells:
            return index, cells
    raise Invalid({"file": "找不到表头：表格应包含“网站名称、网址、主要问题”或“主办单位、问题类别”等列。"})


def _records(content: bytes, filename: str) -> tuple[list[str], list[tuple[int, dict, dict]]]:
    """(header, [(line, cleaned cells, cells as imported)]) of the data rows. A table
    with a header and no data row is refused: it would "check" nothing."""
    frame = read_table(content, filename)
    header_at, header = _header(frame)
    raw = frame.iloc[header_at + 1:].map(lambda v: "" if v is None or (isinstance(v, float) and pd.isna(v))
                                         else str(v).strip())
    raw.columns = header
    body = raw.map(clean)
    keep = (body != "").any(axis=1)
    body, raw = body[keep], raw[keep]
    if body.empty:
        raise Invalid({"file": "表格只有表头，没有数据行，未导入任何内容。"})
    if len(body) > MAX_ROWS:
        raise _too_many_rows()
    for column in MERGED:
        if column in body.columns:
            body[column] = body[column].replace("", pd.NA).ffill().fillna("")
            raw[column] = raw[column].replace("", pd.NA).ffill().fillna("")
    return header, [(int(line) + 1, record, source) for line, record, source in
                    zip(body.index, body.to_dict("records"), raw.to_dict("records"), strict=True)]


def _require(header: list[str], required: tuple[str, ...]) -> None:
    missing = [c for c in required if c not in header]
    if missing:
        raise Invalid({"file": f"缺少必需的列：{'、'.join(missing)}。"})


def parse(content: bytes, filename: str) -> list[Row]:
    """A result table (附件 1 or 2): every row a site or account with its problems."""
    header, records = _records(content, filename)
    if "网站名称" in header:
        required, shape = WEBSITE_COLUMNS, _website_rows
    else:
        required, shape = MEDIA_COLUMNS, _media_rows
    _require(header, required)
    rows = []
    for line, record, source in records:
        for row in shape(line, record):
            row.source = {column: text for column, text in source.items() if column}
            _veto(row)
            rows.append(row)
    return rows


def parse_list(content: bytes, filename: str) -> list[Row]:
    """A list of what was checked without problems: websites (网站名称 / 网址 / 网站标识码)
    or accounts (主办单位 with 政务微信 / 政务微博)."""
    header, records = _records(content, filename)
    if "网站名称" in header or "网址" in header:
        return [_website_rows(line, record, listing=True)[0] for line, record, _ in records]
    _require(header, ("主办单位",))
    if "政务微信" not in header and "政务微博" not in header:
        raise Invalid({"file": "账号名单应包含“政务微信”或“政务微博”列。"})
    return [row for line, record, _ in records for row in _media_rows(line, record, listing=True)]


def _veto(row: Row) -> None:
    if row.verdict is not None or row.errors:
        return
    vetoed = [VETO[code] for code in VETO if code in {category_of([item]) for item in row.items}]
    if vetoed:
        row.verdict = "fail"
        row.warnings.append(f"{'、'.join(vetoed)}属单项否决，表中无复查结果，记为不合格。")


def _items(text: str) -> list[str]:
    return [part.strip() for part in re.split(r"[;；]", text) if part.strip()]


def _website_rows(line: int, record: dict, listing: bool = False) -> list[Row]:
    row = Row(line, "website", site_name=record.get("网站名称", ""), address=record.get("网址", "").lower().rstrip("/"),
              items=_items(record.get("主要问题", "")))
    row.address = re.sub(r"^https?://", "", row.address) or None
    code = record.get("网站标识码", "").replace(" ", "")
    if code and re.fullmatch(r"\d{10}", code):
        row.site_code = code
    elif code:
        row.warnings.append(f"网站标识码“{code}”应为 10 位数字，已忽略。")
    verdict = record.get("复查结果", "")
    if verdict:
        row.verdict = VERDICTS.get(verdict.replace(" ", ""))
        if row.verdict is None:
            row.warnings.append(f"复查结果“{verdict}”不是 合格/存在问题/不合格 之一，已忽略。")
    if not row.items and not listing:
        row.errors.append("“主要问题”为空。")
    if not row.site_name and not row.address:
        row.errors.append("缺少网站名称和网址。")
    row.category = category_of(row.items)
    return [row]


def _media_rows(line: int, record: dict, listing: bool = False) -> list[Row]:
    rows = []
    for column, platform in (("政务微信", "wechat"), ("政务微博", "weibo")):
        name = record.get(column, "")
        if not name:
            continue
        row = Row(line, "account", unit_name=record["主办单位"], platform=platform, account_name=name,
                  items=_items(record.get("问题类别", "")))
        updated = record.get("最后更新时间", "")
        if updated:
            try:
                row.last_update = parse_date(updated)
            except ValueError:
                row.warnings.append(f"最后更新时间“{updated}”不是日期，按无更新记录处理。")
        if not row.unit_name:
            row.errors.append("缺少主办单位。")
        if not row.items and not listing:
            row.errors.append("“问题类别”为空。")
        row.category = category_of(row.items)
        rows.append(row)
    if not rows:
        rows.append(Row(line, "account", unit_name=record.get("主办单位"),
                        errors=["政务微信和政务微博均为空。"]))
    return rows
