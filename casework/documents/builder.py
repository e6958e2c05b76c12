"""Builds the .docx templates shipped in casework/documents/templates/ (GB/T 9704-2012
form, Jinja tags for docxtpl). The app never runs this: it renders the shipped files, or
an office's own (NOTICE_TEMPLATE_MONTHLY / NOTICE_TEMPLATE_QUARTERLY). Kept in the
repository so the templates can be rebuilt and reviewed as code:

    flask --app wsgi notices build-templates casework/documents/templates
"""

from __future__ import annotations

from pathlib import Path

from docx import Document
from docx.enum.section import WD_SECTION_START
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt, RGBColor

from . import gbt9704 as g

BODY_PT = g.SIZE["三号"]
LINE = Pt(g.LINE_PITCH_TWIPS / 20)


def _el(tag: str, **attrs) -> OxmlElement:
    element = OxmlElement(tag)
    for key, value in attrs.items():
        element.set(qn(f"w:{key}"), str(value))
    return element


def _fonts(rpr, east_asia: str, latin: str = g.FONT["latin"]) -> None:
    for old in rpr.findall(qn("w:rFonts")):
        rpr.remove(old)
    rpr.insert(0, _el("w:rFonts", ascii=latin, hAnsi=latin, eastAsia=east_asia, cs=latin))


def _style(doc, name: str, kind=WD_STYLE_TYPE.PARAGRAPH, font=g.FONT["body"], size=BODY_PT,
           bold=False, color=None, align=None, first_line_chars=0, before_lines=0.0,
           line=LINE, page_break_before=False, keep_next=False, grid=True, outline=None):
    style = doc.styles.add_style(name, kind)
    style.base_style = doc.styles["Normal"] if kind == WD_STYLE_TYPE.PARAGRAPH else None
    style.quick_style = True
    style.font.size = Pt(size)
    style.font.bold = bold
    if color:
        style.font.color.rgb = RGBColor.from_string(color)
    rpr = style.element.get_or_add_rPr()
    _fonts(rpr, font)
    if size != BODY_PT and kind == WD_STYLE_TYPE.PARAGRAPH:
        rpr.append(_el("w:spacing", val=0))  # only 三号 text is narrowed to 28 a line
    if kind != WD_STYLE_TYPE.PARAGRAPH:
        return style
    pf = style.paragraph_format
    pf.alignment = align if align is not None else WD_ALIGN_PARAGRAPH.JUSTIFY
    pf.space_before = Pt(g.LINE_PITCH_TWIPS / 20 * before_lines)
    pf.space_after = Pt(0)
    pf.line_spacing_rule = WD_LINE_SPACING.EXACTLY
    pf.line_spacing = line
    pf.page_break_before = page_break_before
    pf.keep_with_next = keep_next
    pf.widow_control = False
    ppr = style.element.get_or_add_pPr()
    if first_line_chars:
        # "左空二字": in characters, so it follows the font size.
        ppr.append(_el("w:ind", firstLineChars=first_line_chars * 100,
                       firstLine=round(first_line_chars * size * 20)))
    if not grid:
        ppr.append(_el("w:snapToGrid", val=0))
    if outline is not None:
        ppr.append(_el("w:outlineLvl", val=outline))
    return style


def _defaults(doc) -> None:
    """Document defaults without theme fonts (python-docx's own are Calibri and blue
    headings): 三号仿宋, Chinese language, no spacing."""
    styles = doc.styles.element
    rpr = styles.find(qn("w:docDefaults")).find(qn("w:rPrDefault")).find(qn("w:rPr"))
    for child in list(rpr):
        rpr.remove(child)
    _fonts(rpr, g.FONT["body"])
    rpr.append(_el("w:sz", val=BODY_PT * 2))
    rpr.append(_el("w:szCs", val=BODY_PT * 2))
    rpr.append(_el("w:lang", val="en-US", eastAsia="zh-CN", bidi="ar-SA"))
    ppr = styles.find(qn("w:docDefaults")).find(qn("w:pPrDefault")).find(qn("w:pPr"))
    for child in list(ppr):
        ppr.remove(child)
    ppr.append(_el("w:spacing", after=0, line=g.LINE_PITCH_TWIPS, lineRule="exact"))
    normal = doc.styles["Normal"]
    _fonts(normal.element.get_or_add_rPr(), g.FONT["body"])
    normal.font.size = Pt(BODY_PT)
    normal.element.get_or_add_rPr().append(_el("w:spacing", val=g.CHAR_SPACING))


FONT_TABLE = """<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<w:fonts xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">{fonts}</w:fonts>"""
# (name, panose, family): the panose of the font Word should substitute when one is missing.
FONTS = ((g.FONT["latin"], "02020603050405020304", "roman"), ("宋体", "02010600030101010101", "auto"),
         ("仿宋_GB2312", "02010609030101010101", "modern"), ("方正小标宋简体", "02010600030101010101", "auto"),
         ("黑体", "02010609060101010101", "modern"), ("楷体_GB2312", "02010609030101010101", "modern"))


def _font_table(doc) -> None:
    """Declares the official fonts with a GB2312 charset, the panose of their look and an
    altName, so that Word on a PC without 仿宋_GB2312 or 方正小标宋简体 falls back to 仿宋 /
    宋体 rather than to a Latin font."""
    entries = []
    for name, panose, family in FONTS:
        alt = f'<w:altName w:val="{g.ALT_NAME[name]}"/>' if name in g.ALT_NAME else ""
        charset = "00" if name == g.FONT["latin"] else "86"
        entries.append(f'<w:font w:name="{name}">{alt}<w:panose1 w:val="{panose}"/><w:charset w:val="{charset}"/>'
                       f'<w:family w:val="{family}"/><w:pitch w:val="variable"/></w:font>')
    part = next(p for p in doc.part.package.parts if p.partname.endswith("/fontTable.xml"))
    part._blob = FONT_TABLE.format(fonts="".join(entries)).encode("utf-8")
    # python-docx's template carries a thumbnail of an unrelated page: drop it.
    rels = doc.part.package.rels
    for rid in [rid for rid, rel in rels.items() if rel.reltype.endswith("/thumbnail")]:
        rels.pop(rid)


def _page(doc) -> None:
    section = doc.sections[0]
    section.page_width, section.page_height = Mm(g.PAGE_MM[0]), Mm(g.PAGE_MM[1])
    section.top_margin, section.bottom_margin = Mm(g.MARGINS_MM["top"]), Mm(g.MARGINS_MM["bottom"])
    section.left_margin, section.right_margin = Mm(g.MARGINS_MM["left"]), Mm(g.MARGINS_MM["right"])
    section.header_distance = Mm(15)
    # The dash of the page number sits 7 mm below the 版心: its 14 pt line ends ~23 mm
    # above the page's edge.
    section.footer_distance = Mm(g.MARGINS_MM["bottom"] - g.PAGE_NUMBER_GAP_MM - 14 * 25.4 / 72)
    section.start_type = WD_SECTION_START.NEW_PAGE
    sect = section._sectPr
    for old in sect.findall(qn("w:docGrid")):
        sect.remove(old)
    # A grid of lines only: Word and LibreOffice then agree on every page. The 28
    # characters a line come from the body styles' character spacing (CHAR_SPACING).
    sect.append(_el("w:docGrid", type="lines", linePitch=g.LINE_PITCH_TWIPS))
    doc.settings.odd_and_even_pages_header_footer = True
    # 单页码居右空一字，双页码居左空一字.
    for footer, align in ((section.footer, WD_ALIGN_PARAGRAPH.RIGHT), (section.even_page_footer, WD_ALIGN_PARAGRAPH.LEFT)):
        footer.is_linked_to_previous = False
        p = footer.paragraphs[0]
        p.style = doc.styles["页码"]
        p.alignment = align
        indent = Pt(g.SIZE["四号"])
        if align == WD_ALIGN_PARAGRAPH.RIGHT:
            p.paragraph_format.right_indent = indent
        else:
            p.paragraph_format.left_indent = indent
        for text in ("— ", None, " —"):
            if text is None:
                _page_field(p)
                continue
            # 一字线 is a full-width dash: laid out in the East Asian font.
            p.add_run(text)._r.get_or_add_rPr().append(_el("w:rFonts", hint="eastAsia"))


def _page_field(paragraph) -> None:
    for kind, text in (("begin", None), ("instr", " PAGE "), ("separate", None), ("text", "1"), ("end", None)):
        run = paragraph.add_run()
        if kind == "instr":
            instr = _el("w:instrText")
            instr.set(qn("xml:space"), "preserve")
            instr.text = text
            run._r.append(instr)
        elif kind == "text":
            run.text = text
        else:
            run._r.append(_el("w:fldChar", fldCharType=kind))


def _styles(doc) -> None:
    center, left, right = WD_ALIGN_PARAGRAPH.CENTER, WD_ALIGN_PARAGRAPH.LEFT, WD_ALIGN_PARAGRAPH.RIGHT
    _style(doc, "公文正文", first_line_chars=2)
    _style(doc, "发文机关标志", font=g.FONT["title"], size=g.SIZE["小初"], color=g.RED, align=center,
           line=Pt(g.SIZE["小初"] * 1.2), grid=False)
    _style(doc, "发文字号", align=center, before_lines=2)
    _style(doc, "公文标题", font=g.FONT["title"], size=g.SIZE["二号"], align=center, before_lines=2,
           line=Pt(g.SIZE["二号"] * 1.45), grid=False, outline=0)
    _style(doc, "主送机关", before_lines=1)
    _style(doc, "一级标题", font=g.FONT["heading1"], first_line_chars=2, keep_next=True, outline=1)
    _style(doc, "二级标题", font=g.FONT["heading2"], first_line_chars=2, keep_next=True, outline=2)
    _style(doc, "二级标题字符", kind=WD_STYLE_TYPE.CHARACTER, font=g.FONT["heading2"])
    _style(doc, "三级标题字符", kind=WD_STYLE_TYPE.CHARACTER, bold=True)
    _style(doc, "附件说明", first_line_chars=2, before_lines=1, keep_next=True)
    _style(doc, "附件说明续行", keep_next=True)
    _style(doc, "发文机关署名", align=right, before_lines=2, keep_next=True)
    _style(doc, "成文日期", align=right)
    _style(doc, "附件标识", font=g.FONT["heading1"], align=left, page_break_before=True)
    _style(doc, "附件标题", font=g.FONT["title"], size=g.SIZE["二号"], align=center, before_lines=1,
           line=Pt(g.SIZE["二号"] * 1.45), grid=False)
    _style(doc, "附件表格前", size=g.SIZE["五号"], line=Pt(g.SIZE["五号"] * 1.4), grid=False)
    _style(doc, "表头文字", font=g.FONT["heading1"], size=g.SIZE["五号"], align=center,
           line=Pt(g.SIZE["五号"] * 1.4), grid=False)
    _style(doc, "表格文字", size=g.SIZE["五号"], align=left, line=Pt(g.SIZE["五号"] * 1.4), grid=False)
    _style(doc, "表格网址", size=g.SIZE["小五"], align=left, line=Pt(g.SIZE["五号"] * 1.4), grid=False)
    _style(doc, "表格数字", size=g.SIZE["五号"], align=center, line=Pt(g.SIZE["五号"] * 1.4), grid=False)
    _style(doc, "表注", size=g.SIZE["小四"], line=Pt(g.SIZE["小四"] * 1.5), grid=False, first_line_chars=2)
    _style(doc, "页码", font=g.FONT["page"], size=g.SIZE["四号"], line=Pt(g.SIZE["四号"]), grid=False,
           kind=WD_STYLE_TYPE.PARAGRAPH, align=right)
    # 页码 uses 宋体 for the digits too ("四号半角宋体阿拉伯数字").
    _fonts(doc.styles["页码"].element.get_or_add_rPr(), g.FONT["page"], g.FONT["page"])


def _red_line(paragraph) -> None:
    """版头分隔线: red, as wide as the 版心, 4 mm below the 发文字号."""
    ppr = paragraph._p.get_or_add_pPr()
    border = _el("w:pBdr")
    border.append(_el("w:bottom", val="single", sz=12, space=round(g.RED_LINE_GAP_MM * 72 / 25.4),
                      color=g.RED))
    ppr.append(border)


def _p(doc, style: str, *runs: tuple[str, str | None]):
    paragraph = doc.add_paragraph(style=style)
    for text, char_style in runs:
        paragraph.add_run(text, style=char_style)
    return paragraph


def _head(doc) -> None:
    _p(doc, "发文机关标志", ("{{ masthead }}", None)).paragraph_format.space_before = Mm(g.MASTHEAD_TOP_MM)
    _red_line(_p(doc, "发文字号", ("{{ doc_number }}", None)))
    _p(doc, "公文标题", ("{{ title }}", None))
    _p(doc, "主送机关", ("{{ recipients }}：", None))


def _paragraphs(doc, loop: str, style: str = "公文正文", lead_style: str = "三级标题字符",
                keep_last: bool = False) -> None:
    """A loop of body paragraphs, each {lead, text}: the lead (e.g. "（一）…。" or "一是…。")
    in its heading font, the rest in the body font. `keep_last`: the last one stays on the
    page of what follows (the 署名 and 成文日期 never stand alone on a page, GB/T 9704 7.3.5)."""
    _p(doc, style, (f"{{%p for p in {loop}{'[:-1]' if keep_last else ''} %}}", None))
    _p(doc, style, ("{{ p.lead }}", lead_style), ("{{ p.text }}", None))
    _p(doc, style, ("{%p endfor %}", None))
    if keep_last:
        last = _p(doc, style, (f"{{{{ {loop}[-1].lead }}}}", lead_style), (f"{{{{ {loop}[-1].text }}}}", None))
        last.paragraph_format.keep_with_next = True


def _signature(doc) -> None:
    sig = _p(doc, "发文机关署名", ("{{ signature }}", None))
    sig.paragraph_format.right_indent = Pt(BODY_PT * 2)
    date = _p(doc, "成文日期", ("{{ issued_on }}", None))
    # 加盖印章的公文：成文日期右空四字，署名以成文日期为准居中.
    date.paragraph_format.right_indent = Pt(BODY_PT * 4)


def _borders(table) -> None:
    tblpr = table._tbl.tblPr
    borders = _el("w:tblBorders")
    for side in ("top", "left", "bottom", "right", "insideH", "insideV"):
        borders.append(_el(f"w:{side}", val="single", sz=4, space=0, color="000000"))
    tblpr.append(borders)
    tblpr.append(_el("w:tblLayout", type="fixed"))
    margins = _el("w:tblCellMar")
    for side, width in (("top", 40), ("left", 57), ("bottom", 40), ("right", 57)):
        margins.append(_el(f"w:{side}", w=width, type="dxa"))
    tblpr.append(margins)


def _row_flags(row, header: bool = False) -> None:
    trpr = row._tr.get_or_add_trPr()
    trpr.append(_el("w:cantSplit"))  # rows kept whole across a page break
    if header:
        trpr.append(_el("w:tblHeader"))  # repeated at the top of every page


def table(doc, columns: list[tuple[str, float, str]], loops: list[str], cells: list[str],
          ends: int, total: list[tuple[str, int, str]] | None = None):
    """A table: header row, loop rows (docxtpl {%tr %}), one row of cells, the ends of the
    loops, an optional 合计 row of (text, columns spanned, style)."""
    widths = [mm for _, mm, _ in columns]
    assert abs(sum(widths) - g.CORE_MM[0]) < 0.01, "a table is as wide as the 版心"
    n_rows = 1 + len(loops) + 1 + ends + (1 if total else 0)
    tbl = doc.add_table(rows=n_rows, cols=len(columns))
    tbl.alignment = WD_TABLE_ALIGNMENT.CENTER
    tbl.autofit = False
    _borders(tbl)
    tbl._tbl.tblPr.append(_el("w:tblW", w=g.mm_to_twips(g.CORE_MM[0]), type="dxa"))
    for col, mm in zip(tbl.columns, widths, strict=True):
        col.width = Mm(mm)
    for row in tbl.rows:
        for cell, mm in zip(row.cells, widths, strict=True):
            cell.width = Mm(mm)
    rows = list(tbl.rows)
    _row_flags(rows[0], header=True)
    for cell, (name, _, _) in zip(rows[0].cells, columns, strict=True):
        cell.paragraphs[0].style = doc.styles["表头文字"]
        cell.paragraphs[0].add_run(name)
    at = 1
    for loop in loops:
        rows[at].cells[0].paragraphs[0].add_run(f"{{%tr {loop} %}}")
        at += 1
    _row_flags(rows[at])
    for cell, text, (_, _, style) in zip(rows[at].cells, cells, columns, strict=True):
        cell.paragraphs[0].style = doc.styles[style]
        cell.paragraphs[0].add_run(text)
    at += 1
    for _ in range(ends):
        rows[at].cells[0].paragraphs[0].add_run("{%tr endfor %}")
        at += 1
    if total:
        row, col = rows[at], 0
        _row_flags(row)
        for text, span, style in total:
            cell = row.cells[col]
            if span > 1:
                cell = cell.merge(row.cells[col + span - 1])
            cell.paragraphs[0].style = doc.styles[style]
            cell.paragraphs[0].add_run(text)
            col += span
    return tbl


def _document():
    doc = Document()
    _defaults(doc)
    _font_table(doc)
    _styles(doc)
    _page(doc)
    body = doc.element.body
    for p in body.findall(qn("w:p")):  # python-docx's template starts with an empty paragraph
        body.remove(p)
    return doc


def monthly():
    doc = _document()
    _head(doc)
    _paragraphs(doc, "intro")
    _p(doc, "一级标题", ("一、总体情况", None))
    _paragraphs(doc, "overall")
    _p(doc, "一级标题", ("二、各单位办理情况", None))
    _paragraphs(doc, "units_text")
    _p(doc, "一级标题", ("三、工作要求", None))
    _paragraphs(doc, "requirements", keep_last=True)
    _p(doc, "附件说明", ("附件：{{ attachment_title }}", None))
    _signature(doc)
    _p(doc, "附件标识", ("附件", None))
    _p(doc, "附件标题", ("{{ attachment_title }}", None))
    _p(doc, "附件表格前", ("", None))
    # 单位 fits 13 characters a line (安康市人力资源和社会保障局), the longest names two lines.
    table(doc, [("序号", 10, "表格数字"), ("单位", 49, "表格文字"), ("受理", 11, "表格数字"),
                ("办结", 11, "表格数字"), ("办结率", 13, "表格数字"), ("按时办结", 13, "表格数字"),
                ("按时办结率", 15, "表格数字"), ("超期", 10, "表格数字"), ("退回", 10, "表格数字"),
                ("退回率", 14, "表格数字")],
          ["for r in rows"],
          ["{{ r.no }}", "{{ r.name }}", "{{ r.received }}", "{{ r.closed }}", "{{ r.closed_rate }}",
           "{{ r.on_time }}", "{{ r.on_time_rate }}", "{{ r.overdue }}", "{{ r.returned }}",
           "{{ r.return_rate }}"], ends=1,
          total=[("合计", 2, "表头文字"), ("{{ total.received }}", 1, "表格数字"),
                 ("{{ total.closed }}", 1, "表格数字"), ("{{ total.closed_rate }}", 1, "表格数字"),
                 ("{{ total.on_time }}", 1, "表格数字"), ("{{ total.on_time_rate }}", 1, "表格数字"),
                 ("{{ total.overdue }}", 1, "表格数字"), ("{{ total.returned }}", 1, "表格数字"),
                 ("{{ total.return_rate }}", 1, "表格数字")])
    _paragraphs(doc, "table_notes", style="表注", lead_style=None)
    return doc


def quarterly():
    doc = _document()
    _head(doc)
    _paragraphs(doc, "intro")
    _p(doc, "一级标题", ("一、总体情况", None))
    _paragraphs(doc, "overall")
    _p(doc, "一级标题", ("二、存在问题", None))
    _paragraphs(doc, "problems", lead_style="二级标题字符")
    _p(doc, "一级标题", ("三、工作要求", None))
    _paragraphs(doc, "requirements", keep_last=True)
    _p(doc, "附件说明", ("附件：{{ attachments[0] }}", None))
    _p(doc, "附件说明续行", ("{%p for a in attachments[1:] %}", None))
    # 附件名称回行与上一行附件名称的首字对齐: after "附件：" (2 + 3 characters).
    follow = _p(doc, "附件说明续行", ("{{ a }}", None))
    follow.paragraph_format.left_indent = Pt(BODY_PT * 5)
    _p(doc, "附件说明续行", ("{%p endfor %}", None))
    _signature(doc)
    _p(doc, "附件标识", ("附件1", None))
    _p(doc, "附件标题", ("{{ sites_title }}", None))
    _p(doc, "附件表格前", ("", None))
    # 网址 in 小五 so that www.sxakhidz.gov.cn stays on one line; 标识码's 10 digits fit.
    table(doc, [("序号", 10, "表格数字"), ("网站名称", 29, "表格文字"), ("网址", 32, "表格网址"),
                ("网站标识码", 21, "表格数字"), ("主要问题", 47, "表格文字"), ("复查结果", 17, "表格数字")],
          ["for r in sites"],
          ["{{ r.no }}", "{{ r.name }}", "{{ r.address }}", "{{ r.site_code }}", "{{ r.problems }}",
           "{{ r.verdict }}"], ends=1,
          total=[("合计：{{ sites_total }}", 5, "表格文字"), ("{{ sites_failed }}", 1, "表格数字")])
    _p(doc, "附件标识", ("{%p if accounts %}", None))
    _p(doc, "附件标识", ("附件2", None))
    _p(doc, "附件标题", ("{{ accounts_title }}", None))
    _p(doc, "附件表格前", ("", None))
    table(doc, [("序号", 10, "表格数字"), ("类别", 16, "表格文字"), ("主办单位", 32, "表格文字"),
                ("政务微信", 27, "表格文字"), ("政务微博", 27, "表格文字"), ("最后更新时间", 22, "表格数字"),
                ("问题类别", 22, "表格文字")],
          ["for grp in accounts", "for r in grp.rows"],
          ["{{ r.no }}", "{% vm %}{{ grp.category }}", "{{ r.unit }}", "{{ r.wechat }}", "{{ r.weibo }}",
           "{{ r.last_update }}", "{{ r.problems }}"], ends=2,
          total=[("合计：{{ accounts_total }}", 7, "表格文字")])
    _p(doc, "附件表格前", ("{%p endif %}", None))
    return doc


BUILDERS = {"monthly": monthly, "quarterly": quarterly}


def build_all(directory: Path) -> list[Path]:
    directory.mkdir(parents=True, exist_ok=True)
    out = []
    for name, build in BUILDERS.items():
        path = directory / f"{name}.docx"
        doc = build()
        doc.core_properties.title = name
        doc.core_properties.author = "casework"
        doc.save(path)
        out.append(path)
    return out
