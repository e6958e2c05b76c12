"""Attachments are what their extension says, checked by content with a kept library
(filetype) plus the structure of office files: an OOXML file (.docx/.xlsx) must be a zip
holding its content-types part and its main part, an OLE file (.doc/.xls) must start
with the compound-file header."""

import io
import zipfile

import pytest

from casework.services.attachments import Upload, check
from workflows.errors import Invalid

OLE = bytes.fromhex("D0CF11E0A1B11AE1") + b"\0" * 16 + bytes.fromhex("3E000300FEFF0900") + b"\0" * 480


def _zip(**parts: str) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as z:
        for name, text in parts.items():
            z.writestr(name.replace("__", "/").replace("CT", "[Content_Types].xml"), text)
    return buffer.getvalue()


def _docx() -> bytes:
    from docx import Document

    buffer = io.BytesIO()
    Document().save(buffer)
    return buffer.getvalue()


def _xlsx() -> bytes:
    import openpyxl

    buffer = io.BytesIO()
    openpyxl.Workbook().save(buffer)
    return buffer.getvalue()


GOOD = [
    ("整改报告.docx", _docx()), ("台账.xlsx", _xlsx()), ("旧报告.doc", OLE), ("旧台账.xls", OLE),
    ("现场.pdf", b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<<>>\nendobj\n"),
    ("现场.png", b"\x89PNG\r\n\x1a\n" + b"\0" * 32), ("现场.jpg", b"\xff\xd8\xff\xe0" + b"\0" * 32),
    ("说明.txt", "已于3月5日完成整改。".encode()), ("说明2.txt", "已完成整改".encode("gb18030")),
]
BAD = [
    ("任意压缩包.docx", _zip(a_txt="hello")),                         # any zip is not a .docx
    ("没有类型表.docx", _zip(word__document_xml="<w/>")),             # no [Content_Types].xml
    ("表格冒充.docx", _xlsx()),                                       # an xlsx is not a .docx
    ("文档冒充.xlsx", _docx()),
    ("随便什么.doc", b"MZ\x90\x00" + b"\0" * 100),                     # an .exe as .doc
    ("随便什么.xls", "纯文本".encode()),
    ("程序.pdf", b"MZ\x90\x00" + b"\0" * 100),
    ("图片.png", b"%PDF-1.4\n"),
    ("二进制.txt", b"\x7fELF\x02\x01\x01" + b"\0" * 64),
    ("压缩包.txt", _zip(a_txt="hello")),
]


@pytest.mark.parametrize("name, data", GOOD, ids=[g[0] for g in GOOD])
def test_real_files_are_accepted(name, data):
    assert check([Upload(name, data)]) == [Upload(name, data)]


@pytest.mark.parametrize("name, data", BAD, ids=[b[0] for b in BAD])
def test_files_that_are_not_what_they_claim_are_refused(name, data):
    with pytest.raises(Invalid) as caught:
        check([Upload(name, data)])
    assert "内容与扩展名不符" in caught.value.fields["files"]
