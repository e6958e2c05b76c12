"""Files attached to cases: checked here, stored with the case in one transaction."""

from __future__ import annotations

import hashlib
import mimetypes
from dataclasses import dataclass
from pathlib import PurePosixPath

from workflows.errors import Invalid

from ..extensions import db
from ..models import Attachment, Case
from . import file_types

MAX_FILE_BYTES = 10 * 1024 * 1024
MAX_FILES = 5
# The type is decided by the extension and the content (file_types), never by what the
# browser claims.
ALLOWED = file_types.EXPECTED


@dataclass(frozen=True)
class Upload:
    filename: str
    data: bytes


def check(uploads: list[Upload], field: str = "files") -> list[Upload]:
    uploads = [u for u in uploads if u.filename]
    if len(uploads) > MAX_FILES:
        raise Invalid({field: f"最多上传 {MAX_FILES} 个附件。"})
    for u in uploads:
        suffix = PurePosixPath(u.filename.lower()).suffix
        if suffix not in ALLOWED:
            raise Invalid({field: f"“{u.filename}”的类型不允许，仅支持 PDF、图片、Word、Excel 和文本文件。"})
        if len(u.data) > MAX_FILE_BYTES:
            raise Invalid({field: f"“{u.filename}”超过 10 MB。"})
        if not u.data:
            raise Invalid({field: f"“{u.filename}”是空文件。"})
        if not file_types.matches(suffix, u.data):
            raise Invalid({field: f"“{u.filename}”的内容与扩展名不符。"})
    return uploads


def _safe_name(name: str) -> str:
    base = name.replace("\\", "/").rsplit("/", 1)[-1].strip() or "附件"
    return "".join(c for c in base if c.isprintable() and c not in '<>:"|?*')[:200]


def attach(case: Case, uploads: list[Upload], uploaded_by_id: int | None,
           reply=None) -> list[Attachment]:
    """Add already checked uploads to the session (the caller commits)."""
    rows = []
    for u in uploads:
        name = _safe_name(u.filename)
        rows.append(Attachment(case_id=case.id, reply=reply, filename=name,
                               content_type=mimetypes.guess_type(name)[0] or "application/octet-stream",
                               size=len(u.data), sha256=hashlib.sha256(u.data).hexdigest(),
                               data=u.data, uploaded_by_id=uploaded_by_id))
    db.session.add_all(rows)
    return rows
