"""The measures of GB/T 9704-2012 党政机关公文格式 that the shipped templates follow (and
the tests check): A4, 版心 156 × 225 mm, 22 lines of 28 characters of 三号仿宋, the fonts
of each element, the page number "— 1 —" in 四号宋体."""

from __future__ import annotations

PAGE_MM = (210, 297)
MARGINS_MM = {"top": 37, "bottom": 35, "left": 28, "right": 26}
CORE_MM = (PAGE_MM[0] - MARGINS_MM["left"] - MARGINS_MM["right"],
           PAGE_MM[1] - MARGINS_MM["top"] - MARGINS_MM["bottom"])  # 156 × 225

# Chinese point sizes (字号) in points.
SIZE = {"初号": 42, "小初": 36, "一号": 26, "小一": 24, "二号": 22, "小二": 18, "三号": 16,
        "小三": 15, "四号": 14, "小四": 12, "五号": 10.5, "小五": 9}

# 22 lines in the 225 mm 版心: a line pitch of 28.95 pt (579 twips). 28 characters of 三号
# in 156 mm (442 pt): each 16 pt character is narrowed by 0.25 pt (character spacing in
# twentieths of a point). Word's character grid would do the same, but LibreOffice lays
# that grid out differently (about 13 characters a line), so the templates use spacing.
LINES_PER_PAGE, CHARS_PER_LINE = 22, 28
LINE_PITCH_TWIPS = 579
CHAR_SPACING = -5

# East Asian fonts by element, and what Word should look for when a PC lacks one (the
# font table's altName; LibreOffice substitutes through fontconfig instead).
FONT = {"title": "方正小标宋简体", "body": "仿宋_GB2312", "heading1": "黑体", "heading2": "楷体_GB2312",
        "page": "宋体", "latin": "Times New Roman"}
ALT_NAME = {"方正小标宋简体": "宋体", "仿宋_GB2312": "仿宋", "楷体_GB2312": "楷体"}
RED = "FF0000"

# Vertical distances (mm): 发文机关标志 35 mm below the top of the 版心, the red line 4 mm
# below the 发文字号, the page number's dash 7 mm below the 版心.
MASTHEAD_TOP_MM, RED_LINE_GAP_MM, PAGE_NUMBER_GAP_MM = 35, 4, 7


def mm_to_twips(mm: float) -> int:
    return round(mm * 1440 / 25.4)
