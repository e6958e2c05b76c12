"""Tables are refused before they are parsed when they are too big uncompressed or have
too many rows (a 1,000,000-row xlsx of a few hundred KB kept a web worker busy for 25 s),
and a table with a header and no data rows is an error, not a round that passes 100%."""

import io
import time
import zipfile

import pytest

from casework import importing
from workflows.errors import Invalid

HEADER = "序号,网站名称,网址,网站标识码,主要问题,复查结果\n"

CONTENT_TYPES = """<?xml version="1.0" encoding="UTF-8"?>
<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">
<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>
<Default Extension="xml" ContentType="application/xml"/>
<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>
<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>
</Types>"""
RELS = """<?xml version="1.0" encoding="UTF-8"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">
<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/>
</Relationships>"""
WORKBOOK = """<?xml version="1.0" encoding="UTF-8"?>
<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">
<sheets><sheet name="Sheet1" sheetId="1" r:id="rId1"/></sheets></workbook>"""
WORKBOOK_RELS = """<?xml version="1.0" encoding="UTF-8"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">
<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/>
</Relationships>"""


def _cell(text: str) -> str:
    return f'<c t="inlineStr"><is><t>{text}</t></is></c>'


def xlsx_with_rows(n: int) -> bytes:
    """A real xlsx (opens in Excel and openpyxl) with a header and n identical rows. Cell
    and row references are optional in OOXML: without them the rows repeat byte for byte
    and deflate shrinks a million of them to a few hundred KB."""
    header = "".join(_cell(t) for t in ("序号", "网站名称", "网址", "主要问题"))
    rows = f"<row><c/>{_cell('某网站')}<c/>{_cell('1个错链接')}</row>" * n
    sheet = ('<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats.org/'
             f'spreadsheetml/2006/main"><sheetData><row>{header}</row>{rows}</sheetData></worksheet>')
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as z:
        for name, text in (("[Content_Types].xml", CONTENT_TYPES), ("_rels/.rels", RELS),
                           ("xl/workbook.xml", WORKBOOK), ("xl/_rels/workbook.xml.rels", WORKBOOK_RELS),
                           ("xl/worksheets/sheet1.xml", sheet)):
            z.writestr(name, text)
    return buffer.getvalue()


@pytest.fixture(scope="module")
def million_rows() -> bytes:
    return xlsx_with_rows(1_000_000)


def test_the_generator_makes_a_table_openpyxl_reads():
    rows = importing.parse(xlsx_with_rows(3), "t.xlsx")
    assert [r.items for r in rows] == [["1个错链接"]] * 3


def test_a_million_row_xlsx_is_refused_before_parsing(million_rows, capsys):
    assert len(million_rows) < 1024 * 1024  # small on the wire: it passes the 5 MB upload cap
    started = time.perf_counter()
    with pytest.raises(Invalid) as refused:
        importing.parse(million_rows, "round.xlsx")
    elapsed = time.perf_counter() - started
    # Whichever limit it meets first (it is over both), the message names it.
    assert "请分批导入" in refused.value.fields["file"]
    with capsys.disabled():  # a figure for the report, not an assertion
        print(f"\n  1,000,000-row xlsx ({len(million_rows) // 1024} KB) refused in {elapsed:.2f} s")


def test_too_big_uncompressed_is_refused(monkeypatch):
    monkeypatch.setattr(importing, "MAX_UNCOMPRESSED", 50_000)
    with pytest.raises(Invalid) as refused:
        importing.parse(xlsx_with_rows(2000), "big.xlsx")
    assert "解压后" in refused.value.fields["file"]


def test_too_many_csv_rows_are_refused(monkeypatch):
    monkeypatch.setattr(importing, "MAX_ROWS", 100)
    table = HEADER + "".join(f"{i},网站{i},s{i}.gov.cn,,1个错链接,\n" for i in range(101))
    with pytest.raises(Invalid) as refused:
        importing.parse(table.encode(), "big.csv")
    assert "100" in refused.value.fields["file"]
    assert len(importing.parse((HEADER + "1,网站,s.gov.cn,,1个错链接,\n").encode(), "ok.csv")) == 1


@pytest.mark.parametrize("content, name", [
    (HEADER.encode(), "empty.csv"),
    (("附件1\n" + HEADER + ",,,,,\n").encode(), "blank-rows.csv"),
    (xlsx_with_rows(0), "empty.xlsx"),
])
def test_a_table_without_data_rows_is_an_error(content, name):
    with pytest.raises(Invalid) as refused:
        importing.parse(content, name)
    assert "没有数据行" in refused.value.fields["file"]


def test_too_many_xlsx_rows_are_counted_in_the_stream(monkeypatch):
    monkeypatch.setattr(importing, "MAX_ROWS", 1000)
    with pytest.raises(Invalid) as refused:
        importing.parse(xlsx_with_rows(1001), "many.xlsx")
    assert "1,000 行" in refused.value.fields["file"]
    assert len(importing.parse(xlsx_with_rows(1000), "ok.xlsx")) == 1000
