"""Both 通报 as python-docx reads them: GB/T 9704-2012 page, fonts and sizes by style and
run, 文号 and its red line, the page number field, tables with a repeated header, rows
kept whole, 合计 and no pseudo-unit."""

import io
import zipfile
from pathlib import Path

import pytest
from docx import Document
from docx.oxml.ns import qn
from docx.shared import Pt

from casework.documents import builder, gbt9704
from casework.documents.render import shipped
from tests.documents.conftest import MARKUP_UNIT

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


def east_asian(style) -> str | None:
    """The East Asian font a style gives, following its base styles."""
    while style is not None:
        rpr = style.element.rPr
        fonts = rpr.find(qn("w:rFonts")) if rpr is not None else None
        if fonts is not None and fonts.get(qn("w:eastAsia")):
            return fonts.get(qn("w:eastAsia"))
        style = style.base_style
    return None


def size(style) -> float:
    while style.font.size is None:
        style = style.base_style
    return style.font.size.pt


@pytest.fixture(params=["monthly", "quarterly"])
def doc(request, monthly_docx, quarterly_docx):
    return Document(io.BytesIO(monthly_docx if request.param == "monthly" else quarterly_docx))


def test_page_is_a4_with_the_standard_margins(doc):
    section = doc.sections[0]
    measured = [round(v.mm, 1) for v in (section.page_width, section.page_height, section.top_margin,
                                         section.bottom_margin, section.left_margin, section.right_margin)]
    assert measured == [210, 297, 37, 35, 28, 26]  # 版心 156 × 225 mm (stored in twips)
    grid = section._sectPr.find(qn("w:docGrid"))
    assert grid.get(qn("w:linePitch")) == "579"  # 22 lines in 225 mm


def test_fonts_and_sizes_by_style(doc):
    styles = doc.styles
    expected = {"公文标题": ("方正小标宋简体", 22), "公文正文": ("仿宋_GB2312", 16), "一级标题": ("黑体", 16),
                "二级标题": ("楷体_GB2312", 16), "二级标题字符": ("楷体_GB2312", 16), "三级标题字符": ("仿宋_GB2312", 16),
                "发文机关标志": ("方正小标宋简体", 36), "发文字号": ("仿宋_GB2312", 16), "成文日期": ("仿宋_GB2312", 16),
                "页码": ("宋体", 14)}
    for name, (font, pt) in expected.items():
        style = styles[name]
        assert (east_asian(style), size(style)) == (font, pt), name
    assert styles["发文机关标志"].font.color.rgb == gbt9704_red()
    assert styles["三级标题字符"].font.bold and not styles["一级标题"].font.bold
    # No theme fonts and no blue headings left over from python-docx's template.
    xml = doc.styles.element.xml
    assert "asciiTheme" not in xml.split("<w:style ")[0] and "365F91" not in doc.element.xml


def gbt9704_red():
    from docx.shared import RGBColor
    return RGBColor.from_string(gbt9704.RED)


def test_runs_use_the_styles_fonts(doc):
    """No run overrides a font or size: what the styles say is what is printed."""
    for paragraph in doc.paragraphs:
        for run in paragraph.runs:
            fonts = run._r.rPr.find(qn("w:rFonts")) if run._r.rPr is not None else None
            assert fonts is None or fonts.get(qn("w:eastAsia")) is None, paragraph.text
            assert run.font.size is None, paragraph.text
    title = next(p for p in doc.paragraphs if p.style.name == "公文标题")
    assert title.text.startswith("安康市人民政府办公室关于") and title.text.endswith("的通报")
    lead = next(r for p in doc.paragraphs for r in p.runs
                if r.style.name in ("三级标题字符", "二级标题字符") and r.text)
    assert lead.text.endswith("。")


def test_masthead_number_red_line_signature_and_date(doc):
    paragraphs = doc.paragraphs
    assert paragraphs[0].text == "安康市人民政府办公室" and paragraphs[0].style.name == "发文机关标志"
    number = paragraphs[1]
    assert number.style.name == "发文字号" and number.text in ("安政办函〔2026〕12号", "安政办函〔2020〕21号")
    line = number._p.pPr.find(qn("w:pBdr")).find(qn("w:bottom"))
    assert line.get(qn("w:color")) == gbt9704.RED and line.get(qn("w:val")) == "single"
    date = next(p for p in paragraphs if p.style.name == "成文日期")
    assert date.text in ("2026年12月1日", "2020年3月4日")  # 年月日, no leading zeros
    assert next(p for p in paragraphs if p.style.name == "发文机关署名").text == "安康市人民政府办公室"
    assert any(p.text.startswith("附件：") for p in paragraphs)


def test_page_numbers_in_odd_and_even_footers(doc):
    section = doc.sections[0]
    assert doc.settings.odd_and_even_pages_header_footer
    for footer, align in ((section.footer, "right"), (section.even_page_footer, "left")):
        p = footer.paragraphs[0]
        instr = "".join(t.text for t in p._p.iter(qn("w:instrText")))
        assert instr.strip() == "PAGE" and p.text == "— 1 —"
        assert p.alignment is not None and p.alignment.name.lower() == align  # 单页居右、双页居左
        indent = p.paragraph_format.right_indent if align == "right" else p.paragraph_format.left_indent
        assert indent == Pt(14)  # 空一字


def test_tables_repeat_their_header_keep_rows_whole_and_total(doc):
    assert doc.tables
    for table in doc.tables:
        rows = table.rows
        assert rows[0]._tr.trPr.find(qn("w:tblHeader")) is not None
        assert all(r._tr.trPr.find(qn("w:cantSplit")) is not None for r in rows)
        assert rows[0].cells[0].text == "序号" and rows[-1].cells[0].text.startswith("合计")
        widths = [int(c.get(qn("w:w"))) for c in table._tbl.tblGrid.findall(qn("w:gridCol"))]
        assert abs(sum(widths) - gbt9704.mm_to_twips(156)) <= len(widths)  # as wide as the 版心
        assert table._tbl.tblPr.find(qn("w:tblLayout")).get(qn("w:type")) == "fixed"


def test_monthly_unit_table(monthly_docx):
    doc = Document(io.BytesIO(monthly_docx))
    table = doc.tables[0]
    body = [[c.text for c in r.cells] for r in table.rows[1:-1]]
    names = [r[1] for r in body]
    assert len(body) == 42 and "未派单" not in names and MARKUP_UNIT in names  # markup stays text
    assert [r[0] for r in body] == [str(i) for i in range(1, 43)]  # 序号
    total = [c.text for c in table.rows[-1].cells]
    assert int(total[2]) == sum(int(r[2]) for r in body) and int(total[3]) == sum(int(r[3]) for r in body)
    assert "未派单" not in "\n".join(p.text for p in doc.paragraphs)
    assert any("另有3封来信尚待派单" in p.text for p in doc.paragraphs)
    assert any("受理来信不少于10封的" in p.text for p in doc.paragraphs)


def test_quarterly_structure_as_seed_003(quarterly_docx, round_data):
    doc = Document(io.BytesIO(quarterly_docx))
    headings = [p.text for p in doc.paragraphs if p.style.name == "一级标题"]
    assert headings == ["一、总体情况", "二、存在问题", "三、工作要求"]
    text = "\n".join(p.text for p in doc.paragraphs)
    assert round_data["summary"]["line"] in text
    assert "附件：1. 2020年一季度政府网站复查结果" in text and "2. 2020年一季度政务新媒体检查结果" in text
    sites, accounts = doc.tables
    assert [c.text for c in sites.rows[0].cells] == ["序号", "网站名称", "网址", "网站标识码", "主要问题", "复查结果"]
    assert len(sites.rows) == 1 + 31 + 1 and sites.rows[-1].cells[-1].text == "不合格4家"
    assert [c.text for c in accounts.rows[0].cells][:3] == ["序号", "类别", "主办单位"] and len(accounts.rows) == 16
    # 类别 is merged down its group, as in the seed's 附件 2.
    merges = [tc.tcPr.find(qn("w:vMerge")).get(qn("w:val")) for tc in
              (r._tr.findall(qn("w:tc"))[1] for r in accounts.rows[1:3])]
    assert merges == ["restart", "continue"]


def test_shipped_templates_are_what_the_builder_makes(tmp_path):
    """The committed .docx files are reproducible from builder.py (reviewable as code)."""
    built = builder.build_all(tmp_path)
    parts = ("word/document.xml", "word/styles.xml", "word/settings.xml", "word/fontTable.xml")
    for path in built:
        with zipfile.ZipFile(path) as new, zipfile.ZipFile(shipped(Path(path).stem)) as old:
            for part in parts:
                assert new.read(part) == old.read(part), f"{path.name}:{part}: run builder.build_all"


def test_an_office_replaces_a_template_by_setting(tmp_path, monthly_docx):
    """NOTICE_TEMPLATE_MONTHLY names the office's own file; a missing one stops the app."""
    from casework import create_app
    from casework.documents import monthly
    from tests.conftest import BASE_CONFIG
    from tests.documents.conftest import CONFIG, month_snapshot

    app = create_app({**BASE_CONFIG, "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'x.db'}"})
    result = app.test_cli_runner().invoke(args=["notices", "export-templates", str(tmp_path / "own")])
    assert result.exit_code == 0 and (tmp_path / "own" / "monthly.docx").exists()
    own = Document(tmp_path / "own" / "monthly.docx")
    own.paragraphs[0].runs[0].text = "安康市人民政府办公室文件"  # the office's own masthead
    own.save(tmp_path / "own" / "monthly.docx")
    snap, notice = month_snapshot()
    content = monthly.docx_bytes(snap, notice, {**CONFIG, "NOTICE_TEMPLATE_MONTHLY": str(tmp_path / "own" / "monthly.docx")})
    assert Document(io.BytesIO(content)).paragraphs[0].text == "安康市人民政府办公室文件"
    assert Document(io.BytesIO(monthly_docx)).paragraphs[0].text == "安康市人民政府办公室"
    with pytest.raises(RuntimeError, match="NOTICE_TEMPLATE_QUARTERLY"):
        create_app({**BASE_CONFIG, "NOTICE_TEMPLATE_QUARTERLY": str(tmp_path / "missing.docx")})
