"""What a file really is, by its content: filetype (a kept library) recognises PDF,
images and OOXML packages; office files are then checked by their structure, which
magic bytes alone cannot tell (every .docx starts like any zip, and .doc/.xls share the
OLE compound-file header)."""

from __future__ import annotations

import io
import zipfile

import filetype

OLE_HEADER = bytes.fromhex("D0CF11E0A1B11AE1")
_OOXML_MAIN = {".docx": "word/document.xml", ".xlsx": "xl/workbook.xml"}
# Extension -> the MIME type filetype must see (None: checked by structure below).
EXPECTED = {
    ".pdf": "application/pdf", ".png": "image/png", ".jpg": "image/jpeg", ".jpeg": "image/jpeg",
    ".docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    ".xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    ".doc": None, ".xls": None, ".txt": None,
}


def matches(suffix: str, data: bytes) -> bool:
    """Whether `data` is a file of the type its extension `suffix` names."""
    seen = filetype.guess_mime(data)
    if suffix in _OOXML_MAIN:
        return seen == EXPECTED[suffix] and _ooxml_package(data, _OOXML_MAIN[suffix])
    if suffix in (".doc", ".xls"):
        return _ole(data)
    if suffix == ".txt":
        return seen is None and not data.startswith(OLE_HEADER) and _text(data)
    return seen is not None and seen == EXPECTED.get(suffix)


def _ooxml_package(data: bytes, main_part: str) -> bool:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as package:
            names = set(package.namelist())
    except (zipfile.BadZipFile, ValueError):
        return False
    return "[Content_Types].xml" in names and main_part in names


def _ole(data: bytes) -> bool:
    # The compound-file header: signature, little-endian byte order mark, 512- or
    # 4096-byte sectors (versions 3 and 4), and room for the 512-byte header itself.
    return (len(data) >= 512 and data.startswith(OLE_HEADER) and data[28:30] == b"\xfe\xff"
            and data[30:32] in (b"\x09\x00", b"\x0c\x00"))


def _text(data: bytes) -> bool:
    if b"\0" in data:
        return False
    for encoding in ("utf-8", "gb18030"):
        try:
            data.decode(encoding)
            return True
        except UnicodeDecodeError:
            continue
    return False
